/**
 * PGlite takes no lock of its own and two processes on one data directory corrupt it for good.
 * This lock file (holding the owner's pid) makes a second opener refuse with a clear message.
 */
import fs from "node:fs";
import path from "node:path";
import { prepareDataDir } from "./data-dir";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Infra-Watch is already running on the data directory ${dataDir} (pid ${pid}). ` +
        `Stop that process first, or set IW_DATA_DIR to another directory.`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock or throws DataDirLockedError. Returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  // Owner-only before anything in it is opened or created (see data-dir.ts).
  prepareDataDir(dataDir);
  const lockPath = path.join(dataDir, "infra-watch.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx", 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number.parseInt(fs.readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) throw new DataDirLockedError(dataDir, owner);
      // The owner died without releasing: the lock is stale.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not take the lock on ${dataDir}`);
}
