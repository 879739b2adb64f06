"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, qs } from "./api";
import type { ProcessesAt } from "./types";

/** GET /api/hosts/:id/processes?at= — `at` null: the newest sample, kept live. */
export function useProcessesQuery(hostId: string, atMs: number | null) {
  return useQuery({
    queryKey: ["processes", hostId, atMs],
    queryFn: ({ signal }) => apiFetch<ProcessesAt>(`/api/hosts/${hostId}/processes${qs({ at: atMs === null ? undefined : new Date(atMs).toISOString() })}`, { signal }),
    refetchInterval: atMs === null ? 15_000 : false,
    staleTime: atMs === null ? 0 : Infinity,
    placeholderData: keepPreviousData,
  });
}
