import { describe, expect, it } from "vitest";
import { TelemetryBodySchema } from "./index";

const sample = (mount: string) => ({ ts: "2026-12-01T12:00:00Z", cpuPct: 1, memPct: 2, diskPct: 3, uptimeS: 4, disks: [{ mount, pct: 1, usedBytes: 1, totalBytes: 2 }] });

describe("telemetry text", () => {
  it("refuses a NUL and unpaired surrogates in a mount name, naming the field", () => {
    for (const bad of ["/mnt/\u0000x", "/mnt/\uD800", "/mnt/\uDC00x", "\uDBFF"]) {
      const r = TelemetryBodySchema.safeParse({ samples: [sample(bad)] });
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error!.issues.some((i) => i.path.join(".") === "samples.0.disks.0.mount")).toBe(true);
    }
  });
  it("refuses them in host facts", () => {
    expect(TelemetryBodySchema.safeParse({ host: { hostname: "a\u0000b" }, samples: [sample("/")] }).success).toBe(false);
    expect(TelemetryBodySchema.safeParse({ host: { hostname: "a", os: "x\uD83D" }, samples: [sample("/")] }).success).toBe(false);
  });
  it("accepts any well-formed text, astral characters included", () => {
    expect(TelemetryBodySchema.safeParse({ host: { hostname: "h", os: "Ubuntu 🐧" }, samples: [sample("/mnt/données/😀")] }).success).toBe(true);
  });
});
