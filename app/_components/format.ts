/**
 * Display formatting shared by pages. Absolute times are UTC (an ops convention, and the server
 * render and the browser's hydration then agree to the character).
 */
export function relativeTime(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return "never";
  const s = Math.round((nowMs - Date.parse(iso)) / 1000);
  if (s < 0) return "just now";
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function dateTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return "—";
  return new Date(iso).toISOString().slice(0, 19).replace("T", " ");
}

export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? "—" : `${v.toFixed(v >= 10 ? 0 : 1)}%`;
}

export function bytesPerSecond(v: number): string {
  const units = ["B/s", "KB/s", "MB/s", "GB/s"];
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 || i === 0 ? 0 : 1)} ${units[i]}`;
}

export function timeUntil(iso: string, nowMs = Date.now()): string {
  const s = Math.round((Date.parse(iso) - nowMs) / 1000);
  if (s <= 0) return "expired";
  if (s < 3600) return `in ${Math.ceil(s / 60)}m`;
  if (s < 86400) return `in ${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `in ${Math.floor(s / 86400)}d`;
}
