import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ROLES } from "@/lib/protocol/constants";
import { users } from "./users";

/**
 * API tokens for scripts and scrapers: a user's credential with a role no higher than theirs.
 * A table of their own (not `auth_tokens`, not `hosts.agent_token_hash`), so no lookup of one
 * kind of token can ever find another kind. Only the SHA-256 hash is stored.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** null: never expires. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** Written at most once a minute per token (see lib/auth/api-tokens.ts). */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);
