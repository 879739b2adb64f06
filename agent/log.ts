/** One line per event on stderr; journald and cron add their own context around it. */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /** Per-sample detail, only with --verbose. */
  debug(line: string): void;
}

export function createLogger({ verbose = false, write = (s: string): unknown => process.stderr.write(s) } = {}): Logger {
  const emit = (level: string) => (line: string) => write(`${new Date().toISOString()} ${level} ${line}\n`);
  return { info: emit("info"), warn: emit("warn"), error: emit("error"), debug: verbose ? emit("debug") : () => {} };
}
