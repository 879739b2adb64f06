/** The reads behind /api/prometheus/metrics: every host with its latest sample, open alerts by severity. */
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { SEVERITIES } from "@/lib/alerts/types";
import { METRIC_COLUMNS } from "@/lib/db/metric-columns";
import type { PromHost } from "@/lib/prometheus/families";

/** Every registry metric, in registry order (fixed identifiers, checked when metric-columns loads). */
const columns = METRIC_COLUMNS;

type Row = { id: string; hostname: string; last_seen_at: Date | string | null; interval_s: number | null; labels: Record<string, string>; ts: Date | string | null } & Record<string, unknown>;

export async function listPrometheusHosts(db: Db, defaultIntervalS: number): Promise<PromHost[]> {
  const cols = sql.raw(columns.map((c) => `m.${c}`).join(", "));
  const inner = sql.raw(columns.join(", "));
  const result = await rows<Row>(
    db,
    sql`select h.id, h.hostname, h.last_seen_at, h.interval_s, h.labels, m.ts, ${cols}
      from hosts h
      left join lateral (select ts, ${inner} from metrics where host_id = h.id order by ts desc limit 1) m on true
      order by h.hostname, h.id`,
  );
  return result.map((r) => ({
    id: r.id,
    hostname: r.hostname,
    lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at) : null,
    intervalS: r.interval_s ?? defaultIntervalS,
    // The labels the host carries (user values over the agent's); the families turn them into
    // sanitised Prometheus label names that never collide with host_id or hostname.
    labels: r.labels,
    latest: r.ts === null ? null : Object.fromEntries(columns.map((c) => [c, r[c] === null || r[c] === undefined ? null : Number(r[c])])),
  }));
}

/** Every severity, zero included, so a dashboard panel never shows "no data" for a calm fleet. */
export async function openAlertsBySeverity(db: Db): Promise<Record<string, number>> {
  const result = await rows<{ severity: string; n: number | string }>(
    db,
    sql`select r.severity, count(*) as n from alert_events e join alert_rules r on r.id = e.rule_id where e.state = 'firing' group by r.severity`,
  );
  const counts: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
  for (const r of result) counts[r.severity] = Number(r.n);
  return counts;
}
