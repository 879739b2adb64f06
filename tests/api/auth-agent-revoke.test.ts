/**
 * A revoked agent token stops working on every instance within the bound the README states
 * (5 s: each instance trusts a verified agent token that long without asking the database).
 * PostgreSQL only: a PGlite data directory cannot be shared by two processes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, enrolledHost, loginAs, sample, type Api } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { startTestServer, type TestServer } from "../helpers/server";

const REVOKE_BOUND_MS = 5_000;
const onPostgres = Boolean(inject("databaseUrl"));

describe.skipIf(!onPostgres)("agent-token revoke across two instances", () => {
  let database: TestDatabase;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("iw_revoke");
    for (let i = 0; i < 2; i++) servers.push(await startTestServer({ database }));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
  });

  it("revoked on one instance, refused by the other within the stated bound", async () => {
    const [a, b] = servers.map((s) => api(s.baseUrl)) as [Api, Api];
    const admin = (await loginAs(a, servers[0]!.adminEmail, servers[0]!.adminPassword)).accessToken;
    const host = await enrolledHost(a, admin);
    // B has just verified (and cached) the token when A revokes it.
    expect((await b.post("/api/telemetry", sample(2000), host.agentToken)).status).toBe(202);
    expect((await a.post(`/api/hosts/${host.hostId}/revoke`, undefined, admin)).status).toBe(204);
    const revokedAt = Date.now();
    expect((await a.post("/api/telemetry", sample(1000), host.agentToken)).status).toBe(401);
    await new Promise((r) => setTimeout(r, REVOKE_BOUND_MS - (Date.now() - revokedAt) + 300));
    expect((await b.post("/api/telemetry", sample(0), host.agentToken)).status).toBe(401);
  });
});
