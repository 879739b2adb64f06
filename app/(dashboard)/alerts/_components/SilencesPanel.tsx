"use client";
import { errorText } from "@/lib/client/api";
import { useSilencesQuery, useUpdateSilenceMutation } from "@/lib/client/alerts";
import type { SilenceView } from "@/lib/client/types";
import { Empty, ErrorState, Loading, Panel } from "@/app/_components/Panel";
import { dateTime, timeUntil } from "@/app/_components/format";
import { useNow } from "@/app/_components/useNow";

export function SilencesPanel({ canWrite, initialSilences, initialNowMs }: { canWrite: boolean; initialSilences: SilenceView[]; initialNowMs: number }) {
  const silences = useSilencesQuery(initialSilences);
  const end = useUpdateSilenceMutation();
  const now = useNow(initialNowMs);
  const list = silences.data ?? [];
  return (
    <Panel id="silences" title="Silences" actions={<span className="muted small">a silence mutes notifications; events are still logged</span>}>
      {end.isError ? <p className="form-error">Could not end the silence: {errorText(end.error)}</p> : null}
      {silences.isPending ? (
        <Loading />
      ) : silences.isError && !silences.data ? (
        <ErrorState onRetry={() => void silences.refetch()}>Could not load silences: {errorText(silences.error)}</ErrorState>
      ) : list.length === 0 ? (
        <Empty>No silence in force.{canWrite ? " Silence a firing event from the event log." : ""}</Empty>
      ) : (
        <div className="table-wrap flush">
          <table className="table" data-testid="silences-table">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Host</th>
                <th scope="col">Until</th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
                {canWrite ? (
                  <th scope="col" className="actions">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} data-testid="silence-row">
                  <td>{s.ruleName ?? <span className="muted">any rule</span>}</td>
                  <td>{s.hostname ?? <span className="muted">any host</span>}</td>
                  <td className="nowrap" title={`${dateTime(s.endsAt)} UTC`}>
                    {s.active ? timeUntil(s.endsAt, now) : `starts ${dateTime(s.startsAt)}`}
                  </td>
                  <td>{s.reason}</td>
                  <td className="muted">{s.createdByEmail ?? "—"}</td>
                  {canWrite ? (
                    <td className="actions">
                      <button type="button" className="btn btn-small" disabled={end.isPending} onClick={() => end.mutate({ id: s.id, endsAt: new Date().toISOString() })}>
                        End now
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
