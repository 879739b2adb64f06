/**
 * The embedded data directory holds password hashes, channel secrets, the signing secret and
 * environment snapshots: only the account the server runs as may read or write it.
 *  - the process umask becomes 077 before PGlite opens, so everything created from then on is
 *    owner-only (PGlite's files were 0666 & ~umask, i.e. world-readable under the usual 022);
 *  - a folder that belongs to another account is refused (its owner can read it anyway);
 *  - an existing folder is walked once at start and group/other permissions are removed from
 *    every entry (folders 0700, files 0600), bounded in entries so a start stays fast; and once
 *    more after PGlite has opened, because PGlite unpacks a new cluster with explicit 0666 modes
 *    and rewrites a few files 0644 on every open (files it creates later honour the umask).
 * The folder itself is 0700 before PGlite writes anything, so no other account can reach inside
 * even during the moment between PGlite's unpacking and the second walk.
 */
import fs from "node:fs";
import path from "node:path";
import { EnvError } from "@/lib/env";

/** A PGlite data directory holds about a thousand entries; far more is not ours to walk. */
export const MAX_REPAIR_ENTRIES = 100_000;

/** A configuration error: the start stops with its message (lib/startup.ts). */
export class DataDirError extends EnvError {}

export type Repair = { checked: number; repaired: number; truncated: boolean };

export function prepareDataDir(dataDir: string): Repair {
  // Workers cannot change the umask; the server's main thread can, and that is where this runs.
  process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stat = fs.lstatSync(dataDir);
  if (!stat.isDirectory()) throw new DataDirError(`IW_DATA_DIR ${dataDir} is not a directory.`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new DataDirError(
      `IW_DATA_DIR ${dataDir} belongs to uid ${stat.uid}, but Infra-Watch runs as uid ${uid}. ` +
        `Its owner could read and change every password hash and secret in it. ` +
        `Run as that user, or give the folder to this one (chown -R ${uid} ${dataDir}).`,
    );
  }
  return repairModes(dataDir);
}

function ownerOnly(entry: string, mode: number, isDir: boolean): boolean {
  if ((mode & 0o077) === 0 && (!isDir || (mode & 0o700) === 0o700)) return false;
  try {
    fs.chmodSync(entry, isDir ? 0o700 : 0o600);
  } catch (err) {
    throw new DataDirError(`cannot make ${entry} owner-only (${(err as NodeJS.ErrnoException).code}); is it owned by another user? Fix with: chown -R $(id -u) ${path.dirname(entry)}`);
  }
  return true;
}

/** Breadth-first, symlinks not followed (an entry pointing outside is never chmod'ed). */
export function repairModes(root: string): Repair {
  const result: Repair = { checked: 0, repaired: 0, truncated: false };
  const queue = [root];
  for (let next = 0; next < queue.length; next++) {
    const dir = queue[next]!;
    const dirStat = fs.lstatSync(dir);
    result.checked++;
    if (ownerOnly(dir, dirStat.mode, true)) result.repaired++;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (result.checked >= MAX_REPAIR_ENTRIES) {
        result.truncated = true;
        return result;
      }
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) queue.push(full);
      else if (entry.isFile()) {
        result.checked++;
        if (ownerOnly(full, fs.lstatSync(full).mode, false)) result.repaired++;
      }
    }
  }
  return result;
}
