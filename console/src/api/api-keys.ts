/**
 * @module API keys (`/v1/api-keys`): secret keys act with a role; publishable keys are bound to one channel
 * and used by storefronts. The full secret key is returned once, on creation.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useList } from './list';
import { queryKeys } from './query-keys';
import type { ApiKey, CreatedApiKey, Role } from './types';

export function useApiKeys() {
  return useList<ApiKey>(queryKeys.apiKeys.all, '/v1/api-keys');
}

export type ApiKeyInput =
  { kind: 'secret'; name: string; role: Role } | { kind: 'publishable'; name: string; channel_id: string };

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiKeyInput) =>
      request<CreatedApiKey>('/v1/api-keys', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.apiKeys.all }),
  });
}

export function useRevokeApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => request<void>(`/v1/api-keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.apiKeys.all }),
  });
}
