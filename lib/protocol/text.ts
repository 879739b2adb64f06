import { z } from "zod";

/** NUL, or a UTF-16 surrogate without its pair: text PostgreSQL cannot store (and a group cast would fail on). */
export const INVALID_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string of telemetry: bounded, and only text the database can store. */
export const text = (max: number) => z.string().max(max).refine((s) => !INVALID_TEXT.test(s), "must not contain NUL characters or unpaired surrogates");
