/**
 * @module What the inbox's customer sidebar reads from commerce for one customer — open carts, recent orders
 * and returns (`/v1/carts|orders|returns?customer_id=`) — and the cart resume link an agent sends into the
 * conversation (`POST /v1/carts/:id/resume-link`).
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { request } from './client';
import { commerceKeys, type OrderSummary } from './orders';
import type { Return } from './returns';
import type { Page } from './types';

export interface CartSummary {
  id: string;
  status: 'open' | 'merged' | 'converted';
  currency: string;
  last_channel_id: string;
  lines: Array<{ id: string; sku: string; quantity: number }>;
  updated_at: string;
}

export interface ResumeLink {
  url: string;
  code: string;
  expires_at: string;
}

const byCustomer = <T>(path: string, customerId: string, extra: Record<string, string> = {}) =>
  request<Page<T>>(path, { query: { customer_id: customerId, limit: 5, ...extra } });

/** The customer's open carts, latest orders and returns; each part loads (and fails) on its own. */
export function useCustomerCommerce(customerId: string, enabled: boolean) {
  const carts = useQuery({
    queryKey: [...commerceKeys.all, 'carts', 'customer', customerId],
    queryFn: () => byCustomer<CartSummary>('/v1/carts', customerId, { status: 'open' }),
    enabled,
  });
  const orders = useQuery({
    queryKey: [...commerceKeys.orders, 'customer', customerId],
    queryFn: () => byCustomer<OrderSummary>('/v1/orders', customerId),
    enabled,
  });
  const returns = useQuery({
    queryKey: [...commerceKeys.all, 'returns', 'customer', customerId],
    queryFn: () => byCustomer<Return>('/v1/returns', customerId),
    enabled,
  });
  return { carts, orders, returns };
}

export function useCreateResumeLink() {
  return useMutation({
    mutationFn: (cartId: string) =>
      request<ResumeLink>(`/v1/carts/${encodeURIComponent(cartId)}/resume-link`, {
        method: 'POST',
        body: {},
      }),
  });
}
