/**
 * A tiny SVG line over a fixed window. SVG rather than a chart.js canvas: the overview draws
 * three per host for hundreds of hosts, and a canvas each would cost far more than a polyline.
 */
export function Sparkline({ t, v, fromMs, toMs, label, max = 100 }: { t: number[]; v: number[]; fromMs: number; toMs: number; label: string; max?: number }) {
  const w = 84;
  const h = 22;
  if (t.length === 0) return <svg className="spark spark-empty" width={w} height={h} role="img" aria-label={`${label}: no data in the last hour`} />;
  const span = Math.max(1, toMs - fromMs);
  const pts = t.map((ts, i) => {
    const x = ((ts - fromMs) / span) * w;
    const y = h - 1 - (Math.min(max, Math.max(0, v[i] ?? 0)) / max) * (h - 2);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const last = v[v.length - 1] ?? 0;
  const tone = last >= 90 ? "hot" : last >= 75 ? "warm" : "ok";
  return (
    <svg className={`spark spark-${tone}`} width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}, last hour`}>
      {pts.length === 1 ? <circle cx={pts[0]!.split(",")[0]} cy={pts[0]!.split(",")[1]} r="1.5" /> : <polyline points={pts.join(" ")} fill="none" strokeWidth="1.25" />}
    </svg>
  );
}
