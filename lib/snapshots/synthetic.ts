/**
 * Reproducible synthetic snapshots for property tests and the bench: a failing seed can be
 * replayed exactly, which Math.random cannot offer.
 */
import type { Package } from "@/lib/protocol";
import type { SnapshotContent } from "./diff";

export type Random = () => number;

/** mulberry32: tiny, fast, and good enough to shuffle package lists. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randomInt = (rng: Random, below: number): number => Math.floor(rng() * below);
export const pick = <T>(rng: Random, items: readonly T[]): T => items[randomInt(rng, items.length)]!;

export function shuffle<T>(rng: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const ARCHES = ["amd64", "arm64", "i386", "all", undefined] as const;
const MANAGERS = ["apt", "pip", "npm", undefined] as const;

const version = (rng: Random): string => `${randomInt(rng, 10)}.${randomInt(rng, 30)}.${randomInt(rng, 100)}-${randomInt(rng, 5)}`;

function randomPackage(rng: Random, name: string): Package {
  const p: Package = { name, version: version(rng) };
  const arch = pick(rng, ARCHES);
  const manager = pick(rng, MANAGERS);
  if (arch) p.arch = arch;
  if (manager) p.manager = manager;
  return p;
}

export interface SyntheticOptions {
  packages: number;
  envKeys: number;
  /**
   * How often a name reappears with another arch or a second version of the same identity,
   * the cases a name-only key gets wrong.
   */
  collisionRate?: number;
}

export function syntheticSnapshot(rng: Random, opts: SyntheticOptions): SnapshotContent {
  const collisionRate = opts.collisionRate ?? 0.05;
  const packages: Package[] = [];
  for (let i = 0; packages.length < opts.packages; i++) {
    const p = randomPackage(rng, `pkg-${i.toString(36)}`);
    packages.push(p);
    if (packages.length < opts.packages && rng() < collisionRate) {
      packages.push(rng() < 0.5 ? { ...p, arch: p.arch === "i386" ? "amd64" : "i386" } : { ...p, version: version(rng) });
    }
  }
  const env: Record<string, string> = {};
  for (let i = 0; i < opts.envKeys; i++) env[`VAR_${i.toString(36).toUpperCase()}`] = `value-${randomInt(rng, 1000)}`;
  return { os: "Debian GNU/Linux 12 (bookworm)", kernel: `6.1.0-${randomInt(rng, 30)}-amd64`, packages: shuffle(rng, packages), env };
}

/** Another configuration of the same host: some packages removed, upgraded, added; env edited. */
export function mutateSnapshot(rng: Random, s: SnapshotContent, changes: number): SnapshotContent {
  const packages = [...s.packages];
  const env = { ...s.env };
  for (let i = 0; i < changes; i++) {
    const roll = rng();
    if (roll < 0.25 && packages.length > 0) packages.splice(randomInt(rng, packages.length), 1);
    else if (roll < 0.5 && packages.length > 0) {
      const at = randomInt(rng, packages.length);
      packages[at] = { ...packages[at]!, version: version(rng) };
    } else if (roll < 0.7) packages.push(randomPackage(rng, `new-${randomInt(rng, 1e6).toString(36)}`));
    else if (roll < 0.75 && packages.length > 0) packages.push({ ...pick(rng, packages) });
    else {
      const keys = Object.keys(env);
      const which = rng();
      if (which < 0.33 && keys.length > 0) delete env[pick(rng, keys)];
      else if (which < 0.66 && keys.length > 0) env[pick(rng, keys)] = `value-${randomInt(rng, 1000)}`;
      else env[`NEW_${randomInt(rng, 1e6)}`] = "x";
    }
  }
  const kernel = rng() < 0.2 ? `6.1.0-${randomInt(rng, 30)}-amd64` : s.kernel;
  const os = rng() < 0.05 ? null : s.os;
  return { os, kernel, packages: shuffle(rng, packages), env };
}
