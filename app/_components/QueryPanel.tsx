"use client";
import type { ReactNode } from "react";
import { errorText } from "@/lib/client/api";
import { Empty, ErrorState, Loading, Panel } from "./Panel";
import { queryView, type QueryLike } from "./query-view";

type Query<T> = QueryLike<T> & { refetch?: () => unknown };

export type QueryBodyProps<T> = {
  query: Query<T>;
  /** What the query loads, in words: "Loading {what}…", "Could not load {what}: …". */
  what: string;
  /** Said when the data loaded and there is nothing to show: what that means and what to do. */
  empty: ReactNode;
  isEmpty?: (data: T) => boolean;
  /** `empty` brings its own box (an onboarding panel) instead of the plain empty-state line. */
  bareEmpty?: boolean;
  /** A failed refetch over earlier data is noted above it; false where the caller shows that itself. */
  showStale?: boolean;
  children: (data: T) => ReactNode;
};

/** Loading, error (with retry), empty or the content, for one query: the states every data view has. */
export function QueryBody<T>({ query, what, empty, isEmpty, bareEmpty = false, showStale = true, children }: QueryBodyProps<T>) {
  const view = queryView(query, isEmpty);
  const retry = query.refetch ? () => void query.refetch!() : undefined;
  if (view.state === "loading") return <Loading what={`Loading ${what}…`} />;
  if (view.state === "error")
    return (
      <ErrorState onRetry={retry}>
        Could not load {what}: {errorText(view.error)}
      </ErrorState>
    );
  const stale =
    showStale && view.staleError ? (
      <p className="state stale" data-testid="stale-state">
        Showing the last loaded {what}; refreshing failed: {errorText(view.staleError)}
      </p>
    ) : null;
  return (
    <>
      {stale}
      {view.state === "empty" ? bareEmpty ? empty : <Empty>{empty}</Empty> : children(view.data)}
    </>
  );
}

/**
 * A titled panel whose body is one query's states. `before` goes above the body (a form, the
 * error of a mutation); the body sits flush with the panel's edges so tables reach them.
 */
export function QueryPanel<T>({
  title,
  id,
  actions,
  before,
  flush = true,
  ...body
}: QueryBodyProps<T> & { title: ReactNode; id: string; actions?: ReactNode; before?: ReactNode; flush?: boolean }) {
  return (
    <Panel title={title} id={id} actions={actions}>
      {before}
      <div className={flush ? "flush" : undefined}>
        <QueryBody {...body} />
      </div>
    </Panel>
  );
}

/** The message of a failed mutation, or nothing. */
export function MutationError({ mutation, doing }: { mutation: { isError: boolean; error: unknown }; doing?: string }) {
  if (!mutation.isError) return null;
  return <p className="form-error">{doing ? `Could not ${doing}: ` : null}{errorText(mutation.error)}</p>;
}
