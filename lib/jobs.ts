/**
 * In-process background jobs, started once per server process. Each run is guarded so a slow
 * run is never overlapped by the next tick, and a failing run only logs.
 */
import { sql } from "drizzle-orm";
import type { AppContext } from "@/lib/context";
import { purgeAuthTokens } from "@/lib/services/auth";
import { runAlertEvaluation } from "@/lib/services/alerts/run";
import { logDbError } from "@/lib/db/log";
import { purgeExpiredRollups } from "@/lib/db/rollups";
import { notifierOptionsFor, OUTBOX_POLL_MS, wakeOutboxSender } from "@/lib/services/alerts/outbox";
import { purgeExpiredSnapshots } from "@/lib/services/snapshots";
import { purgeStaleReenrollments } from "@/lib/services/enrollment";

const STARTED = Symbol.for("infra-watch.jobs");

type Job = { name: string; everyMs: number; run: () => Promise<unknown> };

function schedule(job: Job) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await job.run();
    } catch (err) {
      logDbError(job.name, err);
    } finally {
      running = false;
    }
  };
  setInterval(tick, job.everyMs).unref();
  setTimeout(tick, Math.min(job.everyMs, 5_000)).unref();
}

/** Without TimescaleDB's retention policy, old samples are deleted here. */
export async function purgeExpiredMetrics(ctx: Pick<AppContext, "db">, retentionDays: number) {
  await ctx.db.execute(sql`delete from metrics where ts < now() - ${retentionDays}::int * interval '1 day'`);
  // A sample's processes live exactly as long as its metrics row.
  await ctx.db.execute(sql`delete from process_samples where ts < now() - ${retentionDays}::int * interval '1 day'`);
  await purgeExpiredRollups(ctx.db, retentionDays);
}

/**
 * A sample's container stats live as long as samples, on every database: container_samples is a
 * plain table (no hypertable) also on TimescaleDB, so its purge does not depend on a policy.
 */
export async function purgeExpiredContainerSamples(ctx: Pick<AppContext, "db">, retentionDays: number) {
  await ctx.db.execute(sql`delete from container_samples where ts < now() - ${retentionDays}::int * interval '1 day'`);
}

export function backgroundJobs(ctx: AppContext): Job[] {
  const jobs: Job[] = [{ name: "auth token cleanup", everyMs: 3_600_000, run: () => purgeAuthTokens(ctx) }];
  jobs.push({ name: "snapshot retention", everyMs: 3_600_000, run: () => purgeExpiredSnapshots(ctx.db, ctx.env.snapshotRetentionDays) });
  jobs.push({ name: "re-enrollment request cleanup", everyMs: 3_600_000, run: () => purgeStaleReenrollments(ctx.db) });
  jobs.push({ name: "container sample retention", everyMs: 3_600_000, run: () => purgeExpiredContainerSamples(ctx, ctx.env.retentionDays) });
  if (!ctx.database.timescale) {
    jobs.push({ name: "metrics retention", everyMs: 3_600_000, run: () => purgeExpiredMetrics(ctx, ctx.env.retentionDays) });
  }
  // Every instance runs the timer; the advisory lock lets one of them evaluate per tick and the others skip.
  const notifier = notifierOptionsFor(ctx.env);
  if (ctx.env.alertIntervalS > 0) {
    jobs.push({
      name: "alert evaluation",
      everyMs: ctx.env.alertIntervalS * 1000,
      run: async () => {
        const r = await runAlertEvaluation(ctx, { trigger: "timer", publicUrl: ctx.env.publicUrl });
        if (r.notifications > 0) void wakeOutboxSender(ctx.db, { notifier });
        return r;
      },
    });
  }
  // Always on, even with the evaluation timer off (cron-driven deployments): queued rows, retries
  // and rows a crashed instance left claimed are sent by whichever instance looks first.
  jobs.push({ name: "notification outbox", everyMs: OUTBOX_POLL_MS, run: () => wakeOutboxSender(ctx.db, { notifier }) });
  return jobs;
}

export function startBackgroundJobs(ctx: AppContext) {
  const holder = globalThis as { [STARTED]?: boolean };
  if (holder[STARTED]) return;
  holder[STARTED] = true;
  for (const job of backgroundJobs(ctx)) schedule(job);
}
