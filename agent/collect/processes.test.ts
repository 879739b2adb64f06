import { describe, expect, it } from "vitest";
import { MAX_CMDLINE_CHARS, ProcessSchema } from "../../lib/protocol";
import { DISTROS, fixture, fixtureRoot } from "./fixtures/fixture";
import { hostPaths } from "./host-paths";
import { ProcessDetails, displayCmdline, processName, parseCmdline, parseProcessStat, rankProcesses, scanProcessTicks, selectTop, startedAfter, statFields, truncateText, type ProcessTicks } from "./processes";

const PIDS = { debian12: ["2234", "2254", "3821", "14"], rocky9: ["1", "790", "812", "1104", "2817"], alpine319: ["1", "2102", "2301", "2455", "2456"] } as const;

describe("parseProcessStat", () => {
  it.each(DISTROS)("reads every process of the %s fixture", (distro) => {
    for (const pid of PIDS[distro]) {
      const stat = parseProcessStat(fixture(distro, `proc/${pid}/stat`));
      expect(stat?.pid, `${distro} ${pid}`).toBe(Number(pid));
      expect(stat!.name.length).toBeGreaterThan(0);
    }
    expect(parseProcessStat(fixture("debian12", "proc/2234/stat"))).toEqual({ pid: 2234, name: "postgres", state: "S", ticks: 2, startTicks: 2754, rssPages: 7416 });
    expect(parseProcessStat(fixture("rocky9", "proc/2817/stat"))).toMatchObject({ name: "java", ticks: 9912345 + 412210, startTicks: 8812, rssPages: 412221 });
    expect(parseProcessStat(fixture("debian12", "proc/14/stat"))).toMatchObject({ name: "ksoftirqd/0", rssPages: 0 });
  });

  it("finds the fields after a name holding spaces and parentheses", () => {
    const line = "77 (a) b (c) S 1 77 77 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 300 0 42 0";
    expect(parseProcessStat(line)).toEqual({ pid: 77, name: "a) b (c", state: "S", ticks: 11, startTicks: 300, rssPages: 42 });
  });

  it("refuses what is not a stat line", () => {
    for (const bad of ["", "garbage", "1 (x", "x (y) S 1", "5 (n) S 1 2 3"]) expect(parseProcessStat(bad), bad).toBeUndefined();
  });
});

describe("command lines", () => {
  it("splits argv at NULs; a kernel thread has none", () => {
    expect(parseCmdline(fixture("debian12", "proc/2234/cmdline"))).toEqual(["/usr/lib/postgresql/15/bin/postgres", "-D", "/var/lib/postgresql/15/main", "-c", "config_file=/etc/postgresql/15/main/postgresql.conf"]);
    expect(parseCmdline(fixture("debian12", "proc/14/cmdline"))).toEqual([]);
    expect(displayCmdline([])).toBeUndefined();
  });

  it("redacts secrets with the env rules before truncating", () => {
    expect(displayCmdline(parseCmdline(fixture("rocky9", "proc/2817/cmdline")))).toBe(
      "/usr/bin/java -Xmx2g -Dspring.datasource.password=[redacted] -jar /opt/app/app.jar --db-url=jdbc:postgresql://app:[redacted]@db:5432/app",
    );
    // redis rewrites its argv and pads it with NULs: the padding is not sent.
    expect(displayCmdline(parseCmdline(fixture("debian12", "proc/2254/cmdline")))).toBe("redis-server 127.0.0.1:6379");
  });

  it(`sends at most ${MAX_CMDLINE_CHARS} characters, never half a surrogate pair`, () => {
    const long = displayCmdline(["app", "x".repeat(10_000)])!;
    expect(long).toHaveLength(MAX_CMDLINE_CHARS);
    const emoji = "a".repeat(MAX_CMDLINE_CHARS - 1) + "😀";
    expect(truncateText(emoji, MAX_CMDLINE_CHARS)).toBe("a".repeat(MAX_CMDLINE_CHARS - 1));
    expect(ProcessSchema.shape.cmdline.safeParse(truncateText(emoji, MAX_CMDLINE_CHARS)).success).toBe(true);
  });
});

describe("ranking", () => {
  const cur: ProcessTicks = { "10": [500, 100, 10], "11": [90, 100, 5000], "12": [1000, 900, 1], "13": [40, 50, 20] };

  it("takes CPU % as the tick delta's share of all CPUs' jiffies; a reused pid or an unseen old process counts 0", () => {
    const prev: ProcessTicks = { "10": [300, 100, 10], "11": [90, 100, 5000], "13": [0, 49, 20] };
    const ranked = rankProcesses(prev, cur, 400, (start) => start >= 800);
    expect(ranked).toEqual([
      { pid: 10, cpuPct: 50, rssPages: 10 },
      { pid: 11, cpuPct: 0, rssPages: 5000 },
      // new since the last reading (started after it): all its ticks fall in the interval, capped at 100 %
      { pid: 12, cpuPct: 100, rssPages: 1 },
      // pid 13 was another process before (other start time) and started before the interval
      { pid: 13, cpuPct: 0, rssPages: 20 },
    ]);
    expect(rankProcesses(undefined, cur, 0, () => true).every((p) => p.cpuPct === 0)).toBe(true);
  });

  it("merges the top N by CPU and by memory, busiest first, at most 2N", () => {
    const ranked = [
      { pid: 1, cpuPct: 90, rssPages: 1 },
      { pid: 2, cpuPct: 50, rssPages: 2 },
      { pid: 3, cpuPct: 0, rssPages: 9000 },
      { pid: 4, cpuPct: 0, rssPages: 8000 },
      { pid: 5, cpuPct: 1, rssPages: 3 },
    ];
    expect(selectTop(ranked, 2).map((p) => p.pid)).toEqual([1, 2, 3, 4]);
    expect(selectTop(ranked, 1).map((p) => p.pid)).toEqual([1, 3]);
    expect(selectTop(ranked, 0)).toEqual([]);
    expect(selectTop(ranked, 25)).toHaveLength(5);
  });

  it("tells a process started within the interval from boot time and ticks", () => {
    const within = startedAfter(1_000, 1_000_000 + 5_000);
    expect(within(600)).toBe(true); // boot + 6 s
    expect(within(400)).toBe(false);
  });
});

describe("reading the host's /proc", () => {
  it.each(DISTROS)("scans every process directory of the %s fixture, bounded", (distro) => {
    const ticks = scanProcessTicks(hostPaths(fixtureRoot(distro)));
    expect(Object.keys(ticks).sort()).toEqual([...PIDS[distro]].sort());
    // The bound counts process directories read, a directory without a readable stat included.
    const bounded = Object.keys(scanProcessTicks(hostPaths(fixtureRoot(distro)), 2)).length;
    expect(bounded).toBeGreaterThan(0);
    expect(bounded).toBeLessThanOrEqual(2);
    expect(scanProcessTicks(hostPaths("/nonexistent"))).toEqual({});
  });

  it("describes the chosen processes in the wire's shape: owner, start time from boot time, bytes", () => {
    const paths = hostPaths(fixtureRoot("rocky9"));
    const details = new ProcessDetails(paths);
    const bootTime = 1795392011;
    const [java, gone] = details.describe([{ pid: 2817, cpuPct: 12.5, rssPages: 412221 }, { pid: 999_999, cpuPct: 1, rssPages: 1 }], bootTime);
    expect(gone).toBeUndefined(); // exited since the scan: left out
    expect(ProcessSchema.safeParse(java).success).toBe(true);
    expect(java).toMatchObject({ pid: 2817, name: "java", cpuPct: 12.5, state: "S", startedAt: new Date((bootTime + 88.12) * 1000).toISOString() });
    expect(java!.rssBytes % 4096).toBe(0);
    expect(java!.rssBytes / 412221).toBeGreaterThanOrEqual(4096);
    // The fixture's files belong to whoever checked them out; the name comes from the fixture's /etc/passwd when it lists that uid.
    expect(typeof java!.user).toBe("string");
  });
});

describe("statFields (the scan's parser)", () => {
  it.each(DISTROS)("agrees with parseProcessStat on every %s fixture process", (distro) => {
    for (const pid of PIDS[distro]) {
      const text = fixture(distro, `proc/${pid}/stat`);
      const stat = parseProcessStat(text)!;
      expect(statFields(text)).toEqual([stat.ticks, stat.startTicks, stat.rssPages]);
    }
  });

  it("finds the fields after a name with spaces and parentheses, and refuses a broken line", () => {
    expect(statFields("77 (a) b (c) S 1 77 77 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 300 0 42 0")).toEqual([11, 300, 42]);
    for (const bad of ["", "1 (x", "5 (n) S 1 2 3", "5 (n) S 1 2 3 4 5 6 7 8 9 10 x 11 12 13 14 15 16 17 18 19 20 21", "5 (n) S 1 2 3 4 5 6 7 8 9 10 -3 11 12 13 14 15 16 17 18 19 20 21"]) {
      expect(statFields(bad), bad).toBeUndefined();
    }
  });
});

describe("ProcessDetails across samples", () => {
  it("redacts a command line again when it changed (setproctitle), not otherwise", () => {
    const details = new ProcessDetails(hostPaths(fixtureRoot("rocky9")));
    const first = details.describe([{ pid: 2817, cpuPct: 1, rssPages: 1 }], 0)[0]!;
    const again = details.describe([{ pid: 2817, cpuPct: 1, rssPages: 1 }], 0)[0]!;
    expect(again.cmdline).toBe(first.cmdline);
    expect(first.cmdline).toContain("password=[redacted]");
    // pid 812 was not chosen in between: nothing of it is kept, and it is read afresh.
    expect(details.describe([{ pid: 812, cpuPct: 1, rssPages: 1 }], 0)[0]!.cmdline).toBe("sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups");
  });
});

describe("processName (the scan's name list)", () => {
  it("reads the name between the first ( and the last ), as UTF-8", () => {
    expect(processName("1 (systemd) S 0")).toBe("systemd");
    expect(processName("77 (a) b (c) S 1")).toBe("a) b (c");
    expect(processName(Buffer.from("5 (café) S 1").toString("latin1"))).toBe("café");
    expect(processName("5 () S 1")).toBeUndefined();
    expect(processName("garbage")).toBeUndefined();
  });

  it("collects every distinct name of a scan", () => {
    const names = new Set<string>();
    scanProcessTicks(hostPaths(fixtureRoot("rocky9")), undefined, names);
    expect([...names].sort()).toEqual(["chronyd", "dockerd", "java", "sshd", "systemd"]);
  });
});
