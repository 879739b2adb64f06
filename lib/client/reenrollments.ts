"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api";

import type { Reenrollment } from "./types";

export type { Reenrollment };

/** GET /api/hosts/:id/reenrollments (admins) */
export function useReenrollmentsQuery(hostId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["hosts", hostId, "reenrollments"],
    queryFn: ({ signal }) => apiFetch<{ reenrollments: Reenrollment[] }>(`/api/hosts/${hostId}/reenrollments`, { signal }).then((r) => r.reenrollments),
    enabled,
    refetchInterval: 15_000,
  });
}

/** POST /api/hosts/:id/reenrollments/:pendingId/approve|reject */
export function useDecideReenrollmentMutation(hostId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ pendingId, decision }: { pendingId: string; decision: "approve" | "reject" }) =>
      apiFetch<{ id: string; status: string }>(`/api/hosts/${hostId}/reenrollments/${pendingId}/${decision}`, { method: "POST" }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["hosts", hostId, "reenrollments"] }),
  });
}
