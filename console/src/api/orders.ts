/**
 * @module The orders API (/v1/orders, and the payments of an order under /v1/payments) as typed TanStack Query
 * hooks. Every write invalidates the whole `commerce` key: cancelling an order changes its fulfilments, a
 * refund changes the order's payment totals, and the queue, the desk and the detail must never disagree.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useList } from './list';
import type {
  Order,
  OrderStats,
  OrderStatus,
  OrderSummary,
  Payment,
  PaymentWithRefunds,
  Refund,
} from './orders-types';
import type { Page } from './types';

export * from './orders-types';

const commerceKey = ['commerce'] as const;
export const commerceKeys = {
  all: commerceKey,
  orders: [...commerceKey, 'orders'] as const,
  order: (id: string) => [...commerceKey, 'orders', 'detail', id] as const,
  orderStats: [...commerceKey, 'orders', 'stats'] as const,
  payments: (orderId: string) => [...commerceKey, 'payments', orderId] as const,
  fulfilments: [...commerceKey, 'fulfilments'] as const,
};

/** Refreshes everything commerce shows: one step can move a fulfilment, its order and its payments. */
export function useInvalidateCommerce() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: commerceKeys.all });
}

export interface OrderFilter {
  status?: OrderStatus | undefined;
  channel_id?: string | undefined;
  customer_id?: string | undefined;
  location_id?: string | undefined;
  /** ISO-8601: placed at or after. */
  created_from?: string | undefined;
  /** ISO-8601: placed before. */
  created_to?: string | undefined;
  /** "1042" or "#1042". */
  number?: string | undefined;
}

/** Orders, newest first; polled so an order placed in a store or on the web appears without a reload. */
export function useOrders(filter: OrderFilter) {
  return useList<OrderSummary>(commerceKeys.orders, '/v1/orders', { ...filter }, { refetchInterval: 30_000 });
}

/** What the per-day chart asks for: local days of `tz`, the list's channel, location and status filters. */
export interface OrderStatsQuery {
  tz: string;
  from: string;
  to: string;
  channel_id?: string | undefined;
  location_id?: string | undefined;
  status?: OrderStatus | undefined;
}

/**
 * Orders per day (count, revenue per currency, orders per channel), counted by the server in SQL on the reader's
 * calendar days; polled like the list so a new sale shows up.
 */
export function useOrderStats(query: OrderStatsQuery) {
  return useQuery({
    queryKey: [...commerceKeys.orderStats, query],
    queryFn: ({ signal }) => request<OrderStats>('/v1/orders/stats', { query: { ...query }, signal }),
    refetchInterval: 30_000,
  });
}

export function useOrder(id: string | null | undefined) {
  return useQuery({
    queryKey: commerceKeys.order(id ?? ''),
    queryFn: ({ signal }) => request<Order>(`/v1/orders/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
    retry: (count, error) =>
      count < 2 && !(error instanceof Error && 'status' in error && error.status === 404),
  });
}

/** The payments of an order, each with its refunds (an order has a handful: one per tender). */
export function useOrderPayments(orderId: string) {
  return useQuery({
    queryKey: commerceKeys.payments(orderId),
    queryFn: async ({ signal }) => {
      const page = await request<Page<Payment>>('/v1/payments', {
        query: { order_id: orderId, limit: 200 },
        signal,
      });
      return Promise.all(
        page.data.map((p) =>
          request<PaymentWithRefunds>(`/v1/payments/${encodeURIComponent(p.id)}`, { signal }),
        ),
      );
    },
  });
}

export function useCancelOrder() {
  const invalidate = useInvalidateCommerce();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) =>
      request<Order>(`/v1/orders/${encodeURIComponent(id)}/cancel`, {
        method: 'POST',
        body: reason ? { reason } : {},
      }),
    onSuccess: invalidate,
  });
}

export interface RefundInput {
  paymentId: string;
  /** Minor units; omitted: everything captured and not yet refunded. */
  amount?: number | undefined;
  reason: string;
  /** Idempotency-Key of this refund, made once when the refund form opens. */
  key: string;
}

export function useRefundPayment() {
  const invalidate = useInvalidateCommerce();
  return useMutation({
    mutationFn: ({ paymentId, amount, reason, key }: RefundInput) =>
      request<Payment & { refund: Refund }>(`/v1/payments/${encodeURIComponent(paymentId)}/refund`, {
        method: 'POST',
        body: amount === undefined ? { reason } : { amount, reason },
        // One key per refund the user means: a retried request is answered once, never refunded twice.
        headers: { 'Idempotency-Key': key },
      }),
    onSuccess: invalidate,
  });
}
