import { describe, expect, it } from "vitest";
import { METRICS } from "@/lib/protocol/metrics";
import type { ExportSample } from "@/lib/queries/export";
import { eventsCsv, metricsCsv, metricsJson, type ExportEvent } from "./format";

async function* pagesOf<T>(...pages: T[][]) {
  for (const p of pages) yield p;
}
const collect = async (chunks: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const c of chunks) out.push(c);
  return out;
};
const sample = (ts: string, cpu: number): ExportSample => ({ ts, values: METRICS.map((m) => (m.column === "cpu_pct" ? cpu : m.column === "load1" ? null : 1)) });

describe("metricsCsv", () => {
  it("a header, then one chunk per page with one CRLF row per sample", async () => {
    const chunks = await collect(metricsCsv(pagesOf([sample("2026-01-01T00:00:00.000Z", 5)], [sample("2026-01-01T00:00:15.000Z", -1)])));
    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toBe(`ts,${METRICS.map((m) => m.column).join(",")}\r\n`);
    expect(chunks[1]).toMatch(/^2026-01-01T00:00:00.000Z,5,1,1,1,,/);
    expect(chunks[2]).toMatch(/^2026-01-01T00:00:15.000Z,-1,/);
  });
});

describe("metricsJson", () => {
  it("is one valid JSON document across pages, nulls kept", async () => {
    const text = (await collect(metricsJson(pagesOf([sample("2026-01-01T00:00:00.000Z", 5)], [sample("2026-01-01T00:00:15.000Z", 6), sample("2026-01-01T00:00:30.000Z", 7)]), { hostId: "h", from: "a", to: "b" }))).join("");
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ hostId: "h", from: "a", to: "b" });
    expect(doc.samples.map((s: { cpuPct: number }) => s.cpuPct)).toEqual([5, 6, 7]);
    expect(doc.samples[0].load1).toBeNull();
  });
  it("an empty range is an empty list", async () => {
    expect(JSON.parse((await collect(metricsJson(pagesOf(), { hostId: "h", from: "a", to: "b" }))).join("")).samples).toEqual([]);
  });
});

describe("eventsCsv", () => {
  it("escapes what users typed (rule names, messages) and neutralises formulas", async () => {
    const e: ExportEvent = {
      id: "e1",
      startedAt: new Date("2026-01-01T00:00:00Z"),
      resolvedAt: null,
      state: "firing",
      severity: "critical",
      ruleName: '=HYPERLINK("http://evil","x"), "cpu"',
      kind: "threshold",
      hostname: "web-1",
      hostId: "h1",
      value: -2,
      message: "line one\nline two",
      ackedByEmail: "@ops",
      ackedAt: null,
      silenced: false,
      resolveReason: null,
    };
    const [, row] = await collect(eventsCsv(pagesOf([e])));
    expect(row).toBe(`e1,2026-01-01T00:00:00.000Z,,firing,critical,"'=HYPERLINK(""http://evil"",""x""), ""cpu""",threshold,web-1,h1,-2,"line one\nline two",'@ops,,false,\r\n`);
  });
});
