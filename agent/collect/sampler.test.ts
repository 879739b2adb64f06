import os from "node:os";
import { describe, expect, it } from "vitest";
import { HostFactsSchema, SampleSchema } from "../../lib/protocol";
import { collectHostFacts } from "./host-facts";
import { hostPaths } from "./host-paths";
import { collectSample, comparable, readCounters } from "./sampler";

describe("collectSample on this machine", () => {
  it("produces a sample and host facts the server's schemas accept", async () => {
    const paths = hostPaths("/");
    const prev = await readCounters(paths);
    await new Promise((r) => setTimeout(r, 100));
    const cur = await readCounters(paths);
    expect(comparable(prev, cur)).toBe(true);
    const sample = await collectSample(paths, prev, cur, new Date());
    expect(SampleSchema.safeParse(sample).success).toBe(true);
    expect(sample.memTotalBytes).toBe(os.totalmem());
    expect(sample.cpuCores).toHaveLength(os.availableParallelism());
    expect(sample.disks?.some((d) => d.mount === "/")).toBe(true);

    const facts = await collectHostFacts(paths, "test");
    expect(HostFactsSchema.safeParse(facts).success).toBe(true);
    expect(facts).toMatchObject({ hostname: os.hostname(), kernel: os.release(), arch: os.machine() });
  });
});
