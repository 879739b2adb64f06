import type { FleetCounts } from "./host-list";

/** The fleet's counters beside the page title. */
export function FleetSummary({ counts }: { counts: FleetCounts }) {
  return (
    <ul className="counters" aria-label="Fleet summary">
      <li>
        <strong>{counts.hosts}</strong> hosts
      </li>
      <li className="c-up">
        <strong>{counts.up}</strong> up
      </li>
      <li className="c-down">
        <strong>{counts.down}</strong> down
      </li>
      <li className="c-new">
        <strong>{counts.new}</strong> new
      </li>
      <li className={counts.alerts ? "c-alert" : undefined}>
        <strong>{counts.alerts}</strong> open alerts
      </li>
    </ul>
  );
}
