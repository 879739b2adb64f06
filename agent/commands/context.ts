import { hostPaths, type HostPaths } from "../collect/host-paths";
import type { Options } from "../cli/args";
import type { Logger } from "../log";

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
