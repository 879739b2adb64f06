/**
 * Failed-login limiter: fixed windows counted per (account, address), per address and per
 * account. The pair limit stops guessing from one place without locking the owner out
 * elsewhere; the account-wide cap (higher) stops a spread-out attack. In-process state: with
 * several app instances each counts its own share, which only loosens the cap by that factor.
 */
export type LimitRule = { scope: "pair" | "address" | "account"; max: number };

export const DEFAULT_LIMITS: LimitRule[] = [
  { scope: "pair", max: 5 },
  { scope: "address", max: 20 },
  { scope: "account", max: 100 },
];

type Window = { count: number; resetAt: number };

export class LoginLimiter {
  private windows = new Map<string, Window>();
  constructor(
    private windowMs: number,
    private limits: LimitRule[] = DEFAULT_LIMITS,
  ) {}

  private keys(account: string, address: string) {
    return this.limits.map((l) => ({ rule: l, key: l.scope === "pair" ? `p:${account}|${address}` : l.scope === "address" ? `a:${address}` : `u:${account}` }));
  }

  /** Seconds until the caller may try again, or 0 when allowed. */
  retryAfter(account: string, address: string, now = Date.now()): number {
    let wait = 0;
    for (const { rule, key } of this.keys(account, address)) {
      const w = this.windows.get(key);
      if (w && w.resetAt > now && w.count >= rule.max) wait = Math.max(wait, Math.ceil((w.resetAt - now) / 1000));
    }
    return wait;
  }

  recordFailure(account: string, address: string, now = Date.now()) {
    for (const { key } of this.keys(account, address)) {
      const w = this.windows.get(key);
      if (!w || w.resetAt <= now) this.windows.set(key, { count: 1, resetAt: now + this.windowMs });
      else w.count++;
    }
    if (this.windows.size > 50_000) this.sweep(now);
  }

  recordSuccess(account: string, address: string) {
    this.windows.delete(`p:${account}|${address}`);
  }

  private sweep(now: number) {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}
