import { describe, expect, it } from "vitest";
import { hasHighEntropyToken, hasSecretAssignment, hasUrlPassword, isSecretKey, isSecretValue, needsRedaction, redactCommandLine, redactSecrets } from "./redaction";

/** Counts the characters String.prototype.indexOf/includes walk (up to the match), the only searches the scanners use. */
function charactersSearched(fn: () => void): number {
  let searched = 0;
  const proto = String.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const indexOf = String.prototype.indexOf;
  const originals = { indexOf: proto.indexOf!, includes: proto.includes! };
  const count = (s: string, needle: string, from: number) => {
    const at = indexOf.call(s, needle, from);
    searched += at >= 0 ? at - from + needle.length : Math.max(0, s.length - from);
  };
  proto.indexOf = function (this: string, needle: unknown, from?: unknown) {
    count(this, String(needle), typeof from === "number" ? from : 0);
    return originals.indexOf.call(this, needle, from);
  };
  proto.includes = function (this: string, needle: unknown, from?: unknown) {
    count(this, String(needle), typeof from === "number" ? from : 0);
    return originals.includes.call(this, needle, from);
  };
  try {
    fn();
  } finally {
    Object.assign(proto, originals);
  }
  return searched;
}

describe("redaction scanners on hostile values (linear, no backtracking)", () => {
  const n = 32 * 1024; // the protocol's longest env value
  const hostile = [
    "://".repeat(n / 3), // many authorities, none closed
    "a://b:".repeat(n / 6), // colons without @
    "x=".repeat(n / 2), // an assignment per two characters
    "a".repeat(n - 1) + "=", // one long name before =
    "-----BEGIN ".repeat(n / 11),
    "aB3".repeat(n / 3), // one long low-entropy run
    "-".repeat(n),
  ];

  it.each(hostile.map((v, i) => [i, v] as const))("case %i: searches a bounded multiple of the value's length", (_i, value) => {
    let result = true;
    const searched = charactersSearched(() => {
      result = isSecretValue(value);
    });
    expect(typeof result).toBe("boolean");
    // A quadratic scan of 32 KiB reads ~1e8-1e9 characters; linear stays within a few dozen
    // passes (each `=` checks its short name against the secret words).
    expect(searched).toBeLessThan(40 * n);
  });

  it("finds what it should in those shapes", () => {
    expect(hasUrlPassword("://".repeat(1000) + "u:p@h")).toBe(true);
    expect(hasSecretAssignment("x=".repeat(1000) + "&password=1")).toBe(true);
    expect(hasHighEntropyToken("aB3".repeat(1000))).toBe(false);
  });
});

describe("needsRedaction (the server's second look)", () => {
  it("leaves the agent's keyed hashes alone and catches what an older agent sent in clear", () => {
    expect(needsRedaction("DB_PASSWORD", "redacted:hmac-sha256:abc", "redacted:hmac-sha256:")).toBe(false);
    expect(needsRedaction("MYSQL_PWD", "hunter2", "redacted:hmac-sha256:")).toBe(true);
    expect(needsRedaction("DATABASE_URL", "postgres://a:b@h/db", "redacted:hmac-sha256:")).toBe(true);
    expect(needsRedaction("LANG", "C.UTF-8", "redacted:hmac-sha256:")).toBe(false);
    expect(isSecretKey("lang")).toBe(false);
  });
});

describe("redactSecrets (free text: command lines, cron commands)", () => {
  it.each([
    ["curl https://deploy:hunter2@git.example.com/repo.git", "curl https://deploy:[redacted]@git.example.com/repo.git"],
    ["wget 'https://api.example.com/v1?user=bob&access_token=abc123&x=1'", "wget 'https://api.example.com/v1?user=bob&access_token=[redacted]&x=1'"],
    ["PGPASSWORD=s3cret pg_dump db", "PGPASSWORD=[redacted] pg_dump db"],
    ["backup --header=X ghp_abcdefghijklmnopqrstuvwxyz0123456789", "backup --header=X [redacted]"],
    ["--auth=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdISUpL", "--auth=[redacted]"],
    ["--id=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdISUpL", "--id=[redacted]"],
    ["/usr/sbin/nginx -g daemon on; master_process on;", "/usr/sbin/nginx -g daemon on; master_process on;"],
    ["postgres://app@db.internal:5432/app", "postgres://app@db.internal:5432/app"],
    // A UUID after a name is not a token, even with the upper-case name glued to it.
    ["root=UUID=2a1f5a0e-7c4b-4d0e-9b4e-6f1d3c2b8a91 ro", "root=UUID=2a1f5a0e-7c4b-4d0e-9b4e-6f1d3c2b8a91 ro"],
    ["x=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MEFCQ0RFRkdISUpL==", "x=[redacted]"],
    ["/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Dfile.encoding=UTF-8", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java -Dfile.encoding=UTF-8"],
  ])("%s", (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it("replaces a private key block whole", () => {
    expect(redactSecrets("echo -----BEGIN OPENSSH PRIVATE KEY----- abc")).toBe("[redacted]");
  });

  it("stays linear on hostile text", () => {
    for (const value of ["://".repeat(10_000), "a://b:".repeat(5_000), "x=".repeat(15_000), "password=" + "a".repeat(30_000), "aB3".repeat(10_000)]) {
      const searched = charactersSearched(() => redactSecrets(value));
      expect(searched).toBeLessThan(40 * value.length);
    }
  });
});

describe("redactCommandLine (a process's argv)", () => {
  it.each([
    [["mysqld", "--user=mysql", "--password=hunter2"], "mysqld --user=mysql --password=[redacted]"],
    [["app", "--db-password", "hunter2", "--port", "80"], "app --db-password [redacted] --port 80"],
    [["app", "--api-key", "k", "--verbose"], "app --api-key [redacted] --verbose"],
    [["redis-cli", "-a", "x", "-p", "hunter2"], "redis-cli -a x -p [redacted]"],
    [["docker", "run", "-p", "127.0.0.1:8080:80", "nginx"], "docker run -p 127.0.0.1:8080:80 nginx"],
    [["ssh", "-p", "2222", "host"], "ssh -p 2222 host"],
    [["/usr/bin/mysql", "-uroot", "-pHunter2", "db"], "/usr/bin/mysql -uroot -p[redacted] db"],
    // An attached password that itself reads as a secret word must not swallow the next argument.
    [["mysqldump", "-uroot", "-pS3cretPass", "app"], "mysqldump -uroot -p[redacted] app"],
    [["gcc", "-pthread", "x.c"], "gcc -pthread x.c"],
    [["git", "clone", "https://u:tok@host/r.git"], "git clone https://u:[redacted]@host/r.git"],
    [["node", "server.js", "--token"], "node server.js --token"],
    [["sleep", "100"], "sleep 100"],
    [[], ""],
  ])("%j", (argv, expected) => {
    expect(redactCommandLine(argv)).toBe(expected);
  });
});
