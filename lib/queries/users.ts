import { asc } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { users } from "@/lib/db/schema";
import { publicUser } from "@/lib/services/users";

export function listUsers(db: Db) {
  return db.select(publicUser).from(users).orderBy(asc(users.email));
}
