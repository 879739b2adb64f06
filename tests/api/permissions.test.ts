/**
 * The whole permission table over HTTP: every route in app/api × {no token, viewer, operator,
 * admin, agent token, cron secret}. Routes are discovered from the files, so a route added
 * without an entry in lib/auth/routes.ts fails here; the table itself is checked against the
 * explicit expectations below, so a permission cannot be loosened by editing the table alone.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ROUTE_ACCESS, type Access } from "@/lib/auth/routes";
import { PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { adminLogin, api, enrolledHost, userWithRole } from "../helpers/api";
import { withContract } from "../helpers/contract";

/** What the contract says each route needs. */
const EXPECTED: Record<string, Access> = {
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
  "GET /api/alerts/runs": "read",
  "GET /api/cron/alerts": "cron",
  "POST /api/cron/alerts": "cron",
  "GET /api/channels": "fleet:admin",
  "POST /api/channels": "fleet:admin",
  "PATCH /api/channels/:id": "fleet:admin",
  "DELETE /api/channels/:id": "fleet:admin",
  "POST /api/channels/:id/test": "fleet:admin",
};

/** next-auth's own endpoints (sign-in form, CSRF, session) are public by their nature. */
const NOT_IN_TABLE = new Set(["app/api/auth/[...nextauth]/route.ts"]);

function discoverRoutes(): string[] {
  const root = path.resolve("app/api");
  const keys: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts" && !NOT_IN_TABLE.has(path.relative(process.cwd(), full))) {
        const urlPath = "/" + path.relative(path.resolve("app"), dir).split(path.sep).map((seg) => seg.replace(/^\[(\w+)\]$/, ":$1")).join("/");
        const source = fs.readFileSync(full, "utf8");
        for (const m of source.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)) keys.push(`${m[1]} ${urlPath}`);
      }
    }
  };
  walk(root);
  return keys.sort();
}

type Role = "viewer" | "operator" | "admin";
type Who = "none" | Role | `${Role}-key` | "agent" | "cron";
const WHO: Who[] = ["none", "viewer", "operator", "admin", "viewer-key", "operator-key", "admin-key", "agent", "cron"];

/** The role a user caller acts with, and whether it came with an API token. */
function userOf(who: Who): { role: Role; key: boolean } | null {
  const m = /^(viewer|operator|admin)(-key)?$/.exec(who);
  return m ? { role: m[1] as Role, key: Boolean(m[2]) } : null;
}

const hasRole = (permission: Permission, role: Role) => (PERMISSIONS[permission] as readonly string[]).includes(role);

function allowed(access: Access, who: Who): boolean {
  if (access === "public") return true;
  if (access === "agent") return who === "agent";
  if (access === "cron") return who === "cron";
  const user = userOf(who);
  if (!user) return false;
  if (access === "token:read") return user.key && hasRole("read", user.role);
  return hasRole(access as Permission, user.role);
}

/** Refused callers: 401 without a usable credential of the right kind, 403 for a user lacking the role. */
function refusal(access: Access, who: Who): number {
  if (access === "agent" || access === "cron") return 401;
  const user = userOf(who);
  if (access === "token:read") return user?.key ? 403 : 401;
  return user ? 403 : 401;
}

describe("the route table", () => {
  it("lists exactly the routes that exist", () => {
    for (const key of discoverRoutes()) expect(ROUTE_ACCESS, `${key} has no entry in lib/auth/routes.ts`).toHaveProperty([key]);
    expect(discoverRoutes()).toEqual(Object.keys(ROUTE_ACCESS).sort());
  });
  it("matches the contract's expectations", () => {
    expect(ROUTE_ACCESS).toEqual(EXPECTED);
  });
});

describe("every route × every kind of caller", () => {
  // Every answer, allowed or refused, must be one the OpenAPI document describes.
  const a = withContract(api());
  const tokens: Partial<Record<Who, string>> = {};
  let hostId: string;
  beforeAll(async () => {
    const admin = (await adminLogin(a)).accessToken;
    tokens.admin = admin;
    tokens.viewer = (await userWithRole(a, admin, "viewer")).accessToken;
    tokens.operator = (await userWithRole(a, admin, "operator")).accessToken;
    for (const role of ["viewer", "operator", "admin"] as const) {
      const r = await a.post("/api/tokens", { name: `matrix ${role}`, role }, tokens[role]);
      if (r.status !== 201) throw new Error(`API token for ${role}: ${r.status} ${r.text}`);
      tokens[`${role}-key`] = r.body.token;
    }
    const host = await enrolledHost(a, admin);
    tokens.agent = host.agentToken;
    hostId = host.hostId;
    tokens.cron = inject("cronSecret");
  });

  const routes = discoverRoutes();
  for (const key of routes) {
    for (const who of WHO) {
      it(`${key} as ${who}`, async () => {
        const access = ROUTE_ACCESS[key as keyof typeof ROUTE_ACCESS] as Access;
        const [method, template] = key.split(" ") as [string, string];
        // An id that names nothing, so allowed destructive calls are harmless 404s.
        let url = template.replace(":id", "00000000-0000-4000-8000-000000000000");
        if (key === "GET /api/metrics" || key === "GET /api/metrics/export") url += `?hostId=${hostId}`;
        // Who may download is what is checked here: the checksum answer, not 90 MB per caller (the
        // agent end-to-end tests download the executable itself).
        if (key === "GET /api/agent/download") url += "?sha256";
        const body = method === "GET" || method === "DELETE" ? undefined : {};
        const r = await a.call(method, url, { token: tokens[who], body });
        expect(r.status, r.text.slice(0, 200)).toBeLessThan(500);
        if (allowed(access, who)) expect([401, 403]).not.toContain(r.status);
        else {
          expect(r.status).toBe(refusal(access, who));
          expect(r.body).toMatchObject({ error: expect.any(String) });
        }
      });
    }
  }
});
