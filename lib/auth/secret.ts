/** AUTH_SECRET, or in embedded mode one generated on first start and kept in the data directory. */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { EnvError } from "@/lib/env";

/** The same floor as AUTH_SECRET's (lib/env.ts): shorter is guessable, empty is no key at all. */
export const MIN_SECRET_LENGTH = 32;

/** A configuration error: the start stops with its message (lib/startup.ts). */
export class AuthSecretError extends EnvError {}

function readSecretFile(file: string): string {
  const secret = fs.readFileSync(file, "utf8").trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new AuthSecretError(
      `The auth secret file ${file} is ${secret.length === 0 ? "empty" : `too short (${secret.length} characters)`}: ` +
        `it must hold at least ${MIN_SECRET_LENGTH} characters. Delete it to have a new one generated ` +
        `(every session and API token is then signed out), or set AUTH_SECRET.`,
    );
  }
  return secret;
}

export function resolveAuthSecret(opts: { authSecret: string | undefined; dataDir: string }): string {
  if (opts.authSecret) return opts.authSecret;
  const file = path.join(opts.dataDir, "auth-secret");
  try {
    return readSecretFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (err) {
    // Another process wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return readSecretFile(file);
    throw err;
  }
}
