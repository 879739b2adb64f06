import { afterEach, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "@/tests/helpers/http-receiver";
import { createSlackNotifier, slackPayload } from "./slack";
import { firing, LOOPBACK } from "./test-fixtures";

let receiver: HttpReceiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

describe("slack notifier", () => {
  it("posts {text, blocks} to the incoming webhook", async () => {
    receiver = await startHttpReceiver();
    await createSlackNotifier({ url: receiver.url, egress: LOOPBACK }).send(firing);
    const body = receiver.requests[0]!.json as { text: string; blocks: { type: string }[] };
    expect(body.text).toBe(":red_circle: [FIRING] critical: High CPU on web-1: cpuPct 93.5 &gt; 90 for 7m");
    expect(body.blocks.map((b) => b.type)).toEqual(["section", "context"]);
    expect(JSON.stringify(body.blocks)).toContain("http://localhost:3000/alerts?event=ev-1");
  });

  it("marks a resolve notice and escapes Slack markup", () => {
    const p = slackPayload({ ...firing, state: "resolved", resolvedAt: new Date("2026-12-01T10:05:00Z"), host: { id: "h", hostname: "<web&1>" } });
    expect(p.text.startsWith(":white_check_mark: [RESOLVED] critical: High CPU on &lt;web&amp;1&gt;")).toBe(true);
    expect(JSON.stringify(p.blocks)).toContain("Resolved: 2026-12-01T10:05:00.000Z");
  });

  it("fails on Slack's error answers", async () => {
    receiver = await startHttpReceiver({ status: 400, responseBody: "invalid_payload" });
    await expect(createSlackNotifier({ url: receiver.url, egress: LOOPBACK }).send(firing)).rejects.toMatchObject({ status: 400, retryable: false, message: "HTTP 400" });
  });
});
