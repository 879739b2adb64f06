import type { HostSummary } from "@/lib/client/types";

const LABEL = { up: "Up", down: "Down", new: "New" } as const;

export function StatusBadge({ status }: { status: HostSummary["status"] }) {
  return (
    <span className={`badge status-${status}`} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {LABEL[status]}
    </span>
  );
}

export function SeverityBadge({ severity }: { severity: "info" | "warning" | "critical" }) {
  return <span className={`badge sev-${severity}`}>{severity}</span>;
}
