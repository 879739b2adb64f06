import fs from "node:fs";
import path from "node:path";
import type { TestServer } from "../tests/helpers/server";
import { SERVER_KEY } from "./global-setup";
import { RESULTS_DIR } from "./state";

export default async function globalTeardown() {
  const server = (globalThis as Record<symbol, TestServer | undefined>)[SERVER_KEY];
  if (!server) return;
  // The server's output, for a failed run.
  fs.writeFileSync(path.join(RESULTS_DIR, "e2e-server.log"), server.logs());
  await server.stop();
}
