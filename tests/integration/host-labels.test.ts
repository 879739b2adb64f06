/**
 * Host labels end to end on a real database: the agent's labels arrive with telemetry, a user
 * edit wins over them and survives the next agent report, a user removal sticks, the selector
 * filter and the Prometheus read see the labels the host carries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import type { UserActor } from "@/lib/auth/permissions";
import { parseSelector } from "@/lib/hosts/selector";
import { getHost, listHostLabelChanges, listHosts } from "@/lib/queries/hosts";
import { listPrometheusHosts } from "@/lib/queries/prometheus";
import { setHostLabels } from "@/lib/services/hosts";
import { recordTelemetry } from "@/lib/services/telemetry";
import { insertHost, openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;
const NOW = Date.now();
let msAgo = 60_000;
const sample = () => ({ ts: new Date(NOW - (msAgo -= 1000)).toISOString(), cpuPct: 1, memPct: 2, diskPct: 3, uptimeS: 4 });
let operator: UserActor;
let viewer: UserActor;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
  const email = `labels-op-${Math.random()}@example.test`;
  const [u] = await database.db.insert(users).values({ email, role: "operator", passwordHash: "x" }).returning({ id: users.id });
  operator = { kind: "user", userId: u!.id, email, role: "operator" };
  viewer = { ...operator, role: "viewer" };
});
afterAll(async () => close());

const report = (hostId: string, labels?: Record<string, string>, hostname = "labelled") =>
  recordTelemetry(database.db, { hostId, batch: { host: { hostname, ...(labels ? { labels } : {}) }, samples: [sample()] }, nowMs: NOW, retentionDays: 90 });
const read = async (hostId: string) => (await getHost(database.db, hostId, { defaultIntervalS: 15 }))!;

describe(`host labels on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("agent report, then a user edit, then an agent report: the user's value and removal stay, the rest follows the agent", async () => {
    const hostId = await insertHost(database.db, "labelled");
    expect(await read(hostId)).toMatchObject({ labels: {}, labelSources: {}, removedLabels: [] });

    await report(hostId, { env: "prod", role: "web", gpu: "" });
    expect(await read(hostId)).toMatchObject({ labels: { env: "prod", role: "web", gpu: "" }, labelSources: { env: "agent", role: "agent", gpu: "agent" } });

    // The user moves env to staging, removes gpu, adds team, leaves role as the agent reports it.
    const carried = await setHostLabels(database, operator, hostId, { labels: { env: "staging", role: "web", team: "db" } });
    expect(carried).toEqual({ env: "staging", role: "web", team: "db" });

    // The agent reports again, with role changed and gpu still set.
    await report(hostId, { env: "prod", role: "api", gpu: "" });
    const after = await read(hostId);
    expect(after.labels).toEqual({ env: "staging", role: "api", team: "db" });
    expect(after.labelSources).toEqual({ env: "user", role: "agent", team: "user" });
    expect(after.removedLabels).toEqual(["gpu"]);
    expect(after.agentLabels).toEqual({ env: "prod", role: "api", gpu: "" });

    // A batch without labels (an older agent) keeps the agent's last set.
    await report(hostId);
    expect((await read(hostId)).labels).toEqual({ env: "staging", role: "api", team: "db" });

    // Handing env and gpu back to the agent: its values return.
    await setHostLabels(database, operator, hostId, { labels: { role: "api", team: "db" }, resetLabels: ["env", "gpu"] });
    expect((await read(hostId)).labels).toEqual({ env: "prod", role: "api", gpu: "", team: "db" });

    // Both edits are logged, newest first, with what the host carried before and after (agent reports are not).
    const log = await listHostLabelChanges(database.db, hostId);
    expect(log.map((c) => [c.before.labels, c.after.labels])).toEqual([
      [{ env: "staging", role: "api", team: "db" }, { env: "prod", role: "api", gpu: "", team: "db" }],
      [{ env: "prod", role: "web", gpu: "" }, { env: "staging", role: "web", team: "db" }],
    ]);
    expect(log[1]!.after).toMatchObject({ userLabels: { env: "staging", team: "db" }, removedLabels: ["gpu"] });
    expect(log[0]!.actorEmail).toBe(operator.email);
  });

  it("GET /api/hosts's selector and the Prometheus read see the labels the host carries", async () => {
    const a = await insertHost(database.db, "sel-a");
    const b = await insertHost(database.db, "sel-b");
    await report(a, { env: "prod", zone: "eu-1" }, "sel-a");
    await report(b, { env: "prod" }, "sel-b");
    await setHostLabels(database, operator, b, { labels: { env: "dev" } });
    const names = async (selector: string) =>
      (await listHosts(database.db, { defaultIntervalS: 15, selector: parseSelector(selector) })).filter((h) => h.id === a || h.id === b).map((h) => h.hostname);
    expect(await names("env=prod")).toEqual(["sel-a"]);
    expect(await names("env in (prod,dev),!zone")).toEqual(["sel-b"]);
    expect(await names("zone notin (eu-2)")).toEqual(["sel-a", "sel-b"]);
    const prom = await listPrometheusHosts(database.db, 15);
    expect(prom.find((h) => h.id === b)?.labels).toEqual({ env: "dev" });
    expect(prom.find((h) => h.id === a)?.labels).toEqual({ env: "prod", zone: "eu-1" });
  });

  it("refuses a viewer, an unknown host, and a key both set and reset, changing nothing", async () => {
    const hostId = await insertHost(database.db, "guarded");
    await report(hostId, { env: "prod" });
    await expect(setHostLabels(database, viewer, hostId, { labels: {} })).rejects.toMatchObject({ kind: "forbidden" });
    await expect(setHostLabels(database, operator, "00000000-0000-4000-8000-00000000ffff", { labels: {} })).rejects.toMatchObject({ kind: "notFound" });
    await expect(setHostLabels(database, operator, hostId, { labels: { env: "x" }, resetLabels: ["env"] })).rejects.toMatchObject({
      kind: "invalid",
      issues: [{ path: "resetLabels", message: '"env" is both set in labels and reset' }],
    });
    expect((await read(hostId)).labels).toEqual({ env: "prod" });
    expect(await listHostLabelChanges(database.db, hostId)).toEqual([]);
  });
});
