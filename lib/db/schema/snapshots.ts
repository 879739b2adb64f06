import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Package, SnapshotDiff } from "@/lib/protocol";
import type { SectionsContent } from "@/lib/snapshots/sections";
import { hosts } from "./hosts";

/** A stored configuration. Only changed configurations get a row; unchanged uploads bump lastSeenAt. */
export const snapshots = pgTable(
  "snapshots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    ts: timestamp("ts", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    contentHash: text("content_hash").notNull(),
    os: text("os"),
    kernel: text("kernel"),
    packages: jsonb("packages").$type<Package[]>().notNull(),
    env: jsonb("env").$type<Record<string, string>>().notNull(),
    /** The inventory sections as received (ports, users, ... sysctl); null for an agent that sends none. */
    sections: jsonb("sections").$type<SectionsContent>(),
    packageCount: integer("package_count").notNull(),
    envCount: integer("env_count").notNull(),
    summary: text("summary").notNull(),
  },
  (t) => [index("snapshots_host_ts_idx").on(t.hostId, t.ts.desc())],
);

export const snapshotDiffs = pgTable(
  "snapshot_diffs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    snapshotId: uuid("snapshot_id")
      .notNull()
      .references(() => snapshots.id, { onDelete: "cascade" }),
    previousId: uuid("previous_id").references(() => snapshots.id, { onDelete: "set null" }),
    diff: jsonb("diff").$type<SnapshotDiff>().notNull(),
    summary: text("summary").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("snapshot_diffs_snapshot_idx").on(t.snapshotId),
    index("snapshot_diffs_host_created_idx").on(t.hostId, t.createdAt),
    index("snapshot_diffs_created_idx").on(t.createdAt),
  ],
);
