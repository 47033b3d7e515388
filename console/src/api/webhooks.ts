/**
 * @module Webhook endpoints, their delivery log and the event-type catalogue (`/v1/webhooks`,
 * `/v1/event-types`). The signing secret is returned once, on creation or rotation.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useList } from './list';
import { queryKeys } from './query-keys';
import type {
  CreatedWebhookEndpoint,
  EventType,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
} from './types';

/** The event-type list entry that subscribes an endpoint to everything, now and later. */
export const ALL_EVENTS = '*';

const base = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`;

export function useEventTypes() {
  return useQuery({
    queryKey: queryKeys.eventTypes,
    queryFn: ({ signal }) => request<{ data: EventType[] }>('/v1/event-types', { signal }),
    staleTime: 10 * 60_000,
  });
}

export function useWebhooks() {
  return useList<WebhookEndpoint>(queryKeys.webhooks.list(), '/v1/webhooks');
}

export function useWebhook(id: string) {
  return useQuery({
    queryKey: queryKeys.webhooks.detail(id),
    queryFn: ({ signal }) => request<WebhookEndpoint>(base(id), { signal }),
  });
}

export interface WebhookInput {
  url: string;
  description?: string;
  event_types: string[];
  active?: boolean;
}

export type WebhookPatch = Partial<WebhookInput>;

export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: WebhookInput) =>
      request<CreatedWebhookEndpoint>('/v1/webhooks', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}

export function useUpdateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: WebhookPatch }) =>
      request<WebhookEndpoint>(base(id), { method: 'PATCH', body: patch }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}

export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => request<void>(base(id), { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.webhooks.all }),
  });
}

export function useRotateWebhookSecret() {
  return useMutation({
    mutationFn: (id: string) => request<{ secret: string }>(`${base(id)}/rotate-secret`, { method: 'POST' }),
  });
}

export function useDeliveries(endpointId: string) {
  return useList<WebhookDelivery>(
    queryKeys.webhooks.deliveries(endpointId),
    `${base(endpointId)}/deliveries`,
    {},
    { refetchInterval: 10_000 },
  );
}

export function useDelivery(endpointId: string, deliveryId: string | null) {
  return useQuery({
    queryKey: queryKeys.webhooks.delivery(endpointId, deliveryId ?? ''),
    queryFn: ({ signal }) =>
      request<WebhookDeliveryDetail>(
        `${base(endpointId)}/deliveries/${encodeURIComponent(deliveryId ?? '')}`,
        {
          signal,
        },
      ),
    enabled: deliveryId !== null,
  });
}

export function useRedeliver() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) =>
      request<WebhookDelivery>(`${base(endpointId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`, {
        method: 'POST',
      }),
    onSuccess: (_delivery, { endpointId }) =>
      client.invalidateQueries({ queryKey: queryKeys.webhooks.deliveries(endpointId) }),
  });
}
