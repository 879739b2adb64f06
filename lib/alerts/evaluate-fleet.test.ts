/** Issue 14's parts of evaluation: selector scope, forecasts, maintenance, dependencies, repeats. */
import { describe, expect, it } from "vitest";
import { evaluateRules, evaluationNeeds } from "./evaluate";
import { NOW, ago, host as fixtureHost, rule } from "./evaluate-fixtures";
import type { AlertRule, DiskSeries, EvaluationInput, OpenAlertEvent, WatchedHost } from "./types";

const host = (id: string, labels: Record<string, string> = {}): WatchedHost => fixtureHost(id, { labels });
const hot = { ts: ago(5), cpuPct: 99 };
const run = (over: Partial<EvaluationInput>) => evaluateRules({ rules: [rule()], samplesByHost: {}, hosts: [], openEvents: [], now: NOW, ...over });
const open = (over: Partial<OpenAlertEvent> = {}): OpenAlertEvent => ({ id: "e1", ruleId: "r-cpu", hostId: "db-1", startedAt: ago(3600), lastNotifiedAt: ago(3600), repeats: 0, message: "cpuPct 99 > 90", value: 99, ...over });

const fleet = [host("db-1", { env: "prod", role: "db" }), host("db-2", { env: "staging", role: "db" }), host("web-1", { env: "prod", role: "web" })];
const allHot = Object.fromEntries(fleet.map((h) => [h.id, [hot]]));

describe("selector-scoped rules", () => {
  it("evaluate exactly the hosts whose labels match", () => {
    const r = run({ rules: [rule({ selector: "env=prod,role in (db,cache)" })], hosts: fleet, samplesByHost: allHot });
    expect(r.fire.map((f) => f.hostId)).toEqual(["db-1"]);
    expect(r.evaluated).toBe(1);
  });

  it("close an event quietly when the host's labels stop matching", () => {
    const moved = [host("db-1", { env: "staging", role: "db" })];
    const r = run({ rules: [rule({ selector: "env=prod" })], hosts: moved, samplesByHost: { "db-1": [hot] }, openEvents: [open()] });
    expect(r.resolve).toMatchObject([{ eventId: "e1", reason: "outOfScope", notify: false }]);
    expect(r.fire).toEqual([]);
  });

  it("a stored selector that no longer parses skips the rule and leaves its events alone", () => {
    const r = run({ rules: [rule({ selector: "env in (" })], hosts: fleet, samplesByHost: allHot, openEvents: [open()] });
    expect(r.skipped).toMatchObject([{ ruleId: "r-cpu" }]);
    expect(r.skipped[0]!.reason).toMatch(/^selector: invalid selector at position \d+/);
    expect(r.resolve).toEqual([]);
  });

  it("a host id wins over a selector (the schema refuses both; the stored row keeps one)", () => {
    const r = run({ rules: [rule({ hostId: "web-1", selector: "role=db" })], hosts: fleet, samplesByHost: allHot });
    expect(r.fire.map((f) => f.hostId)).toEqual(["web-1"]);
  });
});

const MIN = 60_000;
function disk(points: number, pct: (minutesAgo: number) => number): DiskSeries {
  const out: { t: number; pct: number }[] = [];
  for (let i = points; i >= 0; i--) out.push({ t: NOW.getTime() - i * MIN, pct: pct(i) });
  return new Map([["/var", out]]);
}

describe("forecast rules", () => {
  const forecast = (config: Record<string, unknown> = {}, over: Partial<AlertRule> = {}) =>
    rule({ id: "r-fc", name: "Disk full soon", kind: "forecast", metric: null, op: null, threshold: null, config: { metric: "diskPct", lookbackSeconds: 6 * 3600, withinSeconds: 6 * 3600, ...config }, ...over });
  // 80 % now, 3.53 points an hour: 100 % in 5 h 40 min.
  const filling = disk(360, (ago) => 80 - (ago / 60) * (20 / (5 + 40 / 60)));

  it("fires with the mount, the host and the time to full in the message", () => {
    const r = run({ rules: [forecast()], hosts: [host("db-1")], disksByHost: { "db-1": filling } });
    expect(r.fire).toHaveLength(1);
    expect(r.fire[0]!.message).toBe("/var on db-1 full in ~5h 40m at the current rate");
    expect(r.fire[0]!.value).toBeCloseTo(5 * 3600 + 40 * 60, -1);
  });

  it("does not fire when the disk fills after the horizon", () => {
    expect(run({ rules: [forecast({ withinSeconds: 3600 })], hosts: [host("db-1")], disksByHost: { "db-1": filling } }).fire).toEqual([]);
  });

  it("a threshold below 100 says 'at N%'", () => {
    const r = run({ rules: [forecast({ threshold: 90 })], hosts: [host("db-1")], disksByHost: { "db-1": filling } });
    expect(r.fire[0]!.message).toMatch(/^\/var on db-1 at 90% in ~2h 50m at the current rate$/);
  });

  it("watches only the configured mount when one is named", () => {
    const disks = new Map([...filling, ["/", disk(360, () => 30).get("/var")!]]);
    expect(run({ rules: [forecast({ mount: "/" })], hosts: [host("db-1")], disksByHost: { "db-1": disks } }).fire).toEqual([]);
    expect(run({ rules: [forecast()], hosts: [host("db-1")], disksByHost: { "db-1": disks } }).fire).toHaveLength(1);
  });

  it("resolves once the forecast moves out (a cleanup made the disk flat)", () => {
    const cleaned = disk(360, (ago) => (ago > 60 ? 95 : 40));
    const r = run({ rules: [forecast()], hosts: [host("db-1")], disksByHost: { "db-1": cleaned }, openEvents: [open({ ruleId: "r-fc" })] });
    expect(r.resolve).toMatchObject([{ eventId: "e1", reason: "recovered", notify: true }]);
    expect(r.resolve[0]!.message).toBe("no mount reaches 100% within 6h at the current rate");
  });

  it("no data changes nothing (the event stays open)", () => {
    const r = run({ rules: [forecast()], hosts: [host("db-1")], disksByHost: {}, openEvents: [open({ ruleId: "r-fc" })] });
    expect(r.resolve).toEqual([]);
    expect(r.fire).toEqual([]);
  });

  it("tells the run how much disk history to read", () => {
    expect(evaluationNeeds([forecast(), forecast({ lookbackSeconds: 7200 }, { id: "r2" })]).diskSeconds).toBe(6 * 3600);
    expect(evaluationNeeds([forecast({}, { enabled: false })]).diskSeconds).toBe(0);
  });
});

describe("maintenance windows", () => {
  const windowFor = (over: Record<string, unknown>) => ({ id: "w1", startsAt: ago(600), endsAt: new Date(NOW.getTime() + 600_000), ...over });

  it("record the event, marked, without notifying", () => {
    const r = run({ hosts: fleet, samplesByHost: allHot, maintenance: [windowFor({ selector: "role=db" })] });
    expect(r.fire.map((f) => [f.hostId, f.maintenance, f.notify])).toEqual([
      ["db-1", true, false],
      ["db-2", true, false],
      ["web-1", false, true],
    ]);
  });

  it("scoped by host id", () => {
    const r = run({ hosts: fleet, samplesByHost: allHot, maintenance: [windowFor({ hostId: "web-1" })] });
    expect(r.fire.filter((f) => f.maintenance).map((f) => f.hostId)).toEqual(["web-1"]);
  });

  it("a window that has not begun or is over mutes nothing", () => {
    const later = windowFor({ hostId: "db-1", startsAt: new Date(NOW.getTime() + 60_000) });
    const over = windowFor({ hostId: "db-1", startsAt: ago(7200), endsAt: ago(3600) });
    expect(run({ hosts: fleet, samplesByHost: allHot, maintenance: [later, over] }).fire.every((f) => f.notify)).toBe(true);
  });

  it("recurring: open for durationSeconds from each cron start in its time zone", () => {
    // Every day at 10:55 in Berlin (09:55 UTC in winter), for 10 minutes: open at 10:00 UTC.
    const nightly = { id: "w2", hostId: "db-1", cron: "55 10 * * *", timezone: "Europe/Berlin", durationSeconds: 600 };
    expect(run({ hosts: fleet, samplesByHost: allHot, maintenance: [nightly] }).fire.find((f) => f.hostId === "db-1")!.maintenance).toBe(true);
    expect(run({ hosts: fleet, samplesByHost: allHot, maintenance: [{ ...nightly, durationSeconds: 240 }] }).fire.find((f) => f.hostId === "db-1")!.maintenance).toBe(false);
  });

  it("a recovery during maintenance is recorded, not notified", () => {
    const r = run({ hosts: [host("db-1")], samplesByHost: { "db-1": [{ ts: ago(5), cpuPct: 10 }] }, openEvents: [open()], maintenance: [windowFor({ hostId: "db-1" })] });
    expect(r.resolve).toMatchObject([{ reason: "recovered", maintenance: true, notify: false }]);
  });
});

describe("dependencies", () => {
  const down = rule({ id: "r-down", name: "Host down", kind: "hostDown", metric: null, op: null, threshold: null, forSeconds: 120 });
  const cpu = rule({ dependsOnRuleId: "r-down" });
  const silentHost = { ...host("db-1"), lastSeenAt: ago(600) };

  it("a rule is suppressed on a host where the rule it depends on fires in the same run", () => {
    const r = run({ rules: [cpu, down], hosts: [silentHost], samplesByHost: { "db-1": [hot] } });
    expect(r.fire.map((f) => [f.ruleId, f.suppressed, f.notify])).toEqual([
      ["r-cpu", true, false],
      ["r-down", false, true],
    ]);
  });

  it("or where it was already firing", () => {
    const r = run({ rules: [cpu, down], hosts: [silentHost], samplesByHost: { "db-1": [hot] }, openEvents: [open({ id: "e-down", ruleId: "r-down" })] });
    expect(r.fire).toMatchObject([{ ruleId: "r-cpu", suppressed: true, notify: false }]);
  });

  it("not on hosts where the dependency is quiet", () => {
    const r = run({ rules: [cpu, down], hosts: [{ ...host("db-1"), lastSeenAt: ago(5) }], samplesByHost: { "db-1": [hot] } });
    expect(r.fire).toMatchObject([{ ruleId: "r-cpu", suppressed: false, notify: true }]);
  });
});

describe("repeat notices", () => {
  const repeating = rule({ repeatIntervalSeconds: 1800 });
  const base = { rules: [repeating], hosts: [host("db-1")], samplesByHost: { "db-1": [hot] } };

  it("are due once the interval passed since channels last heard of the event", () => {
    const r = run({ ...base, openEvents: [open({ lastNotifiedAt: ago(1800), repeats: 2 })] });
    expect(r.repeat).toEqual([{ eventId: "e1", ruleId: "r-cpu", hostId: "db-1", repeat: 3, value: 99, message: "cpuPct 99 > 90", startedAt: ago(3600) }]);
    expect(run({ ...base, openEvents: [open({ lastNotifiedAt: ago(1799) })] }).repeat).toEqual([]);
  });

  it("stop once the event is acknowledged", () => {
    expect(run({ ...base, openEvents: [open({ ackedAt: ago(60) })] }).repeat).toEqual([]);
  });

  it("are off by default", () => {
    expect(run({ ...base, rules: [rule()], openEvents: [open()] }).repeat).toEqual([]);
  });

  it("are not sent for an event that resolves in this run, or while muted", () => {
    expect(run({ ...base, samplesByHost: { "db-1": [{ ts: ago(5), cpuPct: 10 }] }, openEvents: [open()] }).repeat).toEqual([]);
    expect(run({ ...base, openEvents: [open()], silences: [{ hostId: "db-1", endsAt: new Date(NOW.getTime() + 60_000) }] }).repeat).toEqual([]);
    expect(run({ ...base, openEvents: [open()], maintenance: [{ id: "w", hostId: "db-1", startsAt: ago(60), endsAt: new Date(NOW.getTime() + 60_000) }] }).repeat).toEqual([]);
  });

  it("an event that fired muted counts from its start", () => {
    expect(run({ ...base, openEvents: [open({ lastNotifiedAt: null, startedAt: ago(1900) })] }).repeat).toHaveLength(1);
  });
});
