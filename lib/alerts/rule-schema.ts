/**
 * What a valid alert rule is, in one place: the rules route validates input with it and
 * evaluation relies on the same conditions, so a rule the API accepted is never silently
 * skipped by the run. For PATCH, merge the stored rule with the patch and parse the result.
 */
import { z } from "zod";
import { SelectorSchema } from "@/lib/hosts/selector";
import { ALERT_METRICS, ALERT_RULE_KINDS, DriftRuleConfigSchema, ForecastRuleConfigSchema, PatternRuleConfigSchema, SEVERITIES, THRESHOLD_OPS, isInventoryRuleKind } from "./types";

/**
 * A day. Every run loads `forSeconds` of samples of every host a threshold rule reads, so a
 * week-long window made each run read a week of the fleet's samples (issue 11.15); longer
 * conditions belong to a rule on the aggregate, not to this one.
 */
export const MAX_FOR_SECONDS = 24 * 3600;

/** Repeat notices at most every minute, at least once a week. */
export const MIN_REPEAT_INTERVAL_SECONDS = 60;
export const MAX_REPEAT_INTERVAL_SECONDS = 7 * 86_400;
export const MAX_RULE_CHANNELS = 20;

export const AlertRuleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(ALERT_RULE_KINDS),
    metric: z.enum(ALERT_METRICS).nullish(),
    op: z.enum(THRESHOLD_OPS).nullish(),
    threshold: z.number().finite().nullish(),
    forSeconds: z.number().int().min(0).max(MAX_FOR_SECONDS, { message: `at most ${MAX_FOR_SECONDS} (24 hours)` }).default(0),
    hostId: z.string().min(1).max(64).nullable().default(null),
    /** Instead of hostId: the hosts whose labels match now. */
    selector: SelectorSchema.nullable().default(null),
    severity: z.enum(SEVERITIES),
    enabled: z.boolean().default(true),
    /** Kind-specific settings; for drift `{target, pattern?, changes?}`; for serviceFailed, containerDown, processMissing `{pattern}`. */
    config: z.record(z.string(), z.unknown()).nullish(),
    /** Empty: the routes, then the default channels. */
    channelIds: z
      .array(z.uuid("must be a channel id"))
      .max(MAX_RULE_CHANNELS, { message: `at most ${MAX_RULE_CHANNELS} channels` })
      .refine((ids) => new Set(ids.map((i) => i.toLowerCase())).size === ids.length, { message: "names a channel twice" })
      .default([]),
    repeatIntervalSeconds: z
      .number()
      .int()
      .min(MIN_REPEAT_INTERVAL_SECONDS, { message: `at least ${MIN_REPEAT_INTERVAL_SECONDS} seconds (or null: no repeats)` })
      .max(MAX_REPEAT_INTERVAL_SECONDS, { message: `at most ${MAX_REPEAT_INTERVAL_SECONDS} (7 days)` })
      .nullable()
      .default(null),
    dependsOnRuleId: z.uuid("must be a rule id").nullable().default(null),
  })
  .superRefine((rule, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (rule.kind === "threshold") {
      if (rule.metric == null) need("metric", `a threshold rule needs a metric (${ALERT_METRICS.join(", ")})`);
      if (rule.op == null) need("op", `a threshold rule needs op (${THRESHOLD_OPS.join(" ")})`);
      if (rule.threshold == null) need("threshold", "a threshold rule needs a threshold");
    }
    if (rule.kind === "hostDown" && rule.forSeconds <= 0) need("forSeconds", "a hostDown rule needs forSeconds > 0");
    if (rule.hostId !== null && rule.selector !== null) need("selector", "a rule names one host or a selector, not both");
    if (rule.kind === "forecast") {
      const parsed = ForecastRuleConfigSchema.safeParse(rule.config ?? undefined);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["config", ...issue.path.map(String)], message: issue.message });
      }
    }
    if (rule.kind === "drift" || isInventoryRuleKind(rule.kind)) {
      const parsed = (rule.kind === "drift" ? DriftRuleConfigSchema : PatternRuleConfigSchema).safeParse(rule.config ?? undefined);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["config", ...issue.path.map(String)], message: issue.message });
      }
    }
  });
export type AlertRuleInput = z.infer<typeof AlertRuleInputSchema>;
