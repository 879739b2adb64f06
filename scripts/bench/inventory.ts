/**
 * What the hardware inventory and the CPU temperature cost the agent, against the package the
 * issue suggested (`systeminformation`, its system/bios/baseboard/cpu/memLayout/diskLayout/
 * networkInterfaces/graphics calls for the same facts). CPU counts this process and the
 * children it waited for (systeminformation runs lsblk, dmidecode, lspci and others): user +
 * system time from /proc/self/stat, fields utime, stime, cutime, cstime. RSS is a fresh Node
 * process's growth over one collection; bundle is esbuild's minified output for the agent's
 * target.
 *
 *   node --import tsx scripts/bench/inventory.ts        prints the markdown section
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { collectHardware } from "../../agent/collect/hardware";
import { hostPaths } from "../../agent/collect/host-paths";
import { readCpuTemperature } from "../../agent/collect/temperature";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TICK_MS = 10; // USER_HZ = 100 on Linux

function cpuMsWithChildren(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  // After "pid (comm) ": state is field 3; utime..cstime are fields 14..17.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * TICK_MS;
}

async function measure(calls: number, fn: () => Promise<unknown>) {
  await fn();
  const cpu0 = cpuMsWithChildren();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  return { wallMs: (performance.now() - t0) / calls, cpuMs: (cpuMsWithChildren() - cpu0) / calls };
}

const SI_CALLS = "Promise.all([si.system(), si.bios(), si.baseboard(), si.cpu(), si.memLayout(), si.diskLayout(), si.networkInterfaces(), si.graphics()])";

/** RSS growth of a fresh Node process over loading the collector and one collection, in MiB. */
function rssGrowthMiB(script: string): number {
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", `const r0 = process.memoryUsage().rss; ${script}; console.log((process.memoryUsage().rss - r0) / 1048576)`], { cwd: ROOT, encoding: "utf8" });
  return Number(out.trim().split("\n").pop());
}

async function bundleKiB(contents: string): Promise<number> {
  const r = await build({ stdin: { contents, resolveDir: ROOT, loader: "ts" }, bundle: true, platform: "node", target: "node20", minify: true, write: false, logLevel: "silent" });
  return r.outputFiles[0]!.contents.length / 1024;
}

/** systeminformation is no dependency any more: its row is measured only where it is installed (`npm i --no-save systeminformation`). */
async function systeminformationRow(): Promise<string> {
  const name = "hardware: systeminformation 5, the same facts";
  // A variable specifier: the type checker and bundlers must not resolve a package that is not a dependency.
  const specifier = "systeminformation";
  const si = await import(specifier).then((m: { default: Record<string, () => Promise<unknown>> }) => m.default, () => undefined);
  if (!si) return `| ${name} | not installed | | | |`;
  const viaSi = await measure(5, () => Promise.all(["system", "bios", "baseboard", "cpu", "memLayout", "diskLayout", "networkInterfaces", "graphics"].map((f) => si[f]!())));
  const rssSi = rssGrowthMiB(`const si = (await import("systeminformation")).default; await ${SI_CALLS}`);
  return row(name, viaSi, `${rssSi.toFixed(1)} MiB`, `${(await bundleKiB(`import si from "systeminformation"; export default si;`)).toFixed(1)} KiB`);
}

const row = (name: string, r: { wallMs: number; cpuMs: number }, rss: string, bundle: string) => `| ${name} | ${r.wallMs.toFixed(1)} ms | ${r.cpuMs.toFixed(1)} ms | ${rss} | ${bundle} |`;

export async function benchInventory(): Promise<string> {
  const paths = hostPaths("/");
  const direct = await measure(20, () => collectHardware(paths));
  const temp = await measure(200, () => readCpuTemperature(paths));
  const rssDirect = rssGrowthMiB(`const { collectHardware } = await import("./agent/collect/hardware.ts"); const { hostPaths } = await import("./agent/collect/host-paths.ts"); await collectHardware(hostPaths("/"))`);
  const bundleDirect = await bundleKiB(`import { collectHardware } from "./agent/collect/hardware"; export default collectHardware;`);
  return [
    "## Agent: hardware inventory and CPU temperature",
    "",
    `On ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"} (a VM: no DMI, one virtio disk; shared with other work), Node ${process.version}. Mean per collection after one warm-up; CPU includes waited-for child processes. The agent reads sysfs directly (the first row); systeminformation was removed from package.json.`,
    "",
    "| collection | wall | CPU | RSS growth (fresh process) | minified bundle |",
    "| --- | ---: | ---: | ---: | ---: |",
    row("hardware: sysfs + /proc/cpuinfo + SMBIOS (agent/collect/hardware.ts), per snapshot", direct, `${rssDirect.toFixed(1)} MiB`, `${bundleDirect.toFixed(1)} KiB`),
    await systeminformationRow(),
    row("CPU temperature: hwmon + thermal zones (agent/collect/temperature.ts), per sample", temp, "—", "—"),
    "",
    "Command: `node --import tsx scripts/bench/inventory.ts` (also a section of `npm run bench`).",
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchInventory());
