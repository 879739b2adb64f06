import type { AppContext } from "@/lib/context";
import { jsonOf, route } from "@/lib/http";
import { EvaluationResultSchema, runAlertEvaluation, type RunResult } from "@/lib/services/alerts/run";
import { notifierOptionsFor, wakeOutboxSender } from "@/lib/services/alerts/outbox";

export const dynamic = "force-dynamic";

/**
 * Runs one evaluation (Vercel cron sends GET). A run in progress elsewhere is waited for, so
 * the answer describes an evaluation that started after this call; `skipped: true` only when
 * the lock could not be had within 30 s.
 */
const evaluate = async (ctx: AppContext) => {
  const r: RunResult = await runAlertEvaluation(ctx, { trigger: "cron", wait: true, lockTimeoutMs: 30_000, publicUrl: ctx.env.publicUrl });
  // Not awaited: the answer never waits for a channel. The outbox keeps what this pass misses.
  if (r.notifications > 0) void wakeOutboxSender(ctx.db, { notifier: notifierOptionsFor(ctx.env) });
  return jsonOf(EvaluationResultSchema, { evaluated: r.evaluated, fired: r.fired, resolved: r.resolved, skipped: r.skipped, runId: r.runId, notifications: r.notifications, skippedRules: r.skippedRules, durationMs: r.durationMs });
};

export const GET = route("GET /api/cron/alerts", async ({ ctx }) => evaluate(ctx));
export const POST = route("POST /api/cron/alerts", async ({ ctx }) => evaluate(ctx));
