/**
 * @module Sales and service channels (`/v1/channels`). Secrets are write-only: the API says which are set,
 * never their values; a PATCH sets a secret with a string and clears it with null.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useList } from './list';
import { queryKeys } from './query-keys';
import type { Channel, ChannelKind, JsonObject } from './types';

export interface ChannelFilter {
  kind?: ChannelKind;
  active?: boolean;
}

export function useChannels(filter: ChannelFilter = {}) {
  return useList<Channel>(queryKeys.channels.all, '/v1/channels', {
    kind: filter.kind,
    active: filter.active,
  });
}

export interface ChannelInput {
  kind: ChannelKind;
  name: string;
  config?: JsonObject;
  secrets?: Record<string, string>;
  active?: boolean;
}

export interface ChannelPatch {
  name?: string;
  /** Replaces the whole config object. */
  config?: JsonObject;
  secrets?: Record<string, string | null>;
  active?: boolean;
}

export function useCreateChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ChannelInput) => request<Channel>('/v1/channels', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.channels.all }),
  });
}

export function useUpdateChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: ChannelPatch }) =>
      request<Channel>(`/v1/channels/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.channels.all }),
  });
}
