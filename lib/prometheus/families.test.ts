import { describe, expect, it } from "vitest";
import { formatExposition } from "./exposition";
import { buildFamilies, type PromHost, type PromState } from "./families";

const now = Date.parse("2026-06-01T12:00:00Z");
const host = (over: Partial<PromHost>): PromHost => ({
  id: "11111111-1111-4111-8111-111111111111",
  hostname: "web-1",
  lastSeenAt: new Date(now - 5_000),
  intervalS: 15,
  labels: {},
  latest: { cpu_pct: 42.5, mem_pct: 50, disk_pct: 60, uptime_s: 100, load1: null },
  ...over,
});
const state = (hosts: PromHost[]): PromState => ({
  hosts,
  openAlerts: { info: 0, warning: 2, critical: 1 },
  ingest: [{ server: "box:123", counts: { samplesAccepted: 10, samplesDuplicate: 1, samplesRejected: 3, batchesAccepted: 4, batchesRejected: 1 } }],
});

const sampleLines = (text: string, name: string) => text.split("\n").filter((l) => l.startsWith(name + "{") || l.startsWith(name + " "));

describe("buildFamilies", () => {
  it("exposes a fresh host's latest values, up, last seen, alert counts and ingest counters", () => {
    const text = formatExposition(buildFamilies(state([host({})]), now));
    expect(sampleLines(text, "infrawatch_cpu_pct")).toEqual(['infrawatch_cpu_pct{host_id="11111111-1111-4111-8111-111111111111",hostname="web-1"} 42.5']);
    // A metric the host did not send has its HELP/TYPE but no sample for it.
    expect(text).toContain("# TYPE infrawatch_load1 gauge");
    expect(sampleLines(text, "infrawatch_load1")).toEqual([]);
    expect(sampleLines(text, "infrawatch_host_up")[0]).toMatch(/ 1$/);
    expect(sampleLines(text, "infrawatch_host_last_seen_timestamp_seconds")[0]).toMatch(new RegExp(` ${(now - 5000) / 1000}$`));
    expect(sampleLines(text, "infrawatch_alerts_open")).toEqual(['infrawatch_alerts_open{severity="info"} 0', 'infrawatch_alerts_open{severity="warning"} 2', 'infrawatch_alerts_open{severity="critical"} 1']);
    expect(sampleLines(text, "infrawatch_ingest_samples_rejected_total")).toEqual(['infrawatch_ingest_samples_rejected_total{server="box:123"} 3']);
    expect(text).toContain("# TYPE infrawatch_ingest_batches_accepted_total counter");
  });

  it("drops a host's values once it is past its staleness window, and reports it down", () => {
    const stale = host({ lastSeenAt: new Date(now - 46_000) });
    const text = formatExposition(buildFamilies(state([stale]), now));
    expect(sampleLines(text, "infrawatch_cpu_pct")).toEqual([]);
    expect(sampleLines(text, "infrawatch_host_up")[0]).toMatch(/ 0$/);
    // A slower agent has a longer window.
    const slow = host({ lastSeenAt: new Date(now - 100_000), intervalS: 60 });
    expect(sampleLines(formatExposition(buildFamilies(state([slow]), now)), "infrawatch_cpu_pct")).toHaveLength(1);
  });

  it("a host that never reported is down with no values and no last-seen time", () => {
    const text = formatExposition(buildFamilies(state([host({ lastSeenAt: null, latest: null })]), now));
    expect(sampleLines(text, "infrawatch_host_up")[0]).toMatch(/ 0$/);
    expect(sampleLines(text, "infrawatch_host_last_seen_timestamp_seconds")).toEqual([]);
  });

  it("host labels become Prometheus labels, sanitised and never overriding host_id or hostname", () => {
    const text = formatExposition(buildFamilies(state([host({ labels: { env: "prod", hostname: "spoof", "team.name": 'a"b' } })]), now));
    expect(sampleLines(text, "infrawatch_cpu_pct")[0]).toBe('infrawatch_cpu_pct{host_id="11111111-1111-4111-8111-111111111111",hostname="web-1",env="prod",label_hostname="spoof",team_name="a\\"b"} 42.5');
  });
});
