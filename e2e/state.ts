/** What global-setup seeded, shared with the tests through a file (they run in other processes). */
import fs from "node:fs";
import path from "node:path";

export const STATE_FILE = path.resolve(import.meta.dirname, "..", "test-results", "e2e-state.json");

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
