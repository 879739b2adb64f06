/** The SSO sign-in service on a real database: match by verified email, create with the mapped role, refuse the rest. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Database } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import type { OidcSettings } from "@/lib/sso/oidc";
import { NO_PASSWORD } from "@/lib/auth/password";
import { signInWithOidc } from "@/lib/services/sso";
import { openTestDatabase } from "../helpers/database";

let database: Database;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

const settings: OidcSettings = {
  issuer: "https://id.example.test",
  clientId: "c",
  clientSecret: "s",
  displayName: "Test",
  defaultRole: "viewer",
  roleClaim: "groups",
  roleMap: { admins: "admin", ops: "operator" },
};
const ctx = () => ({ db: database.db });
const rowsFor = (email: string) => database.db.select().from(users).where(eq(users.email, email));

describe("signInWithOidc", () => {
  it("creates a new user with the highest mapped role and no password", async () => {
    const r = await signInWithOidc(ctx(), settings, { sub: "1", email: "New.Ops@Example.test", email_verified: true, name: " New Ops ", groups: ["x", "ops"] });
    expect(r).toMatchObject({ kind: "ok", created: true, user: { email: "new.ops@example.test", role: "operator", name: "New Ops" } });
    const [row] = await rowsFor("new.ops@example.test");
    expect(row?.passwordHash).toBe(NO_PASSWORD);
  });

  it("uses the default role when no group maps", async () => {
    const r = await signInWithOidc(ctx(), { ...settings, defaultRole: "operator" }, { email: "plain@example.test", email_verified: true, groups: ["nobody"] });
    expect(r).toMatchObject({ kind: "ok", user: { role: "operator" } });
  });

  it("matches an existing user by verified email and leaves their role alone", async () => {
    const [existing] = await database.db.insert(users).values({ email: "kept@example.test", role: "viewer", passwordHash: "scrypt$x" }).returning();
    const r = await signInWithOidc(ctx(), settings, { email: "KEPT@example.test", email_verified: true, groups: ["admins"] });
    expect(r).toMatchObject({ kind: "ok", created: false, user: { id: existing!.id, role: "viewer" } });
    expect(await rowsFor("kept@example.test")).toHaveLength(1);
  });

  it("refuses an unverified or missing email and creates nothing", async () => {
    expect(await signInWithOidc(ctx(), settings, { email: "unverified@example.test", email_verified: false })).toEqual({ kind: "refused", error: "OidcUnverified" });
    expect(await signInWithOidc(ctx(), settings, { email: "unverified@example.test" })).toEqual({ kind: "refused", error: "OidcUnverified" });
    expect(await signInWithOidc(ctx(), settings, { sub: "x" })).toEqual({ kind: "refused", error: "OidcNoEmail" });
    expect(await rowsFor("unverified@example.test")).toHaveLength(0);
  });

  it("refuses a disabled user", async () => {
    await database.db.insert(users).values({ email: "off@example.test", role: "admin", passwordHash: "scrypt$x", disabled: true });
    expect(await signInWithOidc(ctx(), settings, { email: "off@example.test", email_verified: true })).toEqual({ kind: "refused", error: "OidcDisabled" });
  });

  it("two first sign-ins at once make one user", async () => {
    const claims = { email: "twice@example.test", email_verified: true, groups: ["admins"] };
    const [a, b] = await Promise.all([signInWithOidc(ctx(), settings, claims), signInWithOidc(ctx(), settings, claims)]);
    expect(a.kind === "ok" && b.kind === "ok" && a.user.id === b.user.id).toBe(true);
    expect(await rowsFor("twice@example.test")).toHaveLength(1);
  });
});
