import { describe, expect, it } from "vitest";
import { ServiceSchema } from "../../lib/protocol";
import { fixture, fixtureRoot } from "../collect/fixtures/fixture";
import { hostPaths } from "../collect/host-paths";
import { mergeServices, parseTimerSchedules, parseTimers, systemdUnavailable, timerJobs } from "./services";

describe("systemd units", () => {
  it.each(["debian12", "rocky9"] as const)("merges list-units and list-unit-files of %s: runtime state and enablement, sorted", (distro) => {
    const services = mergeServices(fixture(distro, "systemctl/list-units.json"), fixture(distro, "systemctl/list-unit-files.json"));
    for (const s of services) expect(ServiceSchema.safeParse(s).success).toBe(true);
    expect(services.map((s) => s.unit)).toEqual([...services.map((s) => s.unit)].sort());
  });

  it("keeps a failed unit's state, a unit file never loaded, and a loaded unit without a file", () => {
    const debian = mergeServices(fixture("debian12", "systemctl/list-units.json"), fixture("debian12", "systemctl/list-unit-files.json"));
    expect(debian).toContainEqual({ unit: "mariadb.service", enabled: "enabled", active: "failed", sub: "failed" });
    expect(debian).toContainEqual({ unit: "rsync.service", enabled: "disabled" });
    expect(debian).toContainEqual({ unit: "postgresql@15-main.service", active: "active", sub: "running" });
    const rocky = mergeServices(fixture("rocky9", "systemctl/list-units.json"), fixture("rocky9", "systemctl/list-unit-files.json"));
    expect(rocky).toContainEqual({ unit: "nfs-server.service", enabled: "masked" });
    expect(rocky).toContainEqual({ unit: "kdump.service", enabled: "enabled", active: "failed", sub: "failed" });
  });

  it("refuses output that is not a JSON array, and skips entries without a unit name", () => {
    expect(() => mergeServices("{}", "[]")).toThrow(/JSON array/);
    expect(() => mergeServices("not json", "[]")).toThrow();
    expect(mergeServices('[{"unit":""},{"unit":"a\\u0000b"},7,null,{"unit":"ok.service","active":1}]', "[]")).toEqual([{ unit: "ok.service" }]);
  });
});

describe("systemd timers", () => {
  it("turns each timer into a job with its calendar or monotonic schedule, without the next elapse", () => {
    const timers = parseTimers(fixture("debian12", "systemctl/list-timers.json"));
    const jobs = timerJobs(timers, parseTimerSchedules(fixture("debian12", "systemctl/show-timers.txt")));
    expect(jobs).toEqual([
      { source: "timer:apt-daily.timer", schedule: "OnCalendar=*-*-* 06,18:00:00", command: "apt-daily.service" },
      { source: "timer:dpkg-db-backup.timer", schedule: "OnCalendar=*-*-* 00:00:00", command: "dpkg-db-backup.service" },
      { source: "timer:fstrim.timer", schedule: "OnCalendar=Mon *-*-* 00:00:00", command: "fstrim.service" },
      { source: "timer:systemd-tmpfiles-clean.timer", schedule: "OnBootUSec=15min; OnUnitActiveUSec=1d", command: "systemd-tmpfiles-clean.service" },
    ]);
    const rocky = timerJobs(parseTimers(fixture("rocky9", "systemctl/list-timers.json")), parseTimerSchedules(fixture("rocky9", "systemctl/show-timers.txt")));
    expect(rocky.map((j) => j.schedule)).toEqual(["OnBootUSec=10min; OnUnitInactiveUSec=1h", "OnCalendar=*-*-* 00:00:00"]);
  });
});

describe("when systemd cannot be asked", () => {
  it("says why: PID 1 is another init, or the agent runs in a container", async () => {
    expect(await systemdUnavailable(hostPaths(fixtureRoot("alpine319")))).toBe("PID 1 is init, not systemd");
    expect(await systemdUnavailable(hostPaths(fixtureRoot("rocky9")))).toMatch(/runs in a container/);
    expect(await systemdUnavailable(hostPaths("/nonexistent"))).toBe("PID 1's name is unreadable");
  });
});
