import { describe, expect, it } from "vitest";
import { parseArgs } from "../cli/args";
import type { CommandContext } from "../commands/context";
import type { AgentState } from "../state";
import { RETRY_FAILED_UPDATE_MS, describeUpdate, handleAnnouncedUpdate } from "./lifecycle";

const environment = { env: {}, isRoot: false, home: "/home/x" };
const config = { server: "http://127.0.0.1:9/", hostId: "h", agentToken: "t", hostKey: "k", machineId: "m" };

function context(autoUpdate: boolean) {
  const lines: string[] = [];
  const log = { info: (l: string) => lines.push(`info ${l}`), warn: (l: string) => lines.push(`warn ${l}`), error: (l: string) => lines.push(`error ${l}`), debug: () => {} };
  const options = parseArgs(["run", ...(autoUpdate ? ["--auto-update"] : [])], environment);
  return { ctx: { options, log, version: "0.1.0", paths: {} } as unknown as CommandContext, lines };
}

describe("handleAnnouncedUpdate", () => {
  it("is current when nothing newer is announced, and keeps 'updated from' while running that version", async () => {
    const { ctx } = context(true);
    const state: AgentState = {};
    expect(await handleAnnouncedUpdate(ctx, config, state, undefined)).toBe(false);
    expect(state.update?.state).toBe("current");
    expect(await handleAnnouncedUpdate(ctx, config, state, "0.0.9")).toBe(false);
    expect(state.update?.state).toBe("current");
    const updated: AgentState = { update: { state: "updated", at: "2026-01-01T00:00:00.000Z", version: "0.1.0", from: "0.0.1" } };
    await handleAnnouncedUpdate(ctx, config, updated, undefined);
    expect(describeUpdate(updated.update, true)).toBe("updated from 0.0.1 at 2026-01-01T00:00:00.000Z (auto-update on)");
  });

  it("without --auto-update only records and logs (once) that a newer version is available", async () => {
    const { ctx, lines } = context(false);
    const state: AgentState = {};
    expect(await handleAnnouncedUpdate(ctx, config, state, "0.2.0")).toBe(false);
    expect(await handleAnnouncedUpdate(ctx, config, state, "0.2.0")).toBe(false);
    expect(lines.filter((l) => l.includes("0.2.0 is available"))).toHaveLength(1);
    expect(describeUpdate(state.update, false)).toBe("0.2.0 available (auto-update off; run infra-watch-agent update)");
  });

  it("with --auto-update a failure keeps this version and is not retried for an hour", async () => {
    const { ctx, lines } = context(true);
    const state: AgentState = {};
    // Under vitest this is not the single executable: the attempt fails before any download.
    expect(await handleAnnouncedUpdate(ctx, config, state, "0.2.0")).toBe(false);
    expect(state.update).toMatchObject({ state: "failed", version: "0.2.0" });
    expect(lines.at(-1)).toMatch(/^error update to 0\.2\.0 failed, keeping 0\.1\.0: not running as the agent executable/);
    const firstAt = state.update!.at;
    await handleAnnouncedUpdate(ctx, config, state, "0.2.0");
    expect(state.update!.at).toBe(firstAt);
    expect(lines.filter((l) => l.startsWith("error"))).toHaveLength(1);
    state.update!.at = new Date(Date.now() - RETRY_FAILED_UPDATE_MS - 1000).toISOString();
    await handleAnnouncedUpdate(ctx, config, state, "0.2.0");
    expect(lines.filter((l) => l.startsWith("error"))).toHaveLength(2);
    // A newer announcement is tried at once.
    await handleAnnouncedUpdate(ctx, config, state, "0.3.0");
    expect(lines.filter((l) => l.startsWith("error"))).toHaveLength(3);
  });
});
