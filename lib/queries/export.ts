/**
 * Paged reads for the exports, by keyset: each page starts after the last key of the one
 * before, so every page is one index range scan of `limit` rows whatever the offset, and a
 * row is never read twice or skipped at a page boundary.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { METRIC_COLUMNS } from "@/lib/db/metric-columns";
import { listEvents, type EventFilter } from "./alerts";

export const EXPORT_PAGE_ROWS = 1000;

/** Every registry metric, in registry order (fixed identifiers, checked when metric-columns loads). */
const columns = METRIC_COLUMNS;

import type { ExportSample } from "@/lib/export/format";
export type { ExportSample };

/** Samples of one host in [from, to], oldest first, a page at a time on the (host_id, ts) key. */
export async function* metricPages(db: Db, args: { hostId: string; fromMs: number; toMs: number; pageRows?: number }): AsyncGenerator<ExportSample[]> {
  const limit = args.pageRows ?? EXPORT_PAGE_ROWS;
  const from = new Date(args.fromMs).toISOString();
  const to = new Date(args.toMs).toISOString();
  const list = sql.raw(columns.join(", "));
  // The cursor is the database's own text of the last ts, so no precision is lost between pages.
  let after: string | null = null;
  for (;;) {
    const keyset = after === null ? sql`ts >= ${from}::timestamptz` : sql`(host_id, ts) > (${args.hostId}::uuid, ${after}::timestamptz)`;
    const page: Record<string, unknown>[] = await rows<Record<string, unknown>>(
      db,
      sql`select ts, ts::text as ts_key, ${list} from metrics
        where host_id = ${args.hostId}::uuid and ${keyset} and ts <= ${to}::timestamptz
        order by host_id, ts limit ${limit}`,
    );
    if (page.length) yield page.map((r) => ({ ts: new Date(r.ts as string).toISOString(), values: columns.map((c) => (r[c] === null || r[c] === undefined ? null : Number(r[c]))) }));
    if (page.length < limit) return;
    after = String(page[page.length - 1]!.ts_key);
  }
}

/** Events matching the filter, newest first, a page at a time on (started_at, id). */
export async function* eventPages(db: Db, filter: Omit<EventFilter, "limit" | "after" | "offset">, pageRows = 500) {
  let after: EventFilter["after"];
  for (;;) {
    const page = await listEvents(db, { ...filter, limit: pageRows, after });
    if (page.events.length) yield page.events;
    if (!page.hasMore || !page.last) return;
    after = page.last;
  }
}
