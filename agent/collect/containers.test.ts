import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SampleContainersSchema, SnapshotContainersSchema } from "../../lib/protocol/containers";
import { ContainerWatch, withContainerStats, cleanText, cpuPercent, engineGet, findSocket, normalizeState, parseContainerList, parseInspect, parseStats, socketCandidates } from "./containers";

const recorded = (file: string): unknown => JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures/engine-api", file), "utf8"));

describe("Engine API answers", () => {
  it("lists podman 4.3's containers (recorded): names without the slash, the image, state created", () => {
    const list = parseContainerList(recorded("podman43-list.json"));
    expect(list.map(({ name, image, state }) => ({ name, image, state }))).toEqual([
      { name: "iw-a", image: "localhost/iw-tiny:1", state: "created" },
      { name: "iw-b", image: "localhost/iw-tiny:1", state: "created" },
    ]);
    expect(list[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(SnapshotContainersSchema.safeParse(list).success).toBe(true);
  });

  it("reads state and restart count from podman's inspect; its empty health status is no health", () => {
    expect(parseInspect(recorded("podman43-inspect-created.json"))).toEqual({ state: "created", restartCount: 0 });
    expect(parseInspect({ State: { Status: "running", Health: { Status: "unhealthy" } }, RestartCount: 3 })).toEqual({ state: "running", health: "unhealthy", restartCount: 3 });
    expect(parseInspect({ nope: 1 })).toBeUndefined();
  });

  it("takes health from Docker's list status text", () => {
    const list = parseContainerList([
      { Id: "a1", Names: ["/db"], Image: "postgres:16", State: "running", Status: "Up 2 hours (healthy)" },
      { Id: "b2", Names: ["/cache"], Image: "redis:7", State: "running", Status: "Up 3 seconds (health: starting)" },
      { Id: "c3", Names: ["/job"], Image: "busybox", State: "exited", Status: "Exited (1) 5 minutes ago" },
    ]);
    expect(list.map((c) => [c.name, c.health])).toEqual([["cache", "starting"], ["db", "healthy"], ["job", undefined]]);
  });

  it("computes CPU % over two one-shot readings of a cgroup v2 container, memory without inactive file cache, network over all interfaces", () => {
    const first = parseStats(recorded("docker-stats-oneshot-cgroup2.json"));
    const later = parseStats(recorded("docker-stats-oneshot-cgroup2-15s-later.json"));
    // One-shot: precpu is all zeros, so the first reading alone gives no CPU %.
    expect(first.precpu).toBeUndefined();
    expect(cpuPercent(first.cpu!, first.precpu)).toBeUndefined();
    // 0.9 s of container CPU while 4 CPUs ran 60 s of host time: 6 % of one core.
    expect(cpuPercent(later.cpu!, first.cpu)).toBe(6);
    expect(first).toMatchObject({ memBytes: 157487104 - 31948800, netRxBytes: 18342912 + 1048576, netTxBytes: 4021776 + 524288 });
  });

  it("uses a two-cycle answer's precpu_stats and cgroup v1's total_inactive_file (the Engine API reference example)", () => {
    const s = parseStats(recorded("docker-stats-cgroup1-two-cycles.json"));
    // 121359 ns of 4e9 ns host time, 4 CPUs counted from percpu_usage.
    expect(cpuPercent(s.cpu!, s.precpu)).toBe(0.01);
    expect(s).toMatchObject({ memBytes: 6537216 - 1269760, netRxBytes: 5338, netTxBytes: 648 });
  });

  it("refuses a counter that went backwards (a restarted container) rather than reporting a negative share", () => {
    expect(cpuPercent({ total: 10, system: 200, online: 2 }, { total: 50, system: 100, online: 2 })).toBeUndefined();
    expect(cpuPercent({ total: 10, system: 100, online: 2 }, { total: 5, system: 100, online: 2 })).toBeUndefined();
  });

  it("maps podman's own state names, and anything unknown, to Docker's", () => {
    expect(["running", "stopped", "configured", "paused", "weird"].map(normalizeState)).toEqual(["running", "exited", "created", "paused", "exited"]);
  });

  it("keeps at most the bound, running containers first, and text the server can store", () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ Id: `id${i}`, Names: [`/c${String(i).padStart(3, "0")}`], Image: "x", State: i >= 140 ? "running" : "exited" }));
    const kept = parseContainerList(many, 100);
    expect(kept).toHaveLength(100);
    expect(kept.filter((c) => c.state === "running")).toHaveLength(10);
    expect(parseContainerList([{ Id: "x", Names: ["/a\u0000b"], Image: "i\uD800" }])[0]).toMatchObject({ name: "ab", image: "i\uFFFD" });
    expect(cleanText("x".repeat(600), 512)).toHaveLength(512);
    expect(() => parseContainerList({ message: "page not found" })).toThrow(/not an array/);
  });

  it("looks for the setting alone, or Docker's and podman's sockets; `off` turns it off", async () => {
    expect(socketCandidates("/srv/engine.sock", "/run/user/1000")).toEqual(["/srv/engine.sock"]);
    expect(socketCandidates("off", "/run/user/1000")).toEqual([]);
    expect(socketCandidates(undefined, "/run/user/1000")).toEqual(["/var/run/docker.sock", "/run/podman/podman.sock", "/run/user/1000/podman/podman.sock"]);
    expect(await findSocket(["/nonexistent/a.sock"])).toBeUndefined();
  });
});

describe("ContainerWatch against a fake Engine API on a unix socket", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function engine(routes: (url: string, res: http.ServerResponse) => void): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "iw-engine-"));
    const socket = path.join(dir, "engine.sock");
    const server = http.createServer((req, res) => routes(req.url ?? "", res));
    await new Promise<void>((r) => server.listen(socket, r));
    cleanups.push(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await rm(dir, { recursive: true, force: true });
    });
    return socket;
  }

  const send = (res: http.ServerResponse, body: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));

  it("samples a running container's stats twice and reports CPU % from its own previous reading", async () => {
    let round = 0;
    const socket = await engine((url, res) => {
      if (url.startsWith("/v1.41/containers/json")) return send(res, [{ Id: "w1", Names: ["/web"], Image: "nginx:1.27", State: "running", Status: "Up" }, { Id: "o1", Names: ["/old"], Image: "busybox", State: "exited" }]);
      if (url === "/v1.41/containers/w1/json") return send(res, { State: { Status: "running", Health: { Status: "healthy" } }, RestartCount: 2 });
      if (url === "/v1.41/containers/o1/json") return send(res, { State: { Status: "exited" }, RestartCount: 0 });
      if (url === "/v1.41/containers/w1/stats?stream=false&one-shot=true") return send(res, recorded(round++ === 0 ? "docker-stats-oneshot-cgroup2.json" : "docker-stats-oneshot-cgroup2-15s-later.json"));
      res.writeHead(404).end("{}");
    });
    const watch = new ContainerWatch({ socket, oneShot: true });
    const first = await watch.sample();
    expect(first).toEqual([
      { id: "o1", name: "old", image: "busybox", state: "exited", restartCount: 0 },
      { id: "w1", name: "web", image: "nginx:1.27", state: "running", health: "healthy", restartCount: 2, memBytes: 125538304, netRxBytes: 19391488, netTxBytes: 4546064 },
    ]);
    const second = await watch.sample();
    expect(second[1]).toMatchObject({ name: "web", cpuPct: 6 });
    expect(SampleContainersSchema.safeParse(second).success).toBe(true);
    expect(round).toBe(2);
  });

  it("gives up on an answer larger than its bound, and on an engine that does not answer", async () => {
    const socket = await engine((url, res) => {
      if (url.startsWith("/v1.41/containers/json")) return send(res, "x".repeat(64 * 1024));
      // stall: never answer
    });
    await expect(engineGet(socket, "/containers/json?all=1", { maxBytes: 1024 })).rejects.toThrow(/larger than 1024 bytes/);
    await expect(engineGet(socket, "/containers/x/json", { maxBytes: 1024, timeoutMs: 200 })).rejects.toThrow(/no answer within 200 ms/);
  });

  it("reports the list alone for containers the round's deadline left no time for", async () => {
    const socket = await engine((url, res) => {
      if (url.startsWith("/v1.41/containers/json")) return send(res, [{ Id: "s1", Names: ["/slow"], Image: "x", State: "running" }]);
      // inspect and stats stall past the deadline
    });
    // Without the deadline this would wait for the 5 s request timeouts and fail the test's own 5 s limit.
    const out = await new ContainerWatch({ socket, oneShot: true, deadlineMs: 300 }).sample();
    expect(out).toEqual([{ id: "s1", name: "slow", image: "x", state: "running", restartCount: 0 }]);
  });

  it("fails clearly when the socket is not an Engine API", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "iw-engine-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(path.join(dir, "plain-file"), "");
    await expect(new ContainerWatch({ socket: path.join(dir, "plain-file"), oneShot: true }).list()).rejects.toThrow();
  });

  it("leaves the stats out while the engine is away, warning once per outage", async () => {
    const lines: string[] = [];
    const log = { warn: (l: string) => lines.push(`warn ${l}`), info: (l: string) => lines.push(`info ${l}`) };
    const watch = new ContainerWatch({ socket: path.join(tmpdir(), `iw-absent-${process.pid}.sock`), oneShot: true });
    const sample = { ts: "2026-12-01T00:00:00Z" };
    expect(await withContainerStats(sample, watch, log)).toEqual(sample);
    expect(await withContainerStats(sample, watch, log)).toEqual(sample);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warn containers: the Engine API at .* failed/);
    expect(await withContainerStats(sample, undefined, log)).toBe(sample);
  });
});
