#!/usr/bin/env node
/**
 * `npm start`: build when the sources are newer than the last build, then run `next start`
 * (signals forwarded, exit code passed on). The server itself migrates the database, creates
 * the first admin and starts the local agent before it serves.
 */
import { spawn } from "node:child_process";
import { ensureBuilt, nextBin, root } from "./lib/build.mjs";

if (!ensureBuilt()) process.exit(1);

const server = spawn(process.execPath, [nextBin, "start", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
