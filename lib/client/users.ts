"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "./api";
import type { Role, User } from "./types";

/** GET /api/users */
export function useUsersQuery(initial?: User[]) {
  return useQuery({
    queryKey: ["users"],
    queryFn: ({ signal }) => apiFetch<{ users: User[] }>("/api/users", { signal }).then((r) => r.users),
    initialData: initial,
  });
}

/** POST /api/users */
export function useCreateUserMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string; role: Role; name?: string }) => apiFetch<User>("/api/users", { method: "POST", body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["users"] }),
  });
}

/** PATCH /api/users/:id */
export function useUpdateUserMutation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; role?: Role; disabled?: boolean; password?: string; name?: string | null }) =>
      apiFetch<User>(`/api/users/${id}`, { method: "PATCH", body: patch }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["users"] }),
  });
}
