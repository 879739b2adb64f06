#!/usr/bin/env node
/**
 * `npm start`: build when the sources are newer than the last build, then run `next start`
 * (signals forwarded, exit code passed on). The server itself migrates the database, creates
 * the first admin and starts the local agent before it serves.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { ensureBuilt, nextBin, root } from "./lib/build.mjs";

if (!ensureBuilt()) process.exit(1);
// The agent executables: served for download, and run as the embedded mode's local agent.
// The build skips itself when its inputs are unchanged.
const agent = spawnSync(process.execPath, [path.join(root, "scripts", "build-agent.mjs")], { cwd: root, stdio: "inherit" });
if (agent.status !== 0) console.error("[infra-watch] the agent build failed; starting without the local agent");

const server = spawn(process.execPath, [nextBin, "start", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
