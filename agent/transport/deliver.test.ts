import http from "node:http";
import { mkdtemp, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../log";
import { Spool } from "../spool/spool";
import { flushTelemetry } from "./deliver";
import { closeConnections } from "./http";

type Handler = (body: { samples: Array<{ cpuPct: number }>; dropped?: number }, auth: string | undefined) => [number, unknown];

const servers: http.Server[] = [];
afterEach(() => {
  closeConnections();
  for (const s of servers.splice(0)) s.close();
});

async function server(handler: Handler) {
  const requests: Array<{ samples: Array<{ cpuPct: number }>; dropped?: number }> = [];
  const s = http.createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c));
    req.on("end", () => {
      let body: { samples: Array<{ cpuPct: number }>; dropped?: number };
      try {
        body = JSON.parse(text);
      } catch {
        res.writeHead(400, { "content-type": "application/json" }).end('{"error":"the body is not valid JSON"}');
        return;
      }
      requests.push(body);
      const [status, reply] = handler(body, req.headers.authorization);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, requests };
}

async function spoolWith(cpu: number[], maxBytes = 1 << 20) {
  const spool = await Spool.open(await mkdtemp(path.join(os.tmpdir(), "iw-deliver-")), maxBytes);
  for (const [i, c] of cpu.entries()) await spool.append({ ts: new Date(Date.UTC(2026, 11, 1, 0, 0, i)).toISOString(), cpuPct: c } as never);
  return spool;
}

const host = { hostname: "test" };
const quiet = createLogger({ write: () => {} });

describe("flushTelemetry", () => {
  it("empties the spool on 202, with the bearer token, in order", async () => {
    const srv = await server((body, auth) => [auth === "Bearer tok" ? 202 : 401, { accepted: body.samples.length, duplicates: 0 }]);
    const spool = await spoolWith([1, 2, 3]);
    const report = await flushTelemetry(spool, { server: srv.url, agentToken: "tok" }, host, quiet);
    expect(report).toMatchObject({ outcome: "delivered", delivered: 3 });
    expect(srv.requests[0]?.samples.map((s) => s.cpuPct)).toEqual([1, 2, 3]);
    expect(spool.depth).toBe(0);
  });

  it("keeps everything when the server fails or cannot be reached", async () => {
    const srv = await server(() => [503, { error: "database unavailable" }]);
    const spool = await spoolWith([1, 2]);
    expect(await flushTelemetry(spool, { server: srv.url, agentToken: "t" }, host, quiet)).toMatchObject({ outcome: "retry", message: "HTTP 503: database unavailable" });
    expect((await flushTelemetry(spool, { server: "http://127.0.0.1:9", agentToken: "t" }, host, quiet)).outcome).toBe("retry");
    expect(spool.depth).toBe(2);
  });

  it("stops on 401 and keeps the samples for after re-enrollment", async () => {
    const srv = await server(() => [401, { error: "agent token revoked" }]);
    const spool = await spoolWith([1]);
    expect((await flushTelemetry(spool, { server: srv.url, agentToken: "t" }, host, quiet)).outcome).toBe("unauthorized");
    expect(spool.depth).toBe(1);
  });

  it("narrows a refused batch down to the bad sample, discards only it and reports it as dropped", async () => {
    const srv = await server((body) => (body.samples.some((s) => s.cpuPct > 100) ? [400, { error: "invalid" }] : [202, { accepted: body.samples.length, duplicates: 0 }]));
    const spool = await spoolWith([1, 2, 300, 4, 5]);
    const report = await flushTelemetry(spool, { server: srv.url, agentToken: "t" }, host, quiet);
    expect(report).toMatchObject({ outcome: "delivered", delivered: 4 });
    expect(spool.depth).toBe(0);
    const delivered = srv.requests.filter((r) => !r.samples.some((s) => s.cpuPct > 100));
    expect(delivered.flatMap((r) => r.samples.map((s) => s.cpuPct)).sort()).toEqual([1, 2, 4, 5]);
    expect(srv.requests.filter((r) => r.dropped === 1)).toHaveLength(1);
    expect(spool.dropped).toBe(0);
  });

  it("discards a damaged sample file that still looks like an object, once the server refuses it", async () => {
    const srv = await server((body) => [202, { accepted: body.samples.length, duplicates: 0 }]);
    const spool = await spoolWith([1, 2, 3]);
    const [, second] = await spool.peek(3, 1 << 20);
    await writeFile(path.join(spool.dir, second!.name), "{damaged}");
    const report = await flushTelemetry(spool, { server: srv.url, agentToken: "t" }, host, quiet);
    expect(report).toMatchObject({ outcome: "delivered", delivered: 2 });
    expect(srv.requests.flatMap((r) => r.samples.map((s) => s.cpuPct))).toEqual([1, 3]);
    expect(spool.depth).toBe(0);
  });

  // 1203 durable appends (each one fsynced) take over a second of disk time alone, many more on
  // a busy machine: a generous timeout, not a speed check.
  it("sends batches of at most 1000 samples", { timeout: 60_000 }, async () => {
    const srv = await server((body) => [202, { accepted: body.samples.length, duplicates: 0 }]);
    const spool = await spoolWith(Array.from({ length: 1203 }, (_, i) => i % 100));
    await flushTelemetry(spool, { server: srv.url, agentToken: "t" }, host, quiet);
    expect(srv.requests.map((r) => r.samples.length)).toEqual([1000, 203]);
  });
});
