import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { WatchedFile } from "../../lib/protocol";
import { MAX_WATCHED_FILES } from "../../lib/protocol/constants";
import { inRoot, type HostPaths } from "../collect/host-paths";

/** Files past this size get metadata but no hash: hashing a multi-gigabyte file each snapshot would blow the agent's budget. */
export const MAX_HASHED_BYTES = 64 * 1024 * 1024;

/** `*` matches any run of characters (not `/`); linear, no RegExp built from the setting. */
export function matchesGlob(name: string, pattern: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return name === pattern;
  if (!name.startsWith(parts[0]!) || !name.endsWith(parts.at(-1)!) || name.length < parts[0]!.length + parts.at(-1)!.length) return false;
  let at = parts[0]!.length;
  const end = name.length - parts.at(-1)!.length;
  for (const middle of parts.slice(1, -1)) {
    const found = name.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

/**
 * The watch list with its globs expanded: a pattern's last part may hold `*`, matched against
 * that one directory's listing (hidden entries only by a pattern starting with a dot). Sorted,
 * without duplicates, at most MAX_WATCHED_FILES.
 */
export async function expandWatchList(paths: HostPaths, patterns: readonly string[]): Promise<string[]> {
  const out = new Set<string>();
  for (const pattern of patterns) {
    if (out.size >= MAX_WATCHED_FILES) break;
    const base = path.posix.basename(pattern);
    if (!base.includes("*")) {
      out.add(pattern);
      continue;
    }
    const dir = path.posix.dirname(pattern);
    const names = await readdir(inRoot(paths, dir)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if ((name.startsWith(".") && !base.startsWith(".")) || !matchesGlob(name, base)) continue;
      out.add(path.posix.join(dir, name));
      if (out.size >= MAX_WATCHED_FILES) break;
    }
  }
  return [...out].sort();
}

/** Permission bits as four octal digits: `0644`, `4755`. */
export const octalMode = (mode: number) => (mode & 0o7777).toString(8).padStart(4, "0");

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });
}

const reason = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "EACCES" || code === "EPERM" ? "permission denied" : code ?? (err as Error).message.slice(0, 200);
};

export interface Owners {
  user: (uid: number) => string;
  group: (gid: number) => string;
}

/**
 * A watched file's fingerprint (symlinks followed: /etc/resolv.conf is often one). A file that
 * does not exist is left out (its appearance is then an addition in the diff); one that cannot
 * be read keeps its metadata and says why in `error`. Content never leaves this function.
 */
export async function fingerprint(paths: HostPaths, file: string, owners: Owners): Promise<WatchedFile | undefined> {
  const real = inRoot(paths, file);
  const s = await stat(real).catch(() => undefined);
  if (!s || s.isDirectory()) return undefined;
  const base: WatchedFile = { path: file, size: s.size, mode: octalMode(s.mode), owner: `${owners.user(s.uid)}:${owners.group(s.gid)}`, mtime: s.mtime.toISOString() };
  if (!s.isFile()) return { ...base, error: "not a regular file" };
  if (s.size > MAX_HASHED_BYTES) return { ...base, error: `larger than ${MAX_HASHED_BYTES / 1024 / 1024} MiB: not hashed` };
  try {
    return { ...base, sha256: await sha256(real) };
  } catch (err) {
    return { ...base, error: reason(err) };
  }
}

export async function collectWatchedFiles(paths: HostPaths, patterns: readonly string[], owners: Owners): Promise<WatchedFile[]> {
  const files = await expandWatchList(paths, patterns);
  const out: WatchedFile[] = [];
  for (const file of files) {
    const f = await fingerprint(paths, file, owners);
    if (f) out.push(f);
  }
  return out;
}
