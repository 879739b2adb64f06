import { describe, expect, expectTypeOf, it } from "vitest";
import { toWire, type Wire } from "./wire";

describe("toWire", () => {
  it("gives what JSON would: ISO dates, no undefined fields, null for undefined in arrays", () => {
    const value = { at: new Date("2026-12-04T10:00:00.123Z"), none: null, gone: undefined, list: [new Date(0), undefined, 1], nested: { ok: true, n: 2.5, s: "x" } };
    expect(toWire(value)).toEqual(JSON.parse(JSON.stringify(value)));
    expect(toWire(value)).toEqual({ at: "2026-12-04T10:00:00.123Z", none: null, list: ["1970-01-01T00:00:00.000Z", null, 1], nested: { ok: true, n: 2.5, s: "x" } });
  });

  it("sends a bigint as its decimal string, which JSON.stringify cannot", () => {
    const value = { count: 9_007_199_254_740_993n };
    expect(() => JSON.stringify(value)).toThrow();
    expect(toWire(value)).toEqual({ count: "9007199254740993" });
  });

  it("turns an invalid date into null, as JSON does", () => {
    expect(toWire({ at: new Date(Number.NaN) })).toEqual({ at: null });
  });

  it("types the result as the wire shape", () => {
    type Row = { id: string; at: Date; maybe: Date | null; n: bigint; tags: { since: Date }[] };
    expectTypeOf<Wire<Row>>().toEqualTypeOf<{ id: string; at: string; maybe: string | null; n: string; tags: { since: string }[] }>();
  });
});
