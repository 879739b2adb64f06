import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import { parseCidr } from "@/lib/alerts/notifiers";
import { notificationFromPayload, notifierOptionsFor } from "./outbox";
import { notificationPayload } from "@/lib/alerts/notifiers";
import { firing } from "@/lib/alerts/notifiers/test-fixtures";

describe("IW_NOTIFY_ALLOW_CIDRS", () => {
  it("allows nothing by default and exactly the listed ranges when set", () => {
    expect(notifierOptionsFor(parseEnv({}))).toEqual({ egress: { allow: [] } });
    expect(notifierOptionsFor(parseEnv({ IW_NOTIFY_ALLOW_CIDRS: "127.0.0.0/8, fd00::/8" })).egress?.allow).toEqual([parseCidr("127.0.0.0/8"), parseCidr("fd00::/8")]);
  });

  it("refuses a malformed list at start instead of ignoring an entry", () => {
    expect(() => parseEnv({ IW_NOTIFY_ALLOW_CIDRS: "127.0.0.0/8,localhost" })).toThrow(EnvError);
    expect(() => parseEnv({ IW_NOTIFY_ALLOW_CIDRS: "10.0.0.1/8" })).toThrow(/IW_NOTIFY_ALLOW_CIDRS/);
  });
});

describe("notificationFromPayload", () => {
  it("gives back what was queued", () => {
    const stored = JSON.parse(JSON.stringify(notificationPayload(firing))) as Record<string, unknown>;
    expect(notificationFromPayload(stored)).toEqual({ ...firing, resolvedAt: null });
  });
});
