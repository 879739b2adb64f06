"use client";
import { useState, type FormEvent } from "react";
import { ApiError, errorText } from "@/lib/client/api";
import { useAlertRulesQuery, useCreateRuleMutation, useRoutesQuery, useUpdateRuleMutation } from "@/lib/client/alerts";
import type { AlertRuleView, HostRef } from "@/lib/client/types";
import { METRICS, labelWithUnit } from "@/lib/protocol/metrics";
import { Field } from "@/app/_components/Field";
import { DRIFT_TARGETS, isInventoryRuleKind, type DriftTarget } from "@/lib/alerts/types";

/** What a drift rule can watch, as the form names it: every target the rule schema accepts. */
const DRIFT_TARGET_LABELS: Record<DriftTarget, string> = {
  packages: "Packages",
  kernel: "Kernel",
  os: "OS",
  env: "Environment",
  ports: "Listening ports",
  users: "Users",
  groups: "Groups",
  services: "Services",
  jobs: "Scheduled jobs",
  files: "Watched files",
  containers: "Containers",
  hardware: "Hardware",
  sysctl: "sysctl",
  kernelCmdline: "Kernel command line",
};

/** What a pattern of each state rule kind is matched against, for its field's label and hint. */
const PATTERN_OF = {
  serviceFailed: { label: "Units (glob)", placeholder: "e.g. nginx*.service" },
  containerDown: { label: "Containers (glob)", placeholder: "e.g. web-*" },
  processMissing: { label: "Process name (glob)", placeholder: "e.g. sshd" },
} as const;
import { SelectorPreview } from "./SelectorPreview";

/** The Hosts picker's value for "hosts matching a selector" (host ids are UUIDs, so it cannot collide). */
const BY_SELECTOR = "selector";

/** The metrics a threshold rule can watch, labelled with their unit, in registry order. */
export const METRIC_LABELS: Readonly<Record<string, string>> = Object.fromEntries(METRICS.filter((m) => m.alertable).map((m) => [m.name, labelWithUnit(m)]));

type Draft = {
  name: string;
  kind: AlertRuleView["kind"];
  metric: string;
  op: string;
  threshold: string;
  forSeconds: string;
  hostId: string;
  severity: AlertRuleView["severity"];
  enabled: boolean;
  target: string;
  pattern: string;
  selector: string;
  channelIds: string[];
  repeat: string;
  dependsOn: string;
  mount: string;
  lookback: string;
  within: string;
  fullAt: string;
};

function draftOf(rule: AlertRuleView | null): Draft {
  const c = (rule?.config ?? {}) as { target?: string; pattern?: string; mount?: string; lookbackSeconds?: number; withinSeconds?: number; threshold?: number };
  const forecast = rule?.kind === "forecast";
  return {
    name: rule?.name ?? "",
    kind: rule?.kind ?? "threshold",
    metric: rule?.metric ?? "cpuPct",
    op: rule?.op ?? ">",
    threshold: rule?.threshold === null || rule?.threshold === undefined ? "" : String(rule.threshold),
    forSeconds: String(rule?.forSeconds ?? 0),
    hostId: rule?.hostId ?? (rule?.selector ? BY_SELECTOR : ""),
    severity: rule?.severity ?? "warning",
    enabled: rule?.enabled ?? true,
    target: c.target ?? "packages",
    pattern: c.pattern ?? "",
    selector: rule?.selector ?? "",
    channelIds: rule?.channelIds ?? [],
    repeat: rule?.repeatIntervalSeconds ? String(rule.repeatIntervalSeconds) : "",
    dependsOn: rule?.dependsOnRuleId ?? "",
    mount: forecast ? (c.mount ?? "") : "",
    lookback: forecast && c.lookbackSeconds ? String(c.lookbackSeconds) : "21600",
    within: forecast && c.withinSeconds ? String(c.withinSeconds) : "86400",
    fullAt: forecast && c.threshold !== undefined ? String(c.threshold) : "100",
  };
}

/** What the API receives: only the fields the kind uses; numbers left as typed so the API judges them. */
function bodyOf(d: Draft): Record<string, unknown> {
  const num = (v: string) => (v.trim() === "" ? undefined : Number(v));
  const base = {
    name: d.name,
    kind: d.kind,
    severity: d.severity,
    enabled: d.enabled,
    hostId: d.hostId && d.hostId !== BY_SELECTOR ? d.hostId : null,
    selector: d.hostId === BY_SELECTOR ? d.selector : null,
    channelIds: d.channelIds,
    repeatIntervalSeconds: num(d.repeat) ?? null,
    dependsOnRuleId: d.dependsOn || null,
  };
  if (d.kind === "threshold") return { ...base, metric: d.metric, op: d.op, threshold: num(d.threshold), forSeconds: num(d.forSeconds) ?? 0 };
  if (d.kind === "hostDown") return { ...base, forSeconds: num(d.forSeconds) };
  if (d.kind === "forecast") {
    return { ...base, config: { metric: "diskPct", ...(d.mount.trim() ? { mount: d.mount.trim() } : {}), lookbackSeconds: num(d.lookback), withinSeconds: num(d.within), threshold: num(d.fullAt) } };
  }
  if (isInventoryRuleKind(d.kind)) return { ...base, config: { pattern: d.pattern } };
  return { ...base, config: { target: d.target, ...(d.pattern ? { pattern: d.pattern } : {}) } };
}

export function RuleForm({ hosts, rule, onDone }: { hosts: HostRef[]; rule: AlertRuleView | null; onDone: () => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const create = useCreateRuleMutation();
  const update = useUpdateRuleMutation();
  const mutation = rule ? update : create;
  const channels = useRoutesQuery().data?.channels ?? [];
  const otherRules = (useAlertRulesQuery().data ?? []).filter((r) => r.id !== rule?.id);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  const issues = mutation.error instanceof ApiError ? mutation.error.issues : [];
  const issueFor = (...paths: string[]) => issues.find((i) => paths.some((p) => i.path === p || i.path.startsWith(`${p}.`)))?.message;

  function submit(e: FormEvent) {
    e.preventDefault();
    const body = bodyOf(d);
    if (rule) update.mutate({ id: rule.id, ...body }, { onSuccess: onDone });
    else create.mutate(body, { onSuccess: onDone });
  }

  return (
    <form className="form rule-form" onSubmit={submit} noValidate aria-label={rule ? `Edit rule ${rule.name}` : "New rule"} data-testid="rule-form">
      <h3>{rule ? `Edit “${rule.name}”` : "New rule"}</h3>
      {mutation.isError ? (
        <p className="form-error" data-testid="rule-form-error">
          {errorText(mutation.error)}
        </p>
      ) : null}
      <div className="form-row">
        <Field label="Name" error={issueFor("name")}>
          {(p) => (
            <input {...p} value={d.name} onChange={(e) => set("name", e.target.value)} />
          )}
        </Field>
        <Field label="Kind">
          {(p) => (
            <select {...p} value={d.kind} onChange={(e) => set("kind", e.target.value as Draft["kind"])}>
              <option value="threshold">Threshold</option>
              <option value="hostDown">Host down</option>
              <option value="drift">Configuration drift</option>
              <option value="serviceFailed">Service failed</option>
              <option value="containerDown">Container down</option>
              <option value="processMissing">Process missing</option>
              <option value="forecast">Disk full forecast</option>
            </select>
          )}
        </Field>
        <Field label="Hosts" error={issueFor("hostId")}>
          {(p) => (
            <select {...p} value={d.hostId} onChange={(e) => set("hostId", e.target.value)}>
              <option value="">All hosts</option>
              <option value={BY_SELECTOR}>Hosts matching a label selector</option>
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.hostname}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Severity">
          {(p) => (
            <select {...p} value={d.severity} onChange={(e) => set("severity", e.target.value as Draft["severity"])}>
              <option value="info">Info</option>
              <option value="warning">Warning</option>
              <option value="critical">Critical</option>
            </select>
          )}
        </Field>
      </div>
      {d.hostId === BY_SELECTOR ? (
        <div className="form-row">
          <Field label="Label selector" error={issueFor("selector")} className="field-wide">
            {(p) => <input {...p} value={d.selector} onChange={(e) => set("selector", e.target.value)} placeholder="e.g. env=prod,role in (db,cache),!canary" spellCheck={false} />}
          </Field>
          <SelectorPreview selector={d.selector} />
        </div>
      ) : null}
      <div className="form-row">
        {d.kind === "threshold" ? (
          <>
            <Field label="Metric" error={issueFor("metric")}>
              {(p) => (
                <select {...p} value={d.metric} onChange={(e) => set("metric", e.target.value)}>
                  {Object.entries(METRIC_LABELS).map(([k, label]) => (
                    <option key={k} value={k}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Operator" error={issueFor("op")}>
              {(p) => (
                <select {...p} value={d.op} onChange={(e) => set("op", e.target.value)}>
                  {[">", ">=", "<", "<="].map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Threshold" error={issueFor("threshold")}>
              {(p) => (
                <input {...p} inputMode="decimal" value={d.threshold} onChange={(e) => set("threshold", e.target.value)} style={{ width: 110 }} />
              )}
            </Field>
          </>
        ) : null}
        {d.kind === "forecast" ? (
          <>
            <Field label="Mount (optional; empty: every mount)" error={issueFor("config.mount")}>
              {(p) => <input {...p} value={d.mount} onChange={(e) => set("mount", e.target.value)} placeholder="e.g. /var" />}
            </Field>
            <Field label="Fit over (seconds)" error={issueFor("config.lookbackSeconds")}>
              {(p) => <input {...p} inputMode="numeric" value={d.lookback} onChange={(e) => set("lookback", e.target.value)} style={{ width: 130 }} />}
            </Field>
            <Field label="Full within (seconds)" error={issueFor("config.withinSeconds")}>
              {(p) => <input {...p} inputMode="numeric" value={d.within} onChange={(e) => set("within", e.target.value)} style={{ width: 130 }} />}
            </Field>
            <Field label="Full at (%)" error={issueFor("config.threshold")}>
              {(p) => <input {...p} inputMode="decimal" value={d.fullAt} onChange={(e) => set("fullAt", e.target.value)} style={{ width: 90 }} />}
            </Field>
          </>
        ) : isInventoryRuleKind(d.kind) ? (
          <Field label={PATTERN_OF[d.kind].label} error={issueFor("config.pattern", "config")}>
            {(p) => <input {...p} value={d.pattern} onChange={(e) => set("pattern", e.target.value)} placeholder={PATTERN_OF[d.kind as keyof typeof PATTERN_OF].placeholder} />}
          </Field>
        ) : d.kind !== "drift" ? (
          <Field label={d.kind === "hostDown" ? "Silent for (seconds)" : "For (seconds)"} error={issueFor("forSeconds")}>
            {(p) => (
              <input {...p} inputMode="numeric" value={d.forSeconds} onChange={(e) => set("forSeconds", e.target.value)} style={{ width: 130 }} />
            )}
          </Field>
        ) : (
          <>
            <Field label="Watch" error={issueFor("config.target", "target")}>
              {(p) => (
                <select {...p} value={d.target} onChange={(e) => set("target", e.target.value)}>
                  {DRIFT_TARGETS.map((t) => (
                    <option key={t} value={t}>
                      {DRIFT_TARGET_LABELS[t]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Pattern (optional glob)" error={issueFor("config.pattern", "pattern")}>
              {(p) => (
                <input {...p} value={d.pattern} onChange={(e) => set("pattern", e.target.value)} placeholder="e.g. openssl*" />
              )}
            </Field>
          </>
        )}
        <label className="field check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          <span>Enabled</span>
        </label>
      </div>
      <div className="form-row">
        <fieldset className="field checks" aria-describedby={issueFor("channelIds") ? "rule-channels-error" : undefined}>
          <legend>Channels (none ticked: the routes, then every channel)</legend>
          {channels.length === 0 ? <span className="muted small">No channels yet (an admin adds them).</span> : null}
          {channels.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={d.channelIds.includes(c.id)}
                onChange={(e) => set("channelIds", e.target.checked ? [...d.channelIds, c.id] : d.channelIds.filter((id) => id !== c.id))}
              />
              <span>
                {c.name} <span className="muted">({c.kind}{c.enabled ? "" : ", disabled"})</span>
              </span>
            </label>
          ))}
          {issueFor("channelIds") ? (
            <span className="field-error" id="rule-channels-error">
              {issueFor("channelIds")}
            </span>
          ) : null}
        </fieldset>
        <Field label="Repeat every (seconds; empty: never)" error={issueFor("repeatIntervalSeconds")}>
          {(p) => <input {...p} inputMode="numeric" value={d.repeat} onChange={(e) => set("repeat", e.target.value)} placeholder="e.g. 3600" style={{ width: 130 }} />}
        </Field>
        <Field label="Quiet while this rule fires on the host" error={issueFor("dependsOnRuleId")}>
          {(p) => (
            <select {...p} value={d.dependsOn} onChange={(e) => set("dependsOn", e.target.value)}>
              <option value="">No dependency</option>
              {otherRules.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <div className="form-row">
        <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
          {rule ? "Save rule" : "Create rule"}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
