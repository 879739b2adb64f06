/** Snapshot ingestion and the drift engine over HTTP. */
import { beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api, enrolledHost } from "../helpers/api";
import { withContract } from "../helpers/contract";

const a = withContract(api()); // every answer checked against the OpenAPI document
let admin: string;

const pkgs = (list: [string, string][]) => list.map(([name, version]) => ({ name, version, arch: "amd64", manager: "dpkg" }));
const BASE = {
  os: "Debian GNU/Linux 12 (bookworm)",
  kernel: "6.1.0-17-amd64",
  packages: pkgs([
    ["bash", "5.2.15-2"],
    ["curl", "7.88.1-10"],
    ["nginx", "1.22.1-9"],
    ["openssl", "3.0.11-1"],
  ]),
  env: { PATH: "/usr/bin:/bin", LANG: "C.UTF-8", DB_PASSWORD: "redacted:hmac-sha256:aaaa" } as Record<string, string>,
};
const snap = (over: Partial<typeof BASE> = {}, msAgo = 0) => ({ ts: new Date(Date.now() - msAgo).toISOString(), ...BASE, ...over });

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
});

describe("snapshot ingestion and drift", () => {
  it("first, unchanged (reordered), changed: exact sets, stored diff equal to the returned one", async () => {
    const host = await enrolledHost(a, admin);
    const first = await a.post("/api/snapshot", snap({}, 3000), host.agentToken);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ changed: true, first: true, snapshotId: expect.any(String) });

    const reordered = await a.post("/api/snapshot", snap({ packages: [...BASE.packages].reverse(), env: { LANG: "C.UTF-8", DB_PASSWORD: "redacted:hmac-sha256:aaaa", PATH: "/usr/bin:/bin" } }, 2000), host.agentToken);
    expect(reordered.status).toBe(200);
    expect(reordered.body).toEqual({ snapshotId: first.body.snapshotId, changed: false });

    const changed = await a.post(
      "/api/snapshot",
      snap(
        {
          kernel: "6.1.0-18-amd64",
          packages: pkgs([
            ["bash", "5.2.15-2"],
            ["curl", "7.88.1-11"],
            ["openssl", "3.0.13-1"],
            ["htop", "3.2.2-2"],
            ["jq", "1.6-2.1"],
          ]),
          env: { PATH: "/usr/local/bin:/usr/bin:/bin", DB_PASSWORD: "redacted:hmac-sha256:bbbb", TZ: "UTC" },
        },
        1000,
      ),
      host.agentToken,
    );
    expect(changed.status).toBe(201);
    const diff = changed.body.diff;
    expect(diff.packages.added.map((p: { name: string }) => p.name)).toEqual(["htop", "jq"]);
    expect(diff.packages.removed).toEqual([expect.objectContaining({ name: "nginx", version: "1.22.1-9" })]);
    expect(diff.packages.changed).toEqual([
      expect.objectContaining({ name: "curl", from: "7.88.1-10", to: "7.88.1-11" }),
      expect.objectContaining({ name: "openssl", from: "3.0.11-1", to: "3.0.13-1" }),
    ]);
    expect(diff.env).toEqual({ added: ["TZ"], removed: ["LANG"], changed: ["DB_PASSWORD", "PATH"] });
    expect(diff.kernel).toEqual({ from: "6.1.0-17-amd64", to: "6.1.0-18-amd64" });
    expect(diff.os).toBeNull();
    // Values never appear in a diff, redacted or not.
    expect(JSON.stringify(diff)).not.toMatch(/hmac|usr\/local/);

    const stored = await a.get(`/api/snapshots/${changed.body.snapshotId}/diff?against=previous`, admin);
    expect(stored.status).toBe(200);
    expect(stored.body.diff).toEqual(diff);
    expect(stored.body.from.id).toBe(first.body.snapshotId);

    const list = await a.get(`/api/snapshots?hostId=${host.hostId}`, admin);
    expect(list.body.snapshots.map((s: { id: string }) => s.id)).toEqual([changed.body.snapshotId, first.body.snapshotId]);
    expect(list.body.snapshots[0]).toMatchObject({ changed: true, summary: "+2 \u22121 ~2 packages, 4 env changed, kernel 6.1.0-17-amd64 -> 6.1.0-18-amd64" });
    expect(list.body.snapshots[1]).toMatchObject({ changed: false, summary: expect.stringMatching(/^first snapshot: 4 packages/) });

    const detail = await a.get(`/api/snapshots/${first.body.snapshotId}`, admin);
    expect(detail.body).toMatchObject({ id: first.body.snapshotId, hostId: host.hostId, kernel: "6.1.0-17-amd64", env: BASE.env });
    expect(detail.body.packages).toHaveLength(4);
    // The host's facts follow the newest snapshot.
    expect((await a.get(`/api/hosts/${host.hostId}`, admin)).body.kernel).toBe("6.1.0-18-amd64");
  });

  it("stores the hardware inventory and diffs it: a replaced disk, a resized memory module; the same hardware is unchanged", async () => {
    const host = await enrolledHost(a, admin);
    const hardware = (serial: string, sizeBytes: number) => ({
      system: { vendor: "Dell Inc.", product: "PowerEdge R650" },
      cpu: { model: "Xeon Gold 6330", sockets: 2, cores: 56, threads: 112 },
      memory: [{ slot: "A1", sizeBytes, type: "DDR4" }],
      disks: [{ name: "sda", serial, sizeBytes: 1_000_000_000_000, type: "ssd" }],
      nics: [{ name: "eno1", mac: "aa:bb:cc:dd:ee:ff", speedMbps: 1000 }],
      gpus: [],
    });
    const first = await a.post("/api/snapshot", { ...snap({}, 3000), hardware: hardware("WD-1", 2 ** 35) }, host.agentToken);
    expect(first.status).toBe(201);
    const same = await a.post("/api/snapshot", { ...snap({}, 2000), hardware: hardware("WD-1", 2 ** 35) }, host.agentToken);
    expect(same.body).toEqual({ snapshotId: first.body.snapshotId, changed: false });

    const swapped = await a.post("/api/snapshot", { ...snap({}, 1000), hardware: hardware("WD-2", 2 ** 36) }, host.agentToken);
    expect(swapped.status).toBe(201);
    const d = swapped.body.diff.hardware;
    expect(d.removed).toEqual([expect.objectContaining({ kind: "disk", name: "sda", serial: "WD-1" })]);
    expect(d.added).toEqual([expect.objectContaining({ kind: "disk", name: "sda", serial: "WD-2" })]);
    expect(d.changed).toEqual([expect.objectContaining({ name: "memory A1", fields: ["sizeBytes"] })]);

    const stored = await a.get(`/api/snapshots/${swapped.body.snapshotId}`, admin);
    expect(stored.body.sections.hardware.map((h: { kind: string }) => h.kind)).toEqual(["system", "cpu", "memory", "disk", "nic"]);
  });

  it("diffs any two snapshots of a host, and refuses another host's", async () => {
    const host = await enrolledHost(a, admin);
    const s1 = (await a.post("/api/snapshot", snap({}, 3000), host.agentToken)).body.snapshotId;
    await a.post("/api/snapshot", snap({ kernel: "6.1.0-18-amd64" }, 2000), host.agentToken);
    const s3 = (await a.post("/api/snapshot", snap({ kernel: "6.1.0-19-amd64", packages: pkgs([["bash", "5.2.15-3"]]) }, 1000), host.agentToken)).body.snapshotId;
    const pair = await a.get(`/api/snapshots/${s3}/diff?against=${s1}`, admin);
    expect(pair.status).toBe(200);
    expect(pair.body.diff.kernel).toEqual({ from: "6.1.0-17-amd64", to: "6.1.0-19-amd64" });
    expect(pair.body.diff.packages.removed.map((p: { name: string }) => p.name)).toEqual(["curl", "nginx", "openssl"]);
    expect(pair.body.diff.packages.changed).toEqual([expect.objectContaining({ name: "bash", from: "5.2.15-2", to: "5.2.15-3" })]);
    const reverse = await a.get(`/api/snapshots/${s1}/diff?against=${s3}`, admin);
    expect(reverse.body.diff.packages.added.map((p: { name: string }) => p.name)).toEqual(["curl", "nginx", "openssl"]);

    const other = await enrolledHost(a, admin);
    const o1 = (await a.post("/api/snapshot", snap(), other.agentToken)).body.snapshotId;
    expect((await a.get(`/api/snapshots/${s3}/diff?against=${o1}`, admin)).status).toBe(400);
    expect((await a.get(`/api/snapshots/${s3}/diff?against=00000000-0000-4000-8000-000000000000`, admin)).status).toBe(404);
    expect((await a.get(`/api/snapshots/${s3}/diff?against=yesterday`, admin)).status).toBe(400);
    expect((await a.get(`/api/snapshots/00000000-0000-4000-8000-000000000000/diff`, admin)).status).toBe(404);
  });

  it("storage grows with changes, not uploads: 100 unchanged uploads add no rows", async () => {
    const host = await enrolledHost(a, admin);
    await a.post("/api/snapshot", snap(), host.agentToken);
    const statuses = new Set<number>();
    for (let i = 0; i < 100; i++) statuses.add((await a.post("/api/snapshot", snap({ packages: i % 2 ? [...BASE.packages].reverse() : BASE.packages }), host.agentToken)).status);
    expect([...statuses]).toEqual([200]);
    const list = await a.get(`/api/snapshots?hostId=${host.hostId}&limit=500`, admin);
    expect(list.body.snapshots).toHaveLength(1);
  });

  it("pages the list newest first with a cursor", async () => {
    const host = await enrolledHost(a, admin);
    for (let i = 0; i < 5; i++) await a.post("/api/snapshot", snap({ kernel: `6.1.0-${i}` }, (5 - i) * 1000), host.agentToken);
    const p1 = await a.get(`/api/snapshots?hostId=${host.hostId}&limit=2`, admin);
    expect(p1.body.snapshots.map((s: { kernel: string }) => s.kernel)).toEqual(["6.1.0-4", "6.1.0-3"]);
    const p2 = await a.get(`/api/snapshots?hostId=${host.hostId}&limit=2&cursor=${encodeURIComponent(p1.body.nextCursor)}`, admin);
    expect(p2.body.snapshots.map((s: { kernel: string }) => s.kernel)).toEqual(["6.1.0-2", "6.1.0-1"]);
    const p3 = await a.get(`/api/snapshots?hostId=${host.hostId}&limit=2&cursor=${encodeURIComponent(p2.body.nextCursor)}`, admin);
    expect(p3.body).toMatchObject({ snapshots: [{ kernel: "6.1.0-0" }], nextCursor: null });
    expect((await a.get(`/api/snapshots?hostId=${host.hostId}&cursor=garbage`, admin)).status).toBe(400);
  });

  it("the fleet view lists hosts that changed; the baseline view finds the odd one out", async () => {
    const web1 = await enrolledHost(a, admin);
    const web2 = await enrolledHost(a, admin);
    await a.post("/api/snapshot", snap({}, 2000), web1.agentToken);
    await a.post("/api/snapshot", snap({}, 2000), web2.agentToken);
    await a.post("/api/snapshot", snap({ kernel: "6.1.0-18-amd64", packages: [...BASE.packages, ...pkgs([["netcat", "1.10-47"]])] }, 1000), web2.agentToken);

    const fleet = await a.get("/api/drift?since=-10m", admin);
    expect(fleet.status).toBe(200);
    const ids = fleet.body.hosts.map((h: { hostId: string }) => h.hostId);
    expect(ids).toContain(web2.hostId);
    expect(ids).not.toContain(web1.hostId);
    expect(fleet.body.hosts.find((h: { hostId: string }) => h.hostId === web2.hostId)).toMatchObject({ changes: 1, recent: [{ summary: "+1 \u22120 ~0 packages, kernel 6.1.0-17-amd64 -> 6.1.0-18-amd64" }] });
    expect((await a.get("/api/drift?since=whenever", admin)).status).toBe(400);

    const cmp = await a.get(`/api/drift/compare?hostId=${web2.hostId}&baselineHostId=${web1.hostId}`, admin);
    expect(cmp.status).toBe(200);
    expect(cmp.body.comparison.packages.onlyHere.map((p: { name: string }) => p.name)).toEqual(["netcat"]);
    expect(cmp.body.comparison.packages.onlyBaseline).toEqual([]);
    expect(cmp.body.comparison.kernel).toEqual({ here: "6.1.0-18-amd64", baseline: "6.1.0-17-amd64" });
    const none = await enrolledHost(a, admin);
    expect((await a.get(`/api/drift/compare?hostId=${none.hostId}&baselineHostId=${web1.hostId}`, admin)).status).toBe(404);
  });

  it("validates uploads: bounded sizes, JSON only, agent tokens only", async () => {
    const host = await enrolledHost(a, admin);
    const many = Array.from({ length: 20_001 }, (_, i) => ({ name: `p${i}`, version: "1" }));
    const tooMany = await a.post("/api/snapshot", snap({ packages: many as never }), host.agentToken);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.issues[0].path).toBe("packages");
    expect(tooMany.body.issues[0].message).toBe("at most 20000 packages per snapshot");
    const env = Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`K${i}`, "v"]));
    const tooManyKeys = await a.post("/api/snapshot", snap({ env: env as never }), host.agentToken);
    expect(tooManyKeys.status).toBe(400);
    expect(tooManyKeys.body.issues).toEqual([{ path: "env", message: "at most 2000 env keys per snapshot" }]);
    // Keys and values together are bounded too (1 Mi characters), so the secret scans stay short.
    const bulky = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`BULK_${i}`, "v".repeat(30_000)]));
    const tooBulky = await a.post("/api/snapshot", snap({ env: bulky as never }), host.agentToken);
    expect(tooBulky.status).toBe(400);
    expect(tooBulky.body.issues).toEqual([{ path: "env", message: "at most 1048576 characters of env keys and values per snapshot" }]);
    const maxed = Array.from({ length: 20_000 }, (_, i) => ({ name: `package-${i}`, version: "1.0.0-1", arch: "amd64", manager: "dpkg" }));
    expect((await a.post("/api/snapshot", snap({ packages: maxed }), host.agentToken)).status).toBe(201);
    const huge = JSON.stringify(snap({ env: { BIG: "x".repeat(17 * 1024 * 1024) } }));
    expect((await a.call("POST", "/api/snapshot", { token: host.agentToken, raw: huge, headers: { "content-type": "application/json" } })).status).toBe(413);
    expect((await a.post("/api/snapshot", { ...snap(), packages: [{ name: "" }] }, host.agentToken)).status).toBe(400);
    expect((await a.post("/api/snapshot", snap(), admin)).status).toBe(401);
    expect((await a.call("POST", "/api/snapshot", { token: host.agentToken, raw: "x", headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await a.get("/api/snapshots?hostId=00000000-0000-4000-8000-000000000000", admin)).status).toBe(404);
  });

  it("diffs 20,000 versions of one package name against 20,000 others (the quadratic case of issue 11.8)", async () => {
    const host = await enrolledHost(a, admin);
    const versions = (from: number) => Array.from({ length: 20_000 }, (_, i) => ({ name: "evil", version: `${from + i}` }));
    expect((await a.post("/api/snapshot", snap({ packages: versions(0) as never }, 1000), host.agentToken)).status).toBe(201);
    const second = await a.post("/api/snapshot", snap({ packages: versions(10_000) as never }), host.agentToken);
    expect(second.status).toBe(201);
    expect(second.body.diff.packages.added).toHaveLength(10_000);
    expect(second.body.diff.packages.removed).toHaveLength(10_000);
    expect((await a.get("/api/health")).status).toBe(200);
  });

  it("redacts on the server what an agent sent in clear: secret names and secret-looking values (issue 11.12)", async () => {
    const host = await enrolledHost(a, admin);
    const env = {
      LANG: "C.UTF-8",
      MYSQL_PWD: "hunter2-mysql",
      SLACK_WEBHOOK_URL: "https://hooks.slack.example/services/T000/B000/XXXX",
      CACHE: "redis://default:hunter2-redis@cache:6379/0",
      PRIVATE_PEM: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n-----END PRIVATE KEY-----",
      DB_PASSWORD: "redacted:hmac-sha256:0123456789abcdef0123456789abcdef",
    };
    const posted = await a.post("/api/snapshot", snap({ env }), host.agentToken);
    expect(posted.status).toBe(201);
    const stored = await a.get(`/api/snapshots/${posted.body.snapshotId}`, admin);
    expect(stored.body.env.LANG).toBe("C.UTF-8");
    expect(stored.body.env.DB_PASSWORD).toBe(env.DB_PASSWORD);
    for (const k of ["MYSQL_PWD", "SLACK_WEBHOOK_URL", "CACHE", "PRIVATE_PEM"]) expect(stored.body.env[k], k).toMatch(/^redacted:hmac-sha256:[0-9a-f]{32}$/);
    expect(stored.text).not.toContain("hunter2");
    expect(stored.text).not.toContain("hooks.slack");
    // A changed secret is still a change; the same one is not.
    expect((await a.post("/api/snapshot", snap({ env }), host.agentToken)).status).toBe(200);
    const changed = await a.post("/api/snapshot", snap({ env: { ...env, MYSQL_PWD: "other" } }), host.agentToken);
    expect(changed.status).toBe(201);
    expect(changed.body.diff.env).toEqual({ added: [], removed: [], changed: ["MYSQL_PWD"] });
  });
});
