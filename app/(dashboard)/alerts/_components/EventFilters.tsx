import { SelectField } from "@/app/_components/Field";
import type { HostRef } from "@/lib/client/types";

export type EventFilter = { state: "" | "firing" | "resolved"; hostId: string; severity: "" | "critical" | "warning" | "info" };

const STATES = [
  ["", "All"],
  ["firing", "Firing"],
  ["resolved", "Resolved"],
] as const;
const SEVERITIES = [
  ["", "All"],
  ["critical", "Critical"],
  ["warning", "Warning"],
  ["info", "Info"],
] as const;

/** State and host narrow the server's query; severity narrows what came back. */
export function EventFilters({ hosts, filter, onChange }: { hosts: HostRef[]; filter: EventFilter; onChange: (f: EventFilter) => void }) {
  const hostOptions: [string, string][] = [["", "All hosts"], ...hosts.map((h): [string, string] => [h.id, h.hostname])];
  return (
    <>
      <SelectField label="State" value={filter.state} options={STATES} onChange={(state) => onChange({ ...filter, state })} />
      <SelectField label="Host" value={filter.hostId} options={hostOptions} onChange={(hostId) => onChange({ ...filter, hostId })} />
      <SelectField label="Severity" value={filter.severity} options={SEVERITIES} onChange={(severity) => onChange({ ...filter, severity })} />
    </>
  );
}
