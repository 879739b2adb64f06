/**
 * Pages of rows in, text chunks out (one chunk per page), for the export streams. Pure over
 * async iterables, so the formats are tested without a database.
 */
import { METRICS } from "@/lib/protocol/metrics";
import { csvRow, type Cell } from "./csv";

/** One sample as the exports write it: its time and the registry metrics in registry order. */
export type ExportSample = { ts: string; values: (number | null)[] };

export async function* metricsCsv(pages: AsyncIterable<ExportSample[]>): AsyncGenerator<string> {
  yield csvRow(["ts", ...METRICS.map((m) => m.column)]);
  for await (const page of pages) yield page.map((s) => csvRow([s.ts, ...s.values])).join("");
}

/** `{hostId, from, to, samples: [{ts, cpuPct, ...}]}`, written as it is read. */
export async function* metricsJson(pages: AsyncIterable<ExportSample[]>, head: { hostId: string; from: string; to: string }): AsyncGenerator<string> {
  yield `{"hostId":${JSON.stringify(head.hostId)},"from":${JSON.stringify(head.from)},"to":${JSON.stringify(head.to)},"samples":[`;
  let first = true;
  for await (const page of pages) {
    const items = page.map((s) => {
      const o: Record<string, string | number | null> = { ts: s.ts };
      METRICS.forEach((m, i) => (o[m.name] = s.values[i] ?? null));
      return JSON.stringify(o);
    });
    yield (first ? "" : ",") + items.join(",");
    first = false;
  }
  yield "]}\n";
}

export type ExportEvent = {
  id: string;
  startedAt: Date;
  resolvedAt: Date | null;
  state: string;
  severity: string;
  ruleName: string;
  kind: string;
  hostname: string;
  hostId: string;
  value: number | null;
  message: string | null;
  ackedByEmail: string | null;
  ackedAt: Date | null;
  silenced: boolean;
  resolveReason: string | null;
};

export const EVENT_CSV_COLUMNS = ["id", "started_at", "resolved_at", "state", "severity", "rule", "kind", "hostname", "host_id", "value", "message", "acked_by", "acked_at", "silenced", "resolve_reason"] as const;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function* eventsCsv(pages: AsyncIterable<ExportEvent[]>): AsyncGenerator<string> {
  yield csvRow(EVENT_CSV_COLUMNS);
  for await (const page of pages) {
    yield page
      .map((e) => {
        const cells: Cell[] = [e.id, iso(e.startedAt), iso(e.resolvedAt), e.state, e.severity, e.ruleName, e.kind, e.hostname, e.hostId, e.value, e.message, e.ackedByEmail, iso(e.ackedAt), e.silenced, e.resolveReason];
        return csvRow(cells);
      })
      .join("");
  }
}
