import { asc } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";

/** The columns of a user anyone may see: never the password hash. */
export const publicUser = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  disabled: users.disabled,
  createdAt: users.createdAt,
};

export function listUsers(db: Db) {
  return db.select(publicUser).from(users).orderBy(asc(users.email));
}
