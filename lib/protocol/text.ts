import { z } from "zod";

/** NUL, or a UTF-16 surrogate without its pair: text PostgreSQL cannot store (and a group cast would fail on). */
const INVALID_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string holds only text the database can store. */
export const isStorableText = (s: string): boolean => !INVALID_TEXT.test(s);

/** A string of telemetry: bounded, and only text the database can store. */
export const text = (max: number) => z.string().max(max).refine(isStorableText, "must not contain NUL characters or unpaired surrogates");

export const isoTimestamp = z.iso.datetime({ offset: true, message: "must be an ISO 8601 timestamp" });
