/**
 * The server as one of the IW_WORKERS cluster workers that `npm start` runs (scripts/lib/workers.mjs):
 * what a worker shares with its siblings through the primary process. Each worker pushes its
 * ingest counters to the primary once a second when they changed; a scrape of
 * /api/prometheus/metrics, which reaches one worker, asks the primary for everyone's and so
 * shows every process of the instance. Outside a cluster (one `next start`) all of it is local.
 */
import cluster from "node:cluster";
import type { IngestCounters, IngestCounts } from "@/lib/metrics/ingest-counters";

export type ProcessCounts = { server: string; counts: IngestCounts };

const PUSH_MS = 1_000;
/** A primary that does not answer in time (busy, or gone) leaves the scrape with this worker's own counters. */
const ASK_TIMEOUT_MS = 500;

const inCluster = () => cluster.isWorker && typeof process.send === "function";

/** Starts this worker's pushes (no-op outside a cluster). */
export function shareIngestCounters(ingest: IngestCounters) {
  if (!inCluster()) return;
  let last = "";
  setInterval(() => {
    const counts = ingest.snapshot();
    const text = JSON.stringify(counts);
    if (text === last) return;
    last = text;
    process.send!({ iw: "ingest", server: ingest.server, counts });
  }, PUSH_MS).unref();
}

let asked = 0;

/** The ingest counters of every server process of this instance (this one's fresh), or this one's alone. */
export async function instanceIngestCounts(ingest: IngestCounters): Promise<ProcessCounts[]> {
  const own: ProcessCounts = { server: ingest.server, counts: ingest.snapshot() };
  if (!inCluster()) return [own];
  const id = ++asked;
  const others = await new Promise<ProcessCounts[]>((resolve) => {
    const timer = setTimeout(() => done([]), ASK_TIMEOUT_MS);
    function onMessage(message: unknown) {
      const m = message as { iw?: unknown; id?: unknown; all?: unknown } | null;
      if (m?.iw === "ingest!" && m.id === id) done(Array.isArray(m.all) ? (m.all as ProcessCounts[]) : []);
    }
    function done(list: ProcessCounts[]) {
      clearTimeout(timer);
      process.off("message", onMessage);
      resolve(list);
    }
    process.on("message", onMessage);
    process.send!({ iw: "ingest?", id });
  });
  return [own, ...others.filter((p) => p.server !== own.server)];
}
