/**
 * The embedded data directory is owner-only: created so under the usual umask 022, repaired when
 * an older install left it world-readable, and refused when it belongs to another account.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/db/client";
import { DataDirError, prepareDataDir } from "@/lib/db/data-dir";
import { sql } from "drizzle-orm";
import { createContext } from "@/lib/context";
import { parseEnv } from "@/lib/env";

const made: string[] = [];
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iw-modes-"));
  made.push(dir);
  return dir;
};
const previousUmask = process.umask();
afterEach(() => {
  process.umask(previousUmask);
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every entry under `root` whose group or other permission bits are set, with its mode. */
function notOwnerOnly(root: string): string[] {
  const bad: string[] = [];
  const walk = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    if ((st.mode & 0o077) !== 0) bad.push(`${path.relative(root, p) || "."} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(root);
  return bad;
}

function countEntries(root: string): number {
  let n = 0;
  const walk = (p: string) => {
    n++;
    if (fs.lstatSync(p).isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(root);
  return n;
}

describe("the embedded data directory's permissions", () => {
  it("a fresh database started under umask 022 is owner-only, every file and folder", async () => {
    const dataDir = path.join(tmp(), "data");
    process.umask(0o022);
    // The server's start: open (and migrate) the database, resolve the secret.
    const ctx = await createContext(parseEnv({ IW_DATA_DIR: dataDir }));
    try {
      // Written after the start, as the local agent's state and PGlite's new relations are.
      for (const stmt of [sql`create table mode_probe (id int primary key)`, sql`insert into mode_probe values (1)`, sql`checkpoint`]) await ctx.db.execute(stmt);
      fs.writeFileSync(path.join(dataDir, "later-file"), "x");
      fs.mkdirSync(path.join(dataDir, "later-dir"));
    } finally {
      await ctx.database.close();
    }
    expect(countEntries(dataDir)).toBeGreaterThan(100);
    expect(notOwnerOnly(dataDir)).toEqual([]);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it("repairs an existing world-readable folder at start (0700 folders, 0600 files), without following symlinks", () => {
    const dataDir = tmp();
    const outside = path.join(tmp(), "outside.txt");
    fs.writeFileSync(outside, "not ours to change");
    fs.chmodSync(outside, 0o644);
    fs.mkdirSync(path.join(dataDir, "pglite", "base"), { recursive: true });
    fs.writeFileSync(path.join(dataDir, "pglite", "base", "1234"), "table");
    fs.writeFileSync(path.join(dataDir, "auth-secret"), "s".repeat(48));
    for (const p of [dataDir, path.join(dataDir, "pglite"), path.join(dataDir, "pglite", "base")]) fs.chmodSync(p, 0o777);
    for (const p of [path.join(dataDir, "pglite", "base", "1234"), path.join(dataDir, "auth-secret")]) fs.chmodSync(p, 0o777);
    fs.symlinkSync(outside, path.join(dataDir, "link"));

    const repair = prepareDataDir(dataDir);
    expect(repair).toMatchObject({ repaired: 5, truncated: false });
    expect(notOwnerOnly(dataDir)).toEqual([]);
    expect(fs.statSync(path.join(dataDir, "pglite", "base")).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dataDir, "pglite", "base", "1234")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(outside).mode & 0o777).toBe(0o644);
    // A second start finds nothing to repair.
    expect(prepareDataDir(dataDir).repaired).toBe(0);
  });

  it.skipIf(process.getuid?.() !== 0)("refuses a folder owned by another account, with a message saying what to do", async () => {
    const dataDir = tmp();
    fs.chownSync(dataDir, 65534, 65534);
    expect(() => prepareDataDir(dataDir)).toThrow(DataDirError);
    expect(() => prepareDataDir(dataDir)).toThrow(/belongs to uid 65534, but Infra-Watch runs as uid 0.*chown/s);
    await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toThrow(/belongs to uid 65534/);
    // Nothing was created in it.
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
