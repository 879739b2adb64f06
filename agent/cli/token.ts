import { readFile } from "node:fs/promises";
import { UsageError, type Options } from "./args";

/** Tokens are single words: the first line, trimmed, so `echo TOKEN > file` works. */
const firstLine = (text: string) => text.split("\n", 1)[0]!.trim();

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += b.length;
    // A token is short; anything larger is a mistake (a file piped in by accident).
    if (size > 64 * 1024) throw new UsageError("--token-stdin: more than 64 KiB on stdin; expected one enrollment token");
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Fills `options.token` from --token-file or --token-stdin, which keep the token out of the
 * process list (`--token` and argv are readable by every local user through /proc).
 */
export async function resolveToken(options: Options, stdin: NodeJS.ReadableStream = process.stdin): Promise<Options> {
  let token: string;
  if (options.tokenSource === "file") {
    try {
      token = firstLine(await readFile(options.tokenFile!, "utf8"));
    } catch (err) {
      throw new UsageError(`--token-file: cannot read ${options.tokenFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else if (options.tokenSource === "stdin") {
    token = firstLine(await readAll(stdin));
  } else return options;
  if (!token) throw new UsageError(`--token-${options.tokenSource}: no enrollment token in it`);
  return { ...options, token };
}

export const ARGV_TOKEN_WARNING =
  "--token puts the enrollment token on the command line, where every local user can read it (ps, /proc); prefer --token-stdin, --token-file FILE or IW_ENROLL_TOKEN";
