/**
 * Which host an agent token belongs to, remembered for a few seconds so the ingest path does
 * not pay a database round trip per request for it. This process forgets a token at once when
 * it re-enrolls, revokes or deletes the host; another app instance may accept a revoked token
 * for up to `ttlMs` (samples of a deleted host still fail on the foreign key and answer 401).
 */
export class AgentTokenCache {
  private entries = new Map<string, { hostId: string; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(tokenHash: string, now = Date.now()): string | undefined {
    const e = this.entries.get(tokenHash);
    if (!e) return undefined;
    if (e.expiresAt <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return e.hostId;
  }

  set(tokenHash: string, hostId: string, now = Date.now()) {
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(tokenHash, { hostId, expiresAt: now + this.ttlMs });
  }

  forgetHost(hostId: string) {
    for (const [hash, e] of this.entries) if (e.hostId === hostId) this.entries.delete(hash);
  }
}
