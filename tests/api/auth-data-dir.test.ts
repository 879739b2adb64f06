/** The real server refuses to start on an unsafe data directory or an empty secret, and says why. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startTestServer } from "../helpers/server";

const embedded = { url: undefined, drop: async () => {} };
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "iw-start-"));

describe("start-up refusals (embedded mode)", () => {
  it.skipIf(process.getuid?.() !== 0)("a data directory owned by another uid", async () => {
    const dataDir = tmp();
    fs.chownSync(dataDir, 65534, 65534);
    await expect(startTestServer({ dataDir, database: embedded })).rejects.toThrow(/exited before it became healthy[\s\S]*IW_DATA_DIR .* belongs to uid 65534/);
  });

  it("an empty auth-secret file", async () => {
    const dataDir = tmp();
    fs.writeFileSync(path.join(dataDir, "auth-secret"), "\n", { mode: 0o600 });
    await expect(startTestServer({ dataDir, database: embedded })).rejects.toThrow(/exited before it became healthy[\s\S]*auth-secret is empty/);
  });
});
