"use client";
import { useMemo } from "react";
import { errorText } from "@/lib/client/api";
import type { AlertEventView, AlertRuleView, MetricPoint, SnapshotSummary } from "@/lib/client/types";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { dateTime } from "@/app/_components/format";
import { formatDuration } from "@/lib/format/duration";

type Item = { ts: number; kind: "snapshot" | "first" | "fired" | "resolved" | "reboot"; text: string; snapshotId?: string };

/**
 * Reboots: the boot time (timestamp minus uptime) jumps forward. A bucket that straddles the
 * reboot averages old and new uptime and jumps part of the way, so back-to-back jumps are one
 * reboot, dated by the later (clean) bucket.
 */
export function detectReboots(series: MetricPoint[]): { ts: number; uptimeS: number }[] {
  const out: { ts: number; uptimeS: number; i: number }[] = [];
  for (let i = 1; i < series.length; i++) {
    const prev = series[i - 1]!;
    const cur = series[i]!;
    if (cur.uptimeS + 1 >= prev.uptimeS) continue;
    const reboot = { ts: Date.parse(cur.ts) - cur.uptimeS * 1000, uptimeS: prev.uptimeS, i };
    const last = out[out.length - 1];
    if (last && last.i === i - 1) out[out.length - 1] = { ...reboot, uptimeS: last.uptimeS };
    else out.push(reboot);
  }
  return out.map(({ ts, uptimeS }) => ({ ts, uptimeS }));
}

export function Timeline({
  snapshots,
  events,
  eventsError,
  rules,
  series,
  onOpenDiff,
}: {
  snapshots: SnapshotSummary[] | undefined;
  events: AlertEventView[] | undefined;
  eventsError: unknown;
  rules: AlertRuleView[] | undefined;
  series: MetricPoint[] | undefined;
  onOpenDiff: (snapshotId: string) => void;
}) {
  const items = useMemo(() => {
    const ruleName = new Map((rules ?? []).map((r) => [r.id, r.name]));
    const out: Item[] = [];
    (snapshots ?? []).forEach((s) => {
      const first = !s.changed;
      out.push({ ts: Date.parse(s.ts), kind: first ? "first" : "snapshot", text: first ? `Configuration recorded — ${s.summary}` : s.summary, snapshotId: s.id });
    });
    for (const e of events ?? []) {
      const name = e.ruleName ?? ruleName.get(e.ruleId) ?? "alert rule";
      out.push({ ts: Date.parse(e.startedAt), kind: "fired", text: `${name} fired${e.value !== null ? ` (value ${Math.round(e.value * 100) / 100})` : ""}` });
      if (e.resolvedAt) out.push({ ts: Date.parse(e.resolvedAt), kind: "resolved", text: `${name} resolved` });
    }
    for (const r of detectReboots(series ?? [])) out.push({ ts: r.ts, kind: "reboot", text: `Rebooted (uptime reset after ${formatDuration(r.uptimeS)})` });
    return out.sort((a, b) => b.ts - a.ts).slice(0, 300);
  }, [snapshots, events, rules, series]);

  const LABEL = { snapshot: "config", first: "config", fired: "alert", resolved: "resolved", reboot: "reboot" } as const;
  return (
    <Panel title="Timeline" id="timeline" actions={<span className="muted small">newest first · reboots from the chart range</span>}>
      {eventsError ? <ErrorState>Alert history unavailable: {errorText(eventsError)}</ErrorState> : null}
      {!snapshots && !series ? (
        <Loading />
      ) : items.length === 0 ? (
        <Empty>Nothing has happened on this host yet.</Empty>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {items.map((it, i) => (
            <li key={`${it.kind}-${it.ts}-${i}`} data-kind={it.kind}>
              <time className="muted small mono" dateTime={new Date(it.ts).toISOString()}>
                {dateTime(it.ts)}
              </time>
              <span className={`tl-kind tl-${it.kind === "first" ? "snapshot" : it.kind}`}>{LABEL[it.kind]}</span>
              <span>
                {it.snapshotId && it.kind === "snapshot" ? (
                  <button type="button" className="linkish" onClick={() => onOpenDiff(it.snapshotId!)}>
                    {it.text}
                  </button>
                ) : (
                  it.text
                )}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
