"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useChangingMutation } from "./hooks";
import { apiFetch } from "./api";
import type { HostSummary, Sparklines } from "./types";

const LIVE_MS = 15_000;

/** GET /api/hosts */
export function useHostsQuery(initial?: HostSummary[]) {
  return useQuery<HostSummary[]>({
    queryKey: ["hosts"],
    queryFn: ({ signal }) => apiFetch<{ hosts: HostSummary[] }>("/api/hosts", { signal }).then((r) => r.hosts),
    initialData: initial,
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/hosts/:id */
export function useHostQuery(id: string, initial?: HostSummary) {
  return useQuery({
    queryKey: ["hosts", id],
    queryFn: ({ signal }) => apiFetch<HostSummary>(`/api/hosts/${id}`, { signal }),
    initialData: initial,
    refetchInterval: LIVE_MS,
  });
}

/** GET /api/overview/sparklines: the last hour of every host, in one round trip. */
export function useSparklinesQuery() {
  return useQuery<Sparklines>({
    queryKey: ["overview", "sparklines"],
    queryFn: ({ signal }) => apiFetch<Sparklines>("/api/overview/sparklines", { signal }),
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });
}

/** POST /api/hosts/:id/revoke */
export function useRevokeAgentMutation() {
  return useChangingMutation((hostId: string) => apiFetch<void>(`/api/hosts/${hostId}/revoke`, { method: "POST" }), ["hosts"]);
}

/** DELETE /api/hosts/:id */
export function useDeleteHostMutation() {
  return useChangingMutation((hostId: string) => apiFetch<void>(`/api/hosts/${hostId}`, { method: "DELETE" }), ["hosts"]);
}

/**
 * GET /api/hosts?selector=: the hosts a selector matches now (the rule and maintenance forms'
 * preview). Empty selector: no query. A bad selector comes back as the API's 400 message.
 */
export function useSelectorPreviewQuery(selector: string) {
  const trimmed = selector.trim();
  return useQuery<HostSummary[]>({
    queryKey: ["hosts", "selector", trimmed],
    queryFn: ({ signal }) => apiFetch<{ hosts: HostSummary[] }>(`/api/hosts?selector=${encodeURIComponent(trimmed)}`, { signal }).then((r) => r.hosts),
    enabled: trimmed !== "",
    retry: false,
    placeholderData: keepPreviousData,
  });
}
