/**
 * What each route of the route table takes and answers, as the zod schemas that validate and
 * type it: the OpenAPI document (./document.ts) is generated from this. One entry per route
 * key; a route added to lib/auth/routes.ts without one here does not typecheck. Auth, path
 * parameters and the error responses every route shares are derived from the route table and
 * the path, so an entry lists only what is particular to the route.
 */
import { z } from "zod";
import type { RouteKey } from "@/lib/auth/routes";
import { AlertRuleInputSchema } from "@/lib/alerts/rule-schema";
import { HealthSchema } from "@/lib/health";
import { BODY_LIMITS, EnrollPendingResponseSchema, EnrollRequestSchema, EnrollResponseSchema, SnapshotResponseSchema, SnapshotSchema, TelemetryBodySchema, TelemetryResponseSchema } from "@/lib/protocol";
import { MetricsQuerySchema } from "@/lib/metrics/query-input";
import {
  AlertEventPageSchema,
  AlertEventSchema,
  AlertRuleListSchema,
  AlertRuleSchema,
  EventsExportQuerySchema,
  EventsQuerySchema,
  RuleChangesSchema,
  RulesQuerySchema,
  RunListSchema,
  RunsQuerySchema,
  SilenceListSchema,
  SilenceSchema,
  SilencesQuerySchema,
} from "@/lib/queries/alerts";
import { ChannelListSchema, ChannelViewSchema, DeliveryListSchema } from "@/lib/queries/channels";
import { EnrollmentTokenListSchema } from "@/lib/queries/enrollment";
import { ContainersQuerySchema, ContainersResponseSchema } from "@/lib/queries/containers";
import { HostLabelChangesSchema, HostListQuerySchema, HostListSchema, HostSummarySchema } from "@/lib/queries/hosts";
import { MetricsResponseSchema } from "@/lib/queries/metrics";
import { ProcessesQuerySchema, ProcessesResponseSchema } from "@/lib/queries/processes";
import { SparklinesQuerySchema, SparklinesSchema } from "@/lib/queries/overview";
import { FleetDriftSchema, SnapshotDetailSchema, SnapshotListSchema } from "@/lib/queries/snapshots";
import { ChannelTestResultSchema, CreateChannelSchema, UpdateChannelSchema } from "@/lib/services/alerts/channels";
import { RulePatchSchema } from "@/lib/services/alerts/rules";
import { EvaluationResultSchema } from "@/lib/services/alerts/run";
import { CreateSilenceSchema, UpdateSilenceSchema } from "@/lib/services/alerts/silences";
import { CreateRouteSchema, UpdateRouteSchema } from "@/lib/services/alerts/routes";
import { CreateMaintenanceSchema } from "@/lib/services/alerts/maintenance";
import { RouteListSchema, RouteSchema } from "@/lib/queries/routes";
import { MaintenanceListSchema, MaintenanceQuerySchema, MaintenanceWindowSchema } from "@/lib/queries/maintenance";
import { LoginSchema, RefreshSchema, TokenPairSchema } from "@/lib/services/auth";
import { HostPatchSchema } from "@/lib/services/hosts";
import { CreateEnrollmentTokenSchema, CreatedEnrollmentTokenSchema, ReenrollmentDecisionSchema } from "@/lib/services/enrollment";
import { ReenrollmentListSchema } from "@/lib/queries/enrollment";
import { SnapshotDiffResponseSchema } from "@/lib/queries/snapshots";
import { ApiTokenListSchema } from "@/lib/queries/api-tokens";
import { CreateApiTokenSchema, CreatedApiTokenSchema } from "@/lib/services/api-tokens";
import { MetricsExportQuerySchema } from "@/lib/export/range";
import { CreateUserSchema, PublicUserSchema, UpdateUserSchema, UserListSchema } from "@/lib/services/users";
import { HostComparisonResponseSchema } from "@/lib/snapshots/compare";
import { CompareQuerySchema, FleetDriftQuerySchema, SnapshotDiffQuerySchema, SnapshotListQuerySchema } from "@/lib/snapshots/query-input";
import { OpenApiDocumentSchema } from "./document-schema";

/** A response: JSON described by `schema`, or other media types (`schema` then describes the text), or no body. */
export type Reply = {
  description: string;
  schema?: z.ZodType;
  contentType?: string | string[];
  /** Several media types, each with its own schema (instead of `schema` and `contentType`). */
  content?: Record<string, z.ZodType>;
};

export type Operation = {
  summary: string;
  description?: string;
  tag: "auth" | "agents" | "hosts" | "metrics" | "snapshots" | "alerts" | "channels" | "users" | "meta";
  /** The query-string schema (its properties become parameters). */
  query?: z.ZodType;
  /** The JSON body schema; `bodyOptional` when an empty body stands for `{}`. */
  body?: z.ZodType;
  bodyOptional?: boolean;
  bodyLimit?: number;
  /** Success responses and errors particular to the route; 400/401/403/404/413/415/503 are added from the route's shape. */
  responses: Record<number, Reply>;
};

const ok = (description: string, schema?: z.ZodType): Reply => ({ description, schema });
const none = (description: string): Reply => ({ description });

const text = (description: string, contentType: string | string[]): Reply => ({ description, contentType, schema: z.string() });

export const OPERATIONS: Record<RouteKey, Operation> = {
  "GET /api/tokens": {
    summary: "List API tokens",
    description: "Your own tokens; an admin sees everyone's. Metadata only: the token is shown once, at creation.",
    tag: "auth",
    responses: { 200: ok("The tokens, newest first (at most 500)", ApiTokenListSchema) },
  },
  "POST /api/tokens": {
    summary: "Create an API token",
    description: "A named bearer token for scripts and scrapers, with a role no higher than yours and an optional expiry. Accepted on the user routes, never on agent routes.",
    tag: "auth",
    body: CreateApiTokenSchema,
    responses: { 201: ok("Created; `token` appears in this answer only", CreatedApiTokenSchema) },
  },
  "DELETE /api/tokens/:id": {
    summary: "Revoke an API token",
    tag: "auth",
    responses: { 204: none("Revoked: its next request is refused") },
  },
  "GET /api/prometheus/metrics": {
    summary: "Prometheus scrape target",
    description: "Text format 0.0.4: each host's latest value of every registry metric as `infrawatch_<metric>{host_id, hostname}`, `infrawatch_host_up`, `infrawatch_host_last_seen_timestamp_seconds`, open alerts by severity and this process's ingest counters. API tokens only.",
    tag: "metrics",
    responses: { 200: text("The exposition (`text/plain; version=0.0.4`)", "text/plain") },
  },
  "GET /api/metrics/export": {
    summary: "Export a host's samples",
    description: "Every stored sample of the host in [from, to] (at most 31 days), oldest first, streamed as CSV or a JSON array.",
    tag: "metrics",
    query: MetricsExportQuerySchema,
    responses: {
      200: {
        description: "The samples as a download: CSV (a header of ts and the metric columns) or a JSON array of objects",
        content: { "text/csv": z.string(), "application/json": z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))) },
      },
    },
  },
  "GET /api/alerts/events/export": {
    summary: "Export the event log as CSV",
    description: "Events matching the filters, newest first, streamed as CSV (formula-like cells are neutralised).",
    tag: "alerts",
    query: EventsExportQuerySchema,
    responses: { 200: text("The events as CSV, as a download", "text/csv") },
  },
  "GET /api/health": {
    summary: "Health check",
    tag: "meta",
    responses: { 200: ok("The database answers", HealthSchema), 503: ok("The database is unreachable", HealthSchema) },
  },
  "GET /api/openapi.json": {
    summary: "This document",
    description: "The OpenAPI 3.1 document of every route, generated from the schemas that validate them.",
    tag: "meta",
    responses: { 200: ok("The document", OpenApiDocumentSchema) },
  },
  "POST /api/auth/login": {
    summary: "Sign in with email and password",
    description: "Returns a short-lived access token (JWT, 15 min) and a refresh token that is rotated on every use.",
    tag: "auth",
    body: LoginSchema,
    responses: { 200: ok("Signed in", TokenPairSchema), 401: none("Bad credentials"), 429: none("Too many failed sign-ins for the account or the address") },
  },
  "POST /api/auth/refresh": {
    summary: "Trade a refresh token for a new pair",
    description: "The old refresh token stops working; presenting an already rotated one revokes the whole family.",
    tag: "auth",
    body: RefreshSchema,
    responses: { 200: ok("A new pair", TokenPairSchema), 401: none("Unknown, expired or reused refresh token") },
  },
  "POST /api/auth/logout": {
    summary: "Revoke a refresh token",
    tag: "auth",
    body: RefreshSchema,
    responses: { 204: none("Signed out") },
  },
  "GET /api/agent/download": {
    summary: "Download the agent executable",
    description:
      "With `sha256` present, answers the checksum in sha256sum's format instead; `release`, the signed release statement (`infra-watch-agent <version> linux-<arch> sha256:<hex>`); `signature`, its base64 ed25519 signature by the server's release key; `gz`, the executable gzip-compressed.",
    tag: "agents",
    query: z.object({
      arch: z.enum(["x64", "arm64"]).default("x64"),
      sha256: z.string().optional().describe("present: answer the checksum"),
      release: z.string().optional().describe("present: answer the release statement"),
      signature: z.string().optional().describe("present: answer the statement's signature"),
      gz: z.string().optional().describe("present: the executable gzip-compressed (404 when the build wrote none)"),
    }),
    responses: {
      200: { description: "The executable (or its checksum, release statement or signature as text/plain)", contentType: ["application/octet-stream", "application/gzip", "text/plain"], schema: z.string() },
      400: none("Unknown arch"),
      404: none("That agent has not been built on this server"),
    },
  },
  "GET /api/agent/install.sh": {
    summary: "The agent install script",
    description: "`curl -fsSL <server>/api/agent/install.sh | sudo sh -s -- TOKEN`",
    tag: "agents",
    responses: { 200: { description: "A POSIX shell script", contentType: "text/x-shellscript", schema: z.string() } },
  },
  "POST /api/agents/enroll": {
    summary: "Trade an enrollment token for an agent token",
    tag: "agents",
    body: EnrollRequestSchema,
    responses: {
      201: ok("Enrolled", EnrollResponseSchema),
      401: none("Unknown, expired or used-up enrollment token"),
      403: none("An admin rejected this re-enrollment"),
      404: none("Unknown re-enrollment request"),
      409: ok("The machine is already enrolled: re-enrolling waits for an admin's approval", EnrollPendingResponseSchema),
      429: none("Too many re-enrollment requests waiting for this host"),
    },
  },
  "POST /api/telemetry": {
    summary: "Post samples (agent)",
    description: "A batch of 1..1000 samples, or one bare sample. A sample already stored for (host, ts) counts as a duplicate. 202 means committed.",
    tag: "agents",
    body: TelemetryBodySchema,
    bodyLimit: BODY_LIMITS.telemetry,
    responses: { 202: ok("Committed", TelemetryResponseSchema) },
  },
  "POST /api/snapshot": {
    summary: "Post a configuration snapshot (agent)",
    tag: "agents",
    body: SnapshotSchema,
    bodyLimit: BODY_LIMITS.snapshot,
    responses: { 201: ok("A new configuration, with its diff", SnapshotResponseSchema), 200: ok("The same configuration as the last one", SnapshotResponseSchema) },
  },

  "GET /api/hosts": {
    summary: "List hosts with their latest sample and labels; `selector` (e.g. `env=prod,role!=db,team in (a,b),gpu`) keeps the hosts it matches, a bad one is a 400 naming the position",
    tag: "hosts",
    query: HostListQuerySchema,
    responses: { 200: ok("The fleet", HostListSchema) },
  },
  "GET /api/hosts/:id": { summary: "One host", tag: "hosts", responses: { 200: ok("The host", HostSummarySchema) } },
  "GET /api/hosts/:id/processes": {
    summary: "The top processes of the stored sample nearest `at` (default: the newest)",
    tag: "hosts",
    query: ProcessesQuerySchema,
    responses: { 200: ok("The sample's time (null: no processes stored yet) and its processes", ProcessesResponseSchema) },
  },
  "PATCH /api/hosts/:id": {
    summary: "Set the host's labels: `labels` is the whole set it carries from now on (user values win over the agent's, removals stick); `resetLabels` hands keys back to the agent",
    tag: "hosts",
    body: HostPatchSchema,
    responses: { 200: ok("The host", HostSummarySchema) },
  },
  "GET /api/hosts/:id/label-changes": {
    summary: "Who changed the host's labels, from what to what, newest first (the last 50)",
    tag: "hosts",
    responses: { 200: ok("The label changes", HostLabelChangesSchema) },
  },
  "DELETE /api/hosts/:id": { summary: "Delete a host and its data", tag: "hosts", responses: { 204: none("Deleted") } },
  "GET /api/hosts/:id/containers": {
    summary: "The host's containers (state, health, CPU, memory, network) from the stored sample nearest `at` (default the newest)",
    tag: "hosts",
    query: ContainersQuerySchema,
    responses: { 200: ok("The sample's containers; ts null before any", ContainersResponseSchema) },
  },
  "POST /api/hosts/:id/revoke": { summary: "Revoke the host's agent token (its data stays)", tag: "hosts", responses: { 204: none("Revoked") } },
  "GET /api/hosts/:id/reenrollments": { summary: "Re-enrollment requests waiting for a decision", tag: "hosts", responses: { 200: ok("The requests", ReenrollmentListSchema) } },
  "POST /api/hosts/:id/reenrollments/:pendingId/approve": {
    summary: "Approve a re-enrollment",
    tag: "hosts",
    responses: { 200: ok("Approved", ReenrollmentDecisionSchema), 409: none("Already decided") },
  },
  "POST /api/hosts/:id/reenrollments/:pendingId/reject": {
    summary: "Reject a re-enrollment",
    tag: "hosts",
    responses: { 200: ok("Rejected", ReenrollmentDecisionSchema), 409: none("Already decided") },
  },
  "GET /api/metrics": {
    summary: "Bucketed metrics of one host",
    description: "`from`/`to` accept ISO 8601 or relative times (`-24h`, `-7d`, `now`); each value is the bucket's average; empty buckets are left out.",
    tag: "metrics",
    query: MetricsQuerySchema,
    responses: { 200: ok("The series", MetricsResponseSchema), 404: none("No such host") },
  },
  "GET /api/overview/sparklines": { summary: "Every host's recent CPU, memory and disk", tag: "metrics", query: SparklinesQuerySchema, responses: { 200: ok("Sparklines", SparklinesSchema) } },

  "GET /api/snapshots": { summary: "A host's snapshots, newest first", tag: "snapshots", query: SnapshotListQuerySchema, responses: { 200: ok("A page", SnapshotListSchema), 404: none("No such host") } },
  "GET /api/snapshots/:id": { summary: "One snapshot", tag: "snapshots", responses: { 200: ok("The snapshot", SnapshotDetailSchema) } },
  "GET /api/snapshots/:id/diff": {
    summary: "A snapshot's diff against the previous one or another snapshot of the host",
    tag: "snapshots",
    query: SnapshotDiffQuerySchema,
    responses: { 200: ok("The diff", SnapshotDiffResponseSchema) },
  },
  "GET /api/drift": { summary: "Hosts whose configuration changed recently", tag: "snapshots", query: FleetDriftQuerySchema, responses: { 200: ok("Changed hosts", FleetDriftSchema) } },
  "GET /api/drift/compare": {
    summary: "Compare a host's latest configuration with a baseline host's",
    tag: "snapshots",
    query: CompareQuerySchema,
    responses: { 200: ok("The comparison", HostComparisonResponseSchema), 404: none("No such host, or one of them has sent no snapshot yet") },
  },

  "GET /api/enrollment-tokens": { summary: "Enrollment tokens (metadata only)", tag: "agents", responses: { 200: ok("The tokens", EnrollmentTokenListSchema) } },
  "POST /api/enrollment-tokens": {
    summary: "Create an enrollment token",
    description: "The token is in this answer only.",
    tag: "agents",
    body: CreateEnrollmentTokenSchema,
    bodyOptional: true,
    responses: { 201: ok("Created", CreatedEnrollmentTokenSchema) },
  },
  "DELETE /api/enrollment-tokens/:id": { summary: "Revoke an enrollment token", tag: "agents", responses: { 204: none("Revoked") } },

  "GET /api/users": { summary: "List users", tag: "users", responses: { 200: ok("The users", UserListSchema) } },
  "POST /api/users": { summary: "Create a user", tag: "users", body: CreateUserSchema, responses: { 201: ok("Created", PublicUserSchema), 409: none("A user with this email exists") } },
  "PATCH /api/users/:id": {
    summary: "Change a user's role, name, password or disabled state",
    tag: "users",
    body: UpdateUserSchema,
    responses: { 200: ok("Changed", PublicUserSchema), 409: none("The last active admin cannot be demoted or disabled") },
  },
  "DELETE /api/users/:id": { summary: "Delete a user", tag: "users", responses: { 204: none("Deleted"), 409: none("The last active admin cannot be deleted") } },

  "GET /api/alerts": { summary: "Alert rules", tag: "alerts", query: RulesQuerySchema, responses: { 200: ok("The rules", AlertRuleListSchema) } },
  "POST /api/alerts": { summary: "Create an alert rule", tag: "alerts", body: AlertRuleInputSchema, responses: { 201: ok("Created", AlertRuleSchema) } },
  "GET /api/alerts/:id": { summary: "One alert rule", tag: "alerts", responses: { 200: ok("The rule", AlertRuleSchema) } },
  "PATCH /api/alerts/:id": {
    summary: "Change an alert rule",
    description: "Any fields of the rule (as in POST /api/alerts); the stored rule merged with them must be a valid rule.",
    tag: "alerts",
    body: RulePatchSchema,
    responses: { 200: ok("Changed", AlertRuleSchema) },
  },
  "DELETE /api/alerts/:id": { summary: "Delete an alert rule and its events", tag: "alerts", responses: { 204: none("Deleted") } },
  "GET /api/alerts/:id/changes": { summary: "A rule's change log, newest first", tag: "alerts", responses: { 200: ok("The changes", RuleChangesSchema) } },
  "GET /api/alerts/events": { summary: "Alert events, newest first", tag: "alerts", query: EventsQuerySchema, responses: { 200: ok("A page", AlertEventPageSchema) } },
  "GET /api/alerts/events/:id": { summary: "One alert event", tag: "alerts", responses: { 200: ok("The event", AlertEventSchema) } },
  "POST /api/alerts/events/:id/ack": { summary: "Acknowledge an event (the first acknowledgement stands)", tag: "alerts", responses: { 200: ok("The event", AlertEventSchema) } },
  "GET /api/alerts/events/:id/deliveries": { summary: "An event's notification deliveries", tag: "alerts", responses: { 200: ok("The deliveries", DeliveryListSchema) } },
  "GET /api/alerts/silences": { summary: "Silences", tag: "alerts", query: SilencesQuerySchema, responses: { 200: ok("The silences", SilenceListSchema) } },
  "POST /api/alerts/silences": { summary: "Create a silence", tag: "alerts", body: CreateSilenceSchema, responses: { 201: ok("Created", SilenceSchema) } },
  "PATCH /api/alerts/silences/:id": { summary: "Change a silence's end or reason", tag: "alerts", body: UpdateSilenceSchema, responses: { 200: ok("Changed", SilenceSchema) } },
  "DELETE /api/alerts/silences/:id": { summary: "Delete a silence", tag: "alerts", responses: { 204: none("Deleted") } },
  "GET /api/alerts/routes": { summary: "Notification routes in the order they are tried, and the channels rules and routes can name", tag: "alerts", responses: { 200: ok("The routes", RouteListSchema) } },
  "POST /api/alerts/routes": {
    summary: "Create a notification route",
    description: "Rules that name no channels send to the first route (by position) whose selector matches the host and whose severities include the rule's; no match: every enabled channel.",
    tag: "alerts",
    body: CreateRouteSchema,
    responses: { 201: ok("Created", RouteSchema) },
  },
  "PATCH /api/alerts/routes/:id": { summary: "Change a notification route", tag: "alerts", body: UpdateRouteSchema, responses: { 200: ok("Changed", RouteSchema) } },
  "DELETE /api/alerts/routes/:id": { summary: "Delete a notification route", tag: "alerts", responses: { 204: none("Deleted") } },
  "GET /api/maintenance": { summary: "Maintenance windows (current: open now or still to come)", tag: "alerts", query: MaintenanceQuerySchema, responses: { 200: ok("The windows", MaintenanceListSchema) } },
  "POST /api/maintenance": {
    summary: "Create a maintenance window",
    description: "`{name, hostId | selector, startsAt?, endsAt}` (one-off) or `{name, hostId | selector, cron, timezone, durationSeconds}` (recurring; five-field cron in an IANA time zone). Events in a window are recorded, marked `maintenance`, and not notified.",
    tag: "alerts",
    body: CreateMaintenanceSchema,
    responses: { 201: ok("Created", MaintenanceWindowSchema) },
  },
  "DELETE /api/maintenance/:id": { summary: "Delete a maintenance window", tag: "alerts", responses: { 204: none("Deleted") } },
  "GET /api/alerts/runs": { summary: "Recent evaluation runs", tag: "alerts", query: RunsQuerySchema, responses: { 200: ok("The runs", RunListSchema) } },
  "GET /api/cron/alerts": { summary: "Run one alert evaluation (Vercel cron)", tag: "alerts", responses: { 200: ok("The evaluation", EvaluationResultSchema) } },
  "POST /api/cron/alerts": { summary: "Run one alert evaluation", tag: "alerts", responses: { 200: ok("The evaluation", EvaluationResultSchema) } },

  "GET /api/channels": { summary: "Notification channels (secrets redacted)", tag: "channels", responses: { 200: ok("The channels", ChannelListSchema) } },
  "POST /api/channels": { summary: "Create a notification channel", tag: "channels", body: CreateChannelSchema, responses: { 201: ok("Created", ChannelViewSchema) } },
  "PATCH /api/channels/:id": { summary: "Change a notification channel", tag: "channels", body: UpdateChannelSchema, responses: { 200: ok("Changed", ChannelViewSchema) } },
  "DELETE /api/channels/:id": { summary: "Delete a notification channel", tag: "channels", responses: { 204: none("Deleted") } },
  "POST /api/channels/:id/test": { summary: "Send one test notification now", tag: "channels", responses: { 200: ok("What the channel answered", ChannelTestResultSchema) } },
};
