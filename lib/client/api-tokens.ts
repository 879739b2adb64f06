"use client";
import type { listApiTokens } from "@/lib/queries/api-tokens";
import type { Wire } from "@/lib/wire";
import { apiFetch } from "./api";
import { useChangingMutation, useListQuery } from "./hooks";

/** A token as GET /api/tokens lists it: derived from the query, dates as ISO strings. */
export type ApiTokenInfo = Wire<Awaited<ReturnType<typeof listApiTokens>>[number]>;

export type CreatedApiToken = { id: string; token: string; name: string; role: ApiTokenInfo["role"]; createdAt: string; expiresAt: string | null };

/** GET /api/tokens */
export function useApiTokensQuery(initial?: ApiTokenInfo[]) {
  return useListQuery<ApiTokenInfo>(["api-tokens"], "/api/tokens", "tokens", initial);
}

/** POST /api/tokens */
export function useCreateApiTokenMutation() {
  return useChangingMutation((input: { name: string; role: ApiTokenInfo["role"]; expiresAt?: string }) => apiFetch<CreatedApiToken>("/api/tokens", { method: "POST", body: input }), ["api-tokens"]);
}

/** DELETE /api/tokens/:id */
export function useRevokeApiTokenMutation() {
  return useChangingMutation((id: string) => apiFetch<void>(`/api/tokens/${id}`, { method: "DELETE" }), ["api-tokens"]);
}
