import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, open, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { compareVersions, type ReleaseArch } from "../../lib/protocol/release";
import { endpoint } from "../cli/args";
import type { AgentConfig } from "../config";
import type { Logger } from "../log";
import { fsyncDir } from "../spool/spool";
import { NetworkError, get } from "../transport/http";
import { UpdateError, verifyRelease } from "./verify";

/** An agent executable is ~90 MB; anything far larger is not one. */
const MAX_EXECUTABLE_BYTES = 512 * 1024 * 1024;

export interface UpdateResult {
  outcome: "current" | "updated";
  from: string;
  version: string;
}

export interface UpdateInput {
  config: Pick<AgentConfig, "server" | "signingKey">;
  currentVersion: string;
  /** The file to replace: the running executable. */
  executable: string;
  arch: ReleaseArch;
  log: Logger;
}

export const releaseArch = (nodeArch: string): ReleaseArch | undefined => (nodeArch === "x64" || nodeArch === "arm64" ? nodeArch : undefined);

async function fetchText(url: URL, what: string): Promise<string> {
  let res;
  try {
    res = await get(url, { maxBytes: 4096, timeoutMs: 30_000 });
  } catch (err) {
    if (err instanceof NetworkError) throw new UpdateError(`cannot fetch the ${what}: ${err.message}`);
    throw err;
  }
  if (res.status !== 200) throw new UpdateError(`cannot fetch the ${what}: HTTP ${res.status}`);
  return res.text;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Downloads left by an attempt that was killed (their process is gone). */
async function removeStaleDownloads(dir: string, prefix: string) {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await rm(path.join(dir, name), { force: true });
  }
}

/** Prints `--version` of a candidate executable: proves it runs on this host before it replaces us. */
const versionOf = (file: string) =>
  new Promise<string>((resolve, reject) =>
    execFile(file, ["--version"], { timeout: 30_000 }, (err, stdout) =>
      err ? reject(new UpdateError(`the downloaded agent does not run on this host: ${err.message.split("\n")[0]}`)) : resolve(stdout.trim()),
    ),
  );

/**
 * Replaces the running executable with the release the server signs, if that is newer:
 * verify the signed statement against the pinned key, download beside the executable while
 * hashing, fsync, check the sha256 the statement names, run the candidate's `--version`, then
 * rename it over the executable and fsync the directory. Until the rename nothing of the old
 * agent is touched, so a failed or interrupted update leaves it as it was (a stale temp file
 * from a killed attempt is replaced by the next one).
 */
export async function selfUpdate({ config, currentVersion, executable, arch, log }: UpdateInput): Promise<UpdateResult> {
  if (!config.signingKey) {
    throw new UpdateError("no release key pinned: this agent was enrolled before the server signed releases; enroll again to allow updates");
  }
  const base = endpoint(config.server, "api/agent/download");
  const url = (param?: string) => {
    const u = new URL(base);
    u.searchParams.set("arch", arch);
    if (param) u.searchParams.set(param, "");
    return u;
  };
  const statement = await fetchText(url("release"), "release statement");
  const signature = await fetchText(url("signature"), "release signature");
  const release = verifyRelease(statement, signature, config.signingKey, arch);
  if (compareVersions(release.version, currentVersion) <= 0) return { outcome: "current", from: currentVersion, version: currentVersion };

  log.info(`updating ${currentVersion} -> ${release.version} from ${config.server}`);
  const dir = path.dirname(executable);
  const prefix = `.${path.basename(executable)}.update-`;
  await removeStaleDownloads(dir, prefix);
  // Per process: a `update` by hand and the daemon's own must not write into one file.
  const tmp = path.join(dir, `${prefix}${process.pid}`);
  try {
    const handle = await open(tmp, "wx", 0o700).catch((err: NodeJS.ErrnoException) => {
      throw new UpdateError(`cannot write beside ${executable}: ${err.code ?? err.message} (the agent must be able to replace its own file)`);
    });
    const hash = createHash("sha256");
    try {
      const download = (gzip: boolean) =>
        get(url(gzip ? "gz" : undefined), {
          maxBytes: MAX_EXECUTABLE_BYTES,
          timeoutMs: 120_000,
          gzip,
          onData: async (chunk) => {
            hash.update(chunk);
            await handle.write(chunk);
          },
        });
      let res;
      try {
        // The compressed artifact is a third of the bytes; a server built without it says 404.
        res = await download(true);
        if (res.status === 404) res = await download(false);
      } catch (err) {
        if (err instanceof NetworkError) throw new UpdateError(`download failed: ${err.message}`);
        throw err;
      }
      if (res.status !== 200) throw new UpdateError(`download failed: HTTP ${res.status}`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const actual = hash.digest("hex");
    if (actual !== release.sha256) throw new UpdateError(`the download's sha256 ${actual} differs from the signed ${release.sha256}; not updating`);
    await chmod(tmp, 0o755);
    const printed = await versionOf(tmp);
    if (printed !== release.version) throw new UpdateError(`the downloaded agent says it is ${printed}, the signed release says ${release.version}; not updating`);
    await rename(tmp, executable);
    await fsyncDir(dir);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
  return { outcome: "updated", from: currentVersion, version: release.version };
}
