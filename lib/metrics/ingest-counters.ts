/**
 * This process's telemetry ingest counters, exposed on /api/prometheus/metrics.
 *
 * Per process, not in the database: a shared counter row would put one more write, on one hot
 * row, into every ingest group (the path the group commit exists to keep short). Prometheus
 * counters are per process by design: `rate()` handles restarts, and each series carries a
 * `server` label (host:pid) so instances never mix. Behind a load balancer scrape each instance
 * (README), or sum the series.
 */
import os from "node:os";

export type IngestCounts = {
  samplesAccepted: number;
  samplesDuplicate: number;
  samplesRejected: number;
  batchesAccepted: number;
  batchesRejected: number;
};

export class IngestCounters {
  readonly server = `${os.hostname()}:${process.pid}`;
  private counts: IngestCounts = { samplesAccepted: 0, samplesDuplicate: 0, samplesRejected: 0, batchesAccepted: 0, batchesRejected: 0 };

  accepted(accepted: number, duplicates: number) {
    this.counts.batchesAccepted++;
    this.counts.samplesAccepted += accepted;
    this.counts.samplesDuplicate += duplicates;
  }

  /** An authenticated batch refused (invalid body or timestamps, too large, not committed). */
  rejected(samples: number) {
    this.counts.batchesRejected++;
    this.counts.samplesRejected += samples;
  }

  snapshot(): IngestCounts {
    return { ...this.counts };
  }
}
