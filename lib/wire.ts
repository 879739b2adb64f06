/**
 * The one serializer between the server and the browser. What a query returns becomes what the
 * API sends and what a page hands its client components for the first paint, by the same rules:
 * a Date is its ISO 8601 string, a bigint its decimal string (JSON has no 64-bit integer), an
 * undefined field is left out. `Wire<T>` is that shape as a type, so the dashboard's types are
 * derived from the queries' return types instead of written out a second time.
 */
import { z } from "zod";

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

/*
 * Building blocks of response schemas: what a value looks like on the wire. A response schema
 * types the route's answer (`jsonOf`) and is the OpenAPI document's description of it, so the
 * two cannot drift apart.
 */

/** A timestamp: the server holds a Date, the wire carries its ISO 8601 string (the schema's input side). */
export const wireDate = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

/** A timestamp the server already holds as an ISO 8601 string. */
export const isoString = z.iso.datetime({ offset: true });
