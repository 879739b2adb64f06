import { describe, expect, it } from "vitest";
import { isEmptyList, queryView } from "./query-view";

const q = <T>(over: Partial<{ data: T; isPending: boolean; isError: boolean; error: unknown }>) => ({ data: undefined, isPending: false, isError: false, error: null, ...over });

describe("queryView", () => {
  it("is loading while nothing has arrived", () => {
    expect(queryView(q({ isPending: true }))).toEqual({ state: "loading" });
  });

  it("is an error only when there is no data to show", () => {
    const error = new Error("boom");
    expect(queryView(q({ isError: true, error }))).toEqual({ state: "error", error });
  });

  it("keeps earlier data when a refetch fails, and says so", () => {
    const error = new Error("offline");
    expect(queryView(q({ data: [1], isError: true, error }))).toEqual({ state: "ready", data: [1], staleError: error });
  });

  it("calls an empty list empty, other data ready", () => {
    expect(queryView(q({ data: [] }))).toEqual({ state: "empty", data: [], staleError: null });
    expect(queryView(q({ data: { rows: [] } }))).toEqual({ state: "ready", data: { rows: [] }, staleError: null });
  });

  it("takes the caller's idea of empty", () => {
    expect(queryView(q({ data: { rows: [] as number[] } }), (d) => d.rows.length === 0).state).toBe("empty");
    expect(queryView(q({ data: [1, 2] }), (d) => d.length < 2).state).toBe("ready");
  });

  it("treats null as loaded data, not as loading", () => {
    expect(queryView(q({ data: null }), (d) => d === null)).toEqual({ state: "empty", data: null, staleError: null });
  });
});

describe("isEmptyList", () => {
  it("is true only for an empty array", () => {
    expect(isEmptyList([])).toBe(true);
    expect(isEmptyList([0])).toBe(false);
    expect(isEmptyList({})).toBe(false);
    expect(isEmptyList(null)).toBe(false);
  });
});
