/**
 * What the server signs for each agent executable it ships, and how both sides read it.
 * Plain values only (no zod): the agent bundles this file.
 *
 * The statement is one line, `infra-watch-agent <version> linux-<arch> sha256:<hex>`, signed with
 * the server's ed25519 key. It binds the digest to a version and an architecture, so a signed
 * statement for one build cannot be passed off as another's.
 */
export type ReleaseArch = "x64" | "arm64";

export interface Release {
  version: string;
  arch: ReleaseArch;
  sha256: string;
}

const VERSION = /^\d{1,5}\.\d{1,5}\.\d{1,5}(?:-[0-9A-Za-z.-]{1,40})?$/;

export const isReleaseVersion = (v: string) => VERSION.test(v);

export function releaseStatement(r: Release): string {
  return `infra-watch-agent ${r.version} linux-${r.arch} sha256:${r.sha256}\n`;
}

export function parseReleaseStatement(text: string): Release | undefined {
  if (text.length > 256) return undefined;
  const m = /^infra-watch-agent (\S+) linux-(x64|arm64) sha256:([0-9a-f]{64})\n$/.exec(text);
  if (!m || !isReleaseVersion(m[1]!)) return undefined;
  return { version: m[1]!, arch: m[2] as ReleaseArch, sha256: m[3]! };
}

/**
 * Semantic-version order of two release versions (a pre-release sorts before its release;
 * pre-release tags compare as text). Returns >0 when `a` is newer than `b`.
 */
export function compareVersions(a: string, b: string): number {
  const [coreA, preA] = splitVersion(a);
  const [coreB, preB] = splitVersion(b);
  for (let i = 0; i < 3; i++) if (coreA[i] !== coreB[i]) return coreA[i]! - coreB[i]!;
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA < preB ? -1 : 1;
}

function splitVersion(v: string): [number[], string | undefined] {
  const dash = v.indexOf("-");
  const core = (dash < 0 ? v : v.slice(0, dash)).split(".").map((n) => Number(n) || 0);
  while (core.length < 3) core.push(0);
  return [core, dash < 0 ? undefined : v.slice(dash + 1)];
}

/** The telemetry response's announcement of a newer agent (an addition to the v1 contract). */
export interface AgentUpdateNotice {
  version: string;
}
