"use client";
import { useMemo, useState } from "react";
import type { HostSummary } from "@/lib/client/types";
import { DEFAULT_SORT, filterAndSortHosts, groupHosts, isHostSortKey, nextSort, pageOf, type HostSort, type StatusFilter } from "./host-list";

/**
 * The overview's search, status filter, sort and page; any change of filter or sort goes back to
 * the first page. `groupBy` (a label key) keeps each group's hosts together across pages.
 */
export function useHostTable(list: readonly HostSummary[], groupBy = "") {
  const [query, setQueryState] = useState("");
  const [status, setStatusState] = useState<StatusFilter>("");
  const [sort, setSortState] = useState<HostSort>(DEFAULT_SORT);
  const [page, setPage] = useState(0);

  const visible = useMemo(() => groupHosts(filterAndSortHosts(list, query, status, sort), groupBy), [list, query, status, sort, groupBy]);
  const paged = pageOf(visible, page);

  return {
    query,
    setQuery: (q: string) => {
      setQueryState(q);
      setPage(0);
    },
    status,
    setStatus: (s: StatusFilter) => {
      setStatusState(s);
      setPage(0);
    },
    sort,
    toggleSort: (key: string) => {
      if (!isHostSortKey(key)) return;
      setSortState((s) => nextSort(s, key));
      setPage(0);
    },
    visible,
    ...paged,
    setPage,
  };
}
