import { access } from "node:fs/promises";
import { hostPaths, inProc, isContainerMode, type HostPaths } from "../collect/host-paths";
import type { Options } from "../cli/args";
import type { Logger } from "../log";
import { Spool } from "../spool/spool";

/** Everything a command needs, built once in main.ts from the command line. */
export interface CommandContext {
  options: Options;
  paths: HostPaths;
  log: Logger;
  version: string;
}

export function commandContext(options: Options, log: Logger, version: string): CommandContext {
  return { options, paths: hostPaths(options.hostRoot, options.procRoot), log, version };
}

/** A failure the user can act on, printed as one line; main.ts turns it into exit code 1. */
export class CommandError extends Error {}

/** The spool, or a one-line error naming the directory and the way out. */
export async function openSpool(options: Options): Promise<Spool> {
  try {
    return await Spool.open(options.spool, options.spoolMaxBytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === "EACCES" || code === "EPERM" ? "permission denied" : (err as Error).message;
    throw new CommandError(`cannot use spool directory ${options.spool}: ${reason} (run as root or pass --spool DIR)`);
  }
}

/** Fails with a hint when the host's /proc is not where the settings say (a container without the mount). */
export async function requireProc(paths: HostPaths): Promise<void> {
  const stat = inProc(paths, "stat");
  if (await access(stat).then(() => true, () => false)) return;
  throw new CommandError(
    isContainerMode(paths)
      ? `cannot read ${stat}: mount the host's root there (docker run -v /:${paths.root}:ro ...) or unset IW_HOST_ROOT/IW_PROC_ROOT`
      : `cannot read ${stat}: this agent needs Linux /proc`,
  );
}
