"use client";
import { useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { apiFetch } from "./api";

/** A mutation that, once it succeeds, refetches what it changed: every query under `changes`. */
export function useChangingMutation<I, O>(mutationFn: (input: I) => Promise<O>, changes: QueryKey) {
  const qc = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => qc.invalidateQueries({ queryKey: changes }) });
}

/** A GET answering `{[field]: T[]}`, as the list under `key`, seeded with the page's first paint. */
export function useListQuery<T>(key: QueryKey, url: string, field: string, initial?: T[]) {
  return useQuery({
    queryKey: key,
    queryFn: ({ signal }) => apiFetch<Record<string, T[]>>(url, { signal }).then((r) => r[field] ?? []),
    initialData: initial,
  });
}
