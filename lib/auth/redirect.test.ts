import { describe, expect, it } from "vitest";
import { safeCallbackPath, safeRedirect } from "./redirect";

describe("safeCallbackPath", () => {
  it.each(["/", "/hosts/abc", "/alerts?state=firing", "/hosts/1#timeline", "/settings/users"])("keeps the same-origin path %s", (p) => {
    expect(safeCallbackPath(p)).toBe(p);
  });

  it.each([
    "/\t/evil.example/x",
    "/%09/evil.example/x".replace("%09", "\t"),
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "/.//evil.example",
    "/x/..//evil.example",
    "https://evil.example/",
    "http:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    " //evil.example",
    "\t//evil.example",
    "evil.example",
    "",
  ])("refuses %j", (value) => {
    const out = safeCallbackPath(value);
    expect(out).toBe("/");
    // And what it returns is read by a browser as this origin.
    expect(new URL(out, "https://app.example").origin).toBe("https://app.example");
  });

  it("encoded slashes stay inside the path", () => {
    const out = safeCallbackPath("/%2F%2Fevil.example/x");
    expect(new URL(out, "https://app.example").origin).toBe("https://app.example");
    expect(safeCallbackPath("/%5C%5Cevil.example")).toBe("/%5C%5Cevil.example");
  });

  it("never lands on the login page or an API route", () => {
    expect(safeCallbackPath("/login?callbackUrl=//evil.example")).toBe("/");
    expect(safeCallbackPath("/api/users")).toBe("/");
  });
});

describe("safeRedirect (next-auth's redirect callback)", () => {
  const base = "https://app.example";
  it("keeps same-origin URLs, relative or absolute", () => {
    expect(safeRedirect("/hosts/1", base)).toBe("https://app.example/hosts/1");
    expect(safeRedirect("https://app.example/alerts", base)).toBe("https://app.example/alerts");
  });
  it.each(["https://evil.example/", "//evil.example", "/\t/evil.example/x", "/\\evil.example", "https://app.example.evil.example/", "http://app.example/"])(
    "sends %j home instead",
    (url) => {
      expect(new URL(safeRedirect(url, base)).origin).toBe(base);
      expect(safeRedirect(url, base)).toMatch(/^https:\/\/app\.example\/?$/);
    },
  );
});
