/** AUTH_SECRET, or in embedded mode one generated on first start and kept in the data directory. */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

export function resolveAuthSecret(opts: { authSecret: string | undefined; dataDir: string }): string {
  if (opts.authSecret) return opts.authSecret;
  const file = path.join(opts.dataDir, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (err) {
    // Another process wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw err;
  }
}
