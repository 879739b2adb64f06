/** User administration: the first admin at start, and the admin-only create/update/delete verbs. */
import { randomBytes } from "node:crypto";
import { and, count, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { ROLES } from "@/lib/protocol";
import { MIN_PASSWORD_LENGTH, hashPassword } from "@/lib/auth/password";
import { conflict, notFound } from "@/lib/errors";
import { publicUser } from "@/lib/queries/users";
import { wireDate } from "@/lib/wire";
import { revokeUserTokens } from "./auth";

const password = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024);
const email = z.email("must be an email address").max(254).transform((e) => e.toLowerCase());

export const CreateUserSchema = z.object({
  email,
  password,
  role: z.enum(ROLES),
  name: z.string().trim().min(1).max(200).optional(),
});
export const UpdateUserSchema = z
  .object({
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    password: password.optional(),
    name: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "nothing to change" });

/** A user as the API shows one: never the password, not even hashed. */
export const PublicUserSchema = z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), role: z.enum(ROLES), disabled: z.boolean(), createdAt: wireDate });
export const UserListSchema = z.object({ users: z.array(PublicUserSchema) });
/** Creates the first admin when the database has no user. Returns the generated password, if any. */
export async function ensureFirstAdmin(ctx: AppContext): Promise<{ created: boolean; email: string; generatedPassword?: string }> {
  const [{ n }] = (await ctx.db.select({ n: count() }).from(users)) as [{ n: number }];
  if (n > 0) return { created: false, email: ctx.env.adminEmail };
  const generatedPassword = ctx.env.adminPassword ? undefined : randomBytes(12).toString("base64url");
  // Two instances starting at once both see an empty table; only the one whose row is stored
  // reports a generated password (the other's would sign in nobody).
  const stored = await ctx.db
    .insert(users)
    .values({ email: ctx.env.adminEmail, role: "admin", name: "Administrator", passwordHash: await hashPassword(ctx.env.adminPassword ?? generatedPassword!) })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (stored.length === 0) return { created: false, email: ctx.env.adminEmail };
  return { created: true, email: ctx.env.adminEmail, generatedPassword };
}

export async function createUser(ctx: AppContext, input: z.output<typeof CreateUserSchema>) {
  const [created] = await ctx.db
    .insert(users)
    .values({ email: input.email, role: input.role, name: input.name ?? null, passwordHash: await hashPassword(input.password) })
    .onConflictDoNothing({ target: users.email })
    .returning(publicUser);
  if (!created) throw conflict("a user with this email already exists");
  return created;
}

/** Whether another enabled admin exists besides `userId`; locks the admin rows while it decides. */
async function otherActiveAdminExists(tx: Db, userId: string) {
  const others = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.disabled, false), ne(users.id, userId)))
    .for("update");
  return others.length > 0;
}

export async function updateUser(ctx: AppContext, userId: string, input: z.output<typeof UpdateUserSchema>) {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const updated = await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!current) throw notFound("user");
    const losesAdmin = current.role === "admin" && !current.disabled && ((input.role && input.role !== "admin") || input.disabled === true);
    if (losesAdmin && !(await otherActiveAdminExists(tx as unknown as Db, userId))) {
      throw conflict("the last active admin cannot be demoted or disabled");
    }
    const [row] = await tx
      .update(users)
      .set({
        ...(input.role ? { role: input.role } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(passwordHash ? { passwordHash } : {}),
        // Whole seconds, as credentials carry their issue time in seconds.
        ...(passwordHash || input.disabled === true ? { sessionsValidAfter: sql`date_trunc('second', now())` } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(users.id, userId))
      .returning(publicUser);
    return row!;
  });
  // A disabled user or a reset password ends every API login of that user.
  if (input.disabled === true || passwordHash) await revokeUserTokens(ctx, userId);
  return updated;
}

export async function deleteUser(ctx: AppContext, userId: string) {
  await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!current) throw notFound("user");
    if (current.role === "admin" && !current.disabled && !(await otherActiveAdminExists(tx as unknown as Db, userId))) {
      throw conflict("the last active admin cannot be deleted");
    }
    await tx.delete(users).where(eq(users.id, userId));
  });
}
