import { describe, expect, it } from "vitest";
import { labelChangeText } from "./label-history";

describe("labelChangeText", () => {
  it("says what was added, removed and changed, in key order", () => {
    expect(labelChangeText({ env: "prod", gpu: "", role: "web" }, { env: "staging", role: "web", team: "ops" })).toBe("env: prod \u2192 staging, \u2212gpu, +team=ops");
    expect(labelChangeText({ a: "" }, { a: "x" })).toBe("a: (empty) \u2192 x");
    expect(labelChangeText({ a: "1" }, { a: "1" })).toBe("no change to the labels carried");
  });
});
