import { execFile, spawn, type ChildProcess } from "node:child_process";
import { copyFile, mkdtemp, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Builds (or reuses) the executable and copies it alone into an empty directory. */
export async function isolatedAgent(): Promise<string> {
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [path.join(ROOT, "scripts/build-agent.mjs")], { cwd: ROOT, timeout: 240_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`build-agent failed: ${stderr}`)) : resolve(),
    ),
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), "iw-agent-bin-"));
  const exe = path.join(dir, "infra-watch-agent");
  await copyFile(path.join(ROOT, "dist/agent/infra-watch-agent-linux-x64"), exe);
  if ((await readdir(dir)).length !== 1) throw new Error("the agent's directory should hold the executable alone");
  return exe;
}

/** What the agent sees: no node_modules, no NODE_* variables, a home of its own, one planted secret. */
export const agentEnv = (home: string) => ({
  PATH: "/usr/sbin:/usr/bin:/sbin:/bin",
  HOME: home,
  LANG: "C.UTF-8",
  IW_E2E_API_TOKEN: "e2e-secret-value",
});

/** Our own types augment ProcessEnv with required keys; a child's environment needs none of them. */
export const asProcessEnv = (env: Record<string, string>) => env as NodeJS.ProcessEnv;

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runAgent(exe: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(exe, args, { cwd: path.dirname(exe), env: asProcessEnv(env), timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
      resolve({ code: typeof code === "number" ? code : null, stdout, stderr });
    });
  });
}

/** A long-running `run`, its stderr collected line by line. */
export function startAgent(exe: string, args: string[], env: Record<string, string>) {
  const child: ChildProcess = spawn(exe, args, { cwd: path.dirname(exe), env: asProcessEnv(env), stdio: ["ignore", "ignore", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString("utf8")).split("\n");
    partial = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    async waitFor(pattern: RegExp, timeoutMs: number, from = 0): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = lines.slice(from).find((l) => pattern.test(l));
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`agent did not log ${pattern} within ${timeoutMs} ms:\n${lines.join("\n")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
