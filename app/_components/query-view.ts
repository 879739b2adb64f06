/**
 * Which of the four states a panel shows for a query. A refetch that fails while earlier data is
 * on screen keeps the data (marked stale) rather than replacing it with an error.
 */
export type QueryLike<T> = { data: T | undefined; isPending: boolean; isError: boolean; error: unknown };

export type QueryView<T> =
  | { state: "loading" }
  | { state: "error"; error: unknown }
  | { state: "empty"; data: T; staleError: unknown }
  | { state: "ready"; data: T; staleError: unknown };

/** Empty by default means an empty list; anything else that loaded is content. */
export const isEmptyList = (data: unknown): boolean => Array.isArray(data) && data.length === 0;

export function queryView<T>(q: QueryLike<T>, isEmpty: (data: T) => boolean = isEmptyList): QueryView<T> {
  if (q.data === undefined) {
    if (q.isError) return { state: "error", error: q.error };
    return { state: "loading" };
  }
  const staleError = q.isError ? q.error : null;
  return isEmpty(q.data) ? { state: "empty", data: q.data, staleError } : { state: "ready", data: q.data, staleError };
}
