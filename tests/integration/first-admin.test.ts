/** The first admin: two instances starting at once on an empty database create one, and only one reports a password. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { AppContext } from "@/lib/context";
import type { Database } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { ensureFirstAdmin } from "@/lib/services/users";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

describe("ensureFirstAdmin", () => {
  it("reports a generated password only from the start whose row was stored", async () => {
    const ctx = { db: database.db, env: { adminEmail: "first@admin.test", adminPassword: undefined } } as unknown as AppContext;
    const results = await Promise.all([ensureFirstAdmin(ctx), ensureFirstAdmin(ctx)]);
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1);
    expect(results.filter((r) => r.generatedPassword)).toHaveLength(1);
    const rows = await database.db.select({ id: users.id }).from(users).where(eq(users.email, "first@admin.test"));
    expect(rows).toHaveLength(1);
  });
});
