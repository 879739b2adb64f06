/**
 * Lighthouse scores of the pages for `npm run bench` (issue 17: performance >= 90, accessibility
 * and best practices 100, CLS < 0.05 on login, overview with 100 hosts, host detail with 7 days of
 * data, and alerts). Starts the production server on a fresh embedded database, seeds it through
 * the HTTP API, signs in through the real form in Debian's Chromium (Playwright) to get a session,
 * then runs the `lighthouse` npm package (mobile defaults) against each page with that session.
 * Runs alone with `node --import tsx scripts/bench/lighthouse.ts`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { chromium } from "@playwright/test";
import { startTestServer, type TestServer } from "../../tests/helpers/server";
import { json } from "./http";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const HOSTS = 100;
const DETAIL_DAYS = 7;
const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

/** A seeding call that must succeed. */
async function call(server: TestServer, method: string, url: string, body?: unknown, token?: string) {
  const r = await json(server, method, url, body, token);
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body;
}

const sample = (ms: number, i: number, host: number) => ({
  ts: new Date(ms).toISOString(),
  cpuPct: (host * 7 + i) % 90,
  memPct: 30 + ((host + i) % 60),
  diskPct: 40 + (host % 55),
  uptimeS: 86_400 + i * 60,
  load1: (i % 40) / 10,
  memUsedBytes: 2e9 + (i % 100) * 1e7,
  memTotalBytes: 8e9,
  swapPct: 1,
  netRxBps: 1000 + (i % 50) * 200,
  netTxBps: 500 + (i % 30) * 100,
});

/** 100 hosts reporting now, one of them with 7 days at 60 s; a threshold rule that fires on a few. */
async function seed(server: TestServer): Promise<{ admin: string; detailHostId: string }> {
  const admin = (await call(server, "POST", "/api/auth/login", { email: server.adminEmail, password: server.adminPassword })).accessToken as string;
  const { token } = await call(server, "POST", "/api/enrollment-tokens", { maxUses: HOSTS + 1 }, admin);
  const hosts: { hostId: string; agentToken: string }[] = [];
  for (let h = 0; h < HOSTS; h++) {
    hosts.push(await call(server, "POST", "/api/agents/enroll", { token, hostname: `web-${String(h).padStart(3, "0")}`, machineId: `lh-${h}-${Date.now()}` }));
  }
  const now = Date.now();
  for (let h = 0; h < HOSTS; h++) {
    const samples = Array.from({ length: 20 }, (_, i) => sample(now - (20 - i) * 15_000, i, h));
    await call(server, "POST", "/api/telemetry", { samples }, hosts[h]!.agentToken);
  }
  const detail = hosts[0]!;
  const total = DETAIL_DAYS * 1440;
  for (let i = 0; i < total; i += 1000) {
    const samples = Array.from({ length: Math.min(1000, total - i) }, (_, k) => sample(now - (total - i - k) * 60_000 - 300_000, i + k, 0));
    await call(server, "POST", "/api/telemetry", { samples }, detail.agentToken);
  }
  await call(server, "POST", "/api/alerts", { name: "CPU hot", kind: "threshold", metric: "cpuPct", op: ">", threshold: 80, forSeconds: 0, severity: "warning" }, admin);
  await call(server, "POST", "/api/cron/alerts", undefined, server.cronSecret);
  return { admin, detailHostId: detail.hostId };
}

/** A dashboard session cookie, from signing in through the real form. */
async function sessionCookie(server: TestServer): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_FLAGS.filter((f) => f !== "--headless=new") });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel("Email").fill(server.adminEmail);
    await page.getByLabel("Password").fill(server.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("signed-in-user").waitFor();
    const cookies = await page.context().cookies();
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  } finally {
    await browser.close();
  }
}

type PageScore = { name: string; performance: number; accessibility: number; bestPractices: number; lcpMs: number; tbtMs: number; cls: number; failing: string[] };

async function audit(url: string, name: string, cookie: string | undefined): Promise<PageScore> {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices"],
      ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
    });
    const lhr = result!.lhr;
    if (lhr.runtimeError) throw new Error(`${name}: ${lhr.runtimeError.message}`);
    const score = (k: string) => Math.round((lhr.categories[k]?.score ?? 0) * 100);
    const numeric = (k: string) => lhr.audits[k]?.numericValue ?? NaN;
    // What keeps accessibility and best practices under 100: the failing audits, each with the
    // first element it names.
    const firstNode = (id: string) => {
      const items = (lhr.audits[id]?.details as { items?: { node?: { selector?: string; snippet?: string } }[] } | undefined)?.items ?? [];
      const node = items.find((i) => i.node?.selector)?.node;
      return node ? `${id} (\`${node.selector!.slice(0, 60)}\`${items.length > 1 ? ` and ${items.length - 1} more` : ""})` : id;
    };
    const failing = ["accessibility", "best-practices"].flatMap((c) =>
      (lhr.categories[c]?.auditRefs ?? []).filter((r) => r.weight > 0 && (lhr.audits[r.id]?.score ?? 1) < 1).map((r) => firstNode(r.id)),
    );
    // The elements that moved, for a CLS above the goal.
    const shifts = ((lhr.audits["layout-shifts"]?.details as { items?: { node?: { selector?: string }; score?: number }[] } | undefined)?.items ?? [])
      .filter((i) => i.node?.selector)
      .slice(0, 3)
      .map((i) => `${i.node!.selector!.slice(0, 50)} (${(i.score ?? 0).toFixed(3)})`);
    if (shifts.length) failing.push(`layout shifts: ${shifts.join("; ")}`);
    return {
      name,
      performance: score("performance"),
      accessibility: score("accessibility"),
      bestPractices: score("best-practices"),
      lcpMs: numeric("largest-contentful-paint"),
      tbtMs: numeric("total-blocking-time"),
      cls: numeric("cumulative-layout-shift"),
      failing,
    };
  } finally {
    chrome.kill();
  }
}

export async function benchLighthouse(): Promise<string> {
  if (!fs.existsSync(CHROMIUM)) return `## Lighthouse\n\nSkipped: no Chromium at ${CHROMIUM} (apt-get install chromium).\n`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "iw-lh-"));
  const server = await startTestServer({ dataDir, database: { url: undefined, drop: async () => {} }, env: { IW_ALERT_INTERVAL_S: "0" } });
  try {
    const { detailHostId } = await seed(server);
    const cookie = await sessionCookie(server);
    const pages: PageScore[] = [];
    pages.push(await audit(`${server.baseUrl}/login`, "login", undefined));
    pages.push(await audit(`${server.baseUrl}/`, `overview (${HOSTS} hosts)`, cookie));
    pages.push(await audit(`${server.baseUrl}/hosts/${detailHostId}`, `host detail (${DETAIL_DAYS} days at 60 s)`, cookie));
    pages.push(await audit(`${server.baseUrl}/alerts`, "alerts", cookie));
    const row = (p: PageScore) =>
      `| ${p.name} | ${p.performance} | ${p.accessibility} | ${p.bestPractices} | ${(p.lcpMs / 1000).toFixed(1)} s | ${Math.round(p.tbtMs)} ms | ${p.cls.toFixed(3)} | ${p.failing.join(", ") || "none"} |`;
    return [
      "## Lighthouse",
      "",
      `Lighthouse ${(await import("lighthouse/package.json", { with: { type: "json" } })).default.version} (mobile defaults: simulated slow 4G and 4× CPU slowdown), Debian's Chromium, the production server on the embedded database, signed in as the admin. Goals: performance >= 90, accessibility and best practices 100, CLS < 0.05.`,
      "",
      "| page | performance | accessibility | best practices | LCP | TBT | CLS | failing accessibility / best-practice audits |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      ...pages.map(row),
      "",
    ].join("\n");
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(await benchLighthouse());
