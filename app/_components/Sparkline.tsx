/**
 * A tiny SVG line over the shared sparkline grid. SVG rather than a chart.js canvas: the
 * overview draws three per host for hundreds of hosts, and a canvas each would cost far more.
 */
export function Sparkline({ v, label, max = 100 }: { v: (number | null)[] | undefined; label: string; max?: number }) {
  const w = 84;
  const h = 22;
  const n = v?.length ?? 0;
  const values = v ?? [];
  const present = values.filter((x): x is number => x !== null);
  if (present.length === 0) return <svg className="spark spark-empty" width={w} height={h} role="img" aria-label={`${label}: no data in the last hour`} />;
  // One polyline per unbroken run, so an agent's silence is a gap.
  const runs: string[][] = [];
  let run: string[] | null = null;
  values.forEach((x, i) => {
    if (x === null) return void (run = null);
    const px = n <= 1 ? w / 2 : (i / (n - 1)) * w;
    const py = h - 1 - (Math.min(max, Math.max(0, x)) / max) * (h - 2);
    if (!run) runs.push((run = []));
    run.push(`${px.toFixed(1)},${py.toFixed(1)}`);
  });
  const last = present[present.length - 1]!;
  const tone = last >= 90 ? "hot" : last >= 75 ? "warm" : "ok";
  return (
    <svg className={`spark spark-${tone}`} width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}, last hour`}>
      {runs.map((r, i) =>
        r.length === 1 ? <circle key={i} cx={r[0]!.split(",")[0]} cy={r[0]!.split(",")[1]} r="1.5" /> : <polyline key={i} points={r.join(" ")} fill="none" strokeWidth="1.25" />,
      )}
    </svg>
  );
}
