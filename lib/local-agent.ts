/**
 * The embedded mode's local agent: the real agent executable, run beside the server so a new
 * installation shows this machine at once. It enrolls itself on first start with a one-use
 * token and keeps its config and spool in the data directory. Restarted if it dies.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppContext } from "@/lib/context";
import { createEnrollmentToken } from "@/lib/services/enrollment";

export function localAgentBinary(root = process.cwd()): string {
  return path.join(root, "dist", "agent", `infra-watch-agent-linux-${process.arch}`);
}


/**
 * How the local agent is started. Its environment is a short allow-list, not the server's
 * (which holds AUTH_SECRET, DATABASE_URL, CRON_SECRET...): the agent reports its own
 * environment in snapshots. The enrollment token goes in IW_ENROLL_TOKEN, not on the command
 * line, where every local user can read it (ps, /proc/PID/cmdline); a process's environment is
 * readable only by its owner.
 */
export function localAgentLaunch(input: { config: string; spool: string; server: string; enrollmentToken?: string; home: string; user: string }) {
  const args = ["run", "--config", input.config, "--spool", input.spool, "--interval", "15s"];
  // Built from scratch, not filtered from process.env: nothing of the server's can slip through.
  const env: Record<string, string> = {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: input.home,
    USER: input.user,
    LOGNAME: input.user,
    LANG: "C.UTF-8",
  };
  if (input.enrollmentToken) {
    args.push("--server", input.server);
    env.IW_ENROLL_TOKEN = input.enrollmentToken;
  }
  return { args, env };
}

export async function startLocalAgent(ctx: AppContext) {
  const binary = localAgentBinary();
  if (!fs.existsSync(binary)) {
    console.log(`[infra-watch] local agent not started: ${path.relative(process.cwd(), binary)} is missing (run npm run build:agent)`);
    return;
  }
  const dir = path.join(ctx.env.dataDir, "local-agent");
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config = path.join(dir, "agent.json");
  const server = `http://127.0.0.1:${ctx.env.port}`;
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;

  const launch = async () => {
    const enrollmentToken = fs.existsSync(config) ? undefined : (await createEnrollmentToken(ctx, { kind: "system" }, { ttlHours: 1, maxUses: 1 })).token;
    const { args, env } = localAgentLaunch({ config, spool: path.join(dir, "spool"), server, enrollmentToken, home: os.homedir(), user: os.userInfo().username });
    child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], env: env as NodeJS.ProcessEnv });
    const prefix = (d: Buffer) => process.stdout.write(d.toString().replace(/^(?=.)/gm, "[local agent] "));
    child.stdout!.on("data", prefix);
    child.stderr!.on("data", prefix);
    child.on("exit", (code, signal) => {
      if (stopping) return;
      const delay = Math.min(60_000, 1000 * 2 ** Math.min(restarts++, 6));
      console.log(`[infra-watch] local agent exited (${signal ?? code}); restarting in ${delay / 1000} s`);
      setTimeout(() => void launch().catch(() => {}), delay).unref();
    });
  };

  // Next exits the process on SIGTERM/SIGINT; the agent goes with it.
  process.once("exit", () => {
    stopping = true;
    child?.kill("SIGTERM");
  });
  // Called before the server listens: enroll only once it answers.
  await waitForHealth(server);
  await launch();
  console.log(`[infra-watch] local agent reporting this machine to ${server}`);
}

async function waitForHealth(server: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${server}/api/health`, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
