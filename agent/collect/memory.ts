/** /proc/meminfo as bytes per field (the file says kB and means KiB). */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([\w()]+):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (match) fields.set(match[1]!, Number(match[2]) * (line.endsWith("kB") ? 1024 : 1));
  }
  return fields;
}

export interface MemoryUsage {
  memPct: number;
  memUsedBytes: number;
  memTotalBytes: number;
  swapPct: number;
}

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 100 : 0);

/**
 * Used memory is what applications hold: total minus MemAvailable (page cache the kernel can
 * reclaim is not "used"). Kernels before 3.14 have no MemAvailable; estimate it the way
 * `free` did then.
 */
export function memoryUsage(info: Map<string, number>): MemoryUsage {
  const total = info.get("MemTotal") ?? 0;
  const available =
    info.get("MemAvailable") ??
    (info.get("MemFree") ?? 0) + (info.get("Buffers") ?? 0) + (info.get("Cached") ?? 0) + (info.get("SReclaimable") ?? 0);
  const used = Math.max(0, total - available);
  const swapTotal = info.get("SwapTotal") ?? 0;
  const swapUsed = Math.max(0, swapTotal - (info.get("SwapFree") ?? 0));
  return { memPct: pct(used, total), memUsedBytes: used, memTotalBytes: total, swapPct: pct(swapUsed, swapTotal) };
}
