/** What global-setup seeded, shared with the tests through a file (they run in other processes). */
import fs from "node:fs";
import path from "node:path";

/**
 * Where a browser run writes its state, screenshots and the server's log. `npm test` gives each
 * database its own folder (IW_TEST_RESULTS), so the PGlite and PostgreSQL runs can go side by side.
 */
export const RESULTS_DIR = path.resolve(process.env.IW_TEST_RESULTS || path.join(import.meta.dirname, "..", "test-results"));
export const STATE_FILE = path.join(RESULTS_DIR, "e2e-state.json");

export type SeededHost = { id: string; hostname: string };
export type Credentials = { email: string; password: string };
export type E2EState = {
  baseUrl: string;
  cronSecret: string;
  users: { admin: Credentials; operator: Credentials; viewer: Credentials };
  hosts: Record<string, SeededHost>;
  snapshots: { supported: boolean; ids: string[] };
};

let cached: E2EState | undefined;
export function state(): E2EState {
  cached ??= JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as E2EState;
  return cached;
}
