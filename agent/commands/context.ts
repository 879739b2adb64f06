import { hostPaths, type HostPaths } from "../collect/host-paths";
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
