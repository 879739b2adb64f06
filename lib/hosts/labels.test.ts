import { describe, expect, it } from "vitest";
import { editLabels, effectiveLabels, labelSources, MAX_REMOVED_LABELS, type LabelState } from "./labels";

const state = (s: Partial<LabelState>): LabelState => ({ agent: {}, user: {}, removed: [], ...s });
/** The state after a user edit, as the host would then store it. */
const edited = (s: LabelState, desired: Record<string, string>, reset: string[] = []): LabelState => ({ ...s, ...editLabels(s, desired, reset) });

describe("effectiveLabels", () => {
  it("is the agent's labels minus the removed keys, with the user's on top", () => {
    const s = state({ agent: { env: "prod", gpu: "", role: "web" }, user: { env: "staging", team: "db" }, removed: ["gpu"] });
    expect(effectiveLabels(s)).toEqual({ env: "staging", role: "web", team: "db" });
    expect(labelSources(s)).toEqual({ env: "user", role: "agent", team: "user" });
  });

  it("a user value wins even for a key listed as removed", () => {
    expect(effectiveLabels(state({ agent: { env: "prod" }, user: { env: "dev" }, removed: ["env"] }))).toEqual({ env: "dev" });
  });
});

describe("editLabels: the host then carries exactly what the user asked for", () => {
  const agent = { env: "prod", role: "web", gpu: "" };

  it("leaves untouched agent labels with the agent, so they keep following it", () => {
    const s = edited(state({ agent }), { ...agent, team: "db" });
    expect(s.user).toEqual({ team: "db" });
    expect(s.removed).toEqual([]);
    // The agent's next report changes role: the host follows it.
    expect(effectiveLabels({ ...s, agent: { ...agent, role: "api" } })).toEqual({ env: "prod", role: "api", gpu: "", team: "db" });
  });

  it("a changed value becomes the user's and survives the agent's next report", () => {
    const s = edited(state({ agent }), { ...agent, env: "staging" });
    expect(s.user).toEqual({ env: "staging" });
    expect(labelSources(s).env).toBe("user");
    expect(effectiveLabels({ ...s, agent: { ...agent, env: "prod2" } }).env).toBe("staging");
  });

  it("a removed agent label stays removed while the agent keeps sending it", () => {
    const s = edited(state({ agent }), { env: "prod", role: "web" });
    expect(s.removed).toEqual(["gpu"]);
    expect(effectiveLabels({ ...s, agent })).toEqual({ env: "prod", role: "web" });
    // A later edit that does not mention it keeps the removal, even when the agent stopped and starts again.
    const later = edited({ ...s, agent: { env: "prod" } }, { env: "prod", zone: "eu" });
    expect(later.removed).toContain("gpu");
    // role was not removed by a user (the agent did not send it at the edit): it comes back; gpu does not.
    expect(effectiveLabels({ ...later, agent })).toEqual({ env: "prod", role: "web", zone: "eu" });
  });

  it("a value the user owned stays the user's when set to what the agent reports", () => {
    const s = edited(state({ agent, user: { env: "staging" } }), { ...agent, env: "prod" });
    expect(s.user).toEqual({ env: "prod" });
  });

  it("giving a removed label back with the agent's value hands it back to the agent", () => {
    const s = edited(state({ agent, removed: ["gpu"] }), agent);
    expect(s).toMatchObject({ user: {}, removed: [] });
  });

  it("removing a user value the agent also has removes the key (the host carries what was asked)", () => {
    const s = edited(state({ agent, user: { env: "staging" } }), { role: "web", gpu: "" });
    expect(s.user).toEqual({});
    expect(s.removed).toEqual(["env"]);
    expect(effectiveLabels(s)).toEqual({ role: "web", gpu: "" });
  });

  it("reset hands keys back to the agent: its value returns, the user's value and removal are gone", () => {
    const s = state({ agent, user: { env: "staging", team: "db" }, removed: ["gpu"] });
    const r = edited(s, { env: "staging", team: "db", role: "web" }, ["env", "gpu"]);
    expect(r.user).toEqual({ team: "db" });
    expect(r.removed).toEqual([]);
    expect(effectiveLabels(r)).toEqual({ env: "prod", role: "web", gpu: "", team: "db" });
  });

  it("for every edit, the host carries exactly the desired set", () => {
    const starts = [state({}), state({ agent }), state({ agent, user: { env: "x", extra: "1" }, removed: ["gpu", "old"] })];
    const desires: Record<string, string>[] = [{}, agent, { env: "prod" }, { env: "other", new: "1" }, { gpu: "", zone: "eu" }];
    for (const s of starts) for (const d of desires) expect(effectiveLabels(edited(s, d))).toEqual(d);
  });

  it("bounds the removed keys, keeping those the agent still reports", () => {
    const old = Array.from({ length: 200 }, (_, i) => `old${i}`);
    const r = editLabels(state({ agent, removed: old }), {});
    expect(r.removed).toHaveLength(MAX_REMOVED_LABELS);
    expect(r.removed.slice(0, 3)).toEqual(["env", "role", "gpu"]);
    expect(r.removed.at(-1)).toBe("old199");
  });
});
