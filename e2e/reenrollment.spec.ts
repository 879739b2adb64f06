/** Issue 11.5 in the browser: a re-enrollment without proof waits on the host page for an admin. */
import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

async function api(path: string, body: unknown, token?: string) {
  const res = await fetch(state().baseUrl + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

test("an admin sees a pending re-enrollment on the host page with its time and address, and approves it", async ({ page, browser }) => {
  const admin = await api("/api/auth/login", state().users.admin);
  const enrollmentToken = (await api("/api/enrollment-tokens", { ttlHours: 1, maxUses: 2 }, admin.body.accessToken!)).body.token!;
  const machineId = "machine-e2e-reenroll";
  const first = await api("/api/agents/enroll", { token: enrollmentToken, hostname: "e2e-reenroll", machineId });
  expect(first.status).toBe(201);
  const attempt = await api("/api/agents/enroll", { token: enrollmentToken, hostname: "e2e-reinstalled", machineId });
  expect(attempt.status).toBe(409);
  const pendingId = attempt.body.pendingId!;

  // A viewer's host page shows no such panel.
  const viewerContext = await browser.newContext({ baseURL: state().baseUrl });
  const viewerPage = await viewerContext.newPage();
  await signIn(viewerPage, state().users.viewer, `/hosts/${first.body.hostId}`);
  await expect(viewerPage.getByRole("heading", { name: "e2e-reenroll" })).toBeVisible();
  await expect(viewerPage.getByTestId("reenrollments")).toHaveCount(0);
  await viewerContext.close();

  await signIn(page, state().users.admin, `/hosts/${first.body.hostId}`);
  const row = page.getByTestId("reenrollment-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("e2e-reinstalled");
  await expect(row).toContainText("waiting for approval");
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}/);
  await screenshot(page, "host-reenrollment-pending");
  await row.getByRole("button", { name: "Approve" }).click();
  await expect(row).toContainText("approved, waiting for the agent");

  const collected = await api("/api/agents/enroll", { token: enrollmentToken, hostname: "e2e-reinstalled", machineId, pendingId });
  expect(collected.status).toBe(201);
  expect(collected.body.hostId).toBe(first.body.hostId);
});
