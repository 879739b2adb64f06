"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, qs } from "./api";
import type { ContainersAt } from "./types";

/** GET /api/hosts/:id/containers?at= — `at` null: the newest sample, kept live. */
export function useContainersQuery(hostId: string, atMs: number | null = null) {
  return useQuery({
    queryKey: ["containers", hostId, atMs],
    queryFn: ({ signal }) => apiFetch<ContainersAt>(`/api/hosts/${hostId}/containers${qs({ at: atMs === null ? undefined : new Date(atMs).toISOString() })}`, { signal }),
    refetchInterval: atMs === null ? 15_000 : false,
    staleTime: atMs === null ? 0 : Infinity,
    placeholderData: keepPreviousData,
  });
}
