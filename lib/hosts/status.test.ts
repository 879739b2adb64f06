import { describe, expect, it } from "vitest";
import { hostStatus } from "./status";

describe("hostStatus", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  it("is new before the first report", () => expect(hostStatus(null, 15, now)).toBe("new"));
  it("is up within three intervals", () => expect(hostStatus(new Date(now - 44_000), 15, now)).toBe("up"));
  it("is down after three missed intervals", () => expect(hostStatus(new Date(now - 46_000), 15, now)).toBe("down"));
  it("follows a cron agent's minute interval", () => {
    expect(hostStatus(new Date(now - 170_000), 60, now)).toBe("up");
    expect(hostStatus(new Date(now - 181_000), 60, now)).toBe("down");
  });
});
