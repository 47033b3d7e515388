/**
 * @module Staff users and the role → permission table (`/v1/users`, `/v1/roles`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useList } from './list';
import { queryKeys } from './query-keys';
import type { Locale, Role, RolesResponse, User } from './types';

/** The staff list. Screens that only name people pass `enabled: false` when the role may not read users. */
export function useUsers(options: { enabled?: boolean } = {}) {
  return useList<User>(queryKeys.users.all, '/v1/users', {}, options);
}

export function useRoles() {
  return useQuery({
    queryKey: queryKeys.roles,
    queryFn: ({ signal }) => request<RolesResponse>('/v1/roles', { signal }),
    staleTime: 5 * 60_000,
  });
}

export interface UserInput {
  email: string;
  name: string;
  role: Role;
  password: string;
  locale?: Locale;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  active?: boolean;
  locale?: Locale;
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UserInput) => request<User>('/v1/users', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.users.all }),
  });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UserPatch }) =>
      request<User>(`/v1/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.users.all }),
  });
}
