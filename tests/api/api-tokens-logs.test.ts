/**
 * No API token is ever written to the server's output: a server of its own, whose every log
 * line is kept, sees a token created, used (allowed, refused, invalid input, the scrape),
 * revoked and presented again; neither the token nor its hash appears in what it printed.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { api, loginAs } from "../helpers/api";

let server: TestServer;
let stopped = false;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  if (server && !stopped) await server.stop();
});

describe("API tokens in the server's output", () => {
  it("never appear, in clear or hashed", async () => {
    const a = api(server.baseUrl);
    const admin = (await loginAs(a, server.adminEmail, server.adminPassword)).accessToken;
    const created = await a.post("/api/tokens", { name: "log probe", role: "viewer" }, admin);
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect((await a.get("/api/hosts", token)).status).toBe(200);
    expect((await a.get("/api/prometheus/metrics", token)).status).toBe(200);
    expect((await a.post("/api/alerts", {}, token)).status).toBe(403);
    expect((await a.get("/api/metrics/export?hostId=bad", token)).status).toBe(400);
    expect((await a.call("POST", "/api/telemetry", { token, body: { samples: [] } })).status).toBe(401);
    expect((await a.del(`/api/tokens/${created.body.id}`, admin)).status).toBe(204);
    expect((await a.get("/api/hosts", token)).status).toBe(401);
    // Stopped first, so everything it printed, shutdown included, is in the logs.
    await server.stop();
    stopped = true;
    const logs = server.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(token.slice(4));
    expect(logs).not.toContain(createHash("sha256").update(token).digest("hex"));
  });
});
