"use client";
import { errorText } from "@/lib/client/api";
import { useDecideReenrollmentMutation, useReenrollmentsQuery } from "@/lib/client/reenrollments";
import { Panel } from "@/app/_components/Panel";
import { dateTime } from "@/app/_components/format";

/**
 * Admins only: an agent asked to re-enroll this machine without its current token. Approving
 * hands the requester a new token (and locks out the agent holding the old one), so the panel
 * shows where the request came from and when.
 */
export function ReenrollmentPanel({ hostId }: { hostId: string }) {
  const requests = useReenrollmentsQuery(hostId, true);
  const decide = useDecideReenrollmentMutation(hostId);
  const list = requests.data ?? [];
  if (list.length === 0 && !requests.isError) return null;
  return (
    <Panel title="Re-enrollment requests" id="reenrollments">
      {requests.isError ? <p className="state">Could not load re-enrollment requests: {errorText(requests.error)}</p> : null}
      <p className="muted small">
        An agent asked to take over this host without its current agent token. Approve only if you re-installed this machine; the agent holding the current token stops working
        when the approved one collects its token.
      </p>
      <table className="table" data-testid="reenrollments">
        <thead>
          <tr>
            <th>Requested</th>
            <th>From address</th>
            <th>Hostname</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.id} data-testid="reenrollment-row">
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
          ))}
        </tbody>
      </table>
      {decide.isError ? <p className="state">{errorText(decide.error)}</p> : null}
    </Panel>
  );
}
