/** Wire shapes the pages read (the contract in ARCHITECTURE.md). Type-only imports: nothing server-side reaches the bundle. */
export type { HostSummary } from "@/lib/queries/hosts";
export type { MetricPoint } from "@/lib/queries/metrics";
export type { SnapshotDiff, Package } from "@/lib/protocol";
export type Role = "admin" | "operator" | "viewer";
/** A host as a list or a picker names it. */
export type HostRef = { id: string; hostname: string };

export type MetricsResponse = { hostId: string; from: string; to: string; stepSeconds: number; series: import("@/lib/queries/metrics").MetricPoint[] };

export type SnapshotSummary = { id: string; ts: string; changed: boolean; summary: string };
export type SnapshotDetail = { id: string; hostId: string; ts: string; os: string | null; kernel: string | null; packages: import("@/lib/protocol").Package[]; env: Record<string, string> };

export type Severity = "info" | "warning" | "critical";
export type AlertRule = {
  id: string;
  name: string;
  kind: "threshold" | "hostDown" | "drift";
  metric: string | null;
  op: ">" | ">=" | "<" | "<=" | null;
  threshold: number | null;
  forSeconds: number;
  hostId: string | null;
  severity: Severity;
  enabled: boolean;
  config?: Record<string, unknown> | null;
  hostname?: string | null;
  /** Open events of the rule. */
  firing?: number;
};
export type AlertEvent = {
  id: string;
  ruleId: string;
  hostId: string;
  state: "firing" | "resolved";
  value: number | null;
  startedAt: string;
  resolvedAt: string | null;
  ackedBy: string | null;
  ackedAt?: string | null;
  ackedByEmail?: string | null;
  message?: string | null;
  silenced?: boolean;
  ruleName?: string;
  kind?: AlertRule["kind"];
  severity?: Severity;
  hostname?: string;
};

export type Silence = {
  id: string;
  ruleId: string | null;
  ruleName: string | null;
  hostId: string | null;
  hostname: string | null;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdByEmail: string | null;
  active: boolean;
};

export type User = { id: string; email: string; name: string | null; role: Role; disabled: boolean; createdAt: string };
export type EnrollmentTokenInfo = { id: string; createdAt: string; expiresAt: string; maxUses: number; uses: number; revokedAt: string | null; active: boolean };
export type { Sparklines, HostSparkline } from "@/lib/queries/overview";
