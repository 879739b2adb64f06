/** Processes and inventory sections over HTTP: stored, read at a moment, diffed; hostile input refused whole. */
import net from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMITS } from "@/lib/protocol";
import { adminLogin, api, enrolledHost, sample, userWithRole } from "../helpers/api";
import { withContract } from "../helpers/contract";

const a = withContract(api());
let admin: string;
let viewer: string;

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  viewer = (await userWithRole(a, admin, "viewer")).accessToken;
});

/**
 * The status of a POST of a body larger than the server reads (413 after the first MiB, then it
 * closes), over a raw socket that reads the answer whatever happens to the rest of the body.
 */
function statusOfLargePost(url: string, token: string, body: string): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
  const data = Buffer.from(body);
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`POST ${pathname} HTTP/1.1\r\nhost: ${hostname}:${port}\r\nauthorization: Bearer ${token}\r\ncontent-type: application/json\r\ncontent-length: ${data.length}\r\nconnection: close\r\n\r\n`);
      // The declared length alone gets the refusal (lib/http/body.ts reads nothing of a body far
      // past the limit): bytes sent after it would lie unread when the server closes, and the
      // reset that causes can drop the answer in transit. A smaller excess is read and refused by size.
      if (data.length <= 4 * BODY_LIMITS.telemetry) socket.write(data);
    });
    const done = () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`no HTTP answer: ${JSON.stringify(answer.slice(0, 80))}`));
    };
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("error", () => socket.destroy()); // EPIPE / ECONNRESET once the server stops reading
    socket.on("close", done);
  });
}

const proc = (name: string, cpuPct: number, over: Record<string, unknown> = {}) => ({ pid: 1000 + Math.round(cpuPct), name, user: "root", cpuPct, rssBytes: 50_000_000, state: "R", cmdline: `/usr/bin/${name}`, ...over });

describe("GET /api/hosts/:id/processes", () => {
  it("answers the newest sample's processes, the nearest one to `at`, for a viewer", async () => {
    const host = await enrolledHost(a, admin);
    const empty = await a.get(`/api/hosts/${host.hostId}/processes`, viewer);
    expect(empty).toMatchObject({ status: 200, body: { ts: null, processes: [] } });
    const older = { ...sample(120_000), processes: [proc("backup", 80)] };
    const newer = { ...sample(15_000), processes: [proc("nginx", 5), proc("postgres", 12)] };
    expect((await a.post("/api/telemetry", { samples: [older, sample(60_000), newer] }, host.agentToken)).status).toBe(202);
    const latest = await a.get(`/api/hosts/${host.hostId}/processes`, viewer);
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual({ ts: newer.ts, processes: newer.processes });
    const at = new Date(Date.parse(older.ts) + 10_000).toISOString();
    const then = await a.get(`/api/hosts/${host.hostId}/processes?at=${encodeURIComponent(at)}`, viewer);
    expect(then.body).toEqual({ ts: older.ts, processes: older.processes });
  });

  it("refuses a bad `at` with 400, an unknown host with 404, and anyone signed out with 401", async () => {
    const host = await enrolledHost(a, admin);
    const bad = await a.get(`/api/hosts/${host.hostId}/processes?at=yesterday`, viewer);
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: "at", message: "must be an ISO 8601 timestamp" }]);
    expect((await a.get("/api/hosts/00000000-0000-4000-8000-000000000000/processes", viewer)).status).toBe(404);
    expect((await a.get("/api/hosts/not-a-uuid/processes", viewer)).status).toBe(404);
    expect((await a.get(`/api/hosts/${host.hostId}/processes`)).status).toBe(401);
    expect((await a.get(`/api/hosts/${host.hostId}/processes`, host.agentToken)).status).toBe(401);
  });
});

describe("hostile process lists", () => {
  it("a million processes, a 10 MB command line, NUL bytes: 4xx naming the problem, and nothing of the batch stored", async () => {
    const host = await enrolledHost(a, admin);
    const million = `{"samples":[${JSON.stringify(sample(1000)).slice(0, -1)},"processes":[${Array(1_000_000).fill('{"pid":1,"name":"x","cpuPct":0,"rssBytes":0}').join(",")}]}]}`;
    // 45 MB: the server answers 413 after the first MiB and closes, so the rest cannot be written.
    expect(await statusOfLargePost(`${a.baseUrl}/api/telemetry`, host.agentToken, million)).toBe(413);
    const tenMb = JSON.stringify({ samples: [sample(1000, { processes: [proc("x", 1, { cmdline: "a".repeat(10 * 1024 * 1024) })] })] });
    expect(await statusOfLargePost(`${a.baseUrl}/api/telemetry`, host.agentToken, tenMb)).toBe(413);

    // Within the body limit, the schema's own bounds answer 400 and name the field.
    const post = (processes: unknown[], msAgo = 1000) => a.post("/api/telemetry", { samples: [sample(5000), sample(msAgo, { processes })] }, host.agentToken);
    const tooMany = await post(Array.from({ length: 51 }, (_, i) => proc(`p${i}`, 1)));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.issues).toEqual([{ path: "samples.1.processes", message: "at most 50 processes per sample" }]);
    const longCmd = await post([proc("x", 1, { cmdline: "a".repeat(257) })]);
    expect(longCmd.status).toBe(400);
    expect(longCmd.body.issues[0].path).toBe("samples.1.processes.0.cmdline");
    const nul = await post([proc("evil\u0000name", 1)]);
    expect(nul.status).toBe(400);
    expect(nul.body.issues[0]).toEqual({ path: "samples.1.processes.0.name", message: "must not contain NUL characters or unpaired surrogates" });
    const nulCmd = await post([proc("x", 1, { cmdline: "--a\u0000b" })]);
    expect(nulCmd.status).toBe(400);
    for (const bad of [{ pid: -1 }, { cpuPct: 101 }, { rssBytes: 1.5 }, { name: "" }]) expect((await post([proc("x", 1, bad)])).status).toBe(400);

    // The valid sample of each refused batch was not stored either.
    expect((await a.get(`/api/hosts/${host.hostId}/processes`, viewer)).body).toEqual({ ts: null, processes: [] });
    expect((await a.get(`/api/hosts/${host.hostId}`, viewer)).body).toMatchObject({ latest: null });
  });
});

describe("inventory sections over HTTP", () => {
  const base = (over: Record<string, unknown>, msAgo = 0) => ({ ts: new Date(Date.now() - msAgo).toISOString(), packages: [], env: {}, ...over });
  const ports = (...list: [string, number, string][]) => list.map(([address, port, process]) => ({ proto: "tcp", address, port, process }));

  it("diffs a port opened and a service failed, stores the diff, and shows the sections in the snapshot", async () => {
    const host = await enrolledHost(a, admin);
    const first = await a.post("/api/snapshot", base({ ports: ports(["0.0.0.0", 22, "sshd"]), services: [{ unit: "nginx.service", enabled: "enabled", active: "active" }] }, 2000), host.agentToken);
    expect(first.status).toBe(201);
    const next = await a.post(
      "/api/snapshot",
      base({ ports: ports(["0.0.0.0", 22, "sshd"], ["0.0.0.0", 4444, "nc"]), services: [{ unit: "nginx.service", enabled: "enabled", active: "failed" }] }, 1000),
      host.agentToken,
    );
    expect(next.status).toBe(201);
    expect(next.body.diff.ports).toEqual({ added: [{ proto: "tcp", address: "0.0.0.0", port: 4444, process: "nc" }], removed: [], changed: [] });
    expect(next.body.diff.services.changed).toEqual([
      { name: "nginx.service", fields: ["active"], from: { unit: "nginx.service", enabled: "enabled", active: "active" }, to: { unit: "nginx.service", enabled: "enabled", active: "failed" } },
    ]);
    const stored = await a.get(`/api/snapshots/${next.body.snapshotId}/diff`, viewer);
    expect(stored.body.diff).toEqual(next.body.diff);
    const detail = await a.get(`/api/snapshots/${next.body.snapshotId}`, viewer);
    expect(detail.body.sections.ports).toHaveLength(2);
    const list = await a.get(`/api/snapshots?hostId=${host.hostId}`, viewer);
    expect(list.body.snapshots[0].summary).toBe("+1 \u22120 ~0 ports, +0 \u22120 ~1 services");
    const drift = await a.get("/api/drift?since=-1h", viewer);
    expect(drift.body.hosts.find((h: { hostId: string }) => h.hostId === host.hostId).recent[0]).toMatchObject({ snapshotId: next.body.snapshotId, sections: ["ports", "services"] });
    // The same inventory again, reordered: unchanged.
    const again = await a.post("/api/snapshot", base({ services: [{ active: "failed", enabled: "enabled", unit: "nginx.service" }], ports: ports(["0.0.0.0", 4444, "nc"], ["0.0.0.0", 22, "sshd"]) }), host.agentToken);
    expect(again).toMatchObject({ status: 200, body: { changed: false } });
  });

  it("refuses NUL bytes and over-long lists in a section with 400, storing nothing", async () => {
    const host = await enrolledHost(a, admin);
    const nul = await a.post("/api/snapshot", base({ users: [{ name: "ro\u0000ot", uid: 0, gid: 0 }] }), host.agentToken);
    expect(nul.status).toBe(400);
    expect(nul.body.issues[0].path).toBe("users.0.name");
    const many = await a.post("/api/snapshot", base({ ports: Array.from({ length: 10_001 }, (_, i) => ({ proto: "tcp", address: "10.0.0.1", port: i % 65_536 })) }), host.agentToken);
    expect(many.status).toBe(400);
    expect(many.body.issues[0].path).toBe("ports");
    expect((await a.get(`/api/snapshots?hostId=${host.hostId}`, viewer)).body.snapshots).toEqual([]);
  });
});
