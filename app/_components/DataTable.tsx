import { Fragment, type ReactNode } from "react";
import { Empty } from "./Panel";

export type Column = {
  key: string;
  label: ReactNode;
  className?: string;
  /** Header read by screen readers only (an actions column). */
  hidden?: boolean;
  /** The header is a button that sorts by `key`. */
  sortable?: boolean;
};

export type SortState = { key: string; dir: 1 | -1 };

/** A column given as a string is a plain header: its label is its key. */
export type ColumnSpec = Column | string | false;

/** A column for row buttons: no visible header, right-aligned. */
export const actionsColumn: Column = { key: "actions", label: "Actions", className: "actions", hidden: true };

function SortHeader({ column, sort, onSort }: { column: Column; sort?: SortState; onSort?: (key: string) => void }) {
  const dir = sort?.key === column.key ? sort.dir : null;
  return (
    <th scope="col" className={column.className} aria-sort={dir === null ? "none" : dir === 1 ? "ascending" : "descending"}>
      <button type="button" className="sort" onClick={() => onSort?.(column.key)}>
        {column.label}
        <span aria-hidden="true" className="sort-mark">
          {dir === null ? "" : dir === 1 ? "▲" : "▼"}
        </span>
      </button>
    </th>
  );
}

/**
 * A table with a caption (its accessible name), column headers scoped to their columns, and one
 * `<tr>` per row from `row`. `empty` is said under the headers when there is no row (a filter
 * that matches nothing); a list that is empty before any filter is the query panel's to say.
 * Columns given as `false` are left out (a column only some roles see). Rows are keyed by their
 * `id` unless `rowKey` says otherwise. `group` heads runs of consecutive rows with the same title
 * (the caller orders them): one `<tbody>` per run, its title a row header over every column.
 */
type DataTableProps<T> = {
  caption: string;
  columns: readonly ColumnSpec[];
  rows: readonly T[];
  row: (item: T) => ReactNode;
  empty?: ReactNode;
  testId?: string;
  className?: string;
  wrapClassName?: string;
  sort?: SortState;
  onSort?: (key: string) => void;
  group?: (item: T) => string;
} & (T extends { id: string } ? { rowKey?: (item: T) => string } : { rowKey: (item: T) => string });

export function DataTable<T>(props: DataTableProps<T>) {
  const { caption, columns, rows, row, empty, testId, className, wrapClassName = "table-wrap", sort, onSort, group } = props;
  const shown = columns.filter((c) => c !== false).map((c): Column => (typeof c === "string" ? { key: c, label: c } : c));
  const keyOf = props.rowKey ?? ((item: T) => (item as { id: string }).id);
  return (
    <div className={wrapClassName}>
      <table className={`table ${className ?? ""}`} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {shown.map((c) =>
              c.sortable ? (
                <SortHeader key={c.key} column={c} sort={sort} onSort={onSort} />
              ) : (
                <th key={c.key} scope="col" className={c.className}>
                  {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        {group ? (
          runsOf(rows, group).map((run) => (
            <tbody key={run.title} data-testid="row-group" data-group={run.title}>
              <tr className="group-row">
                <th scope="rowgroup" colSpan={shown.length}>
                  {run.title} <span className="muted small">({run.rows.length})</span>
                </th>
              </tr>
              {run.rows.map((r) => (
                <Fragment key={keyOf(r)}>{row(r)}</Fragment>
              ))}
            </tbody>
          ))
        ) : (
          <tbody>
            {rows.map((r) => (
              <Fragment key={keyOf(r)}>{row(r)}</Fragment>
            ))}
          </tbody>
        )}
      </table>
      {rows.length === 0 && empty ? <Empty>{empty}</Empty> : null}
    </div>
  );
}

/** Consecutive rows with the same title, in order. */
function runsOf<T>(rows: readonly T[], title: (item: T) => string): { title: string; rows: T[] }[] {
  const runs: { title: string; rows: T[] }[] = [];
  for (const r of rows) {
    const t = title(r);
    const last = runs.at(-1);
    if (last && last.title === t) last.rows.push(r);
    else runs.push({ title: t, rows: [r] });
  }
  return runs;
}
