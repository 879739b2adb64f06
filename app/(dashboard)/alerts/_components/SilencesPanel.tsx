"use client";
import { useSilencesQuery, useUpdateSilenceMutation } from "@/lib/client/alerts";
import type { SilenceView } from "@/lib/client/types";
import { MutationError, QueryPanel } from "@/app/_components/QueryPanel";
import { actionsColumn, DataTable } from "@/app/_components/DataTable";
import { dateTime, timeUntil } from "@/app/_components/format";
import { useNow } from "@/app/_components/useNow";

const columns = (canWrite: boolean) => ["Rule", "Host", "Until", "Reason", "By", canWrite && actionsColumn];

export function SilencesPanel({ canWrite, initialSilences, initialNowMs }: { canWrite: boolean; initialSilences: SilenceView[]; initialNowMs: number }) {
  const silences = useSilencesQuery(initialSilences);
  const end = useUpdateSilenceMutation();
  const now = useNow(initialNowMs);
  const endNow = (s: SilenceView) => end.mutate({ id: s.id, endsAt: new Date().toISOString() });
  return (
    <QueryPanel
      id="silences"
      title="Silences"
      actions={<span className="muted small">a silence mutes notifications; events are still logged</span>}
      before={<MutationError mutation={end} doing="end the silence" />}
      query={silences}
      what="silences"
      empty={<>No silence in force.{canWrite ? " Silence a firing event from the event log." : ""}</>}
    >
      {(list) => (
        <DataTable caption="Silences" testId="silences-table" columns={columns(canWrite)} rows={list} row={(s) => <SilenceRow silence={s} now={now} ending={end.isPending} onEnd={canWrite ? () => endNow(s) : undefined} />} />
      )}
    </QueryPanel>
  );
}

/** One silence: what it mutes, until when, why and by whom; `onEnd` for those who may end it. */
function SilenceRow({ silence: s, now, ending, onEnd }: { silence: SilenceView; now: number; ending: boolean; onEnd?: () => void }) {
  return (
    <tr data-testid="silence-row">
      <td>{s.ruleName ?? <span className="muted">any rule</span>}</td>
      <td>{s.hostname ?? <span className="muted">any host</span>}</td>
      <td className="nowrap" title={`${dateTime(s.endsAt)} UTC`}>
        {s.active ? timeUntil(s.endsAt, now) : `starts ${dateTime(s.startsAt)}`}
      </td>
      <td>{s.reason}</td>
      <td className="muted">{s.createdByEmail ?? "—"}</td>
      {onEnd ? (
        <td className="actions">
          <button type="button" className="btn btn-small" disabled={ending} onClick={onEnd}>
            End now
          </button>
        </td>
      ) : null}
    </tr>
  );
}
