import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff";
import { classifyStatus } from "./outcome";

describe("backoffDelay", () => {
  it("doubles from the base and stays within half and all of the nominal delay", () => {
    expect(backoffDelay(0, {}, () => 0)).toBe(500);
    expect(backoffDelay(0, {}, () => 1)).toBe(1000);
    expect(backoffDelay(3, {}, () => 1)).toBe(8000);
    expect(backoffDelay(3, {}, () => 0)).toBe(4000);
  });
  it("is capped", () => {
    expect(backoffDelay(50, { maxMs: 60_000 }, () => 1)).toBe(60_000);
  });
});

describe("classifyStatus", () => {
  it.each([
    [202, "delivered"],
    [200, "retry"],
    [401, "unauthorized"],
    [429, "retry"],
    [503, "retry"],
    [400, "invalid"],
    [413, "invalid"],
    [403, "refused"],
    [404, "refused"],
    [415, "refused"],
    [301, "refused"],
  ] as const)("telemetry %d -> %s", (status, outcome) => {
    expect(classifyStatus(status, [202])).toBe(outcome);
  });
});
