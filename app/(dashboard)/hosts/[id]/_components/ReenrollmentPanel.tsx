"use client";
import { errorText } from "@/lib/client/api";
import { useDecideReenrollmentMutation, useReenrollmentsQuery } from "@/lib/client/reenrollments";
import { ErrorState, Panel } from "@/app/_components/Panel";
import { MutationError } from "@/app/_components/QueryPanel";
import { actionsColumn, DataTable } from "@/app/_components/DataTable";
import { dateTime } from "@/app/_components/format";

/**
 * Admins only: an agent asked to re-enroll this machine without its current token. Approving
 * hands the requester a new token (and locks out the agent holding the old one), so the panel
 * shows where the request came from and when. Nothing pending: no panel at all.
 */
const COLUMNS = ["Requested", "From address", "Hostname", "State", actionsColumn];

export function ReenrollmentPanel({ hostId }: { hostId: string }) {
  const requests = useReenrollmentsQuery(hostId, true);
  const decide = useDecideReenrollmentMutation(hostId);
  const list = requests.data ?? [];
  if (list.length === 0 && !requests.isError) return null;
  return (
    <Panel title="Re-enrollment requests" id="reenrollments">
      {requests.isError ? <ErrorState onRetry={() => void requests.refetch()}>Could not load re-enrollment requests: {errorText(requests.error)}</ErrorState> : null}
      <p className="muted small">
        An agent asked to take over this host without its current agent token. Approve only if you re-installed this machine; the agent holding the current token stops working
        when the approved one collects its token.
      </p>
      <DataTable
        caption="Re-enrollment requests"
        testId="reenrollments"
        wrapClassName=""
        columns={COLUMNS}
        rows={list}
        row={(r) => (
          <tr data-testid="reenrollment-row">
            <td className="nowrap">{dateTime(r.createdAt)} UTC</td>
            <td className="mono">{r.sourceAddress}</td>
            <td className="mono">{r.hostname}</td>
            <td>{r.status === "pending" ? "waiting for approval" : "approved, waiting for the agent"}</td>
            <td className="actions">
              {r.status === "pending" ? (
                <>
                  <button type="button" className="btn btn-small" disabled={decide.isPending} onClick={() => decide.mutate({ pendingId: r.id, decision: "approve" })}>
                    Approve
                  </button>
                  <button type="button" className="btn btn-small btn-danger" disabled={decide.isPending} onClick={() => decide.mutate({ pendingId: r.id, decision: "reject" })}>
                    Reject
                  </button>
                </>
              ) : null}
            </td>
          </tr>
        )}
      />
      <MutationError mutation={decide} />
    </Panel>
  );
}
