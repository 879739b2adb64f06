"use client";
import { useMemo } from "react";
import { errorText } from "@/lib/client/api";
import type { AlertEventView, AlertRuleView, MetricPoint, SnapshotSummary } from "@/lib/client/types";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { dateTime } from "@/app/_components/format";
import { timelineItems } from "./timeline";

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
  const items = useMemo(() => timelineItems({ snapshots, events, rules, series }), [snapshots, events, rules, series]);

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
