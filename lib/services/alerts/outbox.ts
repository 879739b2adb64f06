/**
 * Sending the notification outbox. Any instance may send; a row is sent by the one that
 * claimed it:
 *
 *   claim   one short transaction: `select … for update skip locked` picks due rows no one
 *           else is locking, and the same statement stamps them with a lease (`claimed_until`),
 *           a fresh claim token and one more attempt. Two claimers never get the same row: the
 *           second skips the first's locked rows, and once committed the lease excludes them.
 *   send    outside any transaction (a slow SMTP server holds no connection or lock; PGlite's one
 *           connection stays free). The send is bounded by the notifier's timeout, well below
 *           the lease, so while the holder is still sending nobody else may claim the row.
 *   finish  one statement, valid only with the claim's token: sent, or retry at
 *           now + backoff, or failed after the last attempt or a permanent refusal.
 *
 * A sender that dies between claim and finish (kill -9, a deploy) leaves a row whose lease
 * runs out; the next claimer takes it and the attempt counts. Nothing here lives in process
 * memory but a "this process is already sending" flag, and nothing needs a session: no
 * advisory lock, no LISTEN, so it works through a transaction-mode pooler.
 *
 * Exactly once is what a receiver sees when it honours `X-InfraWatch-Delivery` (the same for
 * every attempt of one transition): a crash after the channel accepted a message but before
 * `finish` committed makes the next claimer send it again, which no sender can rule out.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { notificationChannels } from "@/lib/db/schema";
import { logDbError } from "@/lib/db/log";
import { rows } from "@/lib/db/sql";
import { backoffDelay, ChannelConfigSchema, parseCidrList, createNotifier, deliverWithRetry, type AlertNotification, type NotifierOptions } from "@/lib/alerts/notifiers";

/** What every send of this server may reach, from its settings. */
export const notifierOptionsFor = (env: { notifyAllowCidrs: string }): NotifierOptions => ({ egress: { allow: parseCidrList(env.notifyAllowCidrs).cidrs } });

export interface OutboxPolicy {
  /** Attempts in total, the first included; then the row is "failed". */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long a claim keeps others away: longer than any one send may take. */
  leaseSeconds: number;
}

/** About 17 minutes of retries in all (1 s, 2 s, 4 s … capped at 10 min, half of each jittered). */
export const OUTBOX_POLICY: OutboxPolicy = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 600_000, leaseSeconds: 60 };

/** How often each instance looks for due rows (the run also wakes its own sender at once). */
export const OUTBOX_POLL_MS = 2_000;

/** Rows one sender handles per wake-up, so a backlog is worked off in bounded slices. */
const ROWS_PER_PASS = 200;
const SENDERS = 4;

export interface ClaimedDelivery {
  id: string;
  eventId: string;
  channelId: string;
  state: "firing" | "resolved";
  message: Record<string, unknown>;
  attempts: number;
  claimToken: string;
}

/** Claims up to `limit` due rows for this sender; see the module comment. */
export async function claimDueDeliveries(db: Db, opts: { limit?: number; leaseSeconds?: number } = {}): Promise<ClaimedDelivery[]> {
  const limit = Math.max(1, Math.min(100, Math.floor(opts.limit ?? 1)));
  const lease = `${Math.max(0.001, opts.leaseSeconds ?? OUTBOX_POLICY.leaseSeconds)} seconds`;
  const claimed = await rows<{ id: string; event_id: string; channel_id: string; state: "firing" | "resolved"; message: Record<string, unknown> | string; attempts: number; claim_token: string }>(
    db,
    sql`with due as (
          select id from notification_outbox
          where status = 'pending' and next_attempt_at <= now() and (claimed_until is null or claimed_until <= now())
          order by next_attempt_at
          limit ${limit}
          for update skip locked
        )
        update notification_outbox o
        set claimed_until = now() + ${lease}::interval, claim_token = gen_random_uuid(), attempts = o.attempts + 1
        from due where o.id = due.id
        returning o.id, o.event_id, o.channel_id, o.state, o.message, o.attempts, o.claim_token`,
  );
  return claimed.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    channelId: r.channel_id,
    state: r.state,
    message: typeof r.message === "string" ? (JSON.parse(r.message) as Record<string, unknown>) : r.message,
    attempts: Number(r.attempts),
    claimToken: r.claim_token,
  }));
}

export interface AttemptOutcome {
  ok: boolean;
  /** HTTP status or SMTP reply code, when the channel answered. */
  status: number | null;
  /** A short class ("HTTP 503", "timeout", "address not allowed"), never what the peer said. */
  error: string | null;
  /** False when trying again cannot help (a 404, an SMTP 550, a refused address). */
  retryable: boolean;
  durationMs: number;
}

export type FinishResult = "sent" | "retry" | "failed" | "lost";

/**
 * Records one attempt's outcome, only if `claim` still holds the row ("lost" otherwise: the
 * lease ran out and someone else claimed it, so their outcome is the one that counts).
 */
export async function finishDelivery(db: Db, claim: Pick<ClaimedDelivery, "id" | "claimToken" | "attempts">, outcome: AttemptOutcome, policy: OutboxPolicy = OUTBOX_POLICY, random: () => number = Math.random): Promise<FinishResult> {
  const next: FinishResult = outcome.ok ? "sent" : outcome.retryable && claim.attempts < policy.maxAttempts ? "retry" : "failed";
  const delayMs = next === "retry" ? backoffDelay(claim.attempts, policy.baseDelayMs, policy.maxDelayMs, random) : 0;
  const status = next === "retry" ? "pending" : next;
  const done = await rows<{ id: string }>(
    db,
    sql`update notification_outbox
        set status = ${status}, claimed_until = null, claim_token = null,
            next_attempt_at = case when ${next} = 'retry' then now() + ${`${delayMs} milliseconds`}::interval else next_attempt_at end,
            sent_at = case when ${next} = 'sent' then now() else sent_at end,
            last_status = ${outcome.status}, last_error = ${outcome.error ? outcome.error.slice(0, 120) : null},
            last_attempt_at = now(), last_duration_ms = ${Math.round(outcome.durationMs)}
        where id = ${claim.id}::uuid and claim_token = ${claim.claimToken}::uuid
        returning id`,
  );
  return done.length === 1 ? next : "lost";
}

/** The stored wire form back into what notifiers take. */
export function notificationFromPayload(p: Record<string, unknown>): AlertNotification {
  return {
    state: p.state as AlertNotification["state"],
    eventId: String(p.eventId),
    rule: p.rule as AlertNotification["rule"],
    host: p.host as AlertNotification["host"],
    value: typeof p.value === "number" ? p.value : null,
    message: String(p.message ?? ""),
    startedAt: new Date(String(p.startedAt)),
    resolvedAt: typeof p.resolvedAt === "string" ? new Date(p.resolvedAt) : null,
    url: typeof p.url === "string" ? p.url : null,
    // A one-host list says nothing `host` does not; a message of a single event stays one.
    ...(Array.isArray(p.hosts) && p.hosts.length > 1 ? { hosts: p.hosts as NonNullable<AlertNotification["hosts"]> } : {}),
    ...(typeof p.repeat === "number" && p.repeat > 0 ? { repeat: p.repeat } : {}),
  };
}

async function attempt(db: Db, claim: ClaimedDelivery, notifier: NotifierOptions): Promise<AttemptOutcome> {
  const [channel] = await db
    .select({ config: notificationChannels.config, enabled: notificationChannels.enabled })
    .from(notificationChannels)
    .where(eq(notificationChannels.id, claim.channelId));
  if (!channel) return { ok: false, status: null, error: "channel deleted", retryable: false, durationMs: 0 };
  if (!channel.enabled) return { ok: false, status: null, error: "channel disabled", retryable: false, durationMs: 0 };
  const config = ChannelConfigSchema.safeParse(channel.config);
  if (!config.success) return { ok: false, status: null, error: "invalid channel configuration", retryable: false, durationMs: 0 };
  // The channel as it is now: a PATCH since the event (new URL, dropped secret) applies to retries.
  const result = await deliverWithRetry(createNotifier(config.data, notifier), notificationFromPayload(claim.message), { attempts: 1 });
  const a = result.attempts[0]!;
  return { ok: result.delivered, status: a.status, error: a.error, retryable: a.retryable, durationMs: a.durationMs };
}

export interface SendPassResult {
  sent: number;
  retried: number;
  failed: number;
  lost: number;
}

/**
 * Sends what is due, with a few senders in parallel each claiming one row at a time (a hanging
 * channel holds up one sender, not the queue). Bounded per call; the poller calls again.
 */
export async function sendDueNotifications(db: Db, opts: { notifier?: NotifierOptions; policy?: OutboxPolicy; maxRows?: number } = {}): Promise<SendPassResult> {
  const policy = opts.policy ?? OUTBOX_POLICY;
  const totals: SendPassResult = { sent: 0, retried: 0, failed: 0, lost: 0 };
  let budget = opts.maxRows ?? ROWS_PER_PASS;
  const sender = async () => {
    while (budget > 0) {
      budget--;
      const [claim] = await claimDueDeliveries(db, { limit: 1, leaseSeconds: policy.leaseSeconds });
      if (!claim) return;
      const outcome = await attempt(db, claim, opts.notifier ?? {}).catch((err: unknown): AttemptOutcome => {
        logDbError("notification send", err, { delivery: claim.id });
        return { ok: false, status: null, error: "internal error", retryable: true, durationMs: 0 };
      });
      const r = await finishDelivery(db, claim, outcome, policy);
      totals[r === "retry" ? "retried" : r]++;
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return totals;
}

const SENDING = Symbol.for("infra-watch.outbox-sending");
type Holder = { [SENDING]?: WeakMap<Db, Promise<unknown>> };

/**
 * Starts a send pass in the background unless this process already runs one for this
 * database (the claim, not this flag, is what keeps instances apart). Returns the pass.
 */
export function wakeOutboxSender(db: Db, opts: { notifier?: NotifierOptions } = {}): Promise<unknown> {
  const holder = globalThis as Holder;
  const passes = (holder[SENDING] ??= new WeakMap());
  const running = passes.get(db);
  if (running) return running;
  const pass = sendDueNotifications(db, opts)
    .catch((err: unknown) => logDbError("notification outbox", err))
    .finally(() => passes.delete(db));
  passes.set(db, pass);
  return pass;
}
