"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { listApiTokens } from "@/lib/queries/api-tokens";
import type { Wire } from "@/lib/wire";
import { apiFetch } from "./api";

/** A token as GET /api/tokens lists it: derived from the query, dates as ISO strings. */
export type ApiTokenInfo = Wire<Awaited<ReturnType<typeof listApiTokens>>[number]>;

export type CreatedApiToken = { id: string; token: string; name: string; role: ApiTokenInfo["role"]; createdAt: string; expiresAt: string | null };

/** GET /api/tokens */
export function useApiTokensQuery(initial?: ApiTokenInfo[]) {
  return useQuery({
    queryKey: ["api-tokens"],
    queryFn: ({ signal }) => apiFetch<{ tokens: ApiTokenInfo[] }>("/api/tokens", { signal }).then((r) => r.tokens),
    initialData: initial,
  });
}

/** POST /api/tokens */
export function useCreateApiTokenMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; role: ApiTokenInfo["role"]; expiresAt?: string }) => apiFetch<CreatedApiToken>("/api/tokens", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["api-tokens"] }),
  });
}

/** DELETE /api/tokens/:id */
export function useRevokeApiTokenMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/tokens/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["api-tokens"] }),
  });
}
