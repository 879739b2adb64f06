import { describe, expect, it } from "vitest";
import { emailContent, eventMessageId } from "./email";
import { deliveryKey } from "./webhook";
import { groupNotifications, notificationPayload, notificationTitle } from "./format";
import { slackPayload } from "./slack";
import type { AlertNotification } from "./types";

const one = (i: number): AlertNotification => ({
  state: "firing",
  eventId: `ev-${i}`,
  rule: { id: "r-1", name: "Host down", kind: "hostDown", severity: "critical" },
  host: { id: `h-${i}`, hostname: `web-${String(i).padStart(2, "0")}` },
  value: 300 + i,
  message: `no data for ${5 + i}m`,
  startedAt: new Date(Date.UTC(2026, 11, 1, 10, 0, i)),
  resolvedAt: null,
  url: null,
});

describe("grouped notifications", () => {
  const fifty = groupNotifications(Array.from({ length: 50 }, (_, i) => one(i)));

  it("one message names the rule and the number of hosts", () => {
    expect(notificationTitle(fifty)).toBe("[FIRING] critical: Host down on 50 hosts");
    expect(fifty.eventId).toBe("ev-0");
    expect(fifty.startedAt.toISOString()).toBe("2026-12-01T10:00:00.000Z");
  });

  it("the webhook payload carries every host with its event, value and message", () => {
    const p = notificationPayload(fifty);
    expect(p.hosts).toHaveLength(50);
    expect(p.hosts[49]).toEqual({ id: "h-49", hostname: "web-49", eventId: "ev-49", value: 349, message: "no data for 54m" });
  });

  it("Slack and email list the hosts, the first twenty by name and a count of the rest", () => {
    const slack = slackPayload(fifty);
    expect(slack.text).toContain("50 hosts: web-00, web-01");
    expect(slack.text).toContain("web-19 and 30 more");
    expect(slack.text).not.toContain("web-20,");
    const mail = emailContent(fifty);
    expect(mail.subject).toBe("Infra-Watch [FIRING] critical: Host down on 50 hosts");
    expect(mail.text).toContain("web-07: no data for 12m");
  });

  it("a single notification is unchanged by grouping", () => {
    expect(notificationTitle(groupNotifications([one(3)]))).toBe("[FIRING] critical: Host down on web-03");
    expect(notificationPayload(one(3)).hosts).toEqual([{ id: "h-3", hostname: "web-03", eventId: "ev-3", value: 303, message: "no data for 8m" }]);
  });

  it("a repeat notice says it is still firing", () => {
    expect(notificationTitle({ ...one(1), repeat: 2 })).toBe("[STILL FIRING] critical: Host down on web-01");
  });

  it("a repeat notice has its own delivery key and Message-ID, so receivers do not drop it as a duplicate", () => {
    expect(deliveryKey(one(1))).toBe("ev-1:firing");
    expect(deliveryKey({ ...one(1), repeat: 3 })).toBe("ev-1:firing:3");
    expect(eventMessageId("ev-1", "firing", "iw@example.test", 3)).toBe("<alert-ev-1-firing-r3@example.test>");
    expect(eventMessageId("ev-1", "firing", "iw@example.test")).toBe("<alert-ev-1-firing@example.test>");
  });
});
