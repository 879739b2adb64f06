/** Behind a configured reverse proxy, the install script names the address clients used (X-Forwarded-*). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { IW_TRUSTED_PROXIES: "127.0.0.1/32,::1" } });
});
afterAll(async () => server?.stop());

const script = async (headers: Record<string, string>) => (await fetch(`${server.baseUrl}/api/agent/install.sh`, { headers })).text();

describe("install script behind a trusted proxy", () => {
  it("uses the forwarded scheme, host and prefix", async () => {
    const text = await script({ "x-forwarded-proto": "https", "x-forwarded-host": "monitor.example.com", "x-forwarded-prefix": "/iw" });
    expect(text).toContain("SERVER='https://monitor.example.com/iw'");
  });

  it("falls back to its own address when a forwarded value could not be part of a URL", async () => {
    const text = await script({ "x-forwarded-proto": "https", "x-forwarded-host": "evil.example'; rm -rf / #" });
    expect(text).not.toContain("evil.example");
    expect(text).toContain(`SERVER='${server.baseUrl}'`);
  });
});
