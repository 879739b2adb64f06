import { describe, expect, it } from "vitest";
import { endpoint, parseArgs, parseDuration, parseServerUrl, parseSize } from "./args";

const asUser = { env: {}, isRoot: false, home: "/home/u" };
const asRoot = { env: {}, isRoot: true, home: "/root" };

describe("parseArgs", () => {
  it("collects repeated --label flags, a bare key with the empty value", () => {
    expect(parseArgs(["run", "--label", "env=prod", "--label=team=db", "--label", "gpu"], asUser).labels).toEqual({ env: "prod", team: "db", gpu: "" });
    expect(parseArgs(["run"], asUser).labels).toBeUndefined();
  });

  it("refuses a --label that breaks the label rules, twice the same key, or too many", () => {
    expect(() => parseArgs(["run", "--label", "Env=prod"], asUser)).toThrow('--label: label "Env=prod": a label key holds only a-z, 0-9, _ . - and /');
    expect(() => parseArgs(["run", "--label", "env=pr od"], asUser)).toThrow("a label value holds only");
    expect(() => parseArgs(["run", "--label"], asUser)).toThrow("--label needs KEY=VALUE");
    expect(() => parseArgs(["run", "--label", "env=a", "--label", "env=b"], asUser)).toThrow('--label: "env" is given twice');
    const many = Array.from({ length: 33 }, (_, i) => ["--label", `k${i}=v`]).flat();
    expect(() => parseArgs(["run", ...many], asUser)).toThrow("at most 32 labels per host");
  });

  it("defaults paths by user", () => {
    expect(parseArgs(["run"], asRoot)).toMatchObject({ command: "run", config: "/etc/infra-watch/agent.json", spool: "/var/lib/infra-watch/spool", intervalMs: 15_000, snapshotIntervalMs: 3_600_000 });
    expect(parseArgs(["status"], asUser)).toMatchObject({ config: "/home/u/.config/infra-watch/agent.json", spool: "/home/u/.local/state/infra-watch/spool" });
  });

  it("reads every option, with a space or =", () => {
    const o = parseArgs(["--config=/tmp/a.json", "run", "--interval", "1s", "--snapshot-interval=10m", "--spool", "/tmp/s", "--host-root", "/host", "--verbose"], asUser);
    expect(o).toMatchObject({ config: "/tmp/a.json", intervalMs: 1000, snapshotIntervalMs: 600_000, spool: "/tmp/s", hostRoot: "/host", verbose: true });
  });

  it("reads the collection settings: --top-processes, repeated --watch-file and --sysctl", () => {
    const o = parseArgs(["run", "--top-processes", "5", "--watch-file", "/etc/hosts", "--watch-file=/etc/nginx/conf.d/*.conf", "--sysctl", "net.ipv4.ip_forward"], asUser);
    expect(o).toMatchObject({ topProcesses: 5, watchFiles: ["/etc/hosts", "/etc/nginx/conf.d/*.conf"], sysctlKeys: ["net.ipv4.ip_forward"] });
    expect(parseArgs(["run"], asUser).topProcesses).toBeUndefined();
    expect(parseArgs(["run", "--top-processes", "0"], asUser).topProcesses).toBe(0);
    for (const [flag, value, message] of [
      ["--top-processes", "26", /0 \(off\) to 25/],
      ["--top-processes", "-1", /0 \(off\) to 25/],
      ["--top-processes", "2.5", /0 \(off\) to 25/],
      ["--watch-file", "etc/hosts", /absolute/],
      ["--watch-file", "/etc/*/x", /only in its last part/],
      ["--watch-file", "/etc/../root/.ssh/id_rsa", /\.\./],
      ["--sysctl", "net/ipv4", /dot-separated/],
      ["--sysctl", "a..b", /dot-separated/],
    ] as const) {
      expect(() => parseArgs(["run", flag, value], asUser), `${flag} ${value}`).toThrow(message);
    }
  });

  it("takes paths from the environment, the command line winning", () => {
    const env = { IW_CONFIG: "/cfg/agent.json", IW_SPOOL: "/data/spool" };
    expect(parseArgs(["run"], { ...asRoot, env })).toMatchObject({ config: "/cfg/agent.json", spool: "/data/spool" });
    expect(parseArgs(["run", "--spool", "/x"], { ...asRoot, env }).spool).toBe("/x");
  });

  it("takes the container socket from the command line or IW_CONTAINER_SOCKET, and `off`", () => {
    expect(parseArgs(["run"], asUser).containerSocket).toBeUndefined();
    expect(parseArgs(["run", "--container-socket", "/srv/e.sock"], asUser).containerSocket).toBe("/srv/e.sock");
    expect(parseArgs(["run"], { ...asUser, env: { IW_CONTAINER_SOCKET: "off", XDG_RUNTIME_DIR: "/run/user/1000" } })).toMatchObject({ containerSocket: "off", xdgRuntimeDir: "/run/user/1000" });
  });

  it("takes the host root and enrollment token from the environment (container mode)", () => {
    expect(parseArgs(["enroll", "--server", "http://x"], { ...asRoot, env: { IW_HOST_ROOT: "/host", IW_ENROLL_TOKEN: "t" } })).toMatchObject({ hostRoot: "/host", token: "t" });
  });

  it("takes the enrollment token from stdin, a file or the environment, and marks --token as visible in ps (issue 11.13)", () => {
    expect(parseArgs(["enroll", "--server", "http://x", "--token-stdin"], asUser)).toMatchObject({ tokenSource: "stdin" });
    expect(parseArgs(["enroll", "--server", "http://x", "--token-stdin"], asUser).token).toBeUndefined();
    expect(parseArgs(["enroll", "--server", "http://x", "--token-file", "/run/t"], asUser)).toMatchObject({ tokenSource: "file", tokenFile: "/run/t" });
    expect(parseArgs(["enroll", "--server", "http://x"], { ...asUser, env: { IW_ENROLL_TOKEN: "t" } })).toMatchObject({ tokenSource: "env", token: "t" });
    expect(parseArgs(["enroll", "--server", "http://x", "--token", "t"], asUser)).toMatchObject({ tokenSource: "argv", token: "t" });
    // An explicit source wins over the environment.
    expect(parseArgs(["enroll", "--server", "http://x", "--token-file", "/run/t"], { ...asUser, env: { IW_ENROLL_TOKEN: "e" } }).token).toBeUndefined();
    expect(() => parseArgs(["enroll", "--server", "http://x", "--token", "t", "--token-stdin"], asUser)).toThrow("give the enrollment token one way, not --token and --token-stdin");
  });

  it("waits 15 minutes for a re-enrollment's approval by default, polling every 10 s; --wait 0 does not wait", () => {
    expect(parseArgs(["run"], asUser)).toMatchObject({ enrollWaitMs: 900_000, enrollPollMs: 10_000 });
    expect(parseArgs(["run", "--wait", "0", "--poll-interval", "200ms"], asUser)).toMatchObject({ enrollWaitMs: 0, enrollPollMs: 200 });
  });

  it("answers --version and --help whatever else is there", () => {
    expect(parseArgs(["--version"], asUser).command).toBe("version");
    expect(parseArgs(["run", "--help"], asUser).command).toBe("help");
    expect(parseArgs([], asUser).command).toBe("help");
  });

  it("rejects what it does not know, in one line", () => {
    expect(() => parseArgs(["frobnicate"], asUser)).toThrow('unknown command "frobnicate"');
    expect(() => parseArgs(["run", "--intervall", "1s"], asUser)).toThrow("unknown option --intervall");
    expect(() => parseArgs(["enroll", "--server", "http://x"], asUser)).toThrow("enroll needs --server URL and a token: --token-stdin, --token-file FILE or IW_ENROLL_TOKEN");
    expect(() => parseArgs(["run", "--interval"], asUser)).toThrow("--interval needs a value");
  });
});

describe("values", () => {
  it("parses durations and sizes", () => {
    expect(parseDuration("500ms", "-")).toBe(500);
    expect(parseDuration("2", "-")).toBe(2000);
    expect(parseDuration("1h", "-")).toBe(3_600_000);
    expect(() => parseDuration("soon", "--interval")).toThrow("--interval: expected a duration");
    expect(parseSize("64MiB", "-")).toBe(64 * 1024 * 1024);
    expect(parseSize("100MB", "-")).toBe(100e6);
    expect(() => parseSize("lots", "--spool-max")).toThrow("--spool-max");
  });

  it("accepts http(s) servers, with a path prefix, and nothing else", () => {
    expect(endpoint("https://mon.example.com", "api/telemetry").href).toBe("https://mon.example.com/api/telemetry");
    expect(endpoint("https://example.com/infra-watch", "api/telemetry").href).toBe("https://example.com/infra-watch/api/telemetry");
    expect(() => parseServerUrl("mon.example.com")).toThrow("is not a URL");
    expect(() => parseServerUrl("ftp://mon.example.com")).toThrow("must start with http:// or https://");
  });
});
