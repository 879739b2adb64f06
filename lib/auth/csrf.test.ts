import { describe, expect, it } from "vitest";
import { crossSiteReason, isUnsafeMethod } from "./csrf";

const h = (init: Record<string, string>) => new Headers(init);

describe("crossSiteReason", () => {
  it("accepts the app's own origin, configured or taken from Host", () => {
    expect(crossSiteReason(h({ origin: "https://iw.example", host: "internal:3000" }), "https://iw.example")).toBeNull();
    expect(crossSiteReason(h({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }), undefined)).toBeNull();
    expect(crossSiteReason(h({ origin: "http://IW.example", host: "iw.example:80" }), undefined)).toBeNull();
    expect(crossSiteReason(h({ "sec-fetch-site": "same-origin" }), undefined)).toBeNull();
  });

  it("refuses foreign, look-alike and opaque origins", () => {
    expect(crossSiteReason(h({ origin: "https://evil.example", host: "iw.example" }), undefined)).toBe("foreign Origin");
    expect(crossSiteReason(h({ origin: "https://iw.example.evil.example", host: "iw.example" }), undefined)).toBe("foreign Origin");
    expect(crossSiteReason(h({ origin: "http://iw.example:8080", host: "iw.example" }), undefined)).toBe("foreign Origin");
    expect(crossSiteReason(h({ origin: "http://iw.example", host: "iw.example" }), "https://iw.example")).toBe("foreign Origin");
    expect(crossSiteReason(h({ origin: "null", host: "iw.example" }), undefined)).toBe("opaque Origin");
    expect(crossSiteReason(h({ origin: "not a url", host: "iw.example" }), undefined)).toBe("unreadable Origin");
  });

  it("without Origin, goes by Sec-Fetch-Site", () => {
    expect(crossSiteReason(h({ "sec-fetch-site": "cross-site" }), undefined)).toBe("Sec-Fetch-Site cross-site");
    expect(crossSiteReason(h({ "sec-fetch-site": "same-site" }), undefined)).toBe("Sec-Fetch-Site same-site");
    expect(crossSiteReason(h({}), undefined)).toBeNull();
  });

  it("only unsafe methods are checked", () => {
    expect(["POST", "put", "PATCH", "DELETE"].every(isUnsafeMethod)).toBe(true);
    expect(["GET", "HEAD", "OPTIONS"].some(isUnsafeMethod)).toBe(false);
  });
});
