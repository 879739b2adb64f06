import { afterEach, describe, expect, it } from "vitest";
import { startSmtpSink, type SmtpSink } from "@/tests/helpers/smtp-sink";
import { createEmailNotifier, emailContent } from "./email";
import { firing, LOOPBACK } from "./test-fixtures";

let sink: SmtpSink | null = null;
afterEach(async () => {
  await sink?.close();
  sink = null;
});

const settings = (port: number) => ({ host: "127.0.0.1", port, tls: "none" as const, egress: LOOPBACK, from: "Infra-Watch <alerts@example.com>", to: ["ops@example.com", "oncall@example.com"] });

describe("email notifier", () => {
  it("sends one message over SMTP to every recipient", async () => {
    sink = await startSmtpSink();
    const receipt = await createEmailNotifier(settings(sink.port)).send(firing);
    expect(receipt).toEqual({ status: 250 });
    expect(sink.messages).toHaveLength(1);
    const [m] = sink.messages;
    expect(m!.from).toBe("alerts@example.com");
    expect(m!.to).toEqual(["ops@example.com", "oncall@example.com"]);
    expect(m!.subject).toBe("Infra-Watch [FIRING] critical: High CPU on web-1");
    expect(m!.headers["x-infrawatch-delivery"]).toBe("ev-1:firing");
    expect(m!.headers["message-id"]).toBe("<alert-ev-1-firing@example.com>");
    expect(m!.body).toContain("cpuPct 93.5 > 90 for 7m");
    expect(m!.auth).toBeNull();
  });

  it("threads the resolve notice under the firing message", async () => {
    sink = await startSmtpSink();
    const notifier = createEmailNotifier(settings(sink.port));
    await notifier.send(firing);
    await notifier.send({ ...firing, state: "resolved", resolvedAt: new Date("2026-12-01T10:05:00Z") });
    const [fired, resolved] = sink.messages;
    expect(resolved!.headers["in-reply-to"]).toBe(fired!.headers["message-id"]);
    expect(resolved!.headers["references"]).toBe(fired!.headers["message-id"]);
    expect(resolved!.subject).toBe("Infra-Watch [RESOLVED] critical: High CPU on web-1");
  });

  it("authenticates when a user is configured", async () => {
    sink = await startSmtpSink();
    await createEmailNotifier({ ...settings(sink.port), user: "mailer", pass: "hunter22" }).send(firing);
    expect(sink.messages[0]!.auth).toEqual({ user: "mailer", pass: "hunter22" });
  });

  it("survives a dot at the start of a line and non-ASCII text", async () => {
    sink = await startSmtpSink();
    await createEmailNotifier(settings(sink.port)).send({ ...firing, message: ".hidden line", host: { id: "h", hostname: "m\u00fcnchen" } });
    const [m] = sink.messages;
    expect(m!.subject).toBe("Infra-Watch [FIRING] critical: High CPU on m\u00fcnchen");
    expect(m!.body.split("\r\n")[0]).toBe(".hidden line");
  });

  it("treats an SMTP 5xx as permanent and a 4xx as transient", async () => {
    sink = await startSmtpSink({ rejectRecipients: 550 });
    await expect(createEmailNotifier(settings(sink.port)).send(firing)).rejects.toMatchObject({ name: "DeliveryError", status: 550, retryable: false });
    await sink.close();
    sink = await startSmtpSink({ rejectRecipients: 450 });
    await expect(createEmailNotifier(settings(sink.port)).send(firing)).rejects.toMatchObject({ status: 450, retryable: true });
  });

  it("requires STARTTLS by default: a server without it gets neither the message nor the password", async () => {
    sink = await startSmtpSink();
    const defaults = { ...settings(sink.port), tls: undefined };
    const err = await createEmailNotifier({ ...defaults, user: "mailer", pass: "hunter22" }).send(firing).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DeliveryError", retryable: false });
    expect(sink.messages).toHaveLength(0);
    expect(JSON.stringify(sink.messages)).not.toContain("hunter22");
  });

  it("refuses a loopback SMTP host unless the allow-list names it", async () => {
    sink = await startSmtpSink();
    const rest = { ...settings(sink.port), egress: undefined };
    await expect(createEmailNotifier(rest).send(firing)).rejects.toMatchObject({ message: "address not allowed (loopback)", retryable: false });
    expect(sink.messages).toHaveLength(0);
  });

  it("treats a dead server as transient", async () => {
    sink = await startSmtpSink({ dropConnections: true });
    await expect(createEmailNotifier({ ...settings(sink.port), timeoutMs: 1_000 }).send(firing)).rejects.toMatchObject({ name: "DeliveryError", retryable: true });
  });

  it("writes a plain-text body with the facts", () => {
    const { text } = emailContent({ ...firing, state: "resolved", resolvedAt: new Date("2026-12-01T10:05:00Z") });
    expect(text).toBe(
      [
        "cpuPct 93.5 > 90 for 7m",
        "Host: web-1",
        "Rule: High CPU (threshold, critical)",
        "Started: 2026-12-01T10:00:00.000Z",
        "Resolved: 2026-12-01T10:05:00.000Z",
        "http://localhost:3000/alerts?event=ev-1",
        "",
      ].join("\n"),
    );
  });
});
