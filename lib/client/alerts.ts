"use client";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, qs } from "./api";
import type { AlertEvent, AlertRule } from "./types";

export type RuleInput = Omit<AlertRule, "id">;

/** GET /api/alerts */
export function useAlertRulesQuery() {
  return useQuery({
    queryKey: ["alert-rules"],
    queryFn: ({ signal }) => apiFetch<{ rules: AlertRule[] }>("/api/alerts", { signal }).then((r) => r.rules),
    refetchInterval: 60_000,
  });
}

/** GET /api/alerts/events?state=&hostId= */
export function useAlertEventsQuery(filters: { state?: string; hostId?: string } = {}) {
  return useQuery<AlertEvent[]>({
    queryKey: ["alert-events", filters.state ?? "", filters.hostId ?? ""],
    queryFn: ({ signal }) => apiFetch<{ events: AlertEvent[] }>(`/api/alerts/events${qs(filters)}`, { signal }).then((r) => r.events),
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}

/** POST /api/alerts */
export function useCreateRuleMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<RuleInput>) => apiFetch<AlertRule>("/api/alerts", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["alert-rules"] }),
  });
}

/** PATCH /api/alerts/:id */
export function useUpdateRuleMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: Partial<RuleInput> & { id: string }) => apiFetch<AlertRule>(`/api/alerts/${id}`, { method: "PATCH", body: patch }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["alert-rules"] }),
  });
}

/** DELETE /api/alerts/:id */
export function useDeleteRuleMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/alerts/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["alert-rules"] }),
  });
}

/** POST /api/alerts/events/:id/ack */
export function useAckEventMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<unknown>(`/api/alerts/events/${id}/ack`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["alert-events"] }),
  });
}
