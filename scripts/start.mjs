#!/usr/bin/env node
/**
 * `npm start`: build when the sources are newer than the last build, then serve. The server
 * itself migrates the database, creates the first admin and starts the local agent before it
 * serves. With IW_WORKERS > 1 (PostgreSQL only) the launcher runs that many server processes
 * sharing the port through Node's cluster module; see scripts/lib/workers.mjs.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureBuilt, nextBin, root } from "./lib/build.mjs";
import { runServers, workersFromEnv } from "./lib/workers.mjs";

const workers = workersFromEnv(process.env);
if ("error" in workers) {
  console.error(`[infra-watch] ${workers.error}`);
  process.exit(1);
}
if (!ensureBuilt()) process.exit(1);
// The agent executables: served for download, and run as the embedded mode's local agent.
// The build skips itself when its inputs are unchanged.
const agent = spawnSync(process.execPath, [path.join(root, "scripts", "build-agent.mjs")], { cwd: root, stdio: "inherit" });
if (agent.status !== 0) console.error("[infra-watch] the agent build failed; starting without the local agent");

runServers({ count: workers.count, exec: nextBin, args: ["start", ...process.argv.slice(2)], cwd: root });
