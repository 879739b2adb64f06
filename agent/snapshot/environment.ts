import { unquote } from "../collect/system";

/** /etc/environment: KEY=value lines (pam_env style), optionally quoted or prefixed with `export`. */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim().replace(/^export\s+/, "");
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    env[line.slice(0, eq).trim()] = unquote(line.slice(eq + 1));
  }
  return env;
}

/**
 * Variables that differ on every start of the agent (shell bookkeeping, systemd's invocation
 * ids) would make every snapshot look like drift; they describe the process, not the host.
 */
const VOLATILE_KEYS = new Set([
  "_", "OLDPWD", "PWD", "SHLVL", "INVOCATION_ID", "JOURNAL_STREAM", "SYSTEMD_EXEC_PID", "MANAGERPID",
  "LISTEN_PID", "LISTEN_FDS", "NOTIFY_SOCKET", "WATCHDOG_PID", "WATCHDOG_USEC", "TERM_SESSION_ID",
  "SSH_CLIENT", "SSH_CONNECTION", "SSH_TTY", "XDG_SESSION_ID", "WINDOWID", "COLUMNS", "LINES",
]);

/** The host's configured environment plus the agent's own, the latter winning as it is what runs. */
export function mergeEnvironment(fileEnv: Record<string, string>, processEnv: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { ...fileEnv };
  for (const [key, value] of Object.entries(processEnv)) {
    if (value !== undefined && !VOLATILE_KEYS.has(key)) env[key] = value;
  }
  return env;
}
