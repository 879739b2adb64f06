/** A small HTTP client for API tests, and fixtures made through the API itself. */
import { inject } from "vitest";

export type Reply<T = any> = { status: number; body: T; headers: Headers; text: string };

export function api(baseUrl = inject("baseUrl")) {
  async function call<T = any>(method: string, url: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await fetch(baseUrl + url, { method, headers, body, redirect: "manual" });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed as T, headers: res.headers, text };
  }
  return {
    baseUrl,
    call,
    get: <T = any>(url: string, token?: string) => call<T>("GET", url, { token }),
    post: <T = any>(url: string, body: unknown, token?: string) => call<T>("POST", url, { body, token }),
    patch: <T = any>(url: string, body: unknown, token?: string) => call<T>("PATCH", url, { body, token }),
    del: <T = any>(url: string, token?: string) => call<T>("DELETE", url, { token }),
  };
}

export type Api = ReturnType<typeof api>;

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export async function loginAs(a: Api, email: string, password: string) {
  const r = await a.post("/api/auth/login", { email, password });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
  return r.body as { accessToken: string; refreshToken: string; user: { id: string; role: string } };
}

export const adminLogin = (a: Api) => loginAs(a, inject("adminEmail"), inject("adminPassword"));

/** A user of the given role, created by the admin, already signed in. */
export async function userWithRole(a: Api, adminToken: string, role: "admin" | "operator" | "viewer") {
  const email = `${unique(role)}@example.test`;
  const password = "password-for-" + role;
  const created = await a.post("/api/users", { email, password, role }, adminToken);
  if (created.status !== 201) throw new Error(`create ${role}: ${created.status} ${created.text}`);
  const session = await loginAs(a, email, password);
  return { id: created.body.id as string, email, password, ...session };
}

/** A freshly enrolled host with its agent token. */
export async function enrolledHost(a: Api, adminToken: string, hostname = unique("host")) {
  const t = await a.post("/api/enrollment-tokens", { ttlHours: 1, maxUses: 1 }, adminToken);
  if (t.status !== 201) throw new Error(`enrollment token: ${t.status} ${t.text}`);
  const e = await a.post("/api/agents/enroll", { token: t.body.token, hostname, machineId: unique("machine") });
  if (e.status !== 201) throw new Error(`enroll: ${e.status} ${e.text}`);
  return { hostId: e.body.hostId as string, agentToken: e.body.agentToken as string, hostname };
}

export const sample = (msAgo: number, v: Record<string, unknown> = {}) => ({
  ts: new Date(Date.now() - msAgo).toISOString(),
  cpuPct: 10,
  memPct: 20,
  diskPct: 30,
  uptimeS: 1000,
  ...v,
});
