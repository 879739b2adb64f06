import { describe, expect, it } from "vitest";
import type { ContainerHealth, ContainerState, SnapshotDiff } from "@/lib/protocol";
import { DEFAULT_STALE_AFTER_SECONDS, evaluateRules, evaluationNeeds, isSilenced, thresholdState, windowFor } from "./evaluate";
import { NOW, ago, host, rule } from "./evaluate-fixtures";
import type { AlertRule, EvaluationInput, MetricSample, OpenAlertEvent } from "./types";

const hostDown = (over: Partial<AlertRule> = {}): AlertRule =>
  rule({ id: "r-down", name: "Host down", kind: "hostDown", metric: null, op: null, threshold: null, forSeconds: 120, ...over });
const drift = (config: Record<string, unknown>, over: Partial<AlertRule> = {}): AlertRule =>
  rule({ id: "r-drift", name: "Drift", kind: "drift", metric: null, op: null, threshold: null, config, ...over });


/** One sample every `step` seconds from `fromAgo` to `toAgo` seconds ago, newest last. */
function series(fromAgo: number, toAgo: number, cpu: number | ((secondsAgo: number) => number), step = 15): MetricSample[] {
  const out: MetricSample[] = [];
  for (let t = fromAgo; t >= toAgo; t -= step) out.push({ ts: ago(t), cpuPct: typeof cpu === "number" ? cpu : cpu(t), memPct: 40, diskPct: 50 });
  return out;
}

const openEvent = (over: Partial<OpenAlertEvent> = {}): OpenAlertEvent => ({ id: "e1", ruleId: "r-cpu", hostId: "h1", startedAt: ago(600), ...over });

function run(over: Partial<EvaluationInput>) {
  return evaluateRules({ rules: [rule()], samplesByHost: {}, hosts: [host("h1")], openEvents: [], now: NOW, ...over });
}

describe("threshold rules", () => {
  it("with forSeconds 0 fires on the latest sample alone and carries its value", () => {
    const r = run({ samplesByHost: { h1: [...series(300, 15, 10), { ts: ago(5), cpuPct: 95.5 }] } });
    expect(r.fire).toEqual([
      {
        ruleId: "r-cpu",
        hostId: "h1",
        kind: "threshold",
        severity: "critical",
        value: 95.5,
        message: "cpuPct 95.5 > 90",
        startedAt: NOW,
        conditionSince: ago(5),
        silenced: false,
        maintenance: false,
        suppressed: false,
        notify: true,
      },
    ]);
    expect(r.resolve).toEqual([]);
    expect(r.evaluated).toBe(1);
  });

  it("with forSeconds 300 fires for a host above the threshold for 7 minutes", () => {
    const r = run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: [...series(900, 435, 20), ...series(420, 0, 95)] } });
    expect(r.fire).toHaveLength(1);
    expect(r.fire[0]!.conditionSince).toEqual(ago(420));
    expect(r.fire[0]!.message).toBe("cpuPct 95 > 90 for 7m");
  });

  it("with forSeconds 300 does not fire for a host above it for 1 minute", () => {
    const r = run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: [...series(900, 75, 20), ...series(60, 0, 95)] } });
    expect(r.fire).toEqual([]);
    expect(r.evaluated).toBe(1);
  });

  it("restarts the run after a dip in between", () => {
    const samples = series(600, 0, (t) => (t === 195 ? 50 : 95));
    expect(run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: samples } }).fire).toEqual([]);
    // The same dip 6 minutes back leaves a qualifying run after it.
    const early = series(600, 0, (t) => (t === 390 ? 50 : 95));
    expect(run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: early } }).fire).toHaveLength(1);
  });

  it("fires when the oldest sample of the run is exactly forSeconds old", () => {
    const samples = [{ ts: ago(315), cpuPct: 10 }, ...series(300, 0, 95)];
    expect(run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: samples } }).fire).toHaveLength(1);
    const short = [{ ts: ago(300), cpuPct: 10 }, ...series(299, 0, 95, 13)];
    expect(run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: short } }).fire).toEqual([]);
  });

  it("does not care in which order samples arrive", () => {
    const samples = series(420, 0, 95).reverse();
    expect(run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: samples } }).fire).toHaveLength(1);
  });

  it.each([
    [">", 90, 90, false],
    [">=", 90, 90, true],
    ["<", 10, 9.9, true],
    ["<=", 10, 10.1, false],
  ] as const)("op %s %d with value %d fires: %s", (op, threshold, value, fires) => {
    const r = run({ rules: [rule({ op, threshold })], samplesByHost: { h1: [{ ts: ago(1), cpuPct: value }] } });
    expect(r.fire.length).toBe(fires ? 1 : 0);
  });

  it("watches any stored metric, and a sample without that metric is no data for it", () => {
    const swap = rule({ id: "r-swap", metric: "swapPct", op: ">=", threshold: 50 });
    const withSwap = run({ rules: [swap], samplesByHost: { h1: [{ ts: ago(10), cpuPct: 1, swapPct: 80 }] } });
    expect(withSwap.fire.map((f) => f.value)).toEqual([80]);
    const without = run({ rules: [swap], samplesByHost: { h1: [{ ts: ago(10), cpuPct: 1, swapPct: null }] }, openEvents: [openEvent({ ruleId: "r-swap" })] });
    expect(without.fire).toEqual([]);
    expect(without.resolve).toEqual([]);
  });

  it("resolves when the latest sample no longer meets the condition, with that value", () => {
    const r = run({ samplesByHost: { h1: [...series(300, 15, 95), { ts: ago(2), cpuPct: 42 }] }, openEvents: [openEvent()] });
    expect(r.fire).toEqual([]);
    expect(r.resolve).toEqual([
      {
        eventId: "e1",
        ruleId: "r-cpu",
        hostId: "h1",
        kind: "threshold",
        reason: "recovered",
        value: 42,
        message: "cpuPct 42, no longer cpuPct > 90",
        resolvedAt: NOW,
        silenced: false,
        maintenance: false,
        notify: true,
      },
    ]);
  });

  it("keeps an open event open while the condition holds, and does not fire a second one", () => {
    const r = run({ samplesByHost: { h1: series(300, 0, 95) }, openEvents: [openEvent()] });
    expect(r).toMatchObject({ fire: [], resolve: [], evaluated: 1 });
  });

  it("keeps an open event open when the latest sample meets the condition again after an unseen dip", () => {
    const samples = series(600, 0, (t) => (t === 45 ? 50 : 95));
    const r = run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: samples }, openEvents: [openEvent()] });
    expect(r).toMatchObject({ fire: [], resolve: [] });
  });

  it("fires a new event after a resolve: re-firing", () => {
    const first = run({ samplesByHost: { h1: [{ ts: ago(60), cpuPct: 95 }] } });
    expect(first.fire).toHaveLength(1);
    const resolved = run({ samplesByHost: { h1: [{ ts: ago(30), cpuPct: 50 }] }, openEvents: [openEvent()] });
    expect(resolved.resolve).toHaveLength(1);
    const again = run({ samplesByHost: { h1: [{ ts: ago(1), cpuPct: 97 }] }, openEvents: [] });
    expect(again.fire).toMatchObject([{ ruleId: "r-cpu", hostId: "h1", value: 97 }]);
  });

  describe("missing data", () => {
    it("does not resolve a firing event when the host stops reporting", () => {
      const r = run({ samplesByHost: { h1: series(3_000, 900, 95) }, openEvents: [openEvent()] });
      expect(r).toMatchObject({ fire: [], resolve: [], evaluated: 1 });
    });

    it("does not resolve when the host has no samples at all in the window", () => {
      const r = run({ samplesByHost: {}, openEvents: [openEvent()] });
      expect(r).toMatchObject({ fire: [], resolve: [] });
    });

    it("does not fire on stale data either", () => {
      const r = run({ rules: [rule({ forSeconds: 60 })], samplesByHost: { h1: series(900, 400, 99) } });
      expect(r.fire).toEqual([]);
    });

    it("counts the run in samples: a reporting gap inside it does not break it", () => {
      const twoSamples = [{ ts: ago(420), cpuPct: 95 }, { ts: ago(5), cpuPct: 96 }];
      expect(run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: twoSamples } }).fire).toMatchObject([{ value: 96, conditionSince: ago(420) }]);
    });

    it("sees no further back than forSeconds + staleness, the window the run loads", () => {
      const samples = [{ ts: ago(700), cpuPct: 95 }, { ts: ago(5), cpuPct: 96 }];
      expect(run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: samples }, staleAfterSeconds: 300 }).fire).toEqual([]);
      expect(run({ rules: [rule({ forSeconds: 300 })], samplesByHost: { h1: samples }, staleAfterSeconds: 400 }).fire).toHaveLength(1);
    });

    it("honours a custom staleness allowance", () => {
      const samples = [{ ts: ago(120), cpuPct: 99 }];
      expect(run({ samplesByHost: { h1: samples }, staleAfterSeconds: 60 }).fire).toEqual([]);
      expect(run({ samplesByHost: { h1: samples }, staleAfterSeconds: 180 }).fire).toHaveLength(1);
    });
  });

  it("ignores history older than forSeconds + staleness, so loading more changes nothing", () => {
    const longRun = series(3_600, 0, 95);
    const window = windowFor([rule({ forSeconds: 300 })]);
    const clipped = longRun.filter((s) => s.ts.getTime() >= NOW.getTime() - window * 1000);
    const a = thresholdState({ metric: "cpuPct", op: ">", threshold: 90, forSeconds: 300 }, [...longRun].reverse(), NOW);
    const b = thresholdState({ metric: "cpuPct", op: ">", threshold: 90, forSeconds: 300 }, [...clipped].reverse(), NOW);
    expect(a).toEqual(b);
    expect(a.state).toBe("firing");
  });

  it("reports pending while the condition holds for less than forSeconds", () => {
    expect(thresholdState({ metric: "cpuPct", op: ">", threshold: 90, forSeconds: 300 }, series(60, 0, 95).reverse(), NOW)).toEqual({
      state: "pending",
      value: 95,
      since: ago(60),
    });
  });
});

describe("hostDown rules", () => {
  it("fires for a silent host, with the seconds of silence as value, and not for a reporting one", () => {
    const r = run({
      rules: [hostDown()],
      hosts: [host("quiet"), host("busy")],
      lastSeenByHost: new Map([
        ["quiet", ago(600)],
        ["busy", ago(10)],
      ]),
    });
    expect(r.fire).toMatchObject([{ ruleId: "r-down", hostId: "quiet", kind: "hostDown", value: 600, message: "no data for 10m", conditionSince: ago(600) }]);
    expect(r.evaluated).toBe(2);
  });

  it("fires exactly at forSeconds of silence", () => {
    expect(run({ rules: [hostDown({ forSeconds: 120 })], lastSeenByHost: { h1: ago(120) } }).fire).toHaveLength(1);
    expect(run({ rules: [hostDown({ forSeconds: 120 })], lastSeenByHost: { h1: ago(119) } }).fire).toEqual([]);
  });

  it("counts a host that never reported from its creation", () => {
    const fresh = run({ rules: [hostDown()], hosts: [host("new", { createdAt: ago(30) })] });
    expect(fresh.fire).toEqual([]);
    const old = run({ rules: [hostDown()], hosts: [host("new", { createdAt: ago(3_600) })] });
    expect(old.fire).toMatchObject([{ hostId: "new", value: 3_600, message: "never reported, enrolled 1h ago" }]);
  });

  it("falls back to the host's lastSeenAt when no map entry is given", () => {
    const r = run({ rules: [hostDown()], hosts: [host("h1", { lastSeenAt: ago(10) }), host("h2", { lastSeenAt: ago(1_000) })] });
    expect(r.fire.map((f) => f.hostId)).toEqual(["h2"]);
  });

  it("resolves when the host reports again", () => {
    const r = run({ rules: [hostDown()], lastSeenByHost: { h1: ago(3) }, openEvents: [openEvent({ ruleId: "r-down" })] });
    expect(r.resolve).toMatchObject([{ eventId: "e1", reason: "recovered", value: 3, notify: true, kind: "hostDown" }]);
  });

  it("keeps the event open while the host stays silent", () => {
    const r = run({ rules: [hostDown()], lastSeenByHost: { h1: ago(900) }, openEvents: [openEvent({ ruleId: "r-down" })] });
    expect(r).toMatchObject({ fire: [], resolve: [] });
  });

  it("refuses forSeconds 0, which would call every host down", () => {
    const r = run({ rules: [hostDown({ forSeconds: 0 })], lastSeenByHost: { h1: ago(1) } });
    expect(r.fire).toEqual([]);
    expect(r.skipped).toEqual([{ ruleId: "r-down", reason: "hostDown rule needs forSeconds > 0" }]);
  });

  it("is not fooled by a host clock ahead of ours", () => {
    expect(run({ rules: [hostDown()], lastSeenByHost: { h1: new Date(NOW.getTime() + 60_000) } }).fire).toEqual([]);
  });
});

const emptyDiff = (): SnapshotDiff => ({ packages: { added: [], removed: [], changed: [] }, env: { added: [], removed: [], changed: [] }, kernel: null, os: null });
const kernelDiff: SnapshotDiff = { ...emptyDiff(), kernel: { from: "6.1.0-17", to: "6.1.0-18" } };
const nginxDiff: SnapshotDiff = { ...emptyDiff(), packages: { added: [{ name: "nginx", version: "1.22" }], removed: [], changed: [] } };

describe("drift rules", () => {
  it("fires for a matching snapshot change, with the matches as value and message", () => {
    const r = run({ rules: [drift({ target: "packages", pattern: "nginx*" })], snapshotChanges: [{ hostId: "h1", ts: ago(20), diff: nginxDiff }] });
    expect(r.fire).toMatchObject([{ ruleId: "r-drift", hostId: "h1", kind: "drift", value: 1, message: "packages added nginx 1.22", conditionSince: ago(20), notify: true }]);
  });

  it("ignores changes of other hosts and changes the rule does not name", () => {
    const r = run({
      rules: [drift({ target: "kernel" })],
      hosts: [host("h1"), host("h2")],
      snapshotChanges: [
        { hostId: "h1", ts: ago(20), diff: nginxDiff },
        { hostId: "h2", ts: ago(20), diff: kernelDiff },
      ],
    });
    expect(r.fire.map((f) => [f.hostId, f.message])).toEqual([["h2", "kernel 6.1.0-17 -> 6.1.0-18"]]);
    expect(r.evaluated).toBe(2);
  });

  it("sums several changed snapshots of one host into one event", () => {
    const r = run({
      rules: [drift({ target: "packages" })],
      snapshotChanges: [
        { hostId: "h1", ts: ago(50), diff: nginxDiff },
        { hostId: "h1", ts: ago(20), diff: { ...emptyDiff(), packages: { added: [], removed: [{ name: "vim", version: "9" }], changed: [] } } },
      ],
    });
    expect(r.fire).toMatchObject([{ value: 2, message: "packages added nginx 1.22; packages removed vim 9", conditionSince: ago(50) }]);
  });

  it("closes a drift event quietly on the next run without a new change", () => {
    const r = run({ rules: [drift({ target: "kernel" })], openEvents: [openEvent({ ruleId: "r-drift" })] });
    expect(r.fire).toEqual([]);
    expect(r.resolve).toMatchObject([{ eventId: "e1", reason: "elapsed", notify: false, kind: "drift" }]);
  });

  it("supersedes an open drift event with a new one when another change arrives", () => {
    const r = run({ rules: [drift({ target: "kernel" })], openEvents: [openEvent({ ruleId: "r-drift" })], snapshotChanges: [{ hostId: "h1", ts: ago(5), diff: kernelDiff }] });
    expect(r.resolve).toMatchObject([{ eventId: "e1", reason: "superseded", notify: false }]);
    expect(r.fire).toMatchObject([{ ruleId: "r-drift", hostId: "h1", notify: true }]);
  });

  it("skips a drift rule without a valid config and leaves its events alone", () => {
    const r = run({ rules: [drift({ target: "everything" })], openEvents: [openEvent({ ruleId: "r-drift" })], snapshotChanges: [{ hostId: "h1", ts: ago(5), diff: kernelDiff }] });
    expect(r).toMatchObject({ fire: [], resolve: [], evaluated: 0 });
    expect(r.skipped).toEqual([{ ruleId: "r-drift", reason: expect.stringContaining("config") }]);
  });
});

describe("scope, lifecycle and housekeeping", () => {
  it("applies a rule with hostId null to every host and a scoped rule to its host only", () => {
    const hosts = [host("h1"), host("h2"), host("h3")];
    const samplesByHost = { h1: [{ ts: ago(5), cpuPct: 99 }], h2: [{ ts: ago(5), cpuPct: 99 }], h3: [{ ts: ago(5), cpuPct: 99 }] };
    const all = run({ hosts, samplesByHost });
    expect(all.fire.map((f) => f.hostId)).toEqual(["h1", "h2", "h3"]);
    expect(all.evaluated).toBe(3);
    const one = run({ rules: [rule({ hostId: "h2" })], hosts, samplesByHost });
    expect(one.fire.map((f) => f.hostId)).toEqual(["h2"]);
    expect(one.evaluated).toBe(1);
  });

  it("counts evaluated as rule x host pairs over enabled rules", () => {
    const hosts = Array.from({ length: 5 }, (_, i) => host(`h${i}`));
    const rules = [rule(), rule({ id: "r2", metric: "memPct" }), hostDown(), rule({ id: "off", enabled: false }), rule({ id: "scoped", hostId: "h0" })];
    expect(run({ rules, hosts }).evaluated).toBe(5 + 5 + 5 + 1);
  });

  it("does nothing for a disabled rule and resolves its open events quietly", () => {
    const r = run({ rules: [rule({ enabled: false })], samplesByHost: { h1: [{ ts: ago(1), cpuPct: 99 }] }, openEvents: [openEvent()] });
    expect(r.fire).toEqual([]);
    expect(r.evaluated).toBe(0);
    expect(r.resolve).toMatchObject([{ eventId: "e1", reason: "ruleDisabled", value: null, notify: false, kind: "threshold" }]);
  });

  it("resolves the open events of a deleted rule", () => {
    const r = run({ rules: [], openEvents: [openEvent({ ruleId: "gone" })] });
    expect(r.resolve).toMatchObject([{ eventId: "e1", ruleId: "gone", reason: "ruleDeleted", kind: null, notify: false }]);
  });

  it("resolves the open events of a deleted host and stops evaluating it", () => {
    const r = run({ hosts: [host("h2")], samplesByHost: { h1: [{ ts: ago(1), cpuPct: 99 }] }, openEvents: [openEvent({ hostId: "h1" })] });
    expect(r.resolve).toMatchObject([{ eventId: "e1", hostId: "h1", reason: "hostDeleted" }]);
    expect(r.fire).toEqual([]);
    expect(r.evaluated).toBe(1);
  });

  it("resolves events a re-scoped rule no longer covers", () => {
    const r = run({ rules: [rule({ hostId: "h2" })], hosts: [host("h1"), host("h2")], openEvents: [openEvent({ hostId: "h1" })] });
    expect(r.resolve).toMatchObject([{ hostId: "h1", reason: "outOfScope" }]);
  });

  it("evaluates a host added since the last run like any other", () => {
    const r = run({ hosts: [host("h1"), host("added", { createdAt: ago(30) })], samplesByHost: { added: [{ ts: ago(3), cpuPct: 99 }] } });
    expect(r.fire.map((f) => f.hostId)).toEqual(["added"]);
  });

  it("resolves a second open event for the same pair instead of keeping both", () => {
    const r = run({ samplesByHost: { h1: [{ ts: ago(1), cpuPct: 99 }] }, openEvents: [openEvent(), openEvent({ id: "e2" })] });
    expect(r.resolve).toMatchObject([{ eventId: "e2", reason: "duplicate" }]);
    expect(r.fire).toEqual([]);
  });

  it("skips a threshold rule missing its metric, op or threshold", () => {
    const r = run({
      rules: [rule({ id: "a", metric: "bogus" }), rule({ id: "b", op: null }), rule({ id: "c", threshold: Number.NaN }), rule({ id: "d", forSeconds: -1 })],
      samplesByHost: { h1: [{ ts: ago(1), cpuPct: 99 }] },
    });
    expect(r.fire).toEqual([]);
    expect(r.skipped.map((s) => s.ruleId)).toEqual(["a", "b", "c", "d"]);
  });

  it("accepts samples and last-seen times as Maps or records alike", () => {
    const asMap = run({ samplesByHost: new Map([["h1", [{ ts: ago(1), cpuPct: 99 }]]]) });
    const asRecord = run({ samplesByHost: { h1: [{ ts: ago(1), cpuPct: 99 }] } });
    expect(asMap).toEqual(asRecord);
  });

  it("is not confused by host ids that shadow Object.prototype", () => {
    expect(run({ hosts: [host("constructor")], samplesByHost: {} })).toMatchObject({ fire: [], evaluated: 1 });
  });
});

describe("silences", () => {
  const samplesByHost = { h1: [{ ts: ago(1), cpuPct: 99 }] };

  it("still logs the event but does not notify", () => {
    const r = run({ samplesByHost, silences: [{ ruleId: "r-cpu", endsAt: ago(-3_600), reason: "maintenance" }] });
    expect(r.fire).toMatchObject([{ silenced: true, notify: false }]);
  });

  it("mutes a resolve notice too", () => {
    const r = run({ samplesByHost: { h1: [{ ts: ago(1), cpuPct: 10 }] }, openEvents: [openEvent()], silences: [{ hostId: "h1", endsAt: ago(-60) }] });
    expect(r.resolve).toMatchObject([{ reason: "recovered", silenced: true, notify: false }]);
  });

  it("matches by rule, by host, or both, and only while active", () => {
    const s = (over: object) => [{ endsAt: ago(-60), ...over }];
    expect(isSilenced(s({ ruleId: "r-cpu" }), "r-cpu", "h1", NOW)).toBe(true);
    expect(isSilenced(s({ ruleId: "other" }), "r-cpu", "h1", NOW)).toBe(false);
    expect(isSilenced(s({ hostId: "h1" }), "r-cpu", "h1", NOW)).toBe(true);
    expect(isSilenced(s({ ruleId: "r-cpu", hostId: "h2" }), "r-cpu", "h1", NOW)).toBe(false);
    expect(isSilenced([{ ruleId: "r-cpu", endsAt: NOW }], "r-cpu", "h1", NOW)).toBe(false);
    expect(isSilenced(s({ ruleId: "r-cpu", startsAt: ago(-30) }), "r-cpu", "h1", NOW)).toBe(false);
    expect(isSilenced(undefined, "r-cpu", "h1", NOW)).toBe(false);
  });
});

describe("windowFor", () => {
  it("loads the longest threshold duration plus the staleness allowance", () => {
    expect(windowFor([rule({ forSeconds: 300 }), rule({ forSeconds: 900 }), rule({ forSeconds: 3_600, enabled: false })])).toBe(900 + 300);
    expect(windowFor([rule({ forSeconds: 0 })], { staleAfterSeconds: 120 })).toBe(120);
  });

  it("never reaches past the 24-hour cap, and a longer rule stored before the cap is skipped, not loaded", () => {
    const week = rule({ id: "r-week", forSeconds: 7 * 24 * 3600 });
    expect(windowFor([rule({ forSeconds: 24 * 3600 }), week])).toBe(24 * 3600 + DEFAULT_STALE_AFTER_SECONDS);
    expect(windowFor([week])).toBe(0);
    const result = evaluateRules({ rules: [week], samplesByHost: new Map(), hosts: [], openEvents: [], silences: [], snapshotChanges: [], now: NOW });
    expect(result.skipped).toEqual([{ ruleId: "r-week", reason: "forSeconds above 86400 (24 hours)" }]);
  });

  it("needs no samples when no threshold rule is enabled", () => {
    expect(windowFor([hostDown({ forSeconds: 3_600 }), drift({ target: "kernel" })])).toBe(0);
    expect(windowFor([])).toBe(0);
  });
});

describe("evaluationNeeds", () => {
  it("names the window, metric columns, hosts and inputs the enabled rules read", () => {
    const rules = [
      rule({ forSeconds: 300, hostId: "h2" }),
      rule({ id: "mem", metric: "memPct", hostId: "h1" }),
      rule({ id: "off", metric: "swapPct", forSeconds: 9_999, enabled: false, hostId: null }),
      hostDown({ hostId: "h1" }),
    ];
    expect(evaluationNeeds(rules)).toEqual({ samplesSeconds: 600, metrics: ["cpuPct", "memPct"], hostIds: ["h1", "h2"], snapshotChanges: false, inventory: false, processes: false, diskSeconds: 0 });
    expect(evaluationNeeds([...rules, drift({ target: "kernel" })])).toMatchObject({ hostIds: "all", snapshotChanges: true });
    expect(evaluationNeeds([hostDown()])).toEqual({ samplesSeconds: 0, metrics: [], hostIds: "all", snapshotChanges: false, inventory: false, processes: false, diskSeconds: 0 });
  });
});

describe("scale", () => {
  it("evaluates 1,000 hosts x 10 rules over 10 minutes of samples quickly", () => {
    const hosts = Array.from({ length: 1_000 }, (_, i) => host(`h${i}`));
    const samplesByHost = new Map(hosts.map((h, i) => [h.id, series(600, 0, (t) => (i % 10 === 0 ? 95 : 20 + (t % 7)))]));
    const rules = [
      ...Array.from({ length: 8 }, (_, i) => rule({ id: `t${i}`, metric: i % 2 ? "memPct" : "cpuPct", forSeconds: 60 * i })),
      hostDown(),
      drift({ target: "kernel" }),
    ];
    const r = evaluateRules({ rules, samplesByHost, hosts, openEvents: [], now: NOW, lastSeenByHost: new Map(hosts.map((h) => [h.id, ago(5)])) });
    expect(r.evaluated).toBe(10_000);
    expect(r.fire.length).toBe(100 * 4);
  });
});

describe("simulated runs over seeded random telemetry", () => {
  type Stored = { id: string; ruleId: string; hostId: string; startedAt: Date; resolvedAt: Date | null };

  /** mulberry32, as in lib/snapshots/synthetic: a failing seed replays exactly. */
  function rng(seed: number) {
    let s = seed >>> 0;
    return () => {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = Math.imul(s ^ (s >>> 15), s | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it.each(Array.from({ length: 25 }, (_, i) => 500 + i))("seed %i: fires only after the condition held, resolves only on a current good sample, one open event", (seed) => {
    const random = rng(seed);
    const start = Date.parse("2026-12-01T00:00:00Z");
    const forSeconds = [0, 60, 300][seed % 3]!;
    const r = rule({ forSeconds });
    const samples: MetricSample[] = [];
    let high = random() < 0.5;
    let silentUntil = 0;
    for (let t = 0; t < 3 * 3600; t += 15) {
      if (random() < 0.05) high = !high;
      if (random() < 0.005) silentUntil = t + 60 * (1 + Math.floor(random() * 15));
      if (t < silentUntil) continue;
      samples.push({ ts: new Date(start + t * 1000), cpuPct: high ? 91 + random() * 8 : 50 + random() * 39 });
    }
    const meets = (s: MetricSample) => s.cpuPct! > 90;
    const events: Stored[] = [];
    const window = windowFor([r]) * 1000;
    for (let t = 0; t < 3 * 3600; t += 30) {
      const now = new Date(start + t * 1000);
      const visible = samples.filter((s) => s.ts <= now && s.ts.getTime() >= now.getTime() - window);
      const open = events.filter((e) => e.resolvedAt === null);
      const out = evaluateRules({ rules: [r], samplesByHost: { h1: visible }, hosts: [host("h1", { createdAt: new Date(start) })], openEvents: open, now });
      const latest = visible.at(-1);
      for (const res of out.resolve) {
        expect(res.reason).toBe("recovered");
        expect(latest && now.getTime() - latest.ts.getTime() <= DEFAULT_STALE_AFTER_SECONDS * 1000 && !meets(latest)).toBe(true);
        events.find((e) => e.id === res.eventId)!.resolvedAt = now;
      }
      for (const f of out.fire) {
        expect(events.filter((e) => e.resolvedAt === null)).toHaveLength(0);
        // The unbroken run of samples meeting the condition reaches back at least forSeconds.
        const lastBad = visible.findLastIndex((s) => !meets(s));
        const run = visible.slice(lastBad + 1);
        expect(run.length).toBeGreaterThan(0);
        expect(now.getTime() - run[0]!.ts.getTime()).toBeGreaterThanOrEqual(forSeconds * 1000);
        expect(now.getTime() - latest!.ts.getTime()).toBeLessThanOrEqual(DEFAULT_STALE_AFTER_SECONDS * 1000);
        events.push({ id: `e${events.length}`, ruleId: f.ruleId, hostId: f.hostId, startedAt: now, resolvedAt: null });
      }
      // Liveness: a dense run of good-enough samples covering forSeconds must have an open event.
      const recent = visible.filter((s) => s.ts.getTime() >= now.getTime() - (forSeconds + 30) * 1000);
      const dense = recent.length > 0 && now.getTime() - recent[0]!.ts.getTime() >= forSeconds * 1000 && recent.every((s, i) => i === 0 || s.ts.getTime() - recent[i - 1]!.ts.getTime() <= 15_000);
      if (dense && recent.every(meets) && now.getTime() - latest!.ts.getTime() <= 15_000) {
        expect(events.filter((e) => e.resolvedAt === null)).toHaveLength(1);
      }
    }
    expect(events.length).toBeGreaterThan(0);
  });
});

describe("serviceFailed, containerDown and processMissing rules", () => {
  const stateRule = (kind: AlertRule["kind"], pattern: string): AlertRule => rule({ id: `r-${kind}`, name: kind, kind, metric: null, op: null, threshold: null, config: { pattern } });
  const inventory = (services: { unit: string; active: string }[], containers: { name: string; state: ContainerState; health?: ContainerHealth }[] = []) => ({
    h1: { ts: ago(60), services, containers: containers.map((c, i) => ({ id: String(i), image: "img", ...c })) },
  });

  it("serviceFailed fires while a matching unit is failed and resolves when it is not", () => {
    const r = stateRule("serviceFailed", "nginx*");
    const fired = run({ rules: [r], inventoryByHost: inventory([{ unit: "nginx.service", active: "failed" }, { unit: "cron.service", active: "failed" }]) });
    expect(fired.fire).toMatchObject([{ ruleId: "r-serviceFailed", hostId: "h1", kind: "serviceFailed", value: 1, message: "failed: nginx.service", conditionSince: ago(60) }]);
    const open = openEvent({ ruleId: "r-serviceFailed" });
    expect(run({ rules: [r], openEvents: [open], inventoryByHost: inventory([{ unit: "nginx.service", active: "failed" }]) }).resolve).toEqual([]);
    const back = run({ rules: [r], openEvents: [open], inventoryByHost: inventory([{ unit: "nginx.service", active: "active" }]) });
    expect(back.resolve).toMatchObject([{ eventId: "e1", reason: "recovered", notify: true, message: "no unit matching nginx* is failed" }]);
    // No services collected (no systemd, an old agent): neither fires nor resolves.
    expect(run({ rules: [r], openEvents: [open], inventoryByHost: { h1: { ts: ago(60) } } })).toMatchObject({ fire: [], resolve: [] });
    expect(run({ rules: [r] })).toMatchObject({ fire: [], resolve: [] });
  });

  it("containerDown fires for a stopped or unhealthy container and resolves when it runs healthy again", () => {
    const r = stateRule("containerDown", "web*");
    const down = run({ rules: [r], inventoryByHost: inventory([], [{ name: "web-1", state: "exited" }, { name: "web-2", state: "running", health: "unhealthy" }, { name: "db", state: "exited" }]) });
    expect(down.fire).toMatchObject([{ kind: "containerDown", value: 2, message: "down: web-1 (exited), web-2 (unhealthy)" }]);
    const open = openEvent({ ruleId: "r-containerDown" });
    const up = run({ rules: [r], openEvents: [open], inventoryByHost: inventory([], [{ name: "web-1", state: "running", health: "healthy" }, { name: "web-2", state: "running" }]) });
    expect(up.resolve).toMatchObject([{ reason: "recovered", message: "every container matching web* is running" }]);
  });

  it("processMissing fires only on a complete, fresh name list without a match; the top list proves presence only", () => {
    const r = stateRule("processMissing", "sshd");
    const state = (over: Record<string, unknown>) => ({ h1: { topTs: ago(10), top: ["stress", "postgres"], namesTs: ago(10), names: ["stress", "postgres", "cron"], ...over } });
    expect(run({ rules: [r], processesByHost: state({}) }).fire).toMatchObject([{ kind: "processMissing", value: 0, message: "no process matching sshd is running", conditionSince: ago(10) }]);
    // Only the top N: a quiet sshd is simply not among them, so nothing is claimed.
    expect(run({ rules: [r], processesByHost: state({ names: null, namesTs: null }) }).fire).toEqual([]);
    // A stale full list (host silent): hostDown's business.
    expect(run({ rules: [r], processesByHost: state({ namesTs: ago(DEFAULT_STALE_AFTER_SECONDS + 1) }) }).fire).toEqual([]);
    const open = openEvent({ ruleId: "r-processMissing" });
    expect(run({ rules: [r], openEvents: [open], processesByHost: state({ names: ["sshd"] }) }).resolve).toMatchObject([{ reason: "recovered", message: "sshd is running" }]);
    // Seen in the top list resolves even without a full list.
    expect(run({ rules: [r], openEvents: [open], processesByHost: state({ top: ["sshd"], names: null, namesTs: null }) }).resolve).toMatchObject([{ reason: "recovered" }]);
    expect(run({ rules: [r], openEvents: [open], processesByHost: state({ names: null, namesTs: null }) }).resolve).toEqual([]);
  });

  it("skips a rule without a pattern and says what it needs; reads inventory or processes only when a rule needs them", () => {
    const bad = rule({ id: "bad", kind: "serviceFailed", metric: null, op: null, threshold: null, config: {} });
    expect(run({ rules: [bad] }).skipped).toEqual([{ ruleId: "bad", reason: "serviceFailed rule needs config {pattern}" }]);
    expect(evaluationNeeds([stateRule("containerDown", "*")])).toMatchObject({ inventory: true, processes: false, samplesSeconds: 0 });
    expect(evaluationNeeds([stateRule("processMissing", "*")])).toMatchObject({ inventory: false, processes: true });
    expect(evaluationNeeds([rule()])).toMatchObject({ inventory: false, processes: false });
  });
});
