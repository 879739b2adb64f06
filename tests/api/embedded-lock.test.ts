/** A second server on the same embedded data directory must refuse, and the first keep working. */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { freePort } from "../helpers/server";
import { adminLogin, api } from "../helpers/api";

const embedded = !inject("databaseUrl");

describe.skipIf(!embedded)("a second process on one data directory", () => {
  it("exits with a clear message while the first keeps serving its data", async () => {
    const a = api();
    const token = (await adminLogin(a)).accessToken;
    const before = await a.get("/api/hosts", token);
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), IW_DATA_DIR: inject("dataDir"), IW_LOCAL_AGENT: "0" } as Record<string, string>;
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port)], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 30_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(1);
    expect(out).toMatch(/already running on the data directory/);
    const after = await a.get("/api/hosts", token);
    expect(after.status).toBe(200);
    expect(after.body.hosts.length).toBe(before.body.hosts.length);
    expect((await a.get("/api/health")).status).toBe(200);
  });
});
