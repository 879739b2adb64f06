import { afterEach, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "@/tests/helpers/http-receiver";
import { backoffDelay, deliverWithRetry } from "./retry";
import { firing, LOOPBACK } from "./test-fixtures";
import { DeliveryError, type Notifier } from "./types";
import { createWebhookNotifier } from "./webhook";

let receiver: HttpReceiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

/** Sleeps are recorded, not waited for. */
function fakeSleep() {
  const slept: number[] = [];
  return { slept, sleep: async (ms: number) => void slept.push(ms) };
}

function scripted(outcomes: (Error | "ok")[]): Notifier & { calls: number } {
  const n = {
    kind: "webhook" as const,
    calls: 0,
    async send() {
      const outcome = outcomes[Math.min(n.calls++, outcomes.length - 1)]!;
      if (outcome !== "ok") throw outcome;
    },
  };
  return n;
}

describe("deliverWithRetry", () => {
  it("retries a failing webhook with backoff until it succeeds, logging every attempt", async () => {
    receiver = await startHttpReceiver({ status: [503, 500, 200] });
    const { slept, sleep } = fakeSleep();
    const result = await deliverWithRetry(createWebhookNotifier({ url: receiver.url, egress: LOOPBACK }), firing, { attempts: 5, baseDelayMs: 100, sleep, random: () => 1 });
    expect(result.delivered).toBe(true);
    expect(result.attempts.map((a) => [a.attempt, a.ok, a.status])).toEqual([
      [1, false, 503],
      [2, false, 500],
      [3, true, 200],
    ]);
    expect(result.attempts[0]!.error).toBe("HTTP 503");
    expect(result.attempts[2]!.error).toBeNull();
    expect(result.attempts.every((a) => a.durationMs >= 0 && a.startedAt instanceof Date)).toBe(true);
    expect(slept).toEqual([100, 200]);
    expect(receiver.requests).toHaveLength(3);
  });

  it("stops at the first permanent failure", async () => {
    receiver = await startHttpReceiver({ status: 404 });
    const { slept, sleep } = fakeSleep();
    const result = await deliverWithRetry(createWebhookNotifier({ url: receiver.url, egress: LOOPBACK }), firing, { attempts: 5, baseDelayMs: 100, sleep });
    expect(result).toMatchObject({ delivered: false, attempts: [{ attempt: 1, ok: false, status: 404 }] });
    expect(slept).toEqual([]);
  });

  it("gives up after the configured attempts and never throws", async () => {
    const notifier = scripted([new DeliveryError("HTTP 503", { status: 503, retryable: true })]);
    const { slept, sleep } = fakeSleep();
    const result = await deliverWithRetry(notifier, firing, { attempts: 4, baseDelayMs: 1_000, sleep, random: () => 0 });
    expect(result.delivered).toBe(false);
    expect(result.attempts).toHaveLength(4);
    expect(notifier.calls).toBe(4);
    expect(slept).toEqual([500, 1_000, 2_000]);
  });

  it("retries surprises that are not DeliveryErrors, and records them as an internal error (their text stays in the server log)", async () => {
    const notifier = scripted([new TypeError("boom"), "ok"]);
    const result = await deliverWithRetry(notifier, firing, { attempts: 3, sleep: async () => {} });
    expect(result.attempts.map((a) => [a.ok, a.status, a.error])).toEqual([
      [false, null, "internal error"],
      [true, null, null],
    ]);
  });

  it("survives a notifier that throws a non-Error and a sleep that fails", async () => {
    const notifier: Notifier = {
      kind: "email",
      send: () => Promise.reject("just a string"),
    };
    const result = await deliverWithRetry(notifier, firing, { attempts: 2, sleep: () => Promise.reject(new Error("aborted")) });
    expect(result).toMatchObject({ delivered: false, attempts: [{ error: "internal error" }, { error: "internal error" }] });
  });

  it("makes at least one attempt whatever attempts says", async () => {
    const result = await deliverWithRetry(scripted(["ok"]), firing, { attempts: 0 });
    expect(result.attempts).toHaveLength(1);
  });
});

describe("backoffDelay", () => {
  it("doubles up to the cap, keeping half of each delay fixed and jittering the rest", () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 1_000, 10_000, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
    expect([1, 2, 3].map((n) => backoffDelay(n, 1_000, 10_000, () => 0))).toEqual([500, 1_000, 2_000]);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(3, 1_000, 60_000, Math.random)));
    expect(Math.min(...spread)).toBeGreaterThanOrEqual(2_000);
    expect(Math.max(...spread)).toBeLessThanOrEqual(4_000);
    expect(spread.size).toBeGreaterThan(10);
  });
});
