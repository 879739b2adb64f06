"use client";
import { useState, type FormEvent } from "react";
import { ApiError, errorText } from "@/lib/client/api";
import { useCreateRuleMutation, useUpdateRuleMutation } from "@/lib/client/alerts";
import type { AlertRuleView, HostRef } from "@/lib/client/types";
import { METRICS, labelWithUnit } from "@/lib/protocol/metrics";
import { Field } from "@/app/_components/Field";
import { isInventoryRuleKind } from "@/lib/alerts/types";

/** What a pattern of each state rule kind is matched against, for its field's label and hint. */
const PATTERN_OF = {
  serviceFailed: { label: "Units (glob)", placeholder: "e.g. nginx*.service" },
  containerDown: { label: "Containers (glob)", placeholder: "e.g. web-*" },
  processMissing: { label: "Process name (glob)", placeholder: "e.g. sshd" },
} as const;

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
};

function draftOf(rule: AlertRuleView | null): Draft {
  const c = (rule?.config ?? {}) as { target?: string; pattern?: string };
  return {
    name: rule?.name ?? "",
    kind: rule?.kind ?? "threshold",
    metric: rule?.metric ?? "cpuPct",
    op: rule?.op ?? ">",
    threshold: rule?.threshold === null || rule?.threshold === undefined ? "" : String(rule.threshold),
    forSeconds: String(rule?.forSeconds ?? 0),
    hostId: rule?.hostId ?? "",
    severity: rule?.severity ?? "warning",
    enabled: rule?.enabled ?? true,
    target: c.target ?? "packages",
    pattern: c.pattern ?? "",
  };
}

/** What the API receives: only the fields the kind uses; numbers left as typed so the API judges them. */
function bodyOf(d: Draft): Record<string, unknown> {
  const num = (v: string) => (v.trim() === "" ? undefined : Number(v));
  const base = { name: d.name, kind: d.kind, severity: d.severity, enabled: d.enabled, hostId: d.hostId || null };
  if (d.kind === "threshold") return { ...base, metric: d.metric, op: d.op, threshold: num(d.threshold), forSeconds: num(d.forSeconds) ?? 0 };
  if (d.kind === "hostDown") return { ...base, forSeconds: num(d.forSeconds) };
  if (isInventoryRuleKind(d.kind)) return { ...base, config: { pattern: d.pattern } };
  return { ...base, config: { target: d.target, ...(d.pattern ? { pattern: d.pattern } : {}) } };
}

export function RuleForm({ hosts, rule, onDone }: { hosts: HostRef[]; rule: AlertRuleView | null; onDone: () => void }) {
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const create = useCreateRuleMutation();
  const update = useUpdateRuleMutation();
  const mutation = rule ? update : create;
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
            </select>
          )}
        </Field>
        <Field label="Hosts" error={issueFor("hostId")}>
          {(p) => (
            <select {...p} value={d.hostId} onChange={(e) => set("hostId", e.target.value)}>
              <option value="">All hosts</option>
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
        {isInventoryRuleKind(d.kind) ? (
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
                  <option value="packages">Packages</option>
                  <option value="kernel">Kernel</option>
                  <option value="os">OS</option>
                  <option value="env">Environment</option>
                  <option value="ports">Listening ports</option>
                  <option value="users">Users</option>
                  <option value="groups">Groups</option>
                  <option value="services">Services</option>
                  <option value="jobs">Scheduled jobs</option>
                  <option value="files">Watched files</option>
                  <option value="containers">Containers</option>
                  <option value="sysctl">sysctl</option>
                  <option value="kernelCmdline">Kernel command line</option>
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
