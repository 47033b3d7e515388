/**
 * @module Sign-in, sign-out and the signed-in user (`/v1/auth/*`, `/v1/me`).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { queryKeys } from './query-keys';
import type { Locale, LoginResponse, Me } from './types';

export function login(email: string, password: string): Promise<LoginResponse> {
  return request<LoginResponse>('/v1/auth/login', {
    method: 'POST',
    body: { email, password },
    skipAuthRedirect: true,
  });
}

export function logout(): Promise<void> {
  return request<void>('/v1/auth/logout', { method: 'POST', skipAuthRedirect: true });
}

export function useMe(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => request<Me>('/v1/me', { signal }),
    enabled,
    staleTime: 60_000,
  });
}

export interface MePatch {
  name?: string;
  locale?: Locale;
}

export function updateMe(patch: MePatch): Promise<Me> {
  return request<Me>('/v1/me', { method: 'PATCH', body: patch });
}

export function useUpdateMe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    onSuccess: (me) => client.setQueryData(queryKeys.me, me),
  });
}
