"use client";
import { apiFetch } from "./api";
import { useChangingMutation, useListQuery } from "./hooks";
import type { Role, User } from "./types";

/** GET /api/users */
export function useUsersQuery(initial?: User[]) {
  return useListQuery<User>(["users"], "/api/users", "users", initial);
}

/** POST /api/users */
export function useCreateUserMutation() {
  return useChangingMutation((input: { email: string; password: string; role: Role; name?: string }) => apiFetch<User>("/api/users", { method: "POST", body: input }), ["users"]);
}

/** PATCH /api/users/:id */
export function useUpdateUserMutation() {
  return useChangingMutation(({ id, ...patch }: { id: string; role?: Role; disabled?: boolean; password?: string; name?: string | null }) =>
      apiFetch<User>(`/api/users/${id}`, { method: "PATCH", body: patch }), ["users"]);
}
