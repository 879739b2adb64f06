/**
 * Alert rule evaluation: from rules, recent samples, last contact, open events and snapshot
 * changes to the events that open and close now. Pure; the evaluation run does the reading
 * (only `windowFor(rules)` seconds of samples) and applies the result in one transaction.
 */
import { formatDuration } from "@/lib/format/duration";
import { matches, parseSelectorSyntax, type Selector } from "@/lib/hosts/selector";
import { matchDriftRule, parseDriftConfig } from "./drift";
import { containerDownState, processMissingState, serviceFailedState, type InventoryVerdict } from "./inventory-rules";
import { forecastBreaches, forecastUsage } from "./forecast";
import { openMaintenance } from "./maintenance";
import { MAX_FOR_SECONDS } from "./rule-schema";
import {
  ForecastRuleConfigSchema,
  isAlertMetric,
  THRESHOLD_OPS,
  type AlertMetric,
  type AlertRule,
  type DriftRuleConfig,
  type ForecastRuleConfig,
  type EvaluationInput,
  type InventoryRuleKind,
  PatternRuleConfigSchema,
  type EvaluationResult,
  type WatchedHost,
  type MetricSample,
  type OpenAlertEvent,
  type ResolveReason,
  type ResolveTransition,
  type Silence,
  type SnapshotChange,
  type ThresholdOp,
} from "./types";

export const DEFAULT_STALE_AFTER_SECONDS = 300;

/**
 * Seconds of samples the run must load for these rules: the longest threshold `forSeconds`
 * plus the staleness allowance, so the oldest sample of a qualifying run is in view. Zero when
 * no enabled threshold rule exists: hostDown reads last contact and drift reads snapshot
 * changes, neither reads samples.
 */
export function windowFor(rules: readonly AlertRule[], opts: { staleAfterSeconds?: number } = {}): number {
  const stale = opts.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS;
  let longest = -1;
  // A rule stored before the cap is skipped by the run (see prepare), so it widens nothing.
  for (const r of rules) if (r.enabled && r.kind === "threshold" && r.forSeconds <= MAX_FOR_SECONDS) longest = Math.max(longest, Math.max(0, r.forSeconds));
  return longest < 0 ? 0 : longest + stale;
}

/** What one run has to read, so the run issues one narrow query per kind and nothing else. */
export interface EvaluationNeeds {
  /** Seconds of samples to load (`windowFor`); 0: no sample query at all. */
  samplesSeconds: number;
  /** The metric columns threshold rules read. */
  metrics: AlertMetric[];
  /**
   * Hosts whose samples any enabled rule reads: "all" as soon as one rule is fleet-wide.
   * Narrows the sample query only; `hosts` must still list every existing host, or open
   * events on the others would be closed as if their hosts were deleted.
   */
  hostIds: "all" | string[];
  /** Whether any enabled drift rule needs the snapshot changes since the previous run. */
  snapshotChanges: boolean;
  /** Whether serviceFailed or containerDown rules need each host's newest inventory. */
  inventory: boolean;
  /** Whether processMissing rules need each host's newest processes. */
  processes: boolean;
  /** Seconds of disk usage forecast rules fit (the longest lookback); 0: none. */
  diskSeconds: number;
}

export function evaluationNeeds(rules: readonly AlertRule[], opts: { staleAfterSeconds?: number } = {}): EvaluationNeeds {
  const metrics = new Set<AlertMetric>();
  const hostIds = new Set<string>();
  let allHosts = false;
  let snapshotChanges = false;
  let inventory = false;
  let processes = false;
  let diskSeconds = 0;
  for (const r of rules) {
    if (!r.enabled) continue;
    if (r.kind === "threshold" && isAlertMetric(r.metric)) metrics.add(r.metric);
    if (r.kind === "drift") snapshotChanges = true;
    if (r.kind === "serviceFailed" || r.kind === "containerDown") inventory = true;
    if (r.kind === "processMissing") processes = true;
    if (r.kind === "forecast") {
      const config = ForecastRuleConfigSchema.safeParse(r.config);
      if (config.success) diskSeconds = Math.max(diskSeconds, config.data.lookbackSeconds);
    }
    // A selector's hosts are known only with their labels: such a rule reads the fleet's samples.
    if (r.hostId === null) allHosts = true;
    else hostIds.add(r.hostId);
  }
  return { samplesSeconds: windowFor(rules, opts), metrics: [...metrics].sort(), hostIds: allHosts ? "all" : [...hostIds].sort(), snapshotChanges, inventory, processes, diskSeconds };
}

export function meetsThreshold(value: number, op: ThresholdOp, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
  }
}

export type ThresholdState =
  | { state: "firing"; value: number; since: Date }
  /** Met now, but not yet for `forSeconds`. */
  | { state: "pending"; value: number; since: Date }
  | { state: "ok"; value: number }
  | { state: "noData" };

/**
 * The contract's `for` semantics: the latest sample meets the condition, so does every sample
 * back to the oldest of that unbroken run, and that oldest one is at least `forSeconds` old.
 * The run is counted in samples, as the contract says, so a reporting gap inside it does not
 * break it (silence is hostDown's business). Only samples within `forSeconds +
 * staleAfterSeconds` count, so the answer does not depend on how much history the caller
 * happened to load beyond `windowFor`.
 *
 * `samples` must be newest first.
 */
export function thresholdState(
  rule: { metric: AlertMetric; op: ThresholdOp; threshold: number; forSeconds: number },
  samples: readonly MetricSample[],
  now: Date,
  staleAfterSeconds = DEFAULT_STALE_AFTER_SECONDS,
): ThresholdState {
  const staleMs = staleAfterSeconds * 1000;
  const forMs = Math.max(0, rule.forSeconds) * 1000;
  const horizon = now.getTime() - forMs - staleMs;
  let latest: { value: number; ts: number } | null = null;
  let oldest = 0;
  for (const s of samples) {
    const value = s[rule.metric];
    if (value === null || value === undefined || !Number.isFinite(value)) continue;
    const ts = s.ts.getTime();
    if (ts < horizon) break;
    if (!latest) {
      if (now.getTime() - ts > staleMs) return { state: "noData" };
      if (!meetsThreshold(value, rule.op, rule.threshold)) return { state: "ok", value };
      latest = { value, ts };
      oldest = ts;
      continue;
    }
    if (!meetsThreshold(value, rule.op, rule.threshold)) break;
    oldest = ts;
  }
  if (!latest) return { state: "noData" };
  const since = new Date(oldest);
  return now.getTime() - oldest >= forMs ? { state: "firing", value: latest.value, since } : { state: "pending", value: latest.value, since };
}

/** A rule's hosts: its one host, the hosts its selector matches now, or every host. */
function scopeOf(rule: AlertRule, selector: Selector | null, hosts: readonly WatchedHost[], hostsById: ReadonlyMap<string, WatchedHost>): readonly WatchedHost[] {
  if (rule.hostId !== null) {
    const host = hostsById.get(rule.hostId);
    return host ? [host] : [];
  }
  if (selector) return hosts.filter((h) => matches(selector, h.labels ?? {}));
  return hosts;
}

export function isSilenced(silences: readonly Silence[] | undefined, ruleId: string, hostId: string, now: Date): boolean {
  if (!silences) return false;
  const t = now.getTime();
  return silences.some(
    (s) =>
      (s.ruleId == null || s.ruleId === ruleId) &&
      (s.hostId == null || s.hostId === hostId) &&
      (s.startsAt == null || s.startsAt.getTime() <= t) &&
      t < s.endsAt.getTime(),
  );
}

const formatValue = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) >= 100 ? 0 : 1));

function get<V>(m: ReadonlyMap<string, V> | Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  if (!m) return undefined;
  if (m instanceof Map) return m.get(key);
  return Object.hasOwn(m, key) ? (m as Record<string, V>)[key] : undefined;
}

const pairKey = (ruleId: string, hostId: string): string => `${ruleId}\u0000${hostId}`;

type PreparedKind =
  | { kind: "threshold"; metric: AlertMetric; op: ThresholdOp; threshold: number }
  | { kind: "hostDown" }
  | { kind: "drift"; drift: DriftRuleConfig }
  | { kind: InventoryRuleKind; pattern: string }
  | { kind: "forecast"; forecast: ForecastRuleConfig };
type Prepared = PreparedKind & { selector: Selector | null };

function prepare(rule: AlertRule): Prepared | string {
  let selector: Selector | null = null;
  if (rule.hostId === null && rule.selector) {
    try {
      selector = parseSelectorSyntax(rule.selector);
    } catch (err) {
      return `selector: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const kind = prepareKind(rule);
  return typeof kind === "string" ? kind : { ...kind, selector };
}

function prepareKind(rule: AlertRule): PreparedKind | string {
  if (!Number.isFinite(rule.forSeconds) || rule.forSeconds < 0) return "forSeconds must be a non-negative number";
  if (rule.forSeconds > MAX_FOR_SECONDS) return `forSeconds above ${MAX_FOR_SECONDS} (24 hours)`;
  switch (rule.kind) {
    case "threshold":
      if (!isAlertMetric(rule.metric)) return `unknown metric ${JSON.stringify(rule.metric ?? null)}`;
      if (!rule.op || !THRESHOLD_OPS.includes(rule.op)) return "threshold rule needs op";
      if (typeof rule.threshold !== "number" || !Number.isFinite(rule.threshold)) return "threshold rule needs a finite threshold";
      return { kind: "threshold", metric: rule.metric, op: rule.op, threshold: rule.threshold };
    case "hostDown":
      // With 0 every host would be down between any two reports.
      if (rule.forSeconds <= 0) return "hostDown rule needs forSeconds > 0";
      return { kind: "hostDown" };
    case "drift": {
      const drift = parseDriftConfig(rule.config);
      return drift ? { kind: "drift", drift } : "drift rule needs config {target, pattern?, changes?}";
    }
    case "serviceFailed":
    case "containerDown":
    case "processMissing": {
      const parsed = PatternRuleConfigSchema.safeParse(rule.config);
      return parsed.success ? { kind: rule.kind, pattern: parsed.data.pattern } : `${rule.kind} rule needs config {pattern}`;
    }
    case "forecast": {
      const forecast = ForecastRuleConfigSchema.safeParse(rule.config);
      return forecast.success ? { kind: "forecast", forecast: forecast.data } : "forecast rule needs config {metric, mount?, lookbackSeconds, withinSeconds, threshold?}";
    }
    default:
      return `unknown rule kind ${JSON.stringify(rule.kind)}`;
  }
}

/**
 * Decides every transition of one run.
 *
 * - threshold: fires per `thresholdState`; resolves only on a current sample that no longer
 *   meets the condition. No current sample (host silent, metric not reported) changes nothing:
 *   silence is hostDown's business, never a false "resolved".
 * - hostDown: fires when `now - lastSeen >= forSeconds` (a host that never reported counts
 *   from its creation); resolves when the host is heard from within `forSeconds` again.
 * - drift: instant. A run that sees a matching snapshot change opens an event; the next run
 *   closes it (`elapsed`, quietly) unless it sees another matching change, in which case the
 *   old event is `superseded` and a new one opens, so every change gets its own event and
 *   notification while a (rule, host) pair still never holds two open events.
 * - Open events of disabled or deleted rules, deleted hosts, or hosts a rule no longer covers
 *   are resolved without notification. A rule that cannot be evaluated as configured leaves
 *   its events alone and is listed in `skipped`.
 * - serviceFailed, containerDown, processMissing: state rules over the host's newest inventory
 *   or processes (./inventory-rules.ts): fire while the state holds, resolve when a newer state
 *   no longer shows it; an unknown state (not collected, stale) changes nothing.
 * - forecast: per mount, a least-squares line over the lookback (lib/alerts/forecast.ts); fires
 *   when any mount (or the configured one) reaches the threshold within `withinSeconds`,
 *   resolves when a forecast exists and none does. No usable data changes nothing.
 * - Silences and maintenance windows only mute: the transition happens, marked, with
 *   `notify: false`. So does a rule whose `dependsOnRuleId` fires on the same host after this run.
 * - Repeats: an event that stays open, is not acknowledged and not muted gets a repeat notice
 *   once its rule's `repeatIntervalSeconds` passed since channels last heard of it.
 */
export function evaluateRules(input: EvaluationInput): EvaluationResult {
  const { now } = input;
  const staleAfter = input.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS;
  const result: EvaluationResult = { resolve: [], fire: [], repeat: [], evaluated: 0, skipped: [] };
  const maintenance = openMaintenance(input.maintenance ?? [], now);

  const hostsById = new Map<string, WatchedHost>();
  for (const h of input.hosts) hostsById.set(h.id, h);
  const rulesById = new Map<string, AlertRule>();
  for (const r of input.rules) rulesById.set(r.id, r);

  const open = new Map<string, OpenAlertEvent>();
  for (const e of input.openEvents) {
    const key = pairKey(e.ruleId, e.hostId);
    if (open.has(key)) result.resolve.push(housekeeping(e, rulesById.get(e.ruleId) ?? null, "duplicate", now, input.silences));
    else open.set(key, e);
  }
  const handled = new Set<string>();

  const sortedSamples = new Map<string, MetricSample[]>();
  const samplesOf = (hostId: string): MetricSample[] => {
    let s = sortedSamples.get(hostId);
    if (!s) {
      s = [...(get(input.samplesByHost, hostId) ?? [])].sort((a, b) => b.ts.getTime() - a.ts.getTime());
      sortedSamples.set(hostId, s);
    }
    return s;
  };
  const changesByHost = new Map<string, SnapshotChange[]>();
  for (const c of input.snapshotChanges ?? []) {
    const list = changesByHost.get(c.hostId);
    if (list) list.push(c);
    else changesByHost.set(c.hostId, [c]);
  }

  for (const rule of input.rules) {
    if (!rule.enabled) continue;
    const prepared = prepare(rule);
    if (typeof prepared === "string") {
      result.skipped.push({ ruleId: rule.id, reason: prepared });
      // Its events stay as they are: which hosts a broken selector meant is unknown.
      for (const e of open.values()) if (e.ruleId === rule.id && hostsById.has(e.hostId)) handled.add(pairKey(rule.id, e.hostId));
      continue;
    }
    const scope = scopeOf(rule, prepared.selector, input.hosts, hostsById);

    for (const host of scope) {
      result.evaluated++;
      const key = pairKey(rule.id, host.id);
      handled.add(key);
      const event = open.get(key);
      const silenced = isSilenced(input.silences, rule.id, host.id, now);
      const inMaintenance = maintenance(host);
      const fire = (value: number | null, message: string, conditionSince: Date) =>
        result.fire.push({
          ruleId: rule.id,
          hostId: host.id,
          kind: rule.kind,
          severity: rule.severity,
          value,
          message,
          startedAt: now,
          conditionSince,
          silenced,
          maintenance: inMaintenance,
          suppressed: false,
          notify: !silenced && !inMaintenance,
        });
      const resolve = (e: OpenAlertEvent, reason: ResolveReason, value: number | null, message: string) =>
        result.resolve.push({ eventId: e.id, ruleId: rule.id, hostId: host.id, kind: rule.kind, reason, value, message, resolvedAt: now, silenced, maintenance: inMaintenance, notify: reason === "recovered" && !silenced && !inMaintenance });

      if (prepared.kind === "threshold") {
        const state = thresholdState({ ...prepared, forSeconds: rule.forSeconds }, samplesOf(host.id), now, staleAfter);
        const condition = `${prepared.metric} ${prepared.op} ${formatValue(prepared.threshold)}`;
        if (state.state === "firing" && !event) {
          const held = rule.forSeconds > 0 ? ` for ${formatDuration((now.getTime() - state.since.getTime()) / 1000)}` : "";
          fire(state.value, `${prepared.metric} ${formatValue(state.value)} ${prepared.op} ${formatValue(prepared.threshold)}${held}`, state.since);
        } else if (state.state === "ok" && event) {
          resolve(event, "recovered", state.value, `${prepared.metric} ${formatValue(state.value)}, no longer ${condition}`);
        }
      } else if (prepared.kind === "hostDown") {
        const lastSeen = get(input.lastSeenByHost, host.id) ?? host.lastSeenAt ?? null;
        const since = lastSeen ?? host.createdAt;
        const silentMs = now.getTime() - since.getTime();
        const silentS = Math.max(0, Math.round(silentMs / 1000));
        if (silentMs >= rule.forSeconds * 1000) {
          if (!event) fire(silentS, lastSeen ? `no data for ${formatDuration(silentMs / 1000)}` : `never reported, enrolled ${formatDuration(silentMs / 1000)} ago`, since);
        } else if (event) {
          resolve(event, "recovered", silentS, `reporting again, last data ${formatDuration(silentMs / 1000)} ago`);
        }
      } else if (prepared.kind === "forecast") {
        const verdict = forecastHost(prepared.forecast, get(input.disksByHost, host.id), host.hostname ?? host.id, now);
        if (verdict.breaches.length > 0) {
          if (!event) fire(verdict.breaches[0]!.seconds, verdict.breaches.map((b) => b.text).join("; "), now);
        } else if (event && verdict.forecasts > 0) {
          resolve(event, "recovered", null, `no mount reaches ${formatValue(prepared.forecast.threshold)}% within ${formatDuration(prepared.forecast.withinSeconds)} at the current rate`);
        }
      } else if (prepared.kind !== "drift") {
        const config = { pattern: prepared.pattern };
        const verdict: InventoryVerdict =
          prepared.kind === "serviceFailed"
            ? serviceFailedState(config, get(input.inventoryByHost, host.id))
            : prepared.kind === "containerDown"
              ? containerDownState(config, get(input.inventoryByHost, host.id))
              : processMissingState(config, get(input.processesByHost, host.id), now, staleAfter);
        if (verdict.state === "firing" && !event) fire(verdict.value, verdict.message, verdict.since);
        else if (verdict.state === "ok" && event) resolve(event, "recovered", 0, verdict.message);
      } else {
        let count = 0;
        const descriptions: string[] = [];
        let earliest: Date | null = null;
        for (const change of changesByHost.get(host.id) ?? []) {
          const match = matchDriftRule(prepared.drift, change.diff);
          if (!match.fires) continue;
          count += match.count;
          descriptions.push(match.description);
          if (!earliest || change.ts < earliest) earliest = change.ts;
        }
        if (count > 0) {
          if (event) resolve(event, "superseded", null, "superseded by a newer change");
          fire(count, descriptions.join("; "), earliest!);
        } else if (event) {
          resolve(event, "elapsed", null, "drift recorded");
        }
      }
    }
  }

  for (const [key, event] of open) {
    if (handled.has(key)) continue;
    const rule = rulesById.get(event.ruleId) ?? null;
    const reason: ResolveReason = !rule ? "ruleDeleted" : !rule.enabled ? "ruleDisabled" : !hostsById.has(event.hostId) ? "hostDeleted" : "outOfScope";
    result.resolve.push(housekeeping(event, rule, reason, now, input.silences));
  }

  // What fires once this run is applied: the open events it does not close, and its new ones.
  const closed = new Set(result.resolve.map((r) => r.eventId));
  const firingAfter = new Set<string>();
  for (const e of input.openEvents) if (!closed.has(e.id)) firingAfter.add(pairKey(e.ruleId, e.hostId));
  for (const f of result.fire) firingAfter.add(pairKey(f.ruleId, f.hostId));
  const dependencyFires = (ruleId: string, hostId: string): boolean => {
    const dep = rulesById.get(ruleId)?.dependsOnRuleId;
    return !!dep && dep !== ruleId && firingAfter.has(pairKey(dep, hostId));
  };
  for (const f of result.fire) {
    if (dependencyFires(f.ruleId, f.hostId)) {
      f.suppressed = true;
      f.notify = false;
    }
  }
  for (const r of result.resolve) if (r.notify && dependencyFires(r.ruleId, r.hostId)) r.notify = false;

  for (const e of open.values()) {
    if (closed.has(e.id) || e.ackedAt) continue;
    const rule = rulesById.get(e.ruleId);
    const interval = rule?.enabled ? rule.repeatIntervalSeconds : null;
    const host = hostsById.get(e.hostId);
    if (!interval || interval <= 0 || !host) continue;
    if (now.getTime() - (e.lastNotifiedAt ?? e.startedAt).getTime() < interval * 1000) continue;
    if (isSilenced(input.silences, e.ruleId, e.hostId, now) || maintenance(host) || dependencyFires(e.ruleId, e.hostId)) continue;
    result.repeat.push({ eventId: e.id, ruleId: e.ruleId, hostId: e.hostId, repeat: (e.repeats ?? 0) + 1, value: e.value ?? null, message: e.message ?? "", startedAt: e.startedAt });
  }
  return result;
}

/** One host's forecast verdict: the mounts that reach the threshold in time (soonest first), and how many mounts had a forecast at all. */
function forecastHost(config: ForecastRuleConfig, disks: ReadonlyMap<string, readonly { t: number; pct: number }[]> | undefined, hostname: string, now: Date) {
  const breaches: { mount: string; seconds: number; text: string }[] = [];
  let forecasts = 0;
  if (!disks) return { breaches, forecasts };
  const from = now.getTime() - config.lookbackSeconds * 1000;
  const full = config.threshold >= 100 ? "full" : `at ${formatValue(config.threshold)}%`;
  for (const [mount, points] of disks) {
    if (config.mount !== undefined && mount !== config.mount) continue;
    const window = points.filter((p) => p.t >= from && p.t <= now.getTime());
    const f = forecastUsage(window, { now, threshold: config.threshold });
    if (f.state === "insufficient") continue;
    forecasts++;
    if (!forecastBreaches(f, config.withinSeconds)) continue;
    if (f.state === "reached") breaches.push({ mount, seconds: 0, text: `${mount} on ${hostname} ${full} now (${formatValue(f.current)}%)` });
    else if (f.state === "reaching") breaches.push({ mount, seconds: Math.round(f.secondsToThreshold), text: `${mount} on ${hostname} ${full} in ~${formatDuration(f.secondsToThreshold)} at the current rate` });
  }
  breaches.sort((a, b) => a.seconds - b.seconds || a.mount.localeCompare(b.mount));
  return { breaches, forecasts };
}

const HOUSEKEEPING_MESSAGES: Partial<Record<ResolveReason, string>> = {
  ruleDeleted: "rule deleted",
  ruleDisabled: "rule disabled",
  hostDeleted: "host deleted",
  outOfScope: "rule no longer applies to this host",
  duplicate: "duplicate open event",
};

function housekeeping(event: OpenAlertEvent, rule: AlertRule | null, reason: ResolveReason, now: Date, silences: readonly Silence[] | undefined): ResolveTransition {
  return {
    eventId: event.id,
    ruleId: event.ruleId,
    hostId: event.hostId,
    kind: rule?.kind ?? null,
    reason,
    value: null,
    message: HOUSEKEEPING_MESSAGES[reason] ?? reason,
    resolvedAt: now,
    silenced: isSilenced(silences, event.ruleId, event.hostId, now),
    maintenance: false,
    notify: false,
  };
}
