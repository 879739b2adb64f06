import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";

export const ARCHES = ["x64", "arm64"] as const;
export type Arch = (typeof ARCHES)[number];

/** `npm run build:agent` writes the executables here; the server only hands them out. */
export const agentFile = (arch: Arch) => path.join(process.cwd(), "dist/agent", `infra-watch-agent-linux-${arch}`);

const digests = new Map<string, { size: number; mtimeMs: number; sha256: Promise<string> }>();

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

/**
 * The executable's sha256, which the install script checks before it runs the download as
 * root. Hashed once per build (keyed by size and modification time), streamed so the event
 * loop is never held for long; undefined when the executable has not been built.
 */
export async function agentSha256(arch: Arch): Promise<{ file: string; size: number; sha256: string } | undefined> {
  const file = agentFile(arch);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  let cached = digests.get(file);
  if (!cached || cached.size !== info.size || cached.mtimeMs !== info.mtimeMs) {
    cached = { size: info.size, mtimeMs: info.mtimeMs, sha256: hashFile(file) };
    digests.set(file, cached);
    cached.sha256.catch(() => digests.delete(file));
  }
  return { file, size: info.size, sha256: await cached.sha256 };
}
