/**
 * Notifications end to end: channels configured over the API, a real HTTP receiver and a real
 * SMTP sink, evaluations triggered through the cron route. A server of its own, so the
 * channels created here hear only this file's events.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, enrolledHost, loginAs, sample, type Api } from "../helpers/api";
import { withContract } from "../helpers/contract";
import { startTestServer, type TestServer } from "../helpers/server";
import { startHttpReceiver, type HttpReceiver, type ReceivedRequest } from "../helpers/http-receiver";
import { startSmtpSink, type SmtpSink } from "../helpers/smtp-sink";

const SECRET = "webhook-signing-secret";
let server: TestServer;
let a: Api;
let admin: string;
let hook: HttpReceiver;
let slack: HttpReceiver;
let sink: SmtpSink;
let webhookId: string;
let emailId: string;

beforeAll(async () => {
  [server, hook, slack, sink] = await Promise.all([startTestServer({ env: { IW_PUBLIC_URL: "https://watch.example.test/", IW_NOTIFY_ALLOW_CIDRS: "127.0.0.0/8" } }), startHttpReceiver(), startHttpReceiver(), startSmtpSink()]);
  a = withContract(api(server.baseUrl));
  admin = (await loginAs(a, server.adminEmail, server.adminPassword)).accessToken;
  const w = await a.post("/api/channels", { name: "ops hook", config: { kind: "webhook", url: hook.url, secret: SECRET } }, admin);
  expect(w.status, w.text).toBe(201);
  webhookId = w.body.id;
  const e = await a.post(
    "/api/channels",
    { name: "ops mail", minSeverity: "warning", config: { kind: "email", host: "127.0.0.1", port: sink.port, tls: "none", from: "Infra-Watch <alerts@example.test>", to: ["oncall@example.test"] } },
    admin,
  );
  expect(e.status, e.text).toBe(201);
  emailId = e.body.id;
  const s = await a.post("/api/channels", { name: "ops slack", config: { kind: "slack", url: slack.url } }, admin);
  expect(s.status, s.text).toBe(201);
  expect(s.body.config.url).not.toContain("/hook");
});

afterAll(async () => {
  await server?.stop();
  await Promise.all([hook?.close(), slack?.close(), sink?.close()]);
});

const cron = () => a.call("POST", "/api/cron/alerts", { token: server.cronSecret });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const forRule = (ruleId: string) => hook.requests.filter((r) => (r.json as { rule?: { id?: string } })?.rule?.id === ruleId);

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function hostWithRule(rule: Record<string, unknown> = {}) {
  const host = await enrolledHost(a, admin);
  const r = await a.post("/api/alerts", { name: "disk full", kind: "threshold", metric: "diskPct", op: ">=", threshold: 90, severity: "critical", hostId: host.hostId, ...rule }, admin);
  expect(r.status, r.text).toBe(201);
  return { ...host, ruleId: r.body.id as string };
}

async function post(agentToken: string, diskPct: number, msAgo = 0) {
  const r = await a.call("POST", "/api/telemetry", { token: agentToken, body: { samples: [sample(msAgo, { diskPct })] } });
  expect(r.status, r.text).toBe(202);
}

const verify = (req: ReceivedRequest) => `sha256=${createHmac("sha256", SECRET).update(req.body, "utf8").digest("hex")}`;

describe("channels", () => {
  it("are admin-only and never show their secrets", async () => {
    const list = await a.get("/api/channels", admin);
    expect(list.status).toBe(200);
    const hookView = list.body.channels.find((c: { id: string }) => c.id === webhookId);
    expect(hookView).toMatchObject({ name: "ops hook", kind: "webhook", enabled: true, minSeverity: "info", config: { kind: "webhook", secretSet: true } });
    expect(JSON.stringify(list.body)).not.toContain(SECRET);

    const bad = await a.post("/api/channels", { name: "x", config: { kind: "webhook", url: "ftp://nope" } }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toContain("config.url");

    // Other edits keep the stored secret; moving the URL drops it unless it is given again (issue 11.7).
    const renamed = await a.patch(`/api/channels/${webhookId}`, { name: "ops hook", config: { url: hook.url } }, admin);
    expect(renamed.body.config).toMatchObject({ secretSet: true });
    const moved = await a.patch(`/api/channels/${webhookId}`, { config: { url: `${hook.url}?v=2` } }, admin);
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.config).toMatchObject({ secretSet: false });
    const back = await a.patch(`/api/channels/${webhookId}`, { config: { url: hook.url, secret: SECRET } }, admin);
    expect(back.body.config).toMatchObject({ secretSet: true });
  });

  it("test-send reports what the channel answered", async () => {
    const before = hook.requests.length;
    const r = await a.post(`/api/channels/${webhookId}/test`, undefined, admin);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ ok: true, status: 200 });
    expect(hook.requests.length).toBe(before + 1);
    const sent = hook.requests[before]!;
    expect(sent.headers["x-infrawatch-signature"]).toBe(verify(sent));
    expect(sent.json).toMatchObject({ rule: { name: "Test notification" } });
  });
});

describe("notifications", () => {
  it("the webhook receives exactly one firing and one resolved message, signed; email over SMTP and Slack get theirs", async () => {
    const h = await hostWithRule();
    await post(h.agentToken, 95, 1000);
    expect((await cron()).body.fired).toBe(1);
    await cron(); // still firing: no second message
    const firing = await waitFor("the firing webhook", () => forRule(h.ruleId)[0]);
    expect(firing.json).toMatchObject({ type: "alert.firing", state: "firing", rule: { id: h.ruleId, name: "disk full", severity: "critical" }, host: { id: h.hostId, hostname: h.hostname }, value: 95 });
    expect(firing.headers["x-infrawatch-signature"]).toBe(verify(firing));
    const firedId = (firing.json as { eventId: string }).eventId;
    expect(firing.json).toMatchObject({ url: `https://watch.example.test/alerts?event=${firedId}` });

    await post(h.agentToken, 40);
    expect((await cron()).body.resolved).toBe(1);
    await cron();
    await waitFor("the resolved webhook", () => forRule(h.ruleId).length >= 2);
    await sleep(500);
    const messages = forRule(h.ruleId);
    expect(messages.map((m) => (m.json as { state: string }).state)).toEqual(["firing", "resolved"]);
    for (const m of messages) expect(m.headers["x-infrawatch-signature"]).toBe(verify(m));
    const eventId = (messages[0]!.json as { eventId: string }).eventId;
    expect((messages[1]!.json as { eventId: string }).eventId).toBe(eventId);

    const mails = await waitFor("two emails", () => {
      const mine = sink.messages.filter((m) => m.subject.includes(h.hostname));
      return mine.length >= 2 && mine;
    });
    expect(mails.map((m) => m.subject)).toEqual([expect.stringContaining("[FIRING] critical: disk full"), expect.stringContaining("[RESOLVED] critical: disk full")]);
    expect(mails[0]!.to).toEqual(["oncall@example.test"]);

    const posts = await waitFor("two Slack posts", () => {
      const mine = slack.requests.filter((r) => r.body.includes(h.hostname));
      return mine.length >= 2 && mine;
    });
    expect(posts.map((p) => p.body)).toEqual([expect.stringContaining("FIRING"), expect.stringContaining("RESOLVED")]);
  });

  it("keeps a delivery log per event, read from the outbox", async () => {
    const h = await hostWithRule({ name: "log me" });
    await post(h.agentToken, 99, 1000);
    await cron();
    const [event] = (await a.get(`/api/alerts/events?ruleId=${h.ruleId}`, admin)).body.events;
    const deadline = Date.now() + 10_000;
    let deliveries: { channelId: string; channelName: string; state: string; ok: boolean; attempt: number; status: number }[] = [];
    while (Date.now() < deadline) {
      deliveries = (await a.get(`/api/alerts/events/${event.id}/deliveries`, admin)).body.deliveries;
      if (deliveries.length >= 3 && deliveries.every((d) => d.ok)) break;
      await sleep(100);
    }
    expect(deliveries).toHaveLength(3);
    expect(deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channelId: webhookId, channelName: "ops hook", state: "firing", ok: true, attempt: 1, status: 200 }),
        expect.objectContaining({ channelId: emailId, channelName: "ops mail", state: "firing", ok: true, attempt: 1, status: 250 }),
        expect.objectContaining({ channelName: "ops slack", state: "firing", ok: true, attempt: 1, status: 200 }),
      ]),
    );
  });

  it("a silenced rule logs its event but notifies nobody", async () => {
    const muted = await hostWithRule({ name: "muted" });
    const control = await hostWithRule({ name: "control" });
    const s = await a.post("/api/alerts/silences", { ruleId: muted.ruleId, endsAt: new Date(Date.now() + 3600_000).toISOString(), reason: "planned work" }, admin);
    expect(s.status, s.text).toBe(201);
    await post(muted.agentToken, 97, 1000);
    await post(control.agentToken, 97, 1000);
    expect((await cron()).body.fired).toBe(2);
    await waitFor("the control rule's webhook", () => forRule(control.ruleId)[0]);
    await waitFor("the control rule's email", () => sink.messages.find((m) => m.subject.includes(control.hostname)));
    await sleep(500);

    const [event] = (await a.get(`/api/alerts/events?ruleId=${muted.ruleId}`, admin)).body.events;
    expect(event).toMatchObject({ state: "firing", silenced: true, value: 97 });
    expect(forRule(muted.ruleId)).toHaveLength(0);
    expect(sink.messages.filter((m) => m.subject.includes(muted.hostname))).toHaveLength(0);
    expect((await a.get(`/api/alerts/events/${event.id}/deliveries`, admin)).body.deliveries).toEqual([]);

    // Resolving under the silence is quiet too.
    await post(muted.agentToken, 10);
    expect((await cron()).body.resolved).toBeGreaterThanOrEqual(1);
    await sleep(500);
    expect(forRule(muted.ruleId)).toHaveLength(0);
  });

  it("a channel below its minimum severity hears nothing", async () => {
    const h = await hostWithRule({ name: "just info", severity: "info" });
    await post(h.agentToken, 99, 1000);
    await cron();
    await waitFor("the webhook (min info)", () => forRule(h.ruleId)[0]);
    await sleep(500);
    expect(sink.messages.filter((m) => m.subject.includes(h.hostname))).toHaveLength(0);
  });
  it("retries a failing channel with backoff, logs every attempt, and a hanging channel never holds up the run", async () => {
    const [flaky, slow] = await Promise.all([startHttpReceiver({ status: [503, 200] }), startHttpReceiver({ delayMs: 3000 })]);
    const ids: string[] = [];
    try {
      for (const [name, url] of [["flaky", flaky.url], ["slow", slow.url]] as const) {
        const r = await a.post("/api/channels", { name, config: { kind: "webhook", url } }, admin);
        expect(r.status, r.text).toBe(201);
        ids.push(r.body.id);
      }
      const h = await hostWithRule({ name: "retry me" });
      await post(h.agentToken, 99, 1000);
      const run = await cron();
      expect(run.body).toMatchObject({ fired: 1, notifications: 5 });
      const [event] = (await a.get(`/api/alerts/events?ruleId=${h.ruleId}`, admin)).body.events;
      type Row = { channelName: string; attempt: number; ok: boolean; delivery: string; status: number | null; error: string | null };
      const rows = async () => (await a.get(`/api/alerts/events/${event.id}/deliveries`, admin)).body.deliveries as Row[];
      // The run answered while the slow channel (3 s) had not: its delivery is queued, not sent.
      expect((await rows()).filter((d) => d.channelName === "slow")).toMatchObject([{ delivery: "pending", ok: false }]);
      const deadline = Date.now() + 15_000;
      let log: Row[] = [];
      while (Date.now() < deadline && !(log.some((d) => d.channelName === "flaky" && d.ok) && log.some((d) => d.channelName === "slow" && d.ok))) {
        await sleep(200);
        log = await rows();
      }
      // One outbox row per channel: the flaky one needed a second attempt.
      expect(log.filter((d) => d.channelName === "flaky")).toMatchObject([{ attempt: 2, ok: true, delivery: "sent", status: 200, error: null }]);
      expect(log.filter((d) => d.channelName === "slow")).toMatchObject([{ attempt: 1, ok: true, delivery: "sent", status: 200 }]);
      expect(flaky.requests).toHaveLength(2);
    } finally {
      for (const id of ids) await a.del(`/api/channels/${id}`, admin);
      await Promise.all([flaky.close(), slow.close()]);
    }
  });
});
