/**
 * Failed-login limits, each case on a server of its own so the window and the proxy setting
 * are the case's to choose. The test client talks to the server over loopback; where a case
 * needs many client addresses it makes 127.0.0.1 a trusted proxy and says who the client is in
 * X-Forwarded-For, as a reverse proxy would.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { startTestServer, type TestServer } from "../helpers/server";

const BEHIND_PROXY = { IW_TRUSTED_PROXIES: "127.0.0.1/32,::1" };

function loginTo(server: () => TestServer) {
  return (password: string, forwardedFor?: string, email = server().adminEmail) =>
    fetch(`${server().baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
      body: JSON.stringify({ email, password }),
    });
}

describe("brute force on one account (5 s window, behind a trusted proxy)", () => {
  let server: TestServer;
  const login = loginTo(() => server);
  beforeAll(async () => {
    server = await startTestServer({ env: { IW_LOGIN_WINDOW_S: "5", ...BEHIND_PROXY } });
  });
  afterAll(async () => server?.stop());

  it("429s within a few tries, lets the owner in from elsewhere, and lifts after the window", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login("wrong-password", "203.0.113.7")).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await login(server.adminPassword, "203.0.113.7");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: string }).error).toBeTruthy();
    // The right password from another address still works.
    expect((await login(server.adminPassword, "198.51.100.20")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 5200));
    expect((await login(server.adminPassword, "203.0.113.7")).status).toBe(200);
  });
});

describe("brute force from one address (15 min window)", () => {
  let server: TestServer;
  const login = loginTo(() => server);
  beforeAll(async () => {
    server = await startTestServer({ env: BEHIND_PROXY });
  });
  afterAll(async () => server?.stop());

  it("one address guessing across many accounts is limited too", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await login("wrong-password", "192.0.2.99", `user${i}@example.test`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });

  it("behind the proxy, rotating the client's own part of X-Forwarded-For does not help: the rightmost untrusted hop counts", async () => {
    const statuses: number[] = [];
    // The client sends "X-Forwarded-For: <anything>"; the proxy appends the address it saw.
    for (let i = 0; i < 7; i++) statuses.push((await login("wrong-password", `10.9.${i}.1, 192.0.2.50`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it("an IPv6 client counts by its /64: rotating the interface part does not help", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await login("wrong-password", `2001:db8:1:2::${(i + 1).toString(16)}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});

describe("X-Forwarded-For from a client that is not a trusted proxy (the default)", () => {
  let server: TestServer;
  const login = loginTo(() => server);
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it("rotating X-Forwarded-For does not reset the per-address or per-pair limits", async () => {
    const pair: number[] = [];
    for (let i = 0; i < 7; i++) pair.push((await login("wrong-password", `198.51.100.${i + 1}`)).status);
    expect(pair).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const spread: number[] = [];
    for (let i = 0; i < 17; i++) spread.push((await login("wrong-password", `203.0.113.${i + 1}`, `someone${i}@example.test`)).status);
    // 5 + 15 failures from the one real address, then the address limit holds.
    expect(spread.slice(0, 15).every((s) => s === 401)).toBe(true);
    expect(spread.slice(15)).toEqual([429, 429]);
  });

  it("a client cannot forge the peer-address header the server sets itself", async () => {
    const res = await fetch(`${server.baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-infra-watch-peer": "192.0.2.1", "x-forwarded-for": "192.0.2.2" },
      body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
    });
    // The loopback address is limited by now; a forged peer would have been a fresh one.
    expect(res.status).toBe(429);
  });
});

describe("password spraying against one account from many addresses", () => {
  let server: TestServer;
  const login = loginTo(() => server);
  beforeAll(async () => {
    server = await startTestServer({ env: BEHIND_PROXY });
  });
  afterAll(async () => server?.stop());

  it("trips the account cap for new addresses, while the owner from a known address still signs in", async () => {
    expect((await login(server.adminPassword, "198.51.100.20")).status).toBe(200);
    // 21 addresses x 5 guesses: each stays under its pair and address limits, the account passes 100.
    const statuses: number[] = [];
    for (let batch = 0; batch < 21; batch++) {
      const replies = await Promise.all(Array.from({ length: 5 }, () => login("wrong-password", `203.0.113.${batch + 1}`)));
      statuses.push(...replies.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 401).length).toBe(100);
    expect(statuses.filter((s) => s === 429).length).toBe(5);
    // A new address, even with the right password, waits; the owner's usual address does not.
    expect((await login(server.adminPassword, "192.0.2.77")).status).toBe(429);
    expect((await login(server.adminPassword, "198.51.100.20")).status).toBe(200);
  });
});

const onPostgres = Boolean(inject("databaseUrl"));

describe.skipIf(!onPostgres)("two instances on one database", () => {
  let database: TestDatabase;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    database = await createTestDatabase("iw_bf");
    for (let i = 0; i < 2; i++) servers.push(await startTestServer({ database, env: BEHIND_PROXY }));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await database?.drop();
  });

  it("share one limit: guesses spread over both count together", async () => {
    const [a, b] = servers.map((s) => loginTo(() => s)) as [ReturnType<typeof loginTo>, ReturnType<typeof loginTo>];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await (i % 2 ? b : a)("wrong-password", "203.0.113.44")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await a(servers[0]!.adminPassword, "203.0.113.44")).status).toBe(429);
    expect((await b(servers[0]!.adminPassword, "203.0.113.44")).status).toBe(429);
    expect((await b(servers[0]!.adminPassword, "198.51.100.9")).status).toBe(200);
  });
});
