import { afterEach, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "@/tests/helpers/http-receiver";
import { createDispatcher, type Delivery } from "./dispatch";
import type { DeliveryResult } from "./retry";
import { firing } from "./test-fixtures";
import type { Notifier } from "./types";
import { createWebhookNotifier } from "./webhook";

let receiver: HttpReceiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe("createDispatcher", () => {
  it("returns at once and files one result per delivery", async () => {
    receiver = await startHttpReceiver({ delayMs: 100 });
    const results: [string, DeliveryResult][] = [];
    const d = createDispatcher({ onResult: (delivery, result) => void results.push([delivery.tag, result]) });
    const notifier = createWebhookNotifier({ url: receiver.url });
    d.enqueue({ tag: "ch1", notifier, message: firing });
    d.enqueue({ tag: "ch2", notifier, message: { ...firing, state: "resolved", resolvedAt: new Date() } });
    // enqueue returned before any delivery finished: the receiver answers only after 100 ms.
    expect(d.pending).toBe(2);
    expect(results).toEqual([]);
    await d.drain();
    expect(d.pending).toBe(0);
    expect(results.map(([tag, r]) => [tag, r.delivered])).toEqual([
      ["ch1", true],
      ["ch2", true],
    ]);
    expect(receiver.requests).toHaveLength(2);
  });

  it("keeps at most `concurrency` deliveries in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const g = gate();
    const notifier: Notifier = {
      kind: "webhook",
      async send() {
        most = Math.max(most, ++inFlight);
        await g.opened;
        inFlight--;
      },
    };
    const d = createDispatcher({ concurrency: 2, onResult: () => {} });
    for (let i = 0; i < 6; i++) d.enqueue({ tag: String(i), notifier, message: firing });
    await new Promise((r) => setTimeout(r, 20));
    expect(most).toBe(2);
    g.open();
    await d.drain();
    expect(most).toBe(2);
  });

  it("records a failed delivery after its retries and carries on with the rest", async () => {
    receiver = await startHttpReceiver({ status: [500, 500, 500, 200] });
    const results: DeliveryResult[] = [];
    const d = createDispatcher({ concurrency: 1, retry: { attempts: 3, sleep: async () => {} }, onResult: (_, r) => void results.push(r) });
    const notifier = createWebhookNotifier({ url: receiver.url });
    d.enqueue({ tag: "a", notifier, message: firing });
    d.enqueue({ tag: "b", notifier, message: firing });
    await d.drain();
    expect(results.map((r) => [r.delivered, r.attempts.length])).toEqual([
      [false, 3],
      [true, 1],
    ]);
  });

  it("reports a failing delivery log to onError without stopping", async () => {
    const errors: [unknown, Delivery][] = [];
    let filed = 0;
    const d = createDispatcher({
      onResult: (delivery) => {
        if (delivery.tag === "bad") throw new Error("log table gone");
        filed++;
      },
      onError: (err, delivery) => void errors.push([err, delivery]),
    });
    const notifier: Notifier = { kind: "webhook", send: async () => {} };
    d.enqueue({ tag: "bad", notifier, message: firing });
    d.enqueue({ tag: "good", notifier, message: firing });
    await d.drain();
    expect(filed).toBe(1);
    expect(errors.map(([e, del]) => [(e as Error).message, del.tag])).toEqual([["log table gone", "bad"]]);
  });

  it("drains at once when idle", async () => {
    await expect(createDispatcher({ onResult: () => {} }).drain()).resolves.toBeUndefined();
  });
});
