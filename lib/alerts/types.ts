/**
 * The shapes alert evaluation works on. They mirror the `alert_rules`, `alert_events`,
 * `hosts` and `metrics` rows closely enough that the run can pass rows straight in, while
 * naming only what evaluation reads, so tests build them by hand.
 */
import { z } from "zod";
import type { SnapshotDiff } from "@/lib/protocol";
import type { ContainerItem, ServiceItem } from "@/lib/snapshots/sections";
import { ALERTABLE_METRIC_NAMES, isAlertableMetric, type AlertableMetricName } from "@/lib/protocol/metrics";

export const ALERT_RULE_KINDS = ["threshold", "hostDown", "drift", "forecast", "serviceFailed", "containerDown", "processMissing"] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const THRESHOLD_OPS = [">", ">=", "<", "<="] as const;
export type ThresholdOp = (typeof THRESHOLD_OPS)[number];

/** The metrics a threshold rule can watch: the registry's alertable ones (lib/protocol/metrics.ts). */
export const ALERT_METRICS = ALERTABLE_METRIC_NAMES as readonly [AlertMetric, ...AlertMetric[]];
export type AlertMetric = AlertableMetricName;
export const isAlertMetric = (m: unknown): m is AlertMetric => isAlertableMetric(m);

/** The inventory targets read a section's items by their natural name (lib/snapshots/sections.ts). */
export const DRIFT_TARGETS = ["packages", "kernel", "os", "env", "ports", "users", "groups", "services", "jobs", "files", "containers", "hardware", "sysctl", "kernelCmdline"] as const;
export type DriftTarget = (typeof DRIFT_TARGETS)[number];
export const DRIFT_CHANGES = ["added", "removed", "changed"] as const;
export type DriftChange = (typeof DRIFT_CHANGES)[number];

/**
 * A drift rule's settings, stored in the rule's `config`. `pattern` is a glob (`*` any run,
 * `?` one character, case-sensitive) over package names, env keys, or the new kernel / OS
 * string; absent, anything matches. `changes` narrows packages/env to some change kinds
 * ("a package matching nginx* was removed"); absent, all three count.
 */
export const DriftRuleConfigSchema = z.object({
  target: z.enum(DRIFT_TARGETS),
  pattern: z.string().min(1).max(256).optional(),
  changes: z.array(z.enum(DRIFT_CHANGES)).min(1).max(3).optional(),
});
export type DriftRuleConfig = z.infer<typeof DriftRuleConfigSchema>;

/** The rule kinds that watch a host's current inventory (lib/alerts/inventory-rules.ts). */
export const INVENTORY_RULE_KINDS = ["serviceFailed", "containerDown", "processMissing"] as const satisfies readonly AlertRuleKind[];
export type InventoryRuleKind = (typeof INVENTORY_RULE_KINDS)[number];
export const isInventoryRuleKind = (kind: unknown): kind is InventoryRuleKind => (INVENTORY_RULE_KINDS as readonly unknown[]).includes(kind);

/**
 * The settings of serviceFailed, containerDown and processMissing rules: `pattern`, a glob
 * (`*`, `?`, case-sensitive) over unit names, container names or process names.
 */
export const PatternRuleConfigSchema = z.object({ pattern: z.string().min(1).max(256) });
export type PatternRuleConfig = z.infer<typeof PatternRuleConfigSchema>;

/** The host's newest snapshot's services and containers; an absent section was not collected. */
export interface HostInventoryState {
  ts: Date;
  services?: readonly ServiceItem[];
  containers?: readonly ContainerItem[];
}

/**
 * What the host runs: the names in its newest process sample (`top`, the top-N list, which
 * proves presence but never absence) and the newest complete list of process names its agent
 * sent (`names`, null when it sends none).
 */
export interface HostProcessState {
  topTs: Date | null;
  top: readonly string[];
  namesTs: Date | null;
  names: readonly string[] | null;
}

/** Metrics a forecast rule can project; used percent of a mount is the one that fills up. */
export const FORECAST_METRICS = ["diskPct"] as const;
export const MIN_FORECAST_LOOKBACK_SECONDS = 15 * 60;
export const MAX_FORECAST_LOOKBACK_SECONDS = 7 * 86_400;
export const MAX_FORECAST_WITHIN_SECONDS = 90 * 86_400;

/**
 * A forecast rule's settings, stored in the rule's `config`: fit the used percent of each
 * mount (or only `mount`) over `lookbackSeconds` and fire when the line reaches `threshold`
 * (default 100) within `withinSeconds`.
 */
export const ForecastRuleConfigSchema = z.object({
  metric: z.enum(FORECAST_METRICS),
  mount: z.string().min(1).max(4096).optional(),
  lookbackSeconds: z
    .number()
    .int()
    .min(MIN_FORECAST_LOOKBACK_SECONDS, { message: `at least ${MIN_FORECAST_LOOKBACK_SECONDS} (15 minutes)` })
    .max(MAX_FORECAST_LOOKBACK_SECONDS, { message: `at most ${MAX_FORECAST_LOOKBACK_SECONDS} (7 days)` }),
  withinSeconds: z
    .number()
    .int()
    .min(60, { message: "at least 60" })
    .max(MAX_FORECAST_WITHIN_SECONDS, { message: `at most ${MAX_FORECAST_WITHIN_SECONDS} (90 days)` }),
  threshold: z.number().finite().gt(0).max(100).default(100),
});
export type ForecastRuleConfig = z.infer<typeof ForecastRuleConfigSchema>;

/**
 * One alert rule as stored. Fields that only some kinds use are nullable, as in the table;
 * a rule missing what its kind needs is reported in `EvaluationResult.skipped`, not guessed at.
 */
export interface AlertRule {
  id: string;
  name: string;
  kind: AlertRuleKind;
  metric?: string | null;
  op?: ThresholdOp | null;
  threshold?: number | null;
  forSeconds: number;
  /** null (and no selector): every host. */
  hostId: string | null;
  /** A label selector (lib/hosts/selector.ts): the hosts whose labels match it now. */
  selector?: string | null;
  severity: Severity;
  enabled: boolean;
  /** Kind-specific settings; for drift a `DriftRuleConfig`, for forecast a `ForecastRuleConfig`. */
  config?: Record<string, unknown> | null;
  /** Channels to notify; empty: the routes, then the default channels. */
  channelIds?: readonly string[] | null;
  /** Notify a firing, unacknowledged event again this often; null: once. */
  repeatIntervalSeconds?: number | null;
  /** While that rule fires on a host, this one's events there are suppressed (recorded, not notified). */
  dependsOnRuleId?: string | null;
}

/** A metrics row: a timestamp and whichever metric columns it carries (null = not reported). */
export type MetricSample = { ts: Date } & Partial<Record<AlertMetric, number | null>>;

/** A host as evaluation watches it: one that exists now (deleted hosts are simply absent). */
export interface WatchedHost {
  id: string;
  hostname?: string;
  createdAt: Date;
  lastSeenAt?: Date | null;
  /** The host's labels, which selector-scoped rules, routes and maintenance windows match. */
  labels?: Readonly<Record<string, string>> | null;
}

/** An event in state firing. */
export interface OpenAlertEvent {
  id: string;
  ruleId: string;
  hostId: string;
  startedAt: Date;
  value?: number | null;
  message?: string | null;
  /** Acknowledged: no more repeat notices. */
  ackedAt?: Date | null;
  /** When channels last heard it fires; null: never (it fired muted). */
  lastNotifiedAt?: Date | null;
  /** Repeat notices queued so far. */
  repeats?: number;
}

/**
 * Mutes notifications (events are still logged) for a rule, a host, or a rule on one host,
 * from `startsAt` (default: at once) until `endsAt`.
 */
export interface Silence {
  ruleId?: string | null;
  hostId?: string | null;
  startsAt?: Date | null;
  endsAt: Date;
  reason?: string | null;
}

/**
 * A maintenance window as evaluation checks it: a host or a selector (neither: refused at
 * input), open from `startsAt` to `endsAt`, or for `durationSeconds` from each start of `cron`
 * in `timezone`.
 */
export interface MaintenanceWindow {
  id: string;
  hostId?: string | null;
  selector?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  cron?: string | null;
  timezone?: string | null;
  durationSeconds?: number | null;
}

/** One mount's used percent over time, oldest first (t in epoch milliseconds). */
export type DiskSeries = ReadonlyMap<string, readonly { t: number; pct: number }[]>;

/** A stored snapshot that changed its host's configuration since the previous evaluation run. */
export interface SnapshotChange {
  hostId: string;
  snapshotId?: string;
  ts: Date;
  diff: SnapshotDiff;
}

type MapOrRecord<V> = ReadonlyMap<string, V> | Readonly<Record<string, V>>;

export interface EvaluationInput {
  rules: readonly AlertRule[];
  /** Samples per host id within `windowFor(rules)`, any order. */
  samplesByHost: MapOrRecord<readonly MetricSample[]>;
  /** Last contact per host id; falls back to `WatchedHost.lastSeenAt`, then `createdAt`. */
  lastSeenByHost?: MapOrRecord<Date | null | undefined>;
  hosts: readonly WatchedHost[];
  openEvents: readonly OpenAlertEvent[];
  silences?: readonly Silence[];
  /** Changed snapshots recorded since the previous run; each is seen by exactly one run. */
  snapshotChanges?: readonly SnapshotChange[];
  /** Per host id, for serviceFailed and containerDown rules. */
  inventoryByHost?: MapOrRecord<HostInventoryState>;
  /** Per host id, for processMissing rules. */
  processesByHost?: MapOrRecord<HostProcessState>;
  /** Maintenance windows that may be open now (the run reads those not over). */
  maintenance?: readonly MaintenanceWindow[];
  /** Per host id, per mount: used percent within the longest forecast lookback, oldest first. */
  disksByHost?: MapOrRecord<DiskSeries>;
  now: Date;
  /**
   * A host whose newest sample of a metric is older than this has no current value: missing
   * data, which neither fires nor resolves a threshold rule. Default 300.
   */
  staleAfterSeconds?: number;
}

export type ResolveReason =
  /** The condition no longer holds (threshold below, host reporting again). */
  | "recovered"
  /** A drift event lasts one run: the next run without a new matching change closes it. */
  | "elapsed"
  /** A new matching drift replaced this one; the matching fire follows in the same result. */
  | "superseded"
  | "ruleDisabled"
  | "ruleDeleted"
  | "hostDeleted"
  /** The rule was re-scoped to another host. */
  | "outOfScope"
  /** A second open event for the same pair (should not exist given the unique index). */
  | "duplicate";

export interface FireTransition {
  ruleId: string;
  hostId: string;
  kind: AlertRuleKind;
  severity: Severity;
  /** The value that triggered it: the metric value, seconds silent, or matching changes. */
  value: number | null;
  message: string;
  /** When the event starts: the evaluation time. */
  startedAt: Date;
  /** When the condition began (oldest sample of the run, last contact, snapshot time). */
  conditionSince: Date;
  silenced: boolean;
  /** A maintenance window covers the host now. */
  maintenance: boolean;
  /** The rule this one depends on fires on the host. */
  suppressed: boolean;
  /** Whether channels should hear of it: not when silenced, in maintenance or suppressed. */
  notify: boolean;
}

export interface ResolveTransition {
  eventId: string;
  ruleId: string;
  hostId: string;
  kind: AlertRuleKind | null;
  reason: ResolveReason;
  /** The value that resolved it (latest sample, seconds since contact); null for housekeeping. */
  value: number | null;
  message: string;
  resolvedAt: Date;
  silenced: boolean;
  maintenance: boolean;
  /**
   * Only a real recovery is news; events closed because a rule was disabled, a host deleted
   * or a drift run elapsed are closed quietly.
   */
  notify: boolean;
}

/** A firing, unacknowledged event whose rule's repeat interval has passed since channels last heard of it. */
export interface RepeatNotice {
  eventId: string;
  ruleId: string;
  hostId: string;
  /** 1 for the first repeat. */
  repeat: number;
  value: number | null;
  message: string;
  startedAt: Date;
}

export interface EvaluationResult {
  /** Apply `resolve` before `fire`: a superseded drift event must close before its successor opens. */
  resolve: ResolveTransition[];
  fire: FireTransition[];
  /** Repeat notices due now (events that stay open through this run). */
  repeat: RepeatNotice[];
  /** Enabled rule × in-scope host pairs looked at. */
  evaluated: number;
  /** Enabled rules that cannot be evaluated as configured. */
  skipped: { ruleId: string; reason: string }[];
}
