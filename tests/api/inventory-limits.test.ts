/**
 * Issue 13: hostile processes and inventory from an agent get a 400 naming the field and store
 * nothing: too many processes or ports, NUL bytes, over-long command lines and cron commands.
 * The bodies past the size limits (a million processes, a 10 MB command line: 413) are in
 * tests/api/processes.test.ts, read over a raw socket.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_PORTS, MAX_PROCESSES_PER_SAMPLE } from "@/lib/protocol";
import { adminLogin, api, enrolledHost, sample } from "../helpers/api";

const a = api();
let admin: string;
let host: { hostId: string; agentToken: string };
const proc = (pid: number, v: Record<string, unknown> = {}) => ({ pid, name: "worker", cpuPct: 1, rssBytes: 4096, ...v });
const snapshot = (v: Record<string, unknown> = {}) => ({ ts: new Date().toISOString(), packages: [], env: {}, ...v });
const paths = (body: { issues?: { path: string }[] }) => body.issues?.map((i) => i.path);

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  host = await enrolledHost(a, admin);
});

async function storedProcesses() {
  const r = await a.get(`/api/hosts/${host.hostId}/processes`, admin);
  expect(r.status).toBe(200);
  return r.body as { ts: string | null; processes: unknown[] };
}

describe("processes in telemetry", () => {
  it(`answers 400 naming the field for ${MAX_PROCESSES_PER_SAMPLE + 1} processes, a NUL in a name, an over-long command line; stores nothing`, async () => {
    const cases: Array<[unknown[], string]> = [
      [Array.from({ length: MAX_PROCESSES_PER_SAMPLE + 1 }, (_, i) => proc(i + 1)), "samples.0.processes"],
      [[proc(1, { name: "bad\u0000name" })], "samples.0.processes.0.name"],
      [[proc(1, { cmdline: "x".repeat(257) })], "samples.0.processes.0.cmdline"],
      [[proc(1, { cpuPct: 250 })], "samples.0.processes.0.cpuPct"],
    ];
    for (const [processes, path] of cases) {
      const r = await a.post("/api/telemetry", { samples: [sample(5_000, { processes })] }, host.agentToken);
      expect(r.status, path).toBe(400);
      expect(paths(r.body)).toContain(path);
    }
    expect((await storedProcesses()).ts).toBeNull();
  });

  it("stores a valid sample's processes", async () => {
    const r = await a.post("/api/telemetry", { samples: [sample(4_000, { processes: [proc(7, { cmdline: "worker --queue=mail" })] })] }, host.agentToken);
    expect(r.status).toBe(202);
    expect((await storedProcesses()).processes).toEqual([expect.objectContaining({ pid: 7, cmdline: "worker --queue=mail" })]);
  });
});

describe("inventory sections in a snapshot", () => {
  it("answers 400 naming the field: too many ports, NUL in a user, a 10 MB cron command, a bad file hash", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ports: Array.from({ length: MAX_PORTS + 1 }, (_, i) => ({ proto: "tcp", address: "0.0.0.0", port: i % 65_536 })) }, "ports"],
      [{ users: [{ name: "ro\u0000ot", uid: 0, gid: 0 }] }, "users.0.name"],
      [{ jobs: [{ source: "/etc/crontab", schedule: "@daily", command: "x".repeat(10 * 1024 * 1024) }] }, "jobs.0.command"],
      [{ files: [{ path: "/etc/hosts", sha256: "not-a-hash", size: 1, mode: "0644" }] }, "files.0.sha256"],
      [{ sysctl: { "kernel.x": "\uD800" } }, "sysctl.kernel.x"],
    ];
    for (const [sections, path] of cases) {
      const r = await a.post("/api/snapshot", snapshot(sections), host.agentToken);
      expect(r.status, path).toBe(400);
      expect(paths(r.body)).toContain(path);
    }
    const list = await a.get(`/api/snapshots?hostId=${host.hostId}`, admin);
    expect(list.body.snapshots).toEqual([]);
  });

  it("accepts the sections within the limits", async () => {
    const r = await a.post(
      "/api/snapshot",
      snapshot({ ports: [{ proto: "tcp", address: "0.0.0.0", port: 22, process: "sshd" }], services: [], servicesUnavailable: "PID 1 is init, not systemd", sysctl: { "net.ipv4.ip_forward": "0" } }),
      host.agentToken,
    );
    expect(r.status).toBe(201);
  });
});
