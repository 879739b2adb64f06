import type { AlertRuleView } from "@/lib/client/types";
import {} from "@/app/_components/format";
import { formatDuration } from "@/lib/format/duration";
import { isInventoryRuleKind } from "@/lib/alerts/types";

/**
 * A rule's condition in one line for the rules table: "CPU % > 90 for 5m", "no report for 2m",
 * "packages added/removed matching openssl*". `metricLabel` names a metric (the rule form's labels).
 */
export function describeRule(r: AlertRuleView, metricLabel: (metric: string) => string | undefined): string {
  if (r.kind === "threshold") {
    const m = (r.metric && metricLabel(r.metric)) || r.metric || "?";
    return `${m} ${r.op ?? "?"} ${r.threshold ?? "?"}${r.forSeconds ? ` for ${formatDuration(r.forSeconds)}` : ""}`;
  }
  if (r.kind === "hostDown") return `no report for ${formatDuration(r.forSeconds)}`;
  if (isInventoryRuleKind(r.kind)) {
    const pattern = ((r.config ?? {}) as { pattern?: string }).pattern ?? "?";
    if (r.kind === "serviceFailed") return `a unit matching ${pattern} is failed`;
    if (r.kind === "containerDown") return `a container matching ${pattern} is stopped or unhealthy`;
    return `no process matching ${pattern} runs`;
  }
  const c = (r.config ?? {}) as { target?: string; pattern?: string; changes?: string[] };
  return `${c.target ?? "configuration"} ${c.changes?.length ? c.changes.join("/") : "changed"}${c.pattern ? ` matching ${c.pattern}` : ""}`;
}
