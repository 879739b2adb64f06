import { describe, expect, it } from "vitest";
import { AgentTokenCache } from "./agent-tokens";

describe("AgentTokenCache", () => {
  it("remembers a token for its time to live", () => {
    const c = new AgentTokenCache(1000);
    c.set("h1", "host-a", 0);
    expect(c.get("h1", 999)).toBe("host-a");
    expect(c.get("h1", 1000)).toBeUndefined();
    expect(c.get("h1", 10)).toBeUndefined();
  });
  it("forgets every token of a host at once", () => {
    const c = new AgentTokenCache(60_000);
    c.set("old", "host-a", 0);
    c.set("new", "host-a", 0);
    c.set("other", "host-b", 0);
    c.forgetHost("host-a");
    expect([c.get("old", 1), c.get("new", 1), c.get("other", 1)]).toEqual([undefined, undefined, "host-b"]);
  });
  it("stays bounded", () => {
    const c = new AgentTokenCache(60_000, 2);
    c.set("a", "1", 0);
    c.set("b", "2", 0);
    c.set("c", "3", 0);
    expect(c.get("c", 1)).toBe("3");
    expect(c.get("a", 1)).toBeUndefined();
  });
});
