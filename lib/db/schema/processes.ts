import { index, jsonb, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ProcessInfo } from "@/lib/protocol";
import { hosts } from "./hosts";

/**
 * The top processes of each sample, beside `metrics` rather than in it: a jsonb column there
 * would widen every row the charts scan (about 1 KB per sample with 10 processes, against
 * ~200 bytes of numbers), while the processes are read one sample at a time. Same key as
 * `metrics`, written in the same statement, purged with it (a hypertable with compression and
 * the same retention on TimescaleDB, lib/db/timescale.ts).
 */
export const processSamples = pgTable(
  "process_samples",
  {
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    ts: timestamp("ts", { withTimezone: true }).notNull(),
    processes: jsonb("processes").$type<ProcessInfo[]>().notNull(),
  },
  // ts alone for the retention purge, as metrics_ts_idx.
  (t) => [primaryKey({ columns: [t.hostId, t.ts] }), index("process_samples_ts_idx").on(t.ts)],
);
