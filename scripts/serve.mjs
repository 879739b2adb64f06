#!/usr/bin/env node
/**
 * The Docker image's entry point: IW_WORKERS copies of Next's standalone server.js sharing the
 * port (see scripts/lib/workers.mjs). `npm start` does the same with `next start` after a build.
 */
import path from "node:path";
import { runServers, workersFromEnv } from "./lib/workers.mjs";

const workers = workersFromEnv(process.env);
if ("error" in workers) {
  console.error(`[infra-watch] ${workers.error}`);
  process.exit(1);
}
const root = path.resolve(import.meta.dirname, "..");
runServers({ count: workers.count, exec: path.join(root, "server.js"), args: [], cwd: root });
