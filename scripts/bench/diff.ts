/**
 * Diff engine timing for `npm run bench` (issue 5: two 20,000-package snapshots in well under
 * 100 ms). Runs alone with `node --import tsx scripts/bench/diff.ts`.
 */
import { pathToFileURL } from "node:url";
import { canonicalSnapshotHash, diffSnapshots, summarizeDiff } from "../../lib/snapshots/diff";
import { diffHosts } from "../../lib/snapshots/compare";
import { mutateSnapshot, seededRandom, syntheticSnapshot } from "../../lib/snapshots/synthetic";

const RUNS = 50;
const WARMUP = 5;

function percentile(sorted: number[], p: number): number {
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, at)]!;
}

function time(fn: () => unknown): { median: number; p95: number } {
  for (let i = 0; i < WARMUP; i++) fn();
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    fn();
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return { median: percentile(runs, 50), p95: percentile(runs, 95) };
}

const ms = (v: number): string => `${v.toFixed(2)} ms`;

export async function benchDiff(): Promise<string> {
  const rng = seededRandom(20_000);
  const a = syntheticSnapshot(rng, { packages: 20_000, envKeys: 2_000 });
  const b = mutateSnapshot(rng, a, 1_000);
  const diff = diffSnapshots(a, b);

  const rows: [string, { median: number; p95: number }][] = [
    ["diffSnapshots", time(() => diffSnapshots(a, b))],
    ["diffSnapshots (identical)", time(() => diffSnapshots(a, a))],
    ["canonicalSnapshotHash", time(() => canonicalSnapshotHash(b))],
    ["diffHosts (baseline compare)", time(() => diffHosts(b, a))],
  ];
  return [
    "## Snapshot diff",
    "",
    `Two snapshots of ${a.packages.length.toLocaleString("en")} and ${b.packages.length.toLocaleString("en")} packages, ` +
      `${Object.keys(a.env).length.toLocaleString("en")} env keys; diff: ${summarizeDiff(diff)}. ${RUNS} runs after ${WARMUP} warm-up, Node ${process.version}.`,
    "",
    "| operation | median | p95 |",
    "| --- | ---: | ---: |",
    ...rows.map(([name, t]) => `| ${name} | ${ms(t.median)} | ${ms(t.p95)} |`),
    "",
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await benchDiff());
}
