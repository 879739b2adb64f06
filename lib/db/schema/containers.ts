import { index, jsonb, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import type { ContainerStats } from "@/lib/protocol";
import { hosts } from "./hosts";

/**
 * Per-sample container stats, one row per host and sample that carried any. A table of its
 * own rather than a jsonb column of `metrics`: most hosts run no containers, and the charts'
 * scans of the wide metrics rows stay as narrow as before. One jsonb array per row rather than
 * a row per container: the page and the alert run always read a whole sample's list, and one
 * row costs one index entry however many containers it holds.
 */
export const containerSamples = pgTable(
  "container_samples",
  {
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    ts: timestamp("ts", { withTimezone: true }).notNull(),
    containers: jsonb("containers").$type<ContainerStats[]>().notNull(),
  },
  // ts alone for the retention purge, as metrics has.
  (t) => [primaryKey({ columns: [t.hostId, t.ts] }), index("container_samples_ts_idx").on(t.ts)],
);
