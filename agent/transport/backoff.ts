/**
 * Delay before retry number `attempt` (0-based): doubling from `baseMs` up to `maxMs`, with
 * "equal jitter" (half fixed, half random) so a fleet that lost its server at the same moment
 * does not come back in lockstep, yet no agent retries sooner than half the nominal delay.
 */
export function backoffDelay(attempt: number, { baseMs = 1000, maxMs = 60_000 } = {}, random = Math.random): number {
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
