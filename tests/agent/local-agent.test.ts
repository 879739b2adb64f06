/**
 * The embedded mode's local agent, started by a real server (issues 11.12 and 11.13): its
 * environment is its own minimal one, not the server's settings and secrets, and the
 * enrollment token is not on its command line, which every local user can read.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { isolatedAgent } from "./agent-process";

let server: TestServer;
const SERVER_ONLY = "server-only-value-that-must-not-reach-the-agent";

beforeAll(async () => {
  await isolatedAgent(); // builds dist/agent, which the server runs
  server = await startTestServer({
    database: { url: undefined, drop: async () => {} },
    env: { IW_LOCAL_AGENT: "1", AUTH_SECRET: `${SERVER_ONLY}-0123456789abcdef`, IW_TEST_SERVER_SECRET: SERVER_ONLY },
  });
});
afterAll(async () => server?.stop());

/** The processes whose command line names this server's local-agent directory. */
function localAgentProcesses(): { pid: string; argv: string[]; environ: Record<string, string> }[] {
  const found = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      if (!argv.some((a) => a.startsWith(`${server.dataDir}/local-agent`))) continue;
      const environ = Object.fromEntries(
        readFileSync(`/proc/${pid}/environ`, "utf8")
          .split("\0")
          .filter(Boolean)
          .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
      );
      found.push({ pid, argv, environ });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe("the local agent", () => {
  it("runs with a minimal environment and no token on its command line", async () => {
    let agents = localAgentProcesses();
    for (let i = 0; i < 100 && agents.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      agents = localAgentProcesses();
    }
    expect(agents, server.logs()).toHaveLength(1);
    const [agent] = agents;
    expect(agent!.argv).not.toContain("--token");
    expect(agent!.argv.join(" ")).not.toMatch(/iwe_/);
    expect(Object.keys(agent!.environ).sort()).toEqual(["HOME", "IW_ENROLL_TOKEN", "LANG", "LOGNAME", "PATH", "USER"]);
    expect(JSON.stringify(agent!.environ)).not.toContain(SERVER_ONLY);
    expect(agent!.environ.IW_ENROLL_TOKEN).toMatch(/^iwe_/);
  });
});
