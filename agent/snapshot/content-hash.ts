import { createHash } from "node:crypto";
import type { Snapshot } from "../../lib/protocol";
import { sortPackages } from "./packages";

/**
 * The identity of a configuration: everything in the snapshot but its timestamp, in one
 * canonical order. The agent sends a snapshot only when this changed since the last delivery.
 */
export function snapshotContentHash(s: Snapshot): string {
  const canonical = {
    os: s.os ?? null,
    kernel: s.kernel ?? null,
    packages: sortPackages(s.packages).map((p) => [p.manager ?? "", p.name, p.arch ?? "", p.version]),
    env: Object.keys(s.env)
      .sort()
      .map((k) => [k, s.env[k]]),
    // Collected in a stable order already (sysfs listings sorted, containers by name).
    hardware: s.hardware ?? null,
    containers: s.containers ?? null,
  };
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}
