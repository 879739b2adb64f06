import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { inRoot, type HostPaths } from "./host-paths";

/**
 * The CPU's temperature: the hottest reading of the hwmon drivers that measure the CPU itself
 * (Intel coretemp's package and cores, AMD k10temp/zenpower's Tctl/Tdie/CCDs, the SoC sensor
 * of Arm boards), else of a thermal zone the kernel names as the CPU's. Other sensors (ACPI
 * zones, NVMe, chipset, GPUs) are not the CPU and are left out. Absent when nothing qualifies.
 */

const CPU_HWMON = new Set(["coretemp", "k10temp", "zenpower", "cpu_thermal", "cpu-thermal", "soc_thermal", "cpu0_thermal", "scpi_sensors"]);
const CPU_ZONE = /^(x86_pkg_temp|cpu[-_]?\d*[-_]thermal|soc[-_]thermal|cpu)$/i;
/** Outside this range a reading is a sensor fault (unconnected inputs often read -273 or 127+). */
const PLAUSIBLE = { min: -40, max: 150 };
/** Bounds the directory walk on machines with hundreds of hwmon entries. */
const MAX_ENTRIES = 64;

const readText = (file: string) => readFile(file, "utf8").then((t) => t.trim(), () => undefined);
const list = (dir: string) => readdir(dir).then((names) => names.sort().slice(0, MAX_ENTRIES), () => [] as string[]);

/** A sysfs millidegree reading in °C, or undefined when unreadable or implausible. */
export function millidegrees(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const c = Number(text) / 1000;
  return c >= PLAUSIBLE.min && c <= PLAUSIBLE.max ? c : undefined;
}

const hottest = (values: (number | undefined)[]) => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length ? Math.round(Math.max(...known) * 10) / 10 : undefined;
};

async function fromHwmon(sys: string): Promise<number | undefined> {
  const readings = await Promise.all(
    (await list(path.join(sys, "class/hwmon"))).map(async (hwmon) => {
      const dir = path.join(sys, "class/hwmon", hwmon);
      const name = await readText(path.join(dir, "name"));
      if (!name || !CPU_HWMON.has(name)) return [];
      const inputs = (await list(dir)).filter((f) => /^temp\d+_input$/.test(f));
      return Promise.all(inputs.map((f) => readText(path.join(dir, f)).then(millidegrees)));
    }),
  );
  return hottest(readings.flat());
}

async function fromThermalZones(sys: string): Promise<number | undefined> {
  const zones = (await list(path.join(sys, "class/thermal"))).filter((z) => z.startsWith("thermal_zone"));
  const readings = await Promise.all(
    zones.map(async (zone) => {
      const dir = path.join(sys, "class/thermal", zone);
      const type = await readText(path.join(dir, "type"));
      return type && CPU_ZONE.test(type) ? millidegrees(await readText(path.join(dir, "temp"))) : undefined;
    }),
  );
  return hottest(readings);
}

export async function readCpuTemperature(paths: HostPaths): Promise<number | undefined> {
  const sys = inRoot(paths, "sys");
  return (await fromHwmon(sys)) ?? (await fromThermalZones(sys));
}
