"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, qs } from "./api";

import type { FleetDriftHost } from "./types";

export type { FleetDriftHost };

/** GET /api/drift?since=&perHost= : hosts whose configuration changed in the window. */
export function useFleetDriftQuery(args: { since: string; perHost: number }, initial?: FleetDriftHost[]) {
  return useQuery<FleetDriftHost[]>({
    queryKey: ["drift", args.since, args.perHost],
    queryFn: ({ signal }) => apiFetch<{ hosts: FleetDriftHost[] }>(`/api/drift${qs(args)}`, { signal }).then((r) => r.hosts),
    initialData: initial,
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });
}
