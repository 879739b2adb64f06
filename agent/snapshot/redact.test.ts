import { describe, expect, it } from "vitest";
import { REDACTED_PREFIX } from "../../lib/protocol/constants";
import { hasUrlPassword, isSecretKey, redactEnv, redactValue } from "./redact";

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
