import { describe, expect, it } from "vitest";
import { channelTlsMode, ChannelConfigSchema, redactChannelConfig, retargetedConfig, type ChannelConfig } from "./config";
import { createNotifier } from "./index";

const issuesOf = (input: unknown): string[] => {
  const r = ChannelConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

describe("channel config", () => {
  it("accepts each kind", () => {
    const valid: ChannelConfig[] = [
      { kind: "webhook", url: "https://hooks.example.com/infra", secret: "s3cret" },
      { kind: "webhook", url: "http://127.0.0.1:9000/x" },
      { kind: "slack", url: "https://hooks.slack.com/services/T000/B000/XXXX" },
      { kind: "email", host: "smtp.example.com", port: 587, user: "u", pass: "p", from: "Infra-Watch <alerts@example.com>", to: ["ops@example.com"] },
      { kind: "email", host: "127.0.0.1", port: 25, secure: false, from: "alerts@example.com", to: ["a@example.com", "b@example.com"] },
    ];
    for (const c of valid) expect(ChannelConfigSchema.parse(c)).toEqual(c);
  });

  it("names the field that is wrong", () => {
    expect(issuesOf({ kind: "webhook", url: "ftp://example.com" })).toEqual(["url"]);
    expect(issuesOf({ kind: "webhook", url: "not a url" })).toEqual(["url"]);
    expect(issuesOf({ kind: "webhook", url: "https://x.example", secret: "" })).toEqual(["secret"]);
    expect(issuesOf({ kind: "slack" })).toEqual(["url"]);
    expect(issuesOf({ kind: "email", host: "h", port: 70_000, from: "a@example.com", to: ["b@example.com"] })).toEqual(["port"]);
    expect(issuesOf({ kind: "email", host: "h", port: 25, from: "nobody", to: ["b@example.com"] })).toEqual(["from"]);
    expect(issuesOf({ kind: "email", host: "h", port: 25, from: "a@example.com", to: [] })).toEqual(["to"]);
    expect(issuesOf({ kind: "email", host: "h", port: 25, from: "a@example.com", to: ["not-an-address"] })).toEqual(["to.0"]);
    expect(issuesOf({ kind: "email", host: "h", port: 25, pass: "p", from: "a@example.com", to: ["b@example.com"] })).toEqual(["user"]);
    expect(issuesOf({ kind: "pager", url: "https://x.example" })).toEqual(["kind"]);
  });

  it("redacts secrets, passwords and the Slack webhook path for display", () => {
    expect(redactChannelConfig({ kind: "webhook", url: "https://user:pw@hooks.example.com/infra?token=abc", secret: "s" })).toEqual({
      kind: "webhook",
      url: "https://hooks.example.com/infra",
      secretSet: true,
    });
    expect(redactChannelConfig({ kind: "slack", url: "https://hooks.slack.com/services/T000/B000/XXXX" })).toEqual({ kind: "slack", url: "https://hooks.slack.com/\u2026" });
    const email = redactChannelConfig({ kind: "email", host: "h", port: 25, user: "u", pass: "p", from: "a@example.com", to: ["b@example.com"] });
    expect(email).toEqual({ kind: "email", host: "h", port: 25, tls: "starttls", user: "u", passSet: true, from: "a@example.com", to: ["b@example.com"] });
    expect(JSON.stringify(email)).not.toContain('"p"');
  });

  it("requires TLS unless a channel says none, reading the older secure flag as implicit TLS", () => {
    const base: ChannelConfig = { kind: "email", host: "h", port: 25, from: "a@example.com", to: ["b@example.com"] };
    expect(channelTlsMode(base)).toBe("starttls");
    expect(channelTlsMode({ ...base, secure: false })).toBe("starttls");
    expect(channelTlsMode({ ...base, secure: true })).toBe("implicit");
    expect(channelTlsMode({ ...base, tls: "none" })).toBe("none");
    expect(issuesOf({ ...base, tls: "plain" })).toEqual(["tls"]);
  });

  it("drops write-only secrets when a PATCH moves the channel, unless the patch gives them again", () => {
    const mail: ChannelConfig = { kind: "email", host: "smtp.example.com", port: 587, user: "u", pass: "p", from: "a@example.com", to: ["b@example.com"] };
    expect(retargetedConfig(mail, { host: "evil.example" })).not.toHaveProperty("pass");
    expect(retargetedConfig(mail, { port: 2525 })).not.toHaveProperty("pass");
    expect(retargetedConfig(mail, { host: "smtp.example.com" })).toMatchObject({ pass: "p" });
    expect(retargetedConfig(mail, { to: ["c@example.com"] })).toMatchObject({ pass: "p", to: ["c@example.com"] });
    expect(retargetedConfig(mail, { host: "new.example.com", pass: "q" })).toMatchObject({ host: "new.example.com", pass: "q" });
    const hook: ChannelConfig = { kind: "webhook", url: "https://hooks.example.com/a", secret: "s" };
    expect(retargetedConfig(hook, { url: "https://evil.example/a" })).not.toHaveProperty("secret");
    expect(retargetedConfig(hook, { url: "https://hooks.example.com/a" })).toMatchObject({ secret: "s" });
  });

  it("builds the notifier each kind names", () => {
    expect(createNotifier({ kind: "webhook", url: "https://x.example" }).kind).toBe("webhook");
    expect(createNotifier({ kind: "slack", url: "https://x.example" }).kind).toBe("slack");
    expect(createNotifier({ kind: "email", host: "h", port: 25, from: "a@example.com", to: ["b@example.com"] }).kind).toBe("email");
  });
});
