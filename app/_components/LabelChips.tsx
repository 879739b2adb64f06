import { formatLabels } from "@/lib/protocol/labels";

/** At most this many chips on an overview row; the rest are counted (all are in the title). */
const ROW_CHIPS = 4;

/**
 * A host's labels as compact chips (`env=prod`, a bare key for the empty value), in key order.
 * Labels a user set are marked, since they no longer follow the agent.
 */
export function LabelChips({ labels, sources, max = ROW_CHIPS }: { labels: Record<string, string>; sources?: Record<string, "agent" | "user">; max?: number }) {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return null;
  const shown = keys.slice(0, max);
  const more = keys.length - shown.length;
  return (
    <ul className="label-chips" aria-label="Labels" title={formatLabels(labels)} data-testid="label-chips">
      {shown.map((k) => (
        <li key={k} className={`label-chip${sources?.[k] === "user" ? " label-user" : ""}`} data-label={k}>
          {labels[k] === "" ? k : `${k}=${labels[k]}`}
          {sources?.[k] === "user" ? <span className="sr-only"> (set by a user)</span> : null}
        </li>
      ))}
      {more > 0 ? <li className="label-chip label-more">+{more}</li> : null}
    </ul>
  );
}
