"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api";

export type ApiTokenInfo = {
  id: string;
  name: string;
  role: "admin" | "operator" | "viewer";
  userId: string;
  userEmail: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  active: boolean;
};

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
