/**
 * The OpenAPI 3.1 document, generated from the route table (who may call what) and the
 * operations (the zod schemas each route validates its input with and types its answer by).
 * Nothing here restates a body: JSON Schema comes from zod's own `z.toJSONSchema`. Request
 * schemas are written from their input side (what a client may send: fields with defaults are
 * optional); response schemas from theirs too, which for timestamps is the ISO 8601 string a
 * Date is sent as (see lib/http/wire.ts).
 */
import { z } from "zod";
import { ROUTE_ACCESS, type Access, type RouteKey } from "@/lib/auth/routes";
import { PERMISSIONS, type Permission } from "@/lib/auth/permissions";
import { BODY_LIMITS, ErrorBodySchema } from "@/lib/protocol";
import { OPERATIONS, type Operation, type Reply } from "./operations";
import type { OpenApiDocument } from "./document-schema";

type JsonSchema = Record<string, unknown>;

const toSchema = (schema: z.ZodType): JsonSchema => {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as JsonSchema;
  delete out.$schema;
  return out;
};

export const SECURITY_SCHEMES = {
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "next-auth.session-token",
    description: "The dashboard's session (next-auth JWT cookie; `__Secure-next-auth.session-token` over HTTPS). Unsafe methods must come from the app's own origin (CSRF check).",
  },
  bearerAccessToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "An access token from POST /api/auth/login or /api/auth/refresh (15 minutes)." },
  apiToken: { type: "http", scheme: "bearer", description: "A named API token created in Settings (GET|POST /api/tokens), with the role it was given; never accepted on agent routes." },
  agentToken: { type: "http", scheme: "bearer", description: "The host's agent token (`iwa_…`) from POST /api/agents/enroll; accepted only on the agent routes." },
  cronSecret: { type: "http", scheme: "bearer", description: "The server's CRON_SECRET." },
} as const;

function securityFor(access: Access): Record<string, string[]>[] {
  if (access === "public") return [];
  if (access === "agent") return [{ agentToken: [] }];
  if (access === "cron") return [{ cronSecret: [] }];
  return [{ sessionCookie: [] }, { bearerAccessToken: [] }, { apiToken: [] }];
}

/** In the order a reader needs them. */
const TAGS: { name: Operation["tag"]; description: string }[] = [
  { name: "auth", description: "Sign-in for scripts: access and refresh tokens" },
  { name: "hosts", description: "The fleet" },
  { name: "metrics", description: "Time series" },
  { name: "snapshots", description: "Configuration snapshots, diffs and drift" },
  { name: "alerts", description: "Rules, events, silences and evaluation" },
  { name: "channels", description: "Where notifications go" },
  { name: "users", description: "User administration" },
  { name: "agents", description: "Enrollment, the agent's own routes, the installer" },
  { name: "meta", description: "Health and this document" },
];

/** "GET /api/hosts/:id" -> ["get", "/api/hosts/{id}", ["id"]] */
export function splitRouteKey(key: string): { method: string; path: string; params: string[] } {
  const [method, path] = key.split(" ") as [string, string];
  const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return { method: method.toLowerCase(), path: path.replace(/:(\w+)/g, "{$1}"), params };
}

const ERROR = { $ref: "#/components/schemas/Error" };
const errorReply = (description: string) => ({ description, content: { "application/json": { schema: ERROR } } });

function replyObject(reply: Reply, status: number) {
  if (reply.content) return { description: reply.description, content: Object.fromEntries(Object.entries(reply.content).map(([type, s]) => [type, { schema: toSchema(s) }])) };
  if (!reply.schema) return status >= 400 ? errorReply(reply.description) : { description: reply.description };
  const schema = toSchema(reply.schema);
  const types = [reply.contentType ?? "application/json"].flat();
  return { description: reply.description, content: Object.fromEntries(types.map((type) => [type, { schema }])) };
}

function queryParameters(schema: z.ZodType) {
  const json = toSchema(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({ name, in: "query", required: required.has(name), schema: s, ...(typeof s.description === "string" ? { description: s.description } : {}) }));
}

function operationObject(key: RouteKey, op: Operation) {
  const access = ROUTE_ACCESS[key] as Access;
  const { params } = splitRouteKey(key);
  const responses: Record<string, unknown> = {};
  for (const [status, reply] of Object.entries(op.responses)) responses[status] = replyObject(reply, Number(status));
  const add = (status: number, description: string) => {
    responses[String(status)] ??= errorReply(description);
  };
  if (op.query || op.body) add(400, "Invalid input (with `issues`)");
  if (access !== "public") add(401, access === "agent" ? "No or unknown agent token" : access === "cron" ? "No or wrong CRON_SECRET" : "No or bad credentials");
  if (access !== "public" && access !== "agent" && access !== "cron") add(403, "Not allowed for your role, or a cross-site request with the session cookie");
  if (params.length) add(404, "Unknown id");
  if (op.body) {
    add(413, "Body too large");
    add(415, "Body is not JSON");
  }
  add(503, "The database is unavailable (retry)");

  const roles = access in PERMISSIONS ? PERMISSIONS[access as Permission].join(", ") : null;
  const who = roles ? `Permission \`${access}\` (${roles}).` : access === "public" ? "Public." : access === "agent" ? "Agent token." : "Cron secret.";
  const limit = op.body ? ` Body at most ${Math.round((op.bodyLimit ?? BODY_LIMITS.default) / 1024)} KiB.` : "";
  return {
    operationId: operationId(key),
    summary: op.summary,
    description: [op.description, who + limit].filter(Boolean).join("\n\n"),
    tags: [op.tag],
    "x-access": access,
    security: securityFor(access),
    parameters: [
      ...params.map((name) => ({ name, in: "path", required: true, schema: { type: "string", format: "uuid" } })),
      ...(op.query ? queryParameters(op.query) : []),
    ],
    ...(op.body
      ? { requestBody: { required: !op.bodyOptional, content: { "application/json": { schema: toSchema(op.body) } } } }
      : {}),
    responses,
  };
}

/** "POST /api/hosts/:id/revoke" -> "postHostsIdRevoke" */
function operationId(key: string): string {
  const { method, path } = splitRouteKey(key);
  const words = path
    .replace(/^\/api\//, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

export function buildOpenApiDocument(opts: { version: string; serverUrl?: string }): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const key of Object.keys(ROUTE_ACCESS) as RouteKey[]) {
    const { method, path } = splitRouteKey(key);
    (paths[path] ??= {})[method] = operationObject(key, OPERATIONS[key]);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Infra-Watch API",
      version: opts.version,
      description: "Every JSON error body is `{error, issues?}`. Timestamps are ISO 8601.",
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    tags: TAGS,
    paths,
    components: { schemas: { Error: toSchema(ErrorBodySchema) }, securitySchemes: SECURITY_SCHEMES },
  };
}
