import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "@/tests/helpers/http-receiver";
import { firing, LOOPBACK } from "./test-fixtures";
import { DeliveryError } from "./types";
import { createWebhookNotifier, signBody } from "./webhook";


let receiver: HttpReceiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

describe("webhook notifier", () => {
  it("POSTs the notification as versioned JSON", async () => {
    receiver = await startHttpReceiver();
    const receipt = await createWebhookNotifier({ url: receiver.url, egress: LOOPBACK }).send(firing);
    expect(receipt).toEqual({ status: 200 });
    expect(receiver.requests).toHaveLength(1);
    const [req] = receiver.requests;
    expect(req!.method).toBe("POST");
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.headers["x-infrawatch-signature"]).toBeUndefined();
    expect(req!.headers["x-infrawatch-delivery"]).toBe("ev-1:firing");
    expect(req!.json).toEqual({
      version: 1,
      type: "alert.firing",
      eventId: "ev-1",
      state: "firing",
      rule: { id: "r-1", name: "High CPU", kind: "threshold", severity: "critical" },
      host: { id: "h-1", hostname: "web-1" },
      value: 93.5,
      message: "cpuPct 93.5 > 90 for 7m",
      startedAt: "2026-12-01T10:00:00.000Z",
      resolvedAt: null,
      url: "http://localhost:3000/alerts?event=ev-1",
      hosts: [{ id: "h-1", hostname: "web-1", eventId: "ev-1", value: 93.5, message: "cpuPct 93.5 > 90 for 7m" }],
      repeat: 0,
    });
  });

  it("signs the raw body with HMAC-SHA256 when a secret is configured", async () => {
    receiver = await startHttpReceiver();
    const secret = "a webhook secret";
    await createWebhookNotifier({ url: receiver.url, secret, egress: LOOPBACK }).send({ ...firing, state: "resolved", resolvedAt: new Date("2026-12-01T10:05:00Z") });
    const [req] = receiver.requests;
    const expected = `sha256=${createHmac("sha256", secret).update(req!.body).digest("hex")}`;
    expect(req!.headers["x-infrawatch-signature"]).toBe(expected);
    expect(signBody(secret, req!.body)).toBe(expected);
    expect(req!.json).toMatchObject({ type: "alert.resolved", resolvedAt: "2026-12-01T10:05:00.000Z" });
  });

  it("signs non-ASCII bodies over their UTF-8 bytes", async () => {
    receiver = await startHttpReceiver();
    await createWebhookNotifier({ url: receiver.url, secret: "k", egress: LOOPBACK }).send({ ...firing, host: { id: "h", hostname: "m\u00fcnchen-\u2603" } });
    const [req] = receiver.requests;
    expect(req!.headers["x-infrawatch-signature"]).toBe(`sha256=${createHmac("sha256", "k").update(Buffer.from(req!.body, "utf8")).digest("hex")}`);
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [408, true],
    [404, false],
    [400, false],
    [301, false],
  ])("rejects a %i answer with a DeliveryError (retryable: %s)", async (status, retryable) => {
    receiver = await startHttpReceiver({ status });
    const err = await createWebhookNotifier({ url: receiver.url, egress: LOOPBACK }).send(firing).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ status, retryable });
    expect((err as Error).message).toBe(`HTTP ${status}`);
  });

  it("refuses loopback without the allow-list, never follows a redirect, and keeps no reply body", async () => {
    receiver = await startHttpReceiver({ status: 200 });
    const refused = await createWebhookNotifier({ url: receiver.url }).send(firing).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: "DeliveryError", retryable: false, message: "address not allowed (loopback)" });
    expect(receiver.requests).toHaveLength(0);
    const viaName = await createWebhookNotifier({ url: "http://metadata.internal.test/latest", egress: { lookup: async () => [{ address: "169.254.169.254", family: 4 }] } })
      .send(firing)
      .catch((e: unknown) => e);
    expect(viaName).toMatchObject({ message: "address not allowed (link-local)" });
    await receiver.close();

    receiver = await startHttpReceiver({ status: 302, responseBody: "SSH-2.0-OpenSSH_9.2 banner" });
    const moved = await createWebhookNotifier({ url: receiver.url, egress: LOOPBACK }).send(firing).catch((e: unknown) => e);
    expect(moved).toMatchObject({ status: 302, retryable: false, message: "HTTP 302" });
    expect(receiver.requests).toHaveLength(1);
  });

  it("connects to the vetted address, not to a second lookup's answer", async () => {
    receiver = await startHttpReceiver();
    const port = new URL(receiver.url).port;
    let lookups = 0;
    const lookup = async () => (lookups++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.0.0.1", family: 4 }]);
    await createWebhookNotifier({ url: `http://hooks.internal.test:${port}/hook`, egress: { ...LOOPBACK, lookup } }).send(firing);
    expect(lookups).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers.host).toBe(`hooks.internal.test:${port}`);
  });

  it("counts name resolution in the deadline: a resolver that never answers ends in a timeout", async () => {
    const never = () => new Promise<never>(() => {});
    const err = await createWebhookNotifier({ url: "http://slow-dns.example.test/hook", timeoutMs: 200, egress: { lookup: never } }).send(firing).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DeliveryError", retryable: true, message: "no answer within 200 ms" });
  });

  it("gives up after the timeout, retryably", async () => {
    receiver = await startHttpReceiver({ delayMs: 2_000 });
    // The receiver would answer (200) after 2 s: an error here means the notifier gave up first.
    const err = await createWebhookNotifier({ url: receiver.url, timeoutMs: 200, egress: LOOPBACK }).send(firing).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DeliveryError", retryable: true, status: null, message: "no answer within 200 ms" });
  });

  it("reports a refused connection retryably", async () => {
    receiver = await startHttpReceiver();
    const url = receiver.url;
    await receiver.close();
    receiver = null;
    const err = await createWebhookNotifier({ url, egress: LOOPBACK }).send(firing).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DeliveryError", retryable: true, status: null });
    expect((err as Error).message).toBe("connection refused");
  });
});
