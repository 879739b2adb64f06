/**
 * Issue 11.1: a hostile range on GET /api/metrics must be refused at validation, before any
 * work: it once sent the step search into an endless loop that froze the whole server.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api, enrolledHost, userWithRole } from "../helpers/api";
import { withContract } from "../helpers/contract";

const a = withContract(api()); // every answer checked against the OpenAPI document
let admin: string;
let viewer: string;

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  viewer = (await userWithRole(a, admin, "viewer")).accessToken;
});

/** A bounded wait: the old code never answered, so the request aborts instead of hanging the suite. */
const get = (url: string, token?: string) =>
  fetch(a.baseUrl + url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(15_000) });

describe("hostile metric ranges", () => {
  it("answers 400 for a range beyond the retention period with points=1, and the server stays responsive", async () => {
    const host = await enrolledHost(a, admin);
    for (const q of [
      `hostId=${host.hostId}&from=-11000d&points=1`,
      "hostId=00000000-0000-4000-8000-000000000000&from=-11000d&points=1",
      `hostId=${host.hostId}&from=-99999999999999999999999d&points=1`,
      `hostId=${host.hostId}&from=1999-01-01T00:00:00Z&to=2000-06-01T00:00:00Z&points=1`,
      `hostId=${host.hostId}&from=-1h&to=9999-12-31T00:00:00Z&points=1`,
    ]) {
      const res = await get(`/api/metrics?${q}`, viewer);
      expect(res.status, q).toBe(400);
      expect((await res.json()).issues?.length, q).toBeGreaterThan(0);
    }
    expect((await get("/api/health")).status).toBe(200);
  });

  it("still answers the longest allowed range with one point", async () => {
    const host = await enrolledHost(a, admin);
    const res = await get(`/api/metrics?hostId=${host.hostId}&from=-90d&points=1`, viewer);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.stepSeconds).toBeGreaterThanOrEqual(90 * 86400);
  });
});

describe("the chart of a host", () => {
  it("answers 404 for a host that does not exist and an empty series for one that has not reported", async () => {
    const missing = await get("/api/metrics?hostId=00000000-0000-4000-8000-000000000000&from=-1h", viewer);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatch(/host/);
    const host = await enrolledHost(a, admin);
    const quiet = await get(`/api/metrics?hostId=${host.hostId}&from=-1h`, viewer);
    expect(quiet.status).toBe(200);
    expect((await quiet.json()).series).toEqual([]);
  });
});
