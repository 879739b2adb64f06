import { index, jsonb, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import type { Labels } from "@/lib/protocol";
import { hosts } from "./hosts";
import { users } from "./users";

/** A host's labels at one moment: what it carried, and the users' part of them. */
export type LabelsRecord = { labels: Labels; userLabels: Labels; removedLabels: string[] };

/** Who changed a host's labels, from what to what (the agent's reports are not logged: they are the host's own state). */
export const hostLabelChanges = pgTable(
  "host_label_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    hostId: uuid("host_id")
      .notNull()
      .references(() => hosts.id, { onDelete: "cascade" }),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    before: jsonb("before").$type<LabelsRecord>().notNull(),
    after: jsonb("after").$type<LabelsRecord>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("host_label_changes_host_idx").on(t.hostId, t.createdAt)],
);
