/** Issue 11.14: text the database cannot store is refused at validation, with a 400 naming the field. */
import { beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api, enrolledHost, sample } from "../helpers/api";

const a = api();
let admin: string;
beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
});

describe("invalid text in telemetry", () => {
  it("answers 400 for a NUL or a lone surrogate in a mount name and stores nothing", async () => {
    const host = await enrolledHost(a, admin);
    for (const mount of ["/mnt/\u0000x", "/mnt/\uD800x"]) {
      const r = await a.post("/api/telemetry", { samples: [sample(1000, { disks: [{ mount, pct: 1, usedBytes: 1, totalBytes: 2 }] })] }, host.agentToken);
      expect(r.status).toBe(400);
      expect(r.body.issues.map((i: { path: string }) => i.path)).toContain("samples.0.disks.0.mount");
    }
    const ok = await a.post("/api/telemetry", { samples: [sample(1000)] }, host.agentToken);
    expect(ok.body).toEqual({ accepted: 1, duplicates: 0 });
  });
});
