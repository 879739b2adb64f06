"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useChangingMutation } from "./hooks";
import type { z } from "zod";
import type { AlertRuleInputSchema } from "@/lib/alerts/rule-schema";
import type { CreateRouteSchema } from "@/lib/services/alerts/routes";
import type { CreateMaintenanceSchema } from "@/lib/services/alerts/maintenance";
import { apiFetch, qs } from "./api";
import type { AlertEventView, AlertRuleView, MaintenanceView, RouteList, RouteView, SilenceView } from "./types";

/** What POST /api/alerts takes: the rule schema's input (lib/alerts/rule-schema.ts). */
export type RuleInput = z.input<typeof AlertRuleInputSchema>;
export type RouteInput = z.input<typeof CreateRouteSchema>;
export type MaintenanceInput = z.input<typeof CreateMaintenanceSchema>;

/** GET /api/alerts */
export function useAlertRulesQuery(initial?: AlertRuleView[]) {
  return useQuery({
    queryKey: ["alert-rules"],
    queryFn: ({ signal }) => apiFetch<{ rules: AlertRuleView[] }>("/api/alerts", { signal }).then((r) => r.rules),
    initialData: initial,
    refetchInterval: 30_000,
  });
}

/** GET /api/alerts/events?state=&hostId= (newest first) */
export function useAlertEventsQuery(filters: { state?: string; hostId?: string } = {}, initial?: AlertEventView[]) {
  return useQuery<AlertEventView[]>({
    queryKey: ["alert-events", filters.state ?? "", filters.hostId ?? ""],
    queryFn: ({ signal }) => apiFetch<{ events: AlertEventView[] }>(`/api/alerts/events${qs({ ...filters, limit: 500 })}`, { signal }).then((r) => r.events),
    initialData: initial,
    refetchInterval: 15_000,
    placeholderData: keepPreviousData,
  });
}

/** GET /api/alerts/silences (in force or still to come) */
export function useSilencesQuery(initial?: SilenceView[]) {
  return useQuery({
    queryKey: ["alert-silences"],
    queryFn: ({ signal }) => apiFetch<{ silences: SilenceView[] }>("/api/alerts/silences", { signal }).then((r) => r.silences),
    initialData: initial,
    refetchInterval: 30_000,
  });
}

/** POST /api/alerts/silences */
export function useCreateSilenceMutation() {
  return useChangingMutation((input: { ruleId?: string | null; hostId?: string | null; endsAt: string; reason: string }) => apiFetch<SilenceView>("/api/alerts/silences", { method: "POST", body: input }), ["alert-silences"]);
}

/** PATCH /api/alerts/silences/:id — ending a silence early is setting its end to now. */
export function useUpdateSilenceMutation() {
  return useChangingMutation(({ id, ...patch }: { id: string; endsAt?: string; reason?: string }) => apiFetch<SilenceView>(`/api/alerts/silences/${id}`, { method: "PATCH", body: patch }), ["alert-silences"]);
}

/** POST /api/alerts */
export function useCreateRuleMutation() {
  return useChangingMutation((input: Partial<RuleInput>) => apiFetch<AlertRuleView>("/api/alerts", { method: "POST", body: input }), ["alert-rules"]);
}

/** PATCH /api/alerts/:id */
export function useUpdateRuleMutation() {
  return useChangingMutation(({ id, ...patch }: Partial<RuleInput> & { id: string }) => apiFetch<AlertRuleView>(`/api/alerts/${id}`, { method: "PATCH", body: patch }), ["alert-rules"]);
}

/** DELETE /api/alerts/:id */
export function useDeleteRuleMutation() {
  return useChangingMutation((id: string) => apiFetch<void>(`/api/alerts/${id}`, { method: "DELETE" }), ["alert-rules"]);
}

/** POST /api/alerts/events/:id/ack */
export function useAckEventMutation() {
  return useChangingMutation((id: string) => apiFetch<unknown>(`/api/alerts/events/${id}/ack`, { method: "POST" }), ["alert-events"]);
}

/** GET /api/alerts/routes: the routes in order, and the channels rules and routes can name. */
export function useRoutesQuery() {
  return useQuery<RouteList>({
    queryKey: ["alert-routes"],
    queryFn: ({ signal }) => apiFetch<RouteList>("/api/alerts/routes", { signal }),
    refetchInterval: 60_000,
  });
}

/** POST /api/alerts/routes */
export function useCreateRouteMutation() {
  return useChangingMutation((input: RouteInput) => apiFetch<RouteView>("/api/alerts/routes", { method: "POST", body: input }), ["alert-routes"]);
}

/** DELETE /api/alerts/routes/:id */
export function useDeleteRouteMutation() {
  return useChangingMutation((id: string) => apiFetch<void>(`/api/alerts/routes/${id}`, { method: "DELETE" }), ["alert-routes"]);
}

type MaintenanceList = { windows: MaintenanceView[]; hostsInMaintenance: string[] };
const fetchMaintenance = ({ signal }: { signal: AbortSignal }) => apiFetch<MaintenanceList>("/api/maintenance", { signal });

/** GET /api/maintenance: the windows open now or still to come. */
export function useMaintenanceQuery(initial?: MaintenanceView[]) {
  return useQuery({
    queryKey: ["maintenance"],
    queryFn: fetchMaintenance,
    select: (r: MaintenanceList) => r.windows,
    initialData: initial ? { windows: initial, hostsInMaintenance: [] } : undefined,
    initialDataUpdatedAt: 0,
    refetchInterval: 30_000,
  });
}

/** GET /api/maintenance: the ids of the hosts an open window covers now. */
export function useHostsInMaintenanceQuery() {
  return useQuery({ queryKey: ["maintenance"], queryFn: fetchMaintenance, select: (r: MaintenanceList) => new Set(r.hostsInMaintenance), refetchInterval: 30_000 });
}

/** POST /api/maintenance */
export function useCreateMaintenanceMutation() {
  return useChangingMutation((input: MaintenanceInput) => apiFetch<MaintenanceView>("/api/maintenance", { method: "POST", body: input }), ["maintenance"]);
}

/** DELETE /api/maintenance/:id */
export function useDeleteMaintenanceMutation() {
  return useChangingMutation((id: string) => apiFetch<void>(`/api/maintenance/${id}`, { method: "DELETE" }), ["maintenance"]);
}
