"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api";
import type { EnrollmentTokenInfo } from "./types";

/** GET /api/enrollment-tokens */
export function useEnrollmentTokensQuery(initial?: EnrollmentTokenInfo[]) {
  return useQuery({
    queryKey: ["enrollment-tokens"],
    queryFn: ({ signal }) => apiFetch<{ tokens: EnrollmentTokenInfo[] }>("/api/enrollment-tokens", { signal }).then((r) => r.tokens),
    initialData: initial,
  });
}

/** POST /api/enrollment-tokens */
export function useCreateEnrollmentTokenMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { ttlHours: number; maxUses: number }) =>
      apiFetch<{ id: string; token: string; expiresAt: string; maxUses: number }>("/api/enrollment-tokens", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["enrollment-tokens"] }),
  });
}
