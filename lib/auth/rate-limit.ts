/**
 * Sign-in limits, counted in the database so every app instance shares them. Fixed windows per
 * (account, address) pair, per address and per account:
 *  - the pair limit stops guessing one password from one place;
 *  - the address limit stops one place guessing across many accounts;
 *  - the account cap stops a spread-out attack (password spraying from many addresses), but it
 *    applies only to addresses that have not signed in to that account before, so the owner
 *    from a known address still gets in while the account is under attack.
 * An attempt reserves its slot before the password is checked (concurrent guesses cannot slip
 * past the limit together); a success gives back the address and account slots and clears the pair.
 * IPv6 addresses count by their /64: one host gets a whole /64 for free.
 */
import net from "node:net";
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/sql";
import { loginKnownAddresses, loginThrottle } from "@/lib/db/schema";

export type LimitScope = "pair" | "address" | "account";
export type LimitRule = { scope: LimitScope; max: number };

export const DEFAULT_LIMITS: Record<LimitScope, number> = { pair: 5, address: 20, account: 100 };
/** How long a successful sign-in keeps an address known for that account. */
export const KNOWN_ADDRESS_DAYS = 90;

/** The subject an address is counted as: itself (IPv4), or its /64 network (IPv6). */
export function addressSubject(address: string): string {
  if (!net.isIPv6(address)) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : address;
}

function expandIpv6(address: string): string[] | null {
  const halves = address.toLowerCase().split("::");
  if (halves.length > 2) return null;
  const part = (s: string) => (s ? s.split(":") : []);
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const last = tail.length ? tail : head;
  if (last.length && net.isIPv4(last[last.length - 1]!)) last.splice(last.length - 1, 1, "0", "0");
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  return [...head, ...Array<string>(missing).fill("0"), ...tail].map((g) => g.replace(/^0+(?=.)/, ""));
}

export function limitKeys(account: string, address: string): Record<LimitScope, string> {
  const subject = addressSubject(address);
  return { pair: `p:${account}|${subject}`, address: `a:${subject}`, account: `u:${account}` };
}

type Counted = { key: string; count: number; waitS: number };

export class LoginThrottle {
  private lastSweep = 0;
  constructor(
    private readonly db: Db,
    private readonly windowS: number,
    private readonly limits: Record<LimitScope, number> = DEFAULT_LIMITS,
  ) {}

  /**
   * Counts one attempt for `account` from `address`. Returns the seconds to wait when a limit
   * is exceeded (the attempt is then not counted), or 0 when the password may be checked.
   */
  async reserve(account: string, address: string, knownAddress: boolean): Promise<number> {
    const keys = limitKeys(account, address);
    const scopes = (Object.keys(keys) as LimitScope[]).sort((x, y) => keys[x].localeCompare(keys[y]));
    const counted = (await this.db
      .insert(loginThrottle)
      // One statement, keys in a fixed order: concurrent attempts lock rows in the same order.
      .values(scopes.map((s) => ({ key: keys[s], count: 1, windowEndsAt: sql`now() + make_interval(secs => ${this.windowS})` })))
      .onConflictDoUpdate({
        target: loginThrottle.key,
        set: {
          count: sql`case when ${loginThrottle.windowEndsAt} > now() then ${loginThrottle.count} + 1 else 1 end`,
          windowEndsAt: sql`case when ${loginThrottle.windowEndsAt} > now() then ${loginThrottle.windowEndsAt} else excluded.window_ends_at end`,
        },
      })
      .returning({
        key: loginThrottle.key,
        count: loginThrottle.count,
        waitS: sql<number>`greatest(1, ceil(extract(epoch from ${loginThrottle.windowEndsAt} - now())))::int`,
      })) as Counted[];
    let wait = 0;
    for (const scope of scopes) {
      if (scope === "account" && knownAddress) continue;
      const row = counted.find((c) => c.key === keys[scope]);
      if (row && row.count > this.limits[scope]) wait = Math.max(wait, Number(row.waitS));
    }
    if (wait > 0) await this.release(Object.values(keys));
    void this.sweepNowAndThen();
    return wait;
  }

  /** A correct password: the pair starts afresh and the attempt does not count against the rest. */
  async succeeded(account: string, address: string, userId: string): Promise<void> {
    const keys = limitKeys(account, address);
    await this.db.delete(loginThrottle).where(eq(loginThrottle.key, keys.pair));
    await this.release([keys.address, keys.account]);
    await this.db
      .insert(loginKnownAddresses)
      .values({ userId, address: addressSubject(address) })
      .onConflictDoUpdate({ target: [loginKnownAddresses.userId, loginKnownAddresses.address], set: { lastSuccessAt: sql`now()` } });
  }

  async isKnownAddress(userId: string, address: string): Promise<boolean> {
    const found = await this.db
      .select({ userId: loginKnownAddresses.userId })
      .from(loginKnownAddresses)
      .where(
        and(
          eq(loginKnownAddresses.userId, userId),
          eq(loginKnownAddresses.address, addressSubject(address)),
          sql`${loginKnownAddresses.lastSuccessAt} > now() - make_interval(days => ${KNOWN_ADDRESS_DAYS})`,
        ),
      );
    return found.length > 0;
  }

  /** One row per statement, in key order: an UPDATE over several rows could lock them in any order. */
  private async release(keys: string[]) {
    for (const key of [...keys].sort()) {
      await this.db
        .update(loginThrottle)
        .set({ count: sql`greatest(${loginThrottle.count} - 1, 0)` })
        .where(and(eq(loginThrottle.key, key), sql`${loginThrottle.windowEndsAt} > now()`));
    }
  }

  /** Ended windows and long-unused known addresses go, at most once a minute per process. */
  private async sweepNowAndThen() {
    const now = Date.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    await purgeLoginThrottle(this.db).catch(() => {});
  }
}

export async function purgeLoginThrottle(db: Db) {
  await db.delete(loginThrottle).where(lt(loginThrottle.windowEndsAt, sql`now()`));
  await db.delete(loginKnownAddresses).where(lt(loginKnownAddresses.lastSuccessAt, sql`now() - make_interval(days => ${KNOWN_ADDRESS_DAYS})`));
}
