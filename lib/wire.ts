/**
 * The one serializer between the server and the browser. What a query returns becomes what the
 * API sends and what a page hands its client components for the first paint, by the same rules:
 * a Date is its ISO 8601 string, a bigint its decimal string (JSON has no 64-bit integer), an
 * undefined field is left out. `Wire<T>` is that shape as a type, so the dashboard's types are
 * derived from the queries' return types instead of written out a second time.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends bigint
    ? string
    : T extends string | number | boolean | null | undefined
      ? T
      : T extends readonly (infer U)[]
        ? Wire<U>[]
        : T extends object
          ? { [K in keyof T]: Wire<T[K]> }
          : T;

/** The shape the value has after JSON: `toWire(x)` deep-equals `JSON.parse(JSON.stringify(x))`, bigints aside. */
export function toWire<T>(value: T): Wire<T> {
  return convert(value) as Wire<T>;
}

function convert(value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint") return value.toString();
    return value;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : convert(v)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = convert(v);
  return out;
}
