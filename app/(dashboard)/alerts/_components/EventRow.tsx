import Link from "next/link";
import type { AlertEventView, Severity } from "@/lib/client/types";
import { actionsColumn, type ColumnSpec } from "@/app/_components/DataTable";
import { SeverityBadge } from "@/app/_components/StatusBadge";
import { dateTime, relativeTime } from "@/app/_components/format";
import { formatDuration } from "@/lib/format/duration";
import { eventDurationS, eventValue } from "./event-order";
import { SilenceForm } from "./SilenceForm";

export const eventColumns = (canWrite: boolean): ColumnSpec[] => ["State", "Severity", "Rule", "Host", { key: "Value", label: "Value", className: "num" }, "Started", "Duration", "Acknowledged", canWrite && actionsColumn];

export type EventRowProps = {
  event: AlertEventView;
  ruleName: string;
  host: string;
  severity: Severity;
  now: number;
  canWrite: boolean;
  silencing: boolean;
  acking: boolean;
  onAck: () => void;
  onSilence: (open: boolean) => void;
};

/** One event: its state, what fired where, when and for how long, who acknowledged it, and (for writers) its buttons. */
export function EventRow({ event: e, ruleName, host, severity, now, canWrite, silencing, acking, onAck, onSilence }: EventRowProps) {
  return (
    <tr data-testid="event-row" data-state={e.state} data-rule={ruleName} data-host={host}>
      <td className="nowrap">
        <span className={`badge state-${e.state}`}>{e.state}</span>
        {e.silenced ? (
          <span className="badge" style={{ marginLeft: 4 }} title="Notifications were muted by a silence">
            silenced
          </span>
        ) : null}
        {e.maintenance ? (
          <span className="badge" style={{ marginLeft: 4 }} title="Recorded during a maintenance window: not notified" data-testid="event-maintenance">
            maintenance
          </span>
        ) : null}
        {e.suppressed ? (
          <span className="badge" style={{ marginLeft: 4 }} title="The rule it depends on was firing on this host: not notified">
            suppressed
          </span>
        ) : null}
        {e.repeats > 0 ? (
          <span className="badge" style={{ marginLeft: 4 }} title="Repeat notices sent while it fired unacknowledged">
            repeated {e.repeats}×
          </span>
        ) : null}
      </td>
      <td>
        <SeverityBadge severity={severity} />
      </td>
      <td>
        {ruleName}
        {e.message ? <div className="muted small">{e.message}</div> : null}
      </td>
      <td>
        <Link href={`/hosts/${e.hostId}`}>{host}</Link>
      </td>
      <td className="num">{eventValue(e.value, e.kind)}</td>
      <td className="nowrap" title={`${dateTime(e.startedAt)} UTC`}>
        {relativeTime(e.startedAt, now)}
      </td>
      <td className="nowrap">{formatDuration(eventDurationS(e, now))}</td>
      <td className="nowrap" data-testid="ack-cell">
        {e.ackedBy || e.ackedAt ? (
          <span title={e.ackedAt ? `${dateTime(e.ackedAt)} UTC` : undefined}>by {e.ackedByEmail ?? "a former user"}</span>
        ) : e.state === "firing" ? (
          <span className="muted">no</span>
        ) : (
          "—"
        )}
      </td>
      {canWrite ? (
        <td className="actions">
          {silencing ? (
            <SilenceForm event={e} ruleName={ruleName} hostName={host} onDone={() => onSilence(false)} />
          ) : e.state === "firing" ? (
            <>
              {!e.ackedBy ? (
                <button type="button" className="btn btn-small" disabled={acking} onClick={onAck} aria-label={`Acknowledge ${ruleName} on ${host}`}>
                  Acknowledge
                </button>
              ) : null}
              <button type="button" className="btn btn-small" onClick={() => onSilence(true)} aria-label={`Silence ${ruleName} on ${host}`}>
                Silence
              </button>
            </>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
