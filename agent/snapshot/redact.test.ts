import { describe, expect, it } from "vitest";
import { REDACTED_PREFIX } from "../../lib/protocol/constants";
import { hasUrlPassword, isSecretKey, isSecretValue, redactEnv, redactValue } from "./redact";

describe("isSecretKey", () => {
  it.each([
    "PASSWORD", "DB_PASSWORD", "db_password", "MYSQL_ROOT_PASSWD", "CLIENT_SECRET", "GITHUB_TOKEN", "API_KEY",
    "APIKEY", "AWS_SECRET_ACCESS_KEY", "GOOGLE_APPLICATION_CREDENTIALS", "SSH_AUTH_SOCK", "OAUTH", "PRIVATE_KEY_PATH",
    "SENTRY_DSN", "apiKey", "authToken", "Npm-Token", "app.secret", "API_KEYS",
  ])("%s is secret", (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(["PATH", "HOME", "LANG", "AUTHOR", "KEYBOARD_LAYOUT", "TOKENIZERS_PARALLELISM", "DSNAME", "HOSTNAME", "XAUTHORITY"])(
    "%s is not",
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );
});

describe("hasUrlPassword", () => {
  it("finds user:password@ in URLs, also inside a longer value", () => {
    expect(hasUrlPassword("postgres://app:s3cr3t@db.internal:5432/app")).toBe(true);
    expect(hasUrlPassword("--registry=https://ci:tok@npm.example.com/ --verbose")).toBe(true);
  });
  it("leaves URLs without a password alone", () => {
    expect(hasUrlPassword("https://example.com/a@b")).toBe(false);
    expect(hasUrlPassword("ssh://git@github.com/x.git")).toBe(false);
    expect(hasUrlPassword("http://proxy.internal:3128")).toBe(false);
  });
});

describe("redactEnv", () => {
  const key = "0".repeat(64);
  const env = { DB_PASSWORD: "hunter2", DATABASE_URL: "postgres://app:s3cr3t@db/app", LANG: "C.UTF-8" };

  it("replaces secret values by the prefix and a keyed hash, keeps the rest", () => {
    const out = redactEnv(env, key);
    expect(out.LANG).toBe("C.UTF-8");
    expect(out.DB_PASSWORD).toMatch(new RegExp(`^${REDACTED_PREFIX}[0-9a-f]{32}$`));
    expect(out.DATABASE_URL?.startsWith(REDACTED_PREFIX)).toBe(true);
    expect(JSON.stringify(out)).not.toContain("hunter2");
    expect(JSON.stringify(out)).not.toContain("s3cr3t");
  });

  it("makes a change visible: a new value gives a new hash, the same value the same", () => {
    expect(redactValue(key, "a")).toBe(redactValue(key, "a"));
    expect(redactValue(key, "a")).not.toBe(redactValue(key, "b"));
  });

  it("gives another host other hashes for the same value", () => {
    expect(redactValue(key, "hunter2")).not.toBe(redactValue("1".repeat(64), "hunter2"));
  });
});

describe("redaction of the secrets issue 11.12 found missed", () => {
  const key = "0".repeat(64);

  it.each(["MYSQL_PWD", "REDIS_PASS", "SMTP_PASS", "GITHUB_PAT", "SLACK_WEBHOOK_URL", "smtp_pass", "redisPassword", "DB_PASSPHRASE", "DBPASS", "SESSION_COOKIE", "PASSWORD_SALT", "MY_SECRETS_DIR", "GITHUBTOKEN", "X_API_KEYS", "KEY_FILE_CONTENT", "AWS_ACCESS_KEY_ID", "HTTP_AUTHORIZATION"])(
    "%s is a secret key",
    (k) => {
      expect(isSecretKey(k)).toBe(true);
    },
  );

  it.each(["PWD", "OLDPWD", "PATH", "PATCH_LEVEL", "PASSENGER_SPAWN", "HTTP_PROXY_BYPASS", "KEYMAP", "TERM", "SHELL", "LS_COLORS"])("%s is not", (k) => {
    expect(isSecretKey(k)).toBe(false);
  });

  it.each([
    ["a URL with user:password@", "mysql://root:hunter2@db.internal/app"],
    ["a URL with user:password@ inside a longer value", "--dsn amqp://guest:guest@rabbit:5672/ -v"],
    ["a password= query parameter", "https://api.example.com/v1?user=me&password=hunter2"],
    ["an access_token= parameter", "https://graph.example.com/me?access_token=abc"],
    ["a --db-password= flag", "--host db --db-password=hunter2"],
    ["a PEM private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"],
    ["an OpenSSH private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"],
    ["a GitHub token", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
    ["a Slack bot token", "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"],
    ["a long random token", "Zk3q9VfX2mLp8RtY6wHc1NbJ5sDg7AeQ"],
    ["a JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"],
  ])("a value is a secret: %s", (_what, value) => {
    expect(isSecretValue(value)).toBe(true);
    const out = redactEnv({ HARMLESS_NAME: value }, key);
    expect(out.HARMLESS_NAME!.startsWith(REDACTED_PREFIX)).toBe(true);
  });

  it.each([
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "https://deb.debian.org/debian?arch=amd64",
    "ssh://git@github.com/org/repo.git",
    "en_US.UTF-8",
    "0123456789abcdef0123456789abcdef01234567", // a commit id: hex, one case
    "550e8400-e29b-41d4-a716-446655440000",
    "/home/someone/projects/infrastructure-monitoring-dashboard/node_modules/.bin",
    "rs=0:di=01;34:ln=01;36:mh=00:pi=40;33:so=01;35:do=01;35:bd=40;33;01",
  ])("a value is not: %s", (value) => {
    expect(isSecretValue(value)).toBe(false);
  });
});
