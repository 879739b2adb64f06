/**
 * Issue 14 over HTTP: selector-scoped, routed, repeating and forecast rules; notification
 * routes; maintenance windows. Every rule is scoped by a label only this file's hosts carry,
 * so other files' hosts never fire here.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminLogin, api, enrolledHost, sample, unique, userWithRole } from "../helpers/api";
import { withContract } from "../helpers/contract";

const a = withContract(api());
let admin: string;
let operator: string;
let viewer: string;

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  operator = (await userWithRole(a, admin, "operator")).accessToken;
  viewer = (await userWithRole(a, admin, "viewer")).accessToken;
});

const cron = () => a.call("POST", "/api/cron/alerts", { token: inject("cronSecret") });
const label = unique("fleet").toLowerCase();

async function labelled(labels: Record<string, string>) {
  const host = await enrolledHost(a, admin);
  const r = await a.patch(`/api/hosts/${host.hostId}`, { labels }, operator);
  expect(r.status, r.text).toBe(200);
  return host;
}

const rule = (body: Record<string, unknown>, token = operator) =>
  a.post("/api/alerts", { name: unique("rule"), kind: "threshold", metric: "cpuPct", op: ">", threshold: 90, forSeconds: 0, severity: "warning", ...body }, token);

describe("rules scoped by selector", () => {
  it("fire on the hosts whose labels match, and say so in the rule", async () => {
    const db = await labelled({ suite: label, role: "db" });
    const web = await labelled({ suite: label, role: "web" });
    const created = await rule({ selector: `suite=${label},role==db` });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ hostId: null, selector: `suite=${label},role=db`, channelIds: [], repeatIntervalSeconds: null, dependsOnRuleId: null });
    for (const h of [db, web]) expect((await a.call("POST", "/api/telemetry", { token: h.agentToken, body: { samples: [sample(1000, { cpuPct: 97 })] } })).status).toBe(202);
    expect((await cron()).status).toBe(200);
    const events = (await a.get(`/api/alerts/events?ruleId=${created.body.id}`, viewer)).body.events as { hostId: string; maintenance: boolean; suppressed: boolean; repeats: number }[];
    expect(events.map((e) => e.hostId)).toEqual([db.hostId]);
    expect(events[0]).toMatchObject({ maintenance: false, suppressed: false, repeats: 0 });
  });

  it("a bad selector is a 400 naming the position; a host and a selector together are refused", async () => {
    const bad = await rule({ selector: "env=prod,team in (a" });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: "selector", message: expect.stringMatching(/position \d+/) }]);
    const host = await enrolledHost(a, admin);
    const both = await rule({ hostId: host.hostId, selector: "env=prod" });
    expect(both.status).toBe(400);
    expect(both.body.issues).toEqual([{ path: "selector", message: "a rule names one host or a selector, not both" }]);
  });

  it("PATCH to a selector clears the host, and the change log keeps every new field", async () => {
    const host = await enrolledHost(a, admin);
    const created = await rule({ hostId: host.hostId });
    const patched = await a.patch(`/api/alerts/${created.body.id}`, { selector: `suite=${label}`, repeatIntervalSeconds: 600 }, operator);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ hostId: null, selector: `suite=${label}`, repeatIntervalSeconds: 600 });
    const changes = (await a.get(`/api/alerts/${created.body.id}/changes`, viewer)).body.changes as { action: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
    expect(changes[0]).toMatchObject({ action: "update", before: { hostId: host.hostId, selector: null, repeatIntervalSeconds: null, channelIds: [] }, after: { hostId: null, selector: `suite=${label}`, repeatIntervalSeconds: 600 } });
  });
});

describe("new rule fields are validated", () => {
  it.each([
    [{ channelIds: ["00000000-0000-4000-8000-000000000000"] }, "channelIds.0", "no such channel"],
    [{ channelIds: ["nope"] }, "channelIds.0", "must be a channel id"],
    [{ repeatIntervalSeconds: 5 }, "repeatIntervalSeconds", "at least 60 seconds (or null: no repeats)"],
    [{ dependsOnRuleId: "00000000-0000-4000-8000-000000000000" }, "dependsOnRuleId", "no such rule"],
    [{ kind: "forecast", metric: null, op: null, threshold: null, config: { metric: "diskPct", lookbackSeconds: 60, withinSeconds: 3600 } }, "config.lookbackSeconds", "at least 900 (15 minutes)"],
    [{ kind: "forecast", metric: null, op: null, threshold: null, config: { metric: "memPct", lookbackSeconds: 3600, withinSeconds: 3600 } }, "config.metric", expect.any(String)],
  ])("%j -> 400 at %s", async (body, path, message) => {
    const r = await rule({ selector: `suite=${label}`, ...body });
    expect(r.status, r.text).toBe(400);
    expect(r.body.issues).toContainEqual({ path, message });
  });

  it("a rule cannot depend on itself or close a cycle", async () => {
    const first = (await rule({ selector: `suite=${label}` })).body;
    const second = (await rule({ selector: `suite=${label}`, dependsOnRuleId: first.id })).body;
    const self = await a.patch(`/api/alerts/${first.id}`, { dependsOnRuleId: first.id }, operator);
    expect(self.body.issues).toEqual([{ path: "dependsOnRuleId", message: "a rule cannot depend on itself" }]);
    const cycle = await a.patch(`/api/alerts/${first.id}`, { dependsOnRuleId: second.id }, operator);
    expect(cycle.status).toBe(400);
    expect(cycle.body.issues[0].message).toMatch(/cycle/);
  });

  it("viewers read rules but cannot create them", async () => {
    expect((await rule({ selector: `suite=${label}` }, viewer)).status).toBe(403);
  });

  it("a forecast rule with defaults is stored with threshold 100", async () => {
    const r = await rule({ kind: "forecast", metric: null, op: null, threshold: null, selector: `suite=${label}`, config: { metric: "diskPct", mount: "/var", lookbackSeconds: 21600, withinSeconds: 86400 } });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ kind: "forecast", forSeconds: 0, config: { metric: "diskPct", mount: "/var", lookbackSeconds: 21600, withinSeconds: 86400, threshold: 100 } });
  });
});

describe("notification routes", () => {
  it("operators create, list, change and delete them; viewers read; bad input is a 400", async () => {
    const channel = await a.post("/api/channels", { name: unique("route-ch"), config: { kind: "webhook", url: "https://example.test/hook" } }, admin);
    expect(channel.status, channel.text).toBe(201);
    const created = await a.post("/api/alerts/routes", { name: "db pages", selector: `team=db,suite=${label}`, severities: ["critical"], channelIds: [channel.body.id], position: 5 }, operator);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ selector: `team=db,suite=${label}`, severities: ["critical"], channelIds: [channel.body.id], position: 5 });
    const listed = await a.get("/api/alerts/routes", viewer);
    expect(listed.status).toBe(200);
    expect(listed.body.routes.map((r: { id: string }) => r.id)).toContain(created.body.id);
    // The channels are named for the form; their configuration stays with admins.
    expect(listed.body.channels.find((c: { id: string }) => c.id === channel.body.id)).toEqual({ id: channel.body.id, name: channel.body.name, kind: "webhook", enabled: true, minSeverity: "info" });
    expect((await a.post("/api/alerts/routes", { name: "x", channelIds: [channel.body.id] }, viewer)).status).toBe(403);
    const bad = await a.post("/api/alerts/routes", { name: "x", selector: "team in", channelIds: [], severities: ["urgent"] }, operator);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(["channelIds", "selector", "severities.0"]);
    const patched = await a.patch(`/api/alerts/routes/${created.body.id}`, { severities: [], position: 1 }, operator);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ severities: [], position: 1 });
    expect((await a.patch(`/api/alerts/routes/${created.body.id}`, {}, operator)).status).toBe(400);
    expect((await a.del(`/api/alerts/routes/${created.body.id}`, operator)).status).toBe(204);
    expect((await a.del(`/api/alerts/routes/${created.body.id}`, operator)).status).toBe(404);
  });
});

describe("maintenance windows", () => {
  it("one-off by selector: events are recorded, marked, and the host is listed as in maintenance", async () => {
    const host = await labelled({ suite: label, maint: "yes" });
    const w = await a.post("/api/maintenance", { name: "patching", selector: `maint=yes,suite=${label}`, endsAt: new Date(Date.now() + 3_600_000).toISOString() }, operator);
    expect(w.status, w.text).toBe(201);
    expect(w.body).toMatchObject({ name: "patching", selector: `maint=yes,suite=${label}`, active: true, cron: null });
    const list = await a.get("/api/maintenance", viewer);
    expect(list.body.windows.map((x: { id: string }) => x.id)).toContain(w.body.id);
    expect(list.body.hostsInMaintenance).toContain(host.hostId);
    const r = await rule({ selector: `maint=yes,suite=${label}` });
    await a.call("POST", "/api/telemetry", { token: host.agentToken, body: { samples: [sample(1000, { cpuPct: 99 })] } });
    await cron();
    const events = (await a.get(`/api/alerts/events?ruleId=${r.body.id}`, viewer)).body.events;
    expect(events).toMatchObject([{ hostId: host.hostId, state: "firing", maintenance: true }]);
    const deliveries = await a.get(`/api/alerts/events/${events[0].id}/deliveries`, viewer);
    expect(deliveries.body.deliveries ?? deliveries.body).toEqual([]);
    expect((await a.del(`/api/maintenance/${w.body.id}`, viewer)).status).toBe(403);
    expect((await a.del(`/api/maintenance/${w.body.id}`, operator)).status).toBe(204);
    expect((await a.get("/api/maintenance", viewer)).body.hostsInMaintenance).not.toContain(host.hostId);
  });

  it("recurring by host: the next period is computed in its time zone", async () => {
    const host = await enrolledHost(a, admin);
    const w = await a.post("/api/maintenance", { name: "weekly", hostId: host.hostId, cron: "0 3 * * 0", timezone: "Europe/Berlin", durationSeconds: 7200 }, operator);
    expect(w.status, w.text).toBe(201);
    expect(w.body).toMatchObject({ cron: "0 3 * * 0", timezone: "Europe/Berlin", durationSeconds: 7200, startsAt: null, endsAt: null });
    const start = new Date(w.body.periodStart);
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", weekday: "short", hour: "2-digit", minute: "2-digit" }).format(start)).toBe("Sun 03:00");
    expect(Date.parse(w.body.periodEnd) - start.getTime()).toBe(7_200_000);
  });

  it.each([
    [{ name: "x", endsAt: "2099-01-01T00:00:00Z" }, "hostId", "a window names a host or a selector"],
    [{ name: "x", selector: "a=b", cron: "61 * * * *", timezone: "UTC", durationSeconds: 60 }, "cron", "minute: 61 is outside 0-59"],
    [{ name: "x", selector: "a=b", cron: "0 * * * *", timezone: "Mars/Base", durationSeconds: 60 }, "timezone", "not an IANA time zone this server knows"],
    [{ name: "x", selector: "a=b", cron: "0 * * * *", timezone: "UTC" }, "durationSeconds", "a recurring window needs durationSeconds"],
    [{ name: "x", selector: "a=b", startsAt: "2099-01-02T00:00:00Z", endsAt: "2099-01-01T00:00:00Z" }, "endsAt", "must be after startsAt"],
    [{ name: "x", selector: "a=b", endsAt: "2099-01-01T00:00:00Z", cron: "0 * * * *" }, "cron", expect.stringMatching(/not both/)],
    [{ name: "x", selector: "a in (", endsAt: "2099-01-01T00:00:00Z" }, "selector", expect.stringMatching(/position \d+/)],
  ])("%j -> 400 at %s", async (body, path, message) => {
    const r = await a.post("/api/maintenance", body, operator);
    expect(r.status, r.text).toBe(400);
    expect(r.body.issues).toContainEqual({ path, message });
  });
});
