import { describe, expect, it } from "vitest";
import { localAgentLaunch } from "./local-agent";

const base = { config: "/data/local-agent/agent.json", spool: "/data/local-agent/spool", server: "http://127.0.0.1:3000", home: "/home/iw", user: "iw" };

describe("localAgentLaunch (issues 11.12 and 11.13)", () => {
  it("passes the enrollment token in the environment, never on the command line", () => {
    const { args, env } = localAgentLaunch({ ...base, enrollmentToken: "iwe_secret-token" });
    expect(args.join(" ")).not.toContain("iwe_secret-token");
    expect(args).not.toContain("--token");
    expect(args).toEqual(["run", "--config", base.config, "--spool", base.spool, "--interval", "15s", "--server", base.server]);
    expect(env.IW_ENROLL_TOKEN).toBe("iwe_secret-token");
  });

  it("gives the agent a minimal environment of its own, none of the server's settings or secrets", () => {
    process.env.AUTH_SECRET_PROBE_FOR_TEST = "must-not-leak";
    try {
      const { env } = localAgentLaunch({ ...base, enrollmentToken: "t" });
      expect(Object.keys(env).sort()).toEqual(["HOME", "IW_ENROLL_TOKEN", "LANG", "LOGNAME", "PATH", "USER"]);
      expect(JSON.stringify(env)).not.toContain("must-not-leak");
    } finally {
      delete process.env.AUTH_SECRET_PROBE_FOR_TEST;
    }
  });

  it("once enrolled, starts without any token", () => {
    const { args, env } = localAgentLaunch(base);
    expect(args).not.toContain("--server");
    expect(env.IW_ENROLL_TOKEN).toBeUndefined();
  });
});
