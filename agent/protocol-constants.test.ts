import { describe, expect, it } from "vitest";
import * as constants from "../lib/protocol/constants";
import * as protocol from "../lib/protocol";

describe("lib/protocol/constants", () => {
  it("matches the values the server validates with", () => {
    for (const [name, value] of Object.entries(constants)) {
      expect(protocol[name as keyof typeof protocol], name).toEqual(value);
    }
  });
});
