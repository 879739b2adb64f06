"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, qs } from "./api";
import type { SnapshotDetail, SnapshotDiffResponse, SnapshotSummary } from "./types";

/** GET /api/snapshots?hostId= (newest first) */
export function useSnapshotsQuery(hostId: string) {
  return useQuery({
    queryKey: ["snapshots", hostId],
    queryFn: ({ signal }) => apiFetch<{ snapshots: SnapshotSummary[] }>(`/api/snapshots${qs({ hostId })}`, { signal }).then((r) => r.snapshots),
    refetchInterval: 60_000,
  });
}

/** GET /api/snapshots/:id */
export function useSnapshotQuery(id: string | null) {
  return useQuery<SnapshotDetail>({
    queryKey: ["snapshot", id],
    queryFn: ({ signal }) => apiFetch<SnapshotDetail>(`/api/snapshots/${id}`, { signal }),
    enabled: !!id,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/snapshots/:id/diff?against=previous|<id> (`from` is null for a host's first snapshot) */
export function useSnapshotDiffQuery(id: string | null, against: string) {
  return useQuery({
    queryKey: ["snapshot-diff", id, against],
    queryFn: ({ signal }) => apiFetch<SnapshotDiffResponse>(`/api/snapshots/${id}/diff${qs({ against })}`, { signal }),
    enabled: !!id,
    staleTime: Infinity,
  });
}
