import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import path from "node:path";

const SEARCH_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

export async function findCommand(name: string): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? "").split(":").filter(Boolean), ...SEARCH_PATH];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    if (await access(file).then(() => true, () => false)) return file;
  }
  return undefined;
}

/** A command's stdout (C locale, bounded output and time); a failure rejects with its message. */
export function run(file: string, args: string[], { timeoutMs = 60_000, maxBytes = 64 * 1024 * 1024 } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: maxBytes, timeout: timeoutMs, env: { ...process.env, LC_ALL: "C" } }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}
