/**
 * The exports over HTTP: a host's samples as CSV and JSON across many keyset pages (streamed:
 * chunked, no length, every row once and in order), the event log as CSV with what users typed
 * escaped and formulas neutralised, and clear 400s for bad ranges.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { EXPORT_PAGE_ROWS } from "@/lib/queries/export";
import { METRICS } from "@/lib/protocol/metrics";
import { adminLogin, api, enrolledHost, sample, userWithRole } from "../helpers/api";

const a = api();
let admin: string;
let viewer: string;
let host: { hostId: string; agentToken: string; hostname: string };
/** More than four pages, and not a multiple of the page size. */
const N = EXPORT_PAGE_ROWS * 4 + 321;
const baseMs = Date.now() - 3 * 3_600_000;
const tsOf = (i: number) => new Date(baseMs + i * 1000).toISOString();
const cpuOf = (i: number) => (i % 1000) / 10;

async function download(url: string, token = viewer) {
  const res = await fetch(a.baseUrl + url, { headers: { authorization: `Bearer ${token}` } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks++;
    text += decoder.decode(value, { stream: true });
  }
  return { res, text: text + decoder.decode(), chunks };
}

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  viewer = (await userWithRole(a, admin, "viewer")).accessToken;
  host = await enrolledHost(a, admin);
  for (let start = 0; start < N; start += 1000) {
    const samples = [];
    for (let i = start; i < Math.min(N, start + 1000); i++) samples.push({ ...sample(0, { cpuPct: cpuOf(i), memPct: 50 }), ts: tsOf(i), ...(i % 2 ? { load1: 0.5 } : {}) });
    const r = await a.call("POST", "/api/telemetry", { token: host.agentToken, body: { samples } });
    expect(r.status, r.text).toBe(202);
    expect(r.body.accepted).toBe(samples.length);
  }
});

describe("GET /api/metrics/export", () => {
  const range = () => `hostId=${host.hostId}&from=${encodeURIComponent(new Date(baseMs - 60_000).toISOString())}&to=now`;

  it("CSV: every sample once, in time order, across many pages, streamed in chunks", async () => {
    const { res, text, chunks } = await download(`/api/metrics/export?${range()}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="metrics-[\w.-]+\.csv"$/);
    expect(res.headers.get("content-length")).toBeNull();
    expect(chunks).toBeGreaterThan(1);
    const lines = text.split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines[0]).toBe(["ts", ...METRICS.map((m) => m.column)].join(","));
    const rows = lines.slice(1);
    expect(rows).toHaveLength(N);
    const cpuCol = METRICS.findIndex((m) => m.column === "cpu_pct") + 1;
    const loadCol = METRICS.findIndex((m) => m.column === "load1") + 1;
    rows.forEach((row, i) => {
      const cells = row.split(",");
      expect(cells[0]).toBe(tsOf(i));
      expect(Number(cells[cpuCol])).toBe(cpuOf(i));
      expect(cells[loadCol]).toBe(i % 2 ? "0.5" : "");
    });
  });

  it("JSON: one document with every sample, named like the telemetry fields", async () => {
    const { res, text } = await download(`/api/metrics/export?${range()}&format=json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const doc = JSON.parse(text);
    expect(doc.hostId).toBe(host.hostId);
    expect(doc.samples).toHaveLength(N);
    expect(doc.samples[EXPORT_PAGE_ROWS]).toMatchObject({ ts: tsOf(EXPORT_PAGE_ROWS), cpuPct: cpuOf(EXPORT_PAGE_ROWS), memPct: 50, load1: null });
    expect(doc.samples[N - 1]).toMatchObject({ ts: tsOf(N - 1), load1: N % 2 ? null : 0.5 });
  });

  it("a range with no samples is a header alone", async () => {
    const { res, text } = await download(`/api/metrics/export?hostId=${host.hostId}&from=-30d&to=-20d`);
    expect(res.status).toBe(200);
    expect(text.split("\r\n")).toHaveLength(2);
  });

  it("refuses bad input with a 400 naming the field, an unknown host with 404, no credential with 401", async () => {
    const bad: [string, string][] = [
      [`hostId=nope`, "hostId"],
      [`hostId=${host.hostId}&format=xml`, "format"],
      [`hostId=${host.hostId}&from=yesterday`, "from"],
      [`hostId=${host.hostId}&from=now&to=-1h`, "from"],
      [`hostId=${host.hostId}&from=-40d`, "to"],
    ];
    for (const [q, field] of bad) {
      const r = await a.get(`/api/metrics/export?${q}`, viewer);
      expect(r.status, q).toBe(400);
      expect(r.body.issues.map((i: { path: string }) => i.path), q).toContain(field);
    }
    expect((await a.get("/api/metrics/export?hostId=00000000-0000-4000-8000-000000000000", viewer)).status).toBe(404);
    expect((await a.get(`/api/metrics/export?hostId=${host.hostId}`)).status).toBe(401);
  });
});

describe("GET /api/alerts/events/export", () => {
  it("the event log as CSV, with quotes, commas, newlines escaped and formula prefixes neutralised", async () => {
    const operator = (await userWithRole(a, admin, "operator")).accessToken;
    const evilHost = await enrolledHost(a, admin, "@evil,host");
    const post = await a.call("POST", "/api/telemetry", { token: evilHost.agentToken, body: { samples: [sample(1000, { cpuPct: 99 })] } });
    expect(post.status, post.text).toBe(202);
    const names = ['=HYPERLINK("http://x.test","click"), ok', '+1 "cpu"\nsecond line', "-2", "@SUM(A1)"];
    const ruleIds: string[] = [];
    for (const name of names) {
      const r = await a.post("/api/alerts", { name, kind: "threshold", metric: "cpuPct", op: ">", threshold: 90, forSeconds: 0, severity: "critical", hostId: evilHost.hostId }, operator);
      expect(r.status, r.text).toBe(201);
      ruleIds.push(r.body.id);
    }
    expect((await a.call("POST", "/api/cron/alerts", { token: inject("cronSecret") })).status).toBe(200);

    const { res, text } = await download(`/api/alerts/events/export?hostId=${evilHost.hostId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const header = "id,started_at,resolved_at,state,severity,rule,kind,hostname,host_id,value,message,acked_by,acked_at,silenced,resolve_reason\r\n";
    expect(text.startsWith(header)).toBe(true);
    expect(text).toContain(`,"'=HYPERLINK(""http://x.test"",""click""), ok",threshold,"'@evil,host",${evilHost.hostId},99,`);
    expect(text).toContain(`,"'+1 ""cpu""\nsecond line",threshold,`);
    expect(text).toContain(`,'-2,threshold,`);
    expect(text).toContain(`,'@SUM(A1),threshold,`);
    // The value stays a number: 99, not '99 or "99".
    expect(text).toMatch(/,99,/);
    // Four events, each a record: count records by their id column (uuids at line starts).
    const ids = [...text.matchAll(/(?:^|\r\n)([0-9a-f]{8}-[0-9a-f-]{27}),/g)].map((m) => m[1]);
    expect(ids).toHaveLength(names.length);
  });

  it("refuses bad filters with a 400", async () => {
    expect((await a.get("/api/alerts/events/export?state=open", viewer)).status).toBe(400);
    expect((await a.get("/api/alerts/events/export?from=now&to=-1d", viewer)).status).toBe(400);
    expect((await a.get("/api/alerts/events/export")).status).toBe(401);
  });
});
