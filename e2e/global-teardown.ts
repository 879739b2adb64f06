import fs from "node:fs";
import path from "node:path";
import type { TestServer } from "../tests/helpers/server";
import { SERVER_KEY } from "./global-setup";

export default async function globalTeardown() {
  const server = (globalThis as Record<symbol, TestServer | undefined>)[SERVER_KEY];
  if (!server) return;
  // The server's output, for a failed run.
  fs.writeFileSync(path.resolve(import.meta.dirname, "..", "test-results", "e2e-server.log"), server.logs());
  await server.stop();
}
