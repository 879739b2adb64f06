"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useChangingMutation } from "./hooks";
import { apiFetch, qs } from "./api";
import type { HostLabelChange, HostSummary, Sparklines } from "./types";

const LIVE_MS = 15_000;

/** GET /api/hosts, or GET /api/hosts?selector= (a bad selector fails with the server's 400 naming the position). */
export function useHostsQuery(initial?: HostSummary[], selector = "") {
  return useQuery<HostSummary[]>({
    queryKey: selector ? ["hosts", "selector", selector] : ["hosts"],
    queryFn: ({ signal }) => apiFetch<{ hosts: HostSummary[] }>(`/api/hosts${qs({ selector })}`, { signal }).then((r) => r.hosts),
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

/** PATCH /api/hosts/:id {labels, resetLabels?}: the whole label set the host is to carry. */
export function useSetHostLabelsMutation(hostId: string) {
  return useChangingMutation(
    (body: { labels: Record<string, string>; resetLabels?: string[] }) => apiFetch<HostSummary>(`/api/hosts/${hostId}`, { method: "PATCH", body }),
    ["hosts"],
  );
}

/** GET /api/hosts/:id/label-changes */
export function useHostLabelChangesQuery(hostId: string) {
  return useQuery<HostLabelChange[]>({
    queryKey: ["hosts", hostId, "label-changes"],
    queryFn: ({ signal }) => apiFetch<{ changes: HostLabelChange[] }>(`/api/hosts/${hostId}/label-changes`, { signal }).then((r) => r.changes),
  });
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
