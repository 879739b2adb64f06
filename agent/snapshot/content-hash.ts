import { createHash } from "node:crypto";
import type { Snapshot } from "../../lib/protocol";
import { sortPackages } from "./packages";

/** JSON with every object's keys in sorted order, so equal content gives equal text whatever built it. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * The identity of a configuration: everything in the snapshot but its timestamp, in one
 * canonical order. The agent sends a snapshot only when this changed since the last delivery,
 * so every section counts: the inventory sections (ports, users, services, jobs, files,
 * kernel command line, sysctl, and any added later) as well as packages and env.
 */
export function snapshotContentHash(s: Snapshot): string {
  const { os, kernel, packages, env, ...rest } = s;
  const sections: Record<string, unknown> = { ...rest };
  delete sections.ts;
  const canonical = {
    os: os ?? null,
    kernel: kernel ?? null,
    packages: sortPackages(packages).map((p) => [p.manager ?? "", p.name, p.arch ?? "", p.version]),
    env: Object.keys(env)
      .sort()
      .map((k) => [k, env[k]]),
    sections: canonicalJson(sections),
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
