import { describe, expect, it } from "vitest";
import { SnapshotSchema, TelemetryBodySchema } from "./index";

const sample = { ts: "2026-12-01T10:00:00Z", cpuPct: 1, memPct: 2, diskPct: 3, uptimeS: 4 };
const container = { id: "5b1c0a7d", name: "web", image: "nginx:1.27", state: "running", restartCount: 0, cpuPct: 6, memBytes: 1, netRxBytes: 2, netTxBytes: 3 };

describe("container fields of samples and snapshots", () => {
  it("accepts a sample's container stats, with the stats absent for a container that is not running", () => {
    const body = { samples: [{ ...sample, containers: [container, { id: "o1", name: "old", state: "exited", restartCount: 4 }] }] };
    expect(TelemetryBodySchema.safeParse(body).success).toBe(true);
  });

  it("names the field when a sample in a batch carries too many containers", () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ ...container, id: `c${i}` }));
    const r = TelemetryBodySchema.safeParse({ samples: [{ ...sample, containers: many }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues.some((i) => i.path.join(".") === "samples.0.containers" && /at most 100/.test(i.message))).toBe(true);
  });

  it("names the field of an unknown state or health inside a batch (an enum would make the union name none)", () => {
    for (const [bad, field] of [[{ state: "zombie" }, "state"], [{ health: "sick" }, "health"]] as const) {
      const r = TelemetryBodySchema.safeParse({ samples: [{ ...sample, containers: [{ ...container, ...bad }] }] });
      expect(r.error?.issues.map((i) => i.path.join("."))).toContain(`samples.0.containers.0.${field}`);
    }
  });

  it("refuses unknown states, NUL bytes and negative counters", () => {
    for (const bad of [{ state: "zombie" }, { name: "a\u0000b" }, { memBytes: -1 }, { restartCount: 1.5 }]) {
      expect(TelemetryBodySchema.safeParse({ samples: [{ ...sample, containers: [{ ...container, ...bad }] }] }).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("takes the snapshot's list and hardware section as optional additions", () => {
    const base = { ts: sample.ts, packages: [], env: {} };
    expect(SnapshotSchema.safeParse(base).success).toBe(true);
    const hardware = { memory: [{ slot: "A1", sizeBytes: 1024 }], disks: [{ name: "sda", sizeBytes: 1, type: "ssd" }], nics: [], gpus: [] };
    expect(SnapshotSchema.safeParse({ ...base, containers: [{ id: "x", name: "web", image: "nginx", state: "exited" }], hardware }).success).toBe(true);
    expect(SnapshotSchema.safeParse({ ...base, hardware: { ...hardware, disks: [{ name: "sda", sizeBytes: 1, type: "tape" }] } }).success).toBe(false);
    expect(SnapshotSchema.safeParse({ ...base, containers: Array.from({ length: 501 }, (_, i) => ({ id: `${i}`, name: `c${i}`, image: "x", state: "exited" })) }).success).toBe(false);
  });
});
