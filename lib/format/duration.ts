const UNITS = [
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
] as const;

/**
 * How long something lasted, in seconds, as people read it: the largest unit and the next one
 * when it is not zero ("45s", "7m", "1m 30s", "1h 5m", "2d 3h"). One formatter for alert
 * messages, notifications and the dashboard; null reads "—".
 */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "—";
  let left = Math.max(0, Math.round(seconds));
  const i = UNITS.findIndex(([, size]) => left >= size);
  if (i === -1) return "0s";
  const [unit, size] = UNITS[i]!;
  const whole = Math.floor(left / size);
  left -= whole * size;
  const next = UNITS[i + 1];
  const rest = next ? Math.floor(left / next[1]) : 0;
  return rest > 0 && next ? `${whole}${unit} ${rest}${next[0]}` : `${whole}${unit}`;
}
