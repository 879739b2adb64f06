/** Failed-login limits, each case on a server of its own so the window is the case's to choose. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";

function loginTo(server: () => TestServer) {
  return (password: string, address: string, email = server().adminEmail) =>
    fetch(`${server().baseUrl}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": address },
      body: JSON.stringify({ email, password }),
    });
}

describe("brute force on one account (5 s window)", () => {
  let server: TestServer;
  const login = loginTo(() => server);
  beforeAll(async () => {
    server = await startTestServer({ env: { IW_LOGIN_WINDOW_S: "5" } });
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
    server = await startTestServer();
  });
  afterAll(async () => server?.stop());

  it("one address guessing across many accounts is limited too", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await login("wrong-password", "192.0.2.99", `user${i}@example.test`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
