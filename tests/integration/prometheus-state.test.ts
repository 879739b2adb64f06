/**
 * The exposition's reads on a real database: each host's latest sample (not an older one), a
 * host past its staleness window dropping out of the metric families but staying in host_up,
 * and open alert counts by severity, zeros included.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { hosts } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { formatExposition } from "@/lib/prometheus/exposition";
import { buildFamilies } from "@/lib/prometheus/families";
import { listPrometheusHosts, openAlertsBySeverity } from "@/lib/queries/prometheus";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

async function hostSeen(name: string, secondsAgo: number, cpu: number[]) {
  const [h] = await database.db
    .insert(hosts)
    .values({ machineId: `${name}-${Math.random()}`, hostname: name, lastSeenAt: sql`now() - ${secondsAgo}::int * interval '1 second'` as unknown as Date })
    .returning({ id: hosts.id });
  for (const [i, v] of cpu.entries()) {
    await database.db.execute(sql`insert into metrics (host_id, ts, cpu_pct, mem_pct, disk_pct, uptime_s) values (${h!.id}::uuid, now() - ${secondsAgo + cpu.length - i}::int * interval '1 second', ${v}, 1, 2, 3)`);
  }
  return h!.id;
}

describe(`prometheus state on ${process.env.DATABASE_URL ? "PostgreSQL" : "PGlite"}`, () => {
  it("fresh hosts expose their latest values; a stale one only host_up 0 and its last-seen time", async () => {
    const fresh = await hostSeen("prom-fresh", 2, [10, 20, 30.5]);
    const stale = await hostSeen("prom-stale", 600, [99]);
    const ruleId = "00000000-0000-4000-8000-0000000000a1";
    await database.db.execute(sql`insert into alert_rules (id, name, kind, severity) values (${ruleId}::uuid, 'down', 'hostDown', 'critical') on conflict do nothing`);
    await database.db.execute(sql`insert into alert_events (rule_id, host_id, state, started_at) values (${ruleId}::uuid, ${stale}::uuid, 'firing', now())`);

    const all = await listPrometheusHosts(database.db, 15);
    const text = formatExposition(buildFamilies({ hosts: all, openAlerts: await openAlertsBySeverity(database.db), ingest: [{ server: "t:1", counts: { samplesAccepted: 0, samplesDuplicate: 0, samplesRejected: 0, batchesAccepted: 0, batchesRejected: 0 } }] }, Date.now()));
    const line = (name: string, id: string) => text.split("\n").find((l) => l.startsWith(`${name}{host_id="${id}"`));
    expect(line("infrawatch_cpu_pct", fresh)).toMatch(/ 30\.5$/);
    expect(line("infrawatch_mem_pct", fresh)).toMatch(/ 1$/);
    expect(line("infrawatch_cpu_pct", stale)).toBeUndefined();
    expect(line("infrawatch_host_up", fresh)).toMatch(/ 1$/);
    expect(line("infrawatch_host_up", stale)).toMatch(/ 0$/);
    expect(line("infrawatch_host_last_seen_timestamp_seconds", stale)).toBeDefined();
    expect(text).toMatch(/^infrawatch_alerts_open\{severity="critical"\} [1-9]\d*$/m);
    expect(text).toMatch(/^infrawatch_alerts_open\{severity="info"\} \d+$/m);
  });
});
