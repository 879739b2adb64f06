/**
 * The agent releases this server ships: the executables `npm run build:agent` wrote to
 * dist/agent, their version from the manifest.json written beside them, and their sha256.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { compareVersions, isReleaseVersion, releaseStatement, type AgentUpdateNotice, type HostFacts, type Release } from "@/lib/protocol";
import { agentSha256, type Arch } from "./agent-file";

export const manifestFile = () => path.join(process.cwd(), "dist/agent", "manifest.json");

let cached: { mtimeMs: number; version: string | undefined } | undefined;

/** The version of the built agent, or undefined without a (valid) manifest. */
export async function shippedVersion(): Promise<string | undefined> {
  const file = manifestFile();
  const info = await stat(file).catch(() => undefined);
  if (!info) return undefined;
  if (cached?.mtimeMs !== info.mtimeMs) {
    const parsed = await readFile(file, "utf8").then(
      (t) => JSON.parse(t) as { version?: unknown },
      () => ({}) as { version?: unknown },
    ).catch(() => ({}) as { version?: unknown });
    const version = typeof parsed.version === "string" && isReleaseVersion(parsed.version) ? parsed.version : undefined;
    cached = { mtimeMs: info.mtimeMs, version };
  }
  return cached.version;
}

type Shipped = (Release & { statement: string; size: number }) | undefined;
/** Telemetry asks on every request: look at the files at most this often. */
const RELEASE_TTL_MS = 5_000;
const releases = new Map<Arch, { at: number; release: Promise<Shipped> }>();

export function agentRelease(arch: Arch): Promise<Shipped> {
  const hit = releases.get(arch);
  if (hit && Date.now() - hit.at < RELEASE_TTL_MS) return hit.release;
  const release = readRelease(arch);
  releases.set(arch, { at: Date.now(), release });
  release.catch(() => releases.delete(arch));
  return release;
}

/** Host facts carry `uname -m`; releases are named like Node's architectures. */
const RELEASE_ARCH: Partial<Record<string, Arch>> = { x86_64: "x64", amd64: "x64", x64: "x64", aarch64: "arm64", arm64: "arm64" };

/** The telemetry answer's `agentUpdate`: set when this server ships a newer agent for the host's architecture. */
export async function updateNotice(host: Pick<HostFacts, "agentVersion" | "arch"> | undefined): Promise<AgentUpdateNotice | undefined> {
  const arch = host?.arch ? RELEASE_ARCH[host.arch] : undefined;
  if (!host?.agentVersion || !isReleaseVersion(host.agentVersion) || !arch) return undefined;
  const shipped = await agentRelease(arch).catch(() => undefined);
  return shipped && compareVersions(shipped.version, host.agentVersion) > 0 ? { version: shipped.version } : undefined;
}

async function readRelease(arch: Arch): Promise<Shipped> {
  const version = await shippedVersion();
  const digest = version ? await agentSha256(arch) : undefined;
  if (!version || !digest) return undefined;
  const release: Release = { version, arch, sha256: digest.sha256 };
  return { ...release, statement: releaseStatement(release), size: digest.size };
}
