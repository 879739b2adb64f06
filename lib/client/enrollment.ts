"use client";
import { apiFetch } from "./api";
import { useChangingMutation, useListQuery } from "./hooks";
import type { EnrollmentTokenInfo } from "./types";

/** GET /api/enrollment-tokens */
export function useEnrollmentTokensQuery(initial?: EnrollmentTokenInfo[]) {
  return useListQuery<EnrollmentTokenInfo>(["enrollment-tokens"], "/api/enrollment-tokens", "tokens", initial);
}

/** POST /api/enrollment-tokens */
export function useCreateEnrollmentTokenMutation() {
  return useChangingMutation((input: { ttlHours: number; maxUses: number }) =>
      apiFetch<{ id: string; token: string; expiresAt: string; maxUses: number }>("/api/enrollment-tokens", { method: "POST", body: input }), ["enrollment-tokens"]);
}
