"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, qs } from "./api";
import type { MetricsResponse } from "./types";

/** GET /api/metrics. `live` polls, for ranges that end now; `points: 0` waits (the chart is not measured yet). */
export function useMetricsQuery(args: { hostId: string; from: string; to: string; points: number; live: boolean }) {
  return useQuery<MetricsResponse>({
    queryKey: ["metrics", args.hostId, args.from, args.to, args.points],
    queryFn: ({ signal }) => apiFetch<MetricsResponse>(`/api/metrics${qs({ hostId: args.hostId, from: args.from, to: args.to, points: args.points })}`, { signal }),
    enabled: args.points > 0,
    refetchInterval: args.live ? 15_000 : false,
    placeholderData: keepPreviousData,
  });
}
