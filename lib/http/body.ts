/** Request reading with the contract's rules: JSON only (415), size limited while reading (413). */
import type { z } from "zod";
import { AppError, badRequest, notFound, parseInput } from "@/lib/errors";
import { isUuid } from "@/lib/ids";

/** `emptyAs`: the value an empty body stands for, for routes whose every field is optional. */
export async function readJson(req: Request, limitBytes: number, emptyAs?: unknown): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (emptyAs !== undefined && req.headers.get("content-length") === "0") return emptyAs;
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type.trim())) {
    throw new AppError("unsupportedMediaType", "the body must be JSON (Content-Type: application/json)");
  }
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limitBytes) {
    // Nothing of it is kept, but a client still writing a body it was refused for would see a
    // broken pipe instead of the 413: a moderately oversized body is read and dropped first.
    if (declared <= limitBytes * DRAIN_FACTOR && req.body) await discard(req.body.getReader());
    throw tooLarge(limitBytes);
  }
  const text = await readLimited(req, limitBytes);
  if (text.trim() === "") {
    if (emptyAs !== undefined) return emptyAs;
    throw badRequest("the body is empty");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("the body is not valid JSON");
  }
}

async function readLimited(req: Request, limitBytes: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await discard(reader, limitBytes * DRAIN_FACTOR - size);
      throw tooLarge(limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** How far past its limit a refused body is still read (and dropped) so the client sees the 413. */
const DRAIN_FACTOR = 4;

/** Reads and drops up to `budget` bytes, then stops reading (the reply closes the connection). */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>, budget = Infinity) {
  for (let left = budget; left > 0; ) {
    const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (done) return;
    left -= value.byteLength;
  }
  await reader.cancel().catch(() => {});
}

/** The unread rest of the body would poison a kept-alive connection, so this reply closes it. */
const tooLarge = (limit: number) => new AppError("tooLarge", `the body is larger than ${Math.round(limit / 1024)} KiB`, { closeConnection: true });

export async function readBody<S extends z.ZodType>(req: Request, schema: S, limitBytes: number, emptyAs?: unknown): Promise<z.output<S>> {
  return parseInput(schema, await readJson(req, limitBytes, emptyAs));
}

/** Query-string parameters as a plain object for a zod schema. */
export function searchParams(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams);
}

/** The `:id` of a dynamic route; anything that is not a UUID cannot name a row, so it is a 404. */
export function idOr404(value: string | undefined, what: string): string {
  if (typeof value !== "string" || !isUuid(value)) throw notFound(what);
  return value.toLowerCase();
}
