/**
 * Host takeover by machine id (issue 11.5): enrolling again with a known machine id needs the
 * host's current agent token, or an admin's approval of the pending request (409 until then).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api, enrolledHost, sample, unique, userWithRole } from "../helpers/api";
import { withContract } from "../helpers/contract";

const a = withContract(api()); // every answer checked against the OpenAPI document
let admin: string;

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
});

async function enrollmentToken(maxUses = 1) {
  const t = await a.post("/api/enrollment-tokens", { ttlHours: 1, maxUses }, admin);
  expect(t.status).toBe(201);
  return t.body.token as string;
}

/** A host enrolled with a known machine id, and a telemetry probe for any agent token. */
async function knownHost() {
  const machineId = unique("machine");
  const token = await enrollmentToken();
  const first = await a.post("/api/agents/enroll", { token, hostname: "web-1", machineId });
  expect(first.status).toBe(201);
  return { machineId, hostId: first.body.hostId as string, agentToken: first.body.agentToken as string };
}
const reports = async (agentToken: string) => (await a.post("/api/telemetry", sample(0), agentToken)).status;

describe("re-enrolling a known machine", () => {
  it("without proof: 409 with a pendingId, and the host's token keeps working", async () => {
    const host = await knownHost();
    const attempt = await a.call("POST", "/api/agents/enroll", {
      body: { token: await enrollmentToken(), hostname: "evil", machineId: host.machineId },
      headers: { "x-forwarded-for": "203.0.113.7" },
    });
    expect(attempt.status).toBe(409);
    expect(attempt.body).toEqual({ error: expect.stringContaining("admin"), pendingId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(attempt.body.agentToken).toBeUndefined();
    expect(await reports(host.agentToken)).toBe(202);
    // A wrong current token is no proof either.
    const wrong = await a.post("/api/agents/enroll", { token: await enrollmentToken(), hostname: "evil", machineId: host.machineId, currentAgentToken: "iwa_guess" });
    expect(wrong.status).toBe(409);
    expect(await reports(host.agentToken)).toBe(202);

    const listed = await a.get(`/api/hosts/${host.hostId}/reenrollments`, admin);
    expect(listed.status).toBe(200);
    const mine = listed.body.reenrollments.find((r: { id: string }) => r.id === attempt.body.pendingId);
    expect(mine).toMatchObject({ hostname: "evil", status: "pending", createdAt: expect.any(String) });
    expect(Math.abs(Date.parse(mine.createdAt) - Date.now())).toBeLessThan(60_000);
    expect(mine.sourceAddress).toEqual(expect.any(String));
    expect(mine.sourceAddress.length).toBeGreaterThan(0);
  });

  it("with its current agent token: same host, a new token, the old one dead", async () => {
    const host = await knownHost();
    const again = await a.post("/api/agents/enroll", { token: await enrollmentToken(), hostname: "web-1", machineId: host.machineId, currentAgentToken: host.agentToken });
    expect(again.status).toBe(201);
    expect(again.body.hostId).toBe(host.hostId);
    expect(again.body.agentToken).not.toBe(host.agentToken);
    expect(await reports(host.agentToken)).toBe(401);
    expect(await reports(again.body.agentToken)).toBe(202);
  });

  it("approved by an admin: the pending agent collects its token with its pendingId, once; the old token dies", async () => {
    const host = await knownHost();
    const token = await enrollmentToken();
    const request = { token, hostname: "web-1-reinstalled", machineId: host.machineId };
    const pending = await a.post("/api/agents/enroll", request);
    expect(pending.status).toBe(409);
    const { pendingId } = pending.body;

    // Asking again before the decision: still 409, the same request, no token.
    const early = await a.post("/api/agents/enroll", { ...request, pendingId });
    expect(early.status).toBe(409);
    expect(early.body.pendingId).toBe(pendingId);

    const operator = await userWithRole(a, admin, "operator");
    expect((await a.post(`/api/hosts/${host.hostId}/reenrollments/${pendingId}/approve`, {}, operator.accessToken)).status).toBe(403);
    expect((await a.get(`/api/hosts/${host.hostId}/reenrollments`, operator.accessToken)).status).toBe(403);
    const approved = await a.post(`/api/hosts/${host.hostId}/reenrollments/${pendingId}/approve`, {}, admin);
    expect(approved.status).toBe(200);
    expect(approved.body).toEqual({ id: pendingId, status: "approved" });
    expect((await a.post(`/api/hosts/${host.hostId}/reenrollments/${pendingId}/reject`, {}, admin)).status).toBe(409);

    // The pendingId alone, or with another enrollment token or machine, collects nothing.
    expect((await a.post("/api/agents/enroll", { ...request, token: await enrollmentToken(), pendingId })).status).toBe(404);
    expect((await a.post("/api/agents/enroll", { ...request, machineId: unique("machine"), pendingId })).status).toBe(404);
    expect(await reports(host.agentToken)).toBe(202);

    // The enrollment token was used up by the first attempt; the approval is the proof now.
    const collected = await a.post("/api/agents/enroll", { ...request, pendingId });
    expect(collected.status).toBe(201);
    expect(collected.body.hostId).toBe(host.hostId);
    expect(await reports(collected.body.agentToken)).toBe(202);
    expect(await reports(host.agentToken)).toBe(401);
    expect((await a.post("/api/agents/enroll", { ...request, pendingId })).status).toBe(404);
    expect((await a.get(`/api/hosts/${host.hostId}/reenrollments`, admin)).body.reenrollments).toEqual([]);
  });

  it("rejected by an admin: 403 to the requester, the host keeps its token", async () => {
    const host = await knownHost();
    const request = { token: await enrollmentToken(), hostname: "evil", machineId: host.machineId };
    const { pendingId } = (await a.post("/api/agents/enroll", request)).body;
    expect((await a.post(`/api/hosts/${host.hostId}/reenrollments/${pendingId}/reject`, {}, admin)).body).toEqual({ id: pendingId, status: "rejected" });
    const refused = await a.post("/api/agents/enroll", { ...request, pendingId });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain("rejected");
    expect(await reports(host.agentToken)).toBe(202);
  });

  it("still needs a valid enrollment token, and answers 404 for another host's or an unknown request", async () => {
    const host = await knownHost();
    expect((await a.post("/api/agents/enroll", { token: "iwe_nope", hostname: "x", machineId: host.machineId })).status).toBe(401);
    const { pendingId } = (await a.post("/api/agents/enroll", { token: await enrollmentToken(), hostname: "x", machineId: host.machineId })).body;
    const other = await enrolledHost(a, admin);
    expect((await a.post(`/api/hosts/${other.hostId}/reenrollments/${pendingId}/approve`, {}, admin)).status).toBe(404);
    expect((await a.post(`/api/hosts/${host.hostId}/reenrollments/00000000-0000-4000-8000-000000000000/approve`, {}, admin)).status).toBe(404);
    expect((await a.post(`/api/hosts/${host.hostId}/reenrollments/not-a-uuid/approve`, {}, admin)).status).toBe(404);
    expect((await a.get(`/api/hosts/00000000-0000-4000-8000-000000000000/reenrollments`, admin)).status).toBe(404);
    expect((await a.post("/api/agents/enroll", { token: "x", hostname: "x", machineId: host.machineId, pendingId: "nope" })).status).toBe(400);
  });

  it("bounds the requests waiting per host (429), so a token holder cannot flood the host page", async () => {
    const host = await knownHost();
    const token = await enrollmentToken(100);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await a.post("/api/agents/enroll", { token, hostname: "flood", machineId: host.machineId })).status);
    expect(statuses.slice(0, 20).every((s) => s === 409)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect(await reports(host.agentToken)).toBe(202);
  });
});
