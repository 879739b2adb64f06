/**
 * Every API route and what it takes to call it: the permission table of the contract applied
 * to routes. `route()` (lib/http/route.ts) refuses a key that is not here, and the permission
 * matrix test walks app/api and fails for a route file that is not listed.
 */
import type { Permission } from "./permissions";

/** `token:read`: the read permission, from an API token only (scrapers; a session or access token is refused). */
export type Access = Permission | "public" | "agent" | "cron" | "token:read";

export const ROUTE_ACCESS = {
  "GET /api/health": "public",
  "GET /api/openapi.json": "public",
  "POST /api/auth/login": "public",
  "POST /api/auth/refresh": "public",
  "POST /api/auth/logout": "public",
  "GET /api/agent/download": "public",
  "GET /api/agent/install.sh": "public",
  "POST /api/agents/enroll": "public",

  "POST /api/telemetry": "agent",
  "POST /api/snapshot": "agent",

  "GET /api/hosts": "read",
  "GET /api/snapshots": "read",
  "GET /api/snapshots/:id": "read",
  "GET /api/snapshots/:id/diff": "read",
  "GET /api/drift": "read",
  "GET /api/drift/compare": "read",
  "GET /api/hosts/:id": "read",
  "GET /api/hosts/:id/processes": "read",
  "PATCH /api/hosts/:id": "hosts:label",
  "GET /api/hosts/:id/label-changes": "read",
  "GET /api/hosts/:id/containers": "read",
  "DELETE /api/hosts/:id": "fleet:admin",
  "POST /api/hosts/:id/revoke": "fleet:admin",
  "GET /api/hosts/:id/reenrollments": "fleet:admin",
  "POST /api/hosts/:id/reenrollments/:pendingId/approve": "fleet:admin",
  "POST /api/hosts/:id/reenrollments/:pendingId/reject": "fleet:admin",
  "GET /api/metrics": "read",
  "GET /api/overview/sparklines": "read",
  "GET /api/metrics/export": "read",
  "GET /api/prometheus/metrics": "token:read",

  "GET /api/tokens": "tokens:own",
  "POST /api/tokens": "tokens:own",
  "DELETE /api/tokens/:id": "tokens:own",

  "GET /api/enrollment-tokens": "fleet:admin",
  "POST /api/enrollment-tokens": "fleet:admin",
  "DELETE /api/enrollment-tokens/:id": "fleet:admin",

  "GET /api/users": "users:admin",
  "POST /api/users": "users:admin",
  "PATCH /api/users/:id": "users:admin",
  "DELETE /api/users/:id": "users:admin",

  // Alerts: rules, events, silences, the evaluation trigger; notification channels (admins).
  "GET /api/alerts": "read",
  "POST /api/alerts": "alerts:write",
  "GET /api/alerts/:id": "read",
  "PATCH /api/alerts/:id": "alerts:write",
  "DELETE /api/alerts/:id": "alerts:write",
  "GET /api/alerts/:id/changes": "read",
  "GET /api/alerts/events": "read",
  "GET /api/alerts/events/export": "read",
  "GET /api/alerts/events/:id": "read",
  "POST /api/alerts/events/:id/ack": "alerts:write",
  "GET /api/alerts/events/:id/deliveries": "read",
  "GET /api/alerts/silences": "read",
  "POST /api/alerts/silences": "alerts:write",
  "PATCH /api/alerts/silences/:id": "alerts:write",
  "DELETE /api/alerts/silences/:id": "alerts:write",
  "GET /api/alerts/routes": "read",
  "POST /api/alerts/routes": "alerts:write",
  "PATCH /api/alerts/routes/:id": "alerts:write",
  "DELETE /api/alerts/routes/:id": "alerts:write",
  "GET /api/maintenance": "read",
  "POST /api/maintenance": "alerts:write",
  "DELETE /api/maintenance/:id": "alerts:write",
  "GET /api/alerts/runs": "read",
  "GET /api/cron/alerts": "cron",
  "POST /api/cron/alerts": "cron",
  "GET /api/channels": "fleet:admin",
  "POST /api/channels": "fleet:admin",
  "PATCH /api/channels/:id": "fleet:admin",
  "DELETE /api/channels/:id": "fleet:admin",
  "POST /api/channels/:id/test": "fleet:admin",
} as const satisfies Record<string, Access>;

export type RouteKey = keyof typeof ROUTE_ACCESS;
