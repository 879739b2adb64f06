/**
 * The shapes the dashboard reads, derived from what the server's queries return, through the
 * one serializer (lib/wire.ts: dates and bigints become strings) that both the API routes and
 * the pages' first paint use. Type-only imports: nothing server-side reaches the bundle.
 * Where a shape changes, it changes in the query, and the dashboard's compiler sees it.
 * docs/architecture.md, "One seam from server to client".
 */
import type { Wire } from "@/lib/wire";
import type * as alerts from "@/lib/queries/alerts";
import type * as enrollment from "@/lib/queries/enrollment";
import type * as metrics from "@/lib/queries/metrics";
import type * as processes from "@/lib/queries/processes";
import type * as snapshots from "@/lib/queries/snapshots";
import type * as users from "@/lib/queries/users";

type Row<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>> extends readonly (infer R)[] ? R : never;

export type { Role, SnapshotDiff, Package } from "@/lib/protocol";
export type { Severity } from "@/lib/alerts/types";
export type { HostSummary } from "@/lib/queries/hosts";
export type { Sparklines, HostSparkline } from "@/lib/queries/overview";
export type { MetricPoint } from "@/lib/queries/metrics";

/** A host as a list or a picker names it. */
export type HostRef = { id: string; hostname: string };

export type MetricsResponse = Wire<Awaited<ReturnType<typeof metrics.metricsPage>>>;

export type SnapshotSummary = Wire<Awaited<ReturnType<typeof snapshots.listSnapshots>>["snapshots"][number]>;
export type SnapshotDetail = Wire<NonNullable<Awaited<ReturnType<typeof snapshots.getSnapshot>>>>;
export type SnapshotDiffResponse = Wire<Awaited<ReturnType<typeof snapshots.snapshotDiff>>>;
export type FleetDriftHost = Wire<Row<typeof snapshots.fleetDrift>>;

/** A rule as the rules table lists it: the stored rule (lib/alerts/types.ts) with its host's name and open events. */
export type AlertRuleView = Wire<alerts.AlertRuleView>;
export type AlertEventView = Wire<alerts.AlertEventView>;
export type SilenceView = Wire<Row<typeof alerts.listSilences>>;

export type User = Wire<Row<typeof users.listUsers>>;
export type EnrollmentTokenInfo = Wire<Row<typeof enrollment.listEnrollmentTokens>>;
export type Reenrollment = Wire<Row<typeof enrollment.listReenrollments>>;

export type ProcessesAt = Wire<Awaited<ReturnType<typeof processes.processesAt>>>;
export type ProcessView = ProcessesAt["processes"][number];
