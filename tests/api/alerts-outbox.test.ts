/**
 * The notification outbox and channel safety against `next start`: a kill -9 in the middle of
 * a retry loop loses nothing and sends once; channels cannot reach loopback without the
 * allow-list; moving an SMTP channel drops its password.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, enrolledHost, loginAs, sample, type Api } from "../helpers/api";
import { createTestDatabase } from "../helpers/database";
import { startTestServer, type TestServer } from "../helpers/server";
import { startHttpReceiver, type HttpReceiver } from "../helpers/http-receiver";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp-sink";

const ALLOW_LOOPBACK = { IW_NOTIFY_ALLOW_CIDRS: "127.0.0.0/8" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

type Delivery = { channelId: string; delivery: string; ok: boolean; attempt: number; status: number | null; error: string | null; nextAttemptAt: string | null };

async function firingEvent(a: Api, admin: string) {
  const host = await enrolledHost(a, admin);
  const rule = await a.post("/api/alerts", { name: "disk full", kind: "threshold", metric: "diskPct", op: ">=", threshold: 90, severity: "critical", hostId: host.hostId }, admin);
  expect(rule.status, rule.text).toBe(201);
  const t = await a.call("POST", "/api/telemetry", { token: host.agentToken, body: { samples: [sample(1000, { diskPct: 97 })] } });
  expect(t.status, t.text).toBe(202);
  return { ...host, ruleId: rule.body.id as string };
}

describe("a kill -9 in the middle of a retry loop", () => {
  let hook: HttpReceiver;
  const servers: TestServer[] = [];
  let drop: () => Promise<void> = async () => {};
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await hook?.close();
    await drop();
  });

  it("loses nothing: the next instance sends the notification, exactly once", async () => {
    // The receiver is down (503) until it "comes back": the array is the helper's status list, read per request.
    const codes = [503];
    hook = await startHttpReceiver({ status: codes });
    const database = await createTestDatabase();
    drop = database.drop;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "iw-outbox-"));
    const first = await startTestServer({ database, dataDir, env: ALLOW_LOOPBACK });
    servers.push(first);
    let a = api(first.baseUrl);
    let admin = (await loginAs(a, first.adminEmail, first.adminPassword)).accessToken;
    const ch = await a.post("/api/channels", { name: "hook", config: { kind: "webhook", url: hook.url } }, admin);
    expect(ch.status, ch.text).toBe(201);
    const h = await firingEvent(a, admin);
    const run = await a.call("POST", "/api/cron/alerts", { token: first.cronSecret });
    expect(run.body).toMatchObject({ fired: 1, notifications: 1 });
    const [event] = (await a.get(`/api/alerts/events?ruleId=${h.ruleId}`, admin)).body.events;
    const deliveries = async () => (await a.get(`/api/alerts/events/${event.id}/deliveries`, admin)).body.deliveries as Delivery[];

    // Two failed attempts recorded; the third waits out its backoff (2 s) when the process dies.
    // `attempt` counts claims, so attempt 2 with a past nextAttemptAt is the second send still in
    // flight; a next attempt in the future means its failure is written.
    await waitFor("two failed attempts", async () => {
      const [d] = await deliveries();
      return d && d.attempt === 2 && d.delivery === "pending" && d.status === 503 && d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) > Date.now() && d;
    });
    first.process.kill("SIGKILL");
    await new Promise((r) => (first.process.exitCode !== null || first.process.signalCode !== null ? r(null) : first.process.once("exit", r)));
    expect(hook.requests).toHaveLength(2);

    codes.push(200);
    const second = await startTestServer({ database, dataDir, env: ALLOW_LOOPBACK });
    servers.push(second);
    a = api(second.baseUrl);
    admin = (await loginAs(a, second.adminEmail, second.adminPassword)).accessToken;
    const sent = await waitFor("the notification sent by the new instance", async () => {
      const [d] = await deliveries();
      return d?.ok && d;
    });
    expect(sent).toMatchObject({ delivery: "sent", attempt: 3, status: 200, error: null });
    // Several outbox polls later, still exactly one message got through.
    await sleep(5_000);
    expect(hook.requests).toHaveLength(3);
    expect(hook.requests.map((r) => r.headers["x-infrawatch-delivery"])).toEqual(Array(3).fill(`${event.id}:firing`));
    expect(await deliveries()).toHaveLength(1);
  });
});

describe("channel egress", () => {
  let strict: TestServer;
  let hook: HttpReceiver;
  beforeAll(async () => {
    [strict, hook] = await Promise.all([startTestServer(), startHttpReceiver({ responseBody: "SSH-2.0-OpenSSH_9.2p1 internal banner" })]);
  });
  afterAll(async () => {
    await strict?.stop();
    await hook?.close();
  });

  it("refuses a webhook to 127.0.0.1 without IW_NOTIFY_ALLOW_CIDRS: a literal address at save, a name at send time", async () => {
    const a = api(strict.baseUrl);
    const admin = (await loginAs(a, strict.adminEmail, strict.adminPassword)).accessToken;
    const literal = await a.post("/api/channels", { name: "inner", config: { kind: "webhook", url: hook.url } }, admin);
    expect(literal.status, literal.text).toBe(400);
    expect(literal.body.issues).toEqual([{ path: "config.url", message: expect.stringContaining("address not allowed (loopback)") }]);
    const metadata = await a.post("/api/channels", { name: "imds", config: { kind: "email", host: "169.254.169.254", port: 25, from: "a@example.test", to: ["b@example.test"] } }, admin);
    expect(metadata.status, metadata.text).toBe(400);
    expect(metadata.body.issues[0]).toMatchObject({ path: "config.host", message: expect.stringContaining("link-local") });

    // A name passes the save (what it resolves to can change) and is refused when it resolves to loopback.
    const ch = await a.post("/api/channels", { name: "inner", config: { kind: "webhook", url: hook.url.replace("127.0.0.1", "localhost") } }, admin);
    expect(ch.status, ch.text).toBe(201);
    const moved = await a.patch(`/api/channels/${ch.body.id}`, { config: { url: "http://[::ffff:127.0.0.1]/hook" } }, admin);
    expect(moved.status, moved.text).toBe(400);
    const test = await a.post(`/api/channels/${ch.body.id}/test`, undefined, admin);
    expect(test.status, test.text).toBe(200);
    expect(test.body).toMatchObject({ ok: false, status: null, error: "address not allowed (loopback)" });
    expect(hook.requests).toHaveLength(0);

    // Through the outbox too: the event's delivery fails for good, nothing reaches the receiver.
    const h = await firingEvent(a, admin);
    expect((await a.call("POST", "/api/cron/alerts", { token: strict.cronSecret })).body).toMatchObject({ fired: 1, notifications: 1 });
    const [event] = (await a.get(`/api/alerts/events?ruleId=${h.ruleId}`, admin)).body.events;
    const d = await waitFor("the refused delivery", async () => {
      const [row] = (await a.get(`/api/alerts/events/${event.id}/deliveries`, admin)).body.deliveries as Delivery[];
      return row?.delivery === "failed" && row;
    });
    expect(d).toMatchObject({ attempt: 1, error: "address not allowed (loopback)" });
    expect(hook.requests).toHaveLength(0);
  });

  it("with the allow-list, the same webhook works, and the answer carries its status only", async () => {
    const open = await startTestServer({ env: ALLOW_LOOPBACK });
    try {
      const a = api(open.baseUrl);
      const admin = (await loginAs(a, open.adminEmail, open.adminPassword)).accessToken;
      const ch = await a.post("/api/channels", { name: "inner", config: { kind: "webhook", url: hook.url } }, admin);
      const test = await a.post(`/api/channels/${ch.body.id}/test`, undefined, admin);
      expect(test.body).toMatchObject({ ok: true, status: 200, error: null });
      expect(hook.requests).toHaveLength(1);
      expect(test.text).not.toContain("SSH-2.0");
    } finally {
      await open.stop();
    }
  });
});

describe("moving an SMTP channel", () => {
  let server: TestServer;
  let original: SmtpSink;
  let elsewhere: SmtpSink;
  beforeAll(async () => {
    original = await startSmtpSink();
    // Same port, another loopback address: a PATCH of the host alone reaches it.
    elsewhere = await startSmtpSink({ host: "127.0.0.2", port: original.port });
    server = await startTestServer({ env: ALLOW_LOOPBACK });
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([original?.close(), elsewhere?.close()]);
  });

  it("drops the stored password: the next send does not authenticate with it", async () => {
    const a = api(server.baseUrl);
    const admin = (await loginAs(a, server.adminEmail, server.adminPassword)).accessToken;
    const ch = await a.post(
      "/api/channels",
      { name: "mail", config: { kind: "email", host: "127.0.0.1", port: original.port, tls: "none", user: "mailer", pass: "stored-secret-pw", from: "alerts@example.test", to: ["ops@example.test"] } },
      admin,
    );
    expect(ch.status, ch.text).toBe(201);
    expect((await a.post(`/api/channels/${ch.body.id}/test`, undefined, admin)).body).toMatchObject({ ok: true, status: 250 });
    expect(original.messages[0]!.auth).toEqual({ user: "mailer", pass: "stored-secret-pw" });

    const patched = await a.patch(`/api/channels/${ch.body.id}`, { config: { host: "127.0.0.2" } }, admin);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.config).toMatchObject({ host: "127.0.0.2", passSet: false, user: "mailer" });
    expect((await a.post(`/api/channels/${ch.body.id}/test`, undefined, admin)).body).toMatchObject({ ok: true, status: 250 });
    expect(elsewhere.messages).toHaveLength(1);
    expect(elsewhere.messages[0]!.auth).toBeNull();
  });

  it("requires TLS unless the channel says tls: none", async () => {
    const a = api(server.baseUrl);
    const admin = (await loginAs(a, server.adminEmail, server.adminPassword)).accessToken;
    const ch = await a.post("/api/channels", { name: "mail tls", config: { kind: "email", host: "127.0.0.1", port: original.port, user: "mailer", pass: "pw-1234567", from: "alerts@example.test", to: ["ops@example.test"] } }, admin);
    expect(ch.body.config).toMatchObject({ tls: "starttls" });
    const before = original.messages.length;
    const test = await a.post(`/api/channels/${ch.body.id}/test`, undefined, admin);
    expect(test.body).toMatchObject({ ok: false });
    expect(original.messages).toHaveLength(before);
  });
});
