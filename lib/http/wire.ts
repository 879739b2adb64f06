/**
 * Building blocks of response schemas: what a value looks like on the wire. A response schema
 * types the route's answer (`jsonOf`) and is the OpenAPI document's description of it, so the
 * two cannot drift apart.
 */
import { z } from "zod";

/** A timestamp: the server holds a Date, the wire carries its ISO 8601 string (the schema's input side). */
export const wireDate = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (s) => new Date(s),
  encode: (d) => d.toISOString(),
});

/** A timestamp the server already holds as an ISO 8601 string. */
export const isoString = z.iso.datetime({ offset: true });
