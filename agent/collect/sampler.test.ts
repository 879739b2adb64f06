import os from "node:os";
import { describe, expect, it } from "vitest";
import { HostFactsSchema, SampleSchema } from "../../lib/protocol";
import { parseProcStat } from "./cpu";
import { fixture, fixtureRoot } from "./fixtures/fixture";
import { collectHostFacts } from "./host-facts";
import { hostPaths, isContainerMode } from "./host-paths";
import { parseNetDev } from "./network";
import { scanProcessTicks } from "./processes";
import { collectSample, comparable, processSampling, readCounters } from "./sampler";

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
    // This process and its threads are among them.
    expect(sample.procCount).toBeGreaterThanOrEqual(1);
    expect(sample.threadCount).toBeGreaterThanOrEqual(sample.procCount!);

    const facts = await collectHostFacts(paths, "test");
    expect(HostFactsSchema.safeParse(facts).success).toBe(true);
    expect(facts).toMatchObject({ hostname: os.hostname(), kernel: os.release(), arch: os.machine() });
  });
});

describe("collectSample in container mode (a host root mounted elsewhere)", () => {
  it("reads the host's /proc below the root and the mount table of its PID 1", async () => {
    const paths = hostPaths(fixtureRoot("alpine319"));
    expect(isContainerMode(paths)).toBe(true);
    const counters = (file: string, at: number) => ({ at, cpu: parseProcStat(fixture("alpine319", file)), net: Object.fromEntries(parseNetDev(fixture("alpine319", "proc/net/dev"))) });
    const sample = await collectSample(paths, counters("proc/stat", 0), counters("proc/stat.1s-later", 1000), new Date(0));
    expect(SampleSchema.safeParse(sample).success).toBe(true);
    expect(sample).toMatchObject({ cpuPct: 52.48, memPct: 20.23, uptimeS: 18593, load1: 0, load5: 0.02, cpuCores: [52.48], netRxBps: 0 });
    // The host's /proc, not the agent's own: the fixture has five process directories and 97 threads in loadavg.
    expect(sample).toMatchObject({ procCount: 5, threadCount: 97 });
    // The Pi's SoC sensor, read below the host root like the rest.
    expect(sample.cpuTempC).toBe(48.7);
    // statfs runs below the host root: "/" is the fixture directory itself, /boot and /var/lib/data do not exist there
    expect(sample.disks?.map((d) => d.mount)).toEqual(["/"]);
  });

  it("sends the host's top processes, CPU % over the interval from the per-process tick deltas", async () => {
    const paths = hostPaths(fixtureRoot("alpine319"));
    const names = new Set<string>();
    const cur = { at: 1000, cpu: parseProcStat(fixture("alpine319", "proc/stat.1s-later")), net: {}, processes: scanProcessTicks(paths, undefined, names), processNames: [...names].sort() };
    // One second earlier: the nginx worker had 40 ticks fewer, sshd 1 fewer, the rest the same.
    const before = Object.fromEntries(Object.entries(cur.processes).map(([pid, [t, start, rss]]) => [pid, [pid === "2456" ? t - 40 : pid === "2301" ? t - 1 : t, start, rss]]));
    const prev = { at: 0, cpu: parseProcStat(fixture("alpine319", "proc/stat")), net: {}, processes: before as typeof cur.processes };
    const sample = await collectSample(paths, prev, cur, new Date(1000), processSampling(paths, 1));
    expect(SampleSchema.safeParse(sample).success).toBe(true);
    // Top 1 by CPU (the worker: 40 of the 101 jiffies all CPUs ran) merged with top 1 by memory (also the worker).
    expect(sample.processes).toEqual([expect.objectContaining({ pid: 2456, name: "nginx", cpuPct: 39.6, state: "R", cmdline: "nginx: worker process" })]);
    // Every name of the scan, distinct and sorted, for the server's processMissing rules.
    expect(sample.processNames).toEqual(["crond", "init", "nginx", "sshd"]);
    const top10 = await collectSample(paths, prev, cur, new Date(1000), processSampling(paths, 10));
    expect(top10.processes?.map((p) => p.pid)).toEqual([2456, 2301, 2455, 1, 2102]);
    expect(top10.processes?.[1]).toMatchObject({ name: "sshd", cpuPct: 0.99 });
    // Off: no scan, no field.
    expect(processSampling(paths, 0)).toBeUndefined();
    expect((await collectSample(paths, prev, cur, new Date(1000))).processes).toBeUndefined();
  });

  it("names the host from its own files", async () => {
    const facts = await collectHostFacts(hostPaths(fixtureRoot("rocky9")), "test");
    expect(facts).toMatchObject({ os: "Rocky Linux 9.3 (Blue Onyx)", kernel: "5.14.0-362.8.1.el9_3.x86_64" });
    expect(facts.intervalS).toBeUndefined();
  });

  it("reports the interval in whole seconds the server accepts", async () => {
    const paths = hostPaths(fixtureRoot("rocky9"));
    expect((await collectHostFacts(paths, "test", 15)).intervalS).toBe(15);
    expect((await collectHostFacts(paths, "test", 0.2)).intervalS).toBe(1);
  });
});
