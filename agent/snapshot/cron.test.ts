import { describe, expect, it } from "vitest";
import { MAX_JOB_COMMAND_CHARS, ScheduledJobSchema } from "../../lib/protocol";
import { fixture, fixtureRoot } from "../collect/fixtures/fixture";
import { hostPaths } from "../collect/host-paths";
import { MAX_CRON_LINES, collectCronJobs, parseCrontab } from "./cron";

describe("parseCrontab", () => {
  it("reads a system crontab: five fields, the user, the command as written; variables and comments skipped", () => {
    const jobs = parseCrontab(fixture("debian12", "etc/crontab"), "/etc/crontab", { systemFormat: true });
    expect(jobs).toHaveLength(4);
    expect(jobs[0]).toEqual({ source: "/etc/crontab", schedule: "17 * * * *", command: "cd / && run-parts --report /etc/cron.hourly", user: "root" });
    expect(jobs[1]!.command).toBe("test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }");
    expect(parseCrontab(fixture("rocky9", "etc/crontab"), "/etc/crontab", { systemFormat: true })).toEqual([]);
  });

  it("reads a user crontab (no user field), @reboot, and redacts secrets in commands", () => {
    expect(parseCrontab(fixture("debian12", "var/spool/cron/crontabs/root"), "/var/spool/cron/crontabs/root", { user: "root" })).toEqual([
      { source: "/var/spool/cron/crontabs/root", schedule: "0 2 * * *", command: "mysqldump -uroot -p[redacted] app > /var/backups/app.sql", user: "root" },
      { source: "/var/spool/cron/crontabs/root", schedule: "*/5 * * * *", command: "curl -fsS https://hc:[redacted]@hc.example.com/ping/4f1c >/dev/null", user: "root" },
      { source: "/var/spool/cron/crontabs/root", schedule: "@reboot", command: "/usr/local/bin/warm-cache --token [redacted]", user: "root" },
    ]);
  });

  it("reads busybox's tab-separated crontab (Alpine)", () => {
    const jobs = parseCrontab(fixture("alpine319", "etc/crontabs/root"), "/etc/crontabs/root", { user: "root" });
    expect(jobs.map((j) => j.schedule)).toEqual(["*/15 * * * *", "0 * * * *", "0 2 * * *", "0 3 * * 6", "0 5 1 * *"]);
    expect(jobs[0]!.command).toBe("run-parts /etc/periodic/15min");
  });

  it("bounds lines and command length; skips lines without a command", () => {
    const many = "* * * * * root true\n".repeat(MAX_CRON_LINES + 10);
    expect(parseCrontab(many, "/etc/crontab", { systemFormat: true })).toHaveLength(MAX_CRON_LINES);
    const [long] = parseCrontab(`* * * * * root echo ${"x".repeat(10_000)}`, "/etc/crontab", { systemFormat: true });
    expect(long!.command).toHaveLength(MAX_JOB_COMMAND_CHARS);
    expect(parseCrontab("* * * * *\n@daily\n* * * * * root\n", "/etc/crontab", { systemFormat: true })).toEqual([]);
    expect(parseCrontab("FOO = bar\n", "/x", { user: "u" })).toEqual([]);
  });
});

describe("collectCronJobs on the fixtures", () => {
  it.each([
    ["debian12", ["/etc/crontab", "/etc/cron.d/e2scrub_all", "/var/spool/cron/crontabs/root"], 9],
    ["rocky9", ["/etc/cron.d/0hourly", "/var/spool/cron/app"], 2],
    ["alpine319", ["/etc/crontabs/root"], 5],
  ] as const)("%s: every crontab cron reads, leftovers (.placeholder, .rpmnew) skipped", async (distro, sources, count) => {
    const jobs = await collectCronJobs(hostPaths(fixtureRoot(distro)));
    expect([...new Set(jobs.map((j) => j.source))]).toEqual(sources);
    expect(jobs).toHaveLength(count);
    for (const j of jobs) expect(ScheduledJobSchema.safeParse(j).success).toBe(true);
  });

  it("names the user of a Rocky user crontab after its file and redacts its key", async () => {
    const jobs = await collectCronJobs(hostPaths(fixtureRoot("rocky9")));
    expect(jobs[1]).toEqual({ source: "/var/spool/cron/app", schedule: "15 3 * * 1-5", command: "/opt/app/bin/report --api-key=[redacted]", user: "app" });
  });
});
