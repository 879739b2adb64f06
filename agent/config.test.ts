import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hostLabels, readConfig, writeConfig, type AgentConfig } from "./config";

const base: AgentConfig = { server: "http://x/", hostId: "h", agentToken: "t", hostKey: "k", machineId: "m" };

describe("config labels", () => {
  it("round-trips labels and checks them with the protocol's rules", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "iw-config-"));
    const file = path.join(dir, "agent.json");
    await writeConfig(file, { ...base, labels: { env: "prod" } });
    expect((await readConfig(file))?.labels).toEqual({ env: "prod" });
    await writeFile(file, JSON.stringify({ ...base, labels: { env: "prod", Team: "db", role: "-x" } }));
    await expect(readConfig(file)).rejects.toThrow(`config ${file}: "labels" "Team": a label key holds only a-z, 0-9, _ . - and /; "role": a label value begins and ends with a letter or digit`);
    await writeFile(file, JSON.stringify({ ...base, labels: ["env=prod"] }));
    await expect(readConfig(file)).rejects.toThrow('"labels" labels must be an object of key: value strings');
  });

  it("reports the --label flags when given, else the config's, else none", () => {
    expect(hostLabels({ ...base, labels: { env: "prod" } }, { env: "dev" })).toEqual({ env: "dev" });
    expect(hostLabels({ ...base, labels: { env: "prod" } }, undefined)).toEqual({ env: "prod" });
    expect(hostLabels(base, undefined)).toEqual({});
  });
});
