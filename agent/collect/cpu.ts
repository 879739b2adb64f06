/** Jiffy counters of one `cpu` line of /proc/stat, reduced to what a percentage needs. */
export interface CpuTimes {
  busy: number;
  total: number;
}

export interface CpuReading {
  all: CpuTimes;
  cores: CpuTimes[];
  /** Boot time (epoch seconds); counters from another boot cannot be subtracted. */
  bootTime: number;
}

/**
 * Columns: user nice system idle iowait irq softirq steal guest guest_nice.
 * guest and guest_nice are already counted inside user and nice, so they are left out of the
 * total; iowait is time the CPU had nothing to run, so it counts as idle.
 */
function parseCpuLine(fields: string[]): CpuTimes {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

export function parseProcStat(text: string): CpuReading {
  let all: CpuTimes = { busy: 0, total: 0 };
  const cores: CpuTimes[] = [];
  let bootTime = 0;
  for (const line of text.split("\n")) {
    const [key, ...fields] = line.trim().split(/\s+/);
    if (key === "cpu") all = parseCpuLine(fields);
    else if (key && /^cpu\d+$/.test(key)) cores[Number(key.slice(3))] = parseCpuLine(fields);
    else if (key === "btime") bootTime = Number(fields[0]);
  }
  return { all, cores: Array.from(cores, (c) => c ?? { busy: 0, total: 0 }), bootTime };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function busyPercent(prev: CpuTimes, cur: CpuTimes): number {
  const total = cur.total - prev.total;
  if (total <= 0) return 0;
  return round2(Math.min(100, Math.max(0, ((cur.busy - prev.busy) / total) * 100)));
}

/** CPU busy % over the time between two readings, overall and per core. */
export function cpuUsage(prev: CpuReading, cur: CpuReading): { cpuPct: number; cpuCores: number[] } {
  return {
    cpuPct: busyPercent(prev.all, cur.all),
    cpuCores: cur.cores.map((core, i) => busyPercent(prev.cores[i] ?? { busy: 0, total: 0 }, core)),
  };
}
