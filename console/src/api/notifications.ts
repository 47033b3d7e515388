/**
 * @module Customer notifications of an order (`GET /v1/orders/:id/notifications`), the till's "Email receipt" /
 * "Text receipt" (`POST /v1/orders/:id/receipt`) and "Resend" on the order page (`POST /v1/notifications/:id/resend`):
 * what the customer was sent, on which channel, how it went and what the provider reported.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { commerceKeys } from './orders';
import type { Page } from './types';

export type NotificationStatus = 'queued' | 'sent' | 'failed' | 'skipped';
/** What Twilio reported after the hand-over (status callbacks); null until a report arrives (email has none). */
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read';

export interface OrderNotification {
  id: string;
  customer_id: string | null;
  order_id: string;
  fulfilment_id: string | null;
  /** order_confirmation | receipt | pickup_ready | shipped | out_for_delivery | refund_issued */
  kind: string;
  channel_kind: 'email' | 'sms';
  channel_id: string | null;
  address: string | null;
  locale: string | null;
  status: NotificationStatus;
  /** Why it failed (the relay's answer) or was skipped (no_address, no_channel, consent: …). */
  error: string | null;
  provider_message_id: string | null;
  delivery_status: DeliveryStatus | null;
  /** The provider's error code with an undelivered or failed report (`Twilio error 30006`). */
  delivery_error: string | null;
  delivery_updated_at: string | null;
  subject: string | null;
  /** `resent_from`: the notification this one sends again; `code_reissued`: a pickup notice with a new code. */
  data: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export const notificationKeys = {
  ofOrder: (orderId: string) => [...commerceKeys.all, 'notifications', orderId] as const,
};

/** What the customer was sent about an order, newest first; re-read while one still waits to leave. */
export function useOrderNotifications(orderId: string) {
  return useQuery({
    queryKey: notificationKeys.ofOrder(orderId),
    queryFn: ({ signal }) =>
      request<Page<OrderNotification>>(`/v1/orders/${encodeURIComponent(orderId)}/notifications`, {
        query: { limit: 200 },
        signal,
      }),
    refetchInterval: (query) => (query.state.data?.data.some((n) => n.status === 'queued') ? 3_000 : false),
  });
}

/** Sends the receipt now by email or SMS; the answer is the notification with its outcome. */
export function useSendReceipt(orderId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { channel: 'email' | 'sms'; to?: string | undefined }) =>
      request<OrderNotification>(`/v1/orders/${encodeURIComponent(orderId)}/receipt`, {
        method: 'POST',
        body: input,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.ofOrder(orderId) }),
  });
}

/**
 * Sends a notification again (same address; another channel kind goes to the customer's address on file). One
 * Idempotency-Key per click, so a retried request is answered, not sent twice. A pickup notice gets a new code.
 */
export function useResendNotification(orderId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; channel?: 'email' | 'sms' | undefined; idempotencyKey: string }) =>
      request<OrderNotification>(`/v1/notifications/${encodeURIComponent(input.id)}/resend`, {
        method: 'POST',
        body: input.channel ? { channel: input.channel } : {},
        headers: { 'Idempotency-Key': input.idempotencyKey },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: notificationKeys.ofOrder(orderId) }),
  });
}
