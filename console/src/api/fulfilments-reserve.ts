/**
 * @module Reservations to try in store at the pickup desk: sell the lines the customer keeps (the till's split
 * tender, an Idempotency-Key made once per sale so a retry never charges twice; the rest goes back on sale) or release it.
 */
import { useMutation } from '@tanstack/react-query';
import { request } from './client';
import { useInvalidateCommerce } from './orders';
import type { Money } from '../lib/format';
import type { Order } from './orders-types';
import type { Tender } from './pos';

export interface SellReservationInput {
  keep_line_ids: string[];
  tenders: Tender[];
}

const path = (id: string, action: 'sell' | 'release') =>
  `/v1/fulfilments/${encodeURIComponent(id)}/${action}`;

export function useSellReservation() {
  const invalidate = useInvalidateCommerce();
  return useMutation({
    mutationFn: ({
      id,
      input,
      idempotencyKey,
    }: {
      id: string;
      input: SellReservationInput;
      idempotencyKey: string;
    }) =>
      request<{ order: Order; change_due: Money }>(path(id, 'sell'), {
        method: 'POST',
        body: input,
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    onSuccess: () => invalidate(),
  });
}

export function useReleaseReservation() {
  const invalidate = useInvalidateCommerce();
  return useMutation({
    mutationFn: (id: string) => request<Order>(path(id, 'release'), { method: 'POST', body: {} }),
    onSuccess: () => invalidate(),
  });
}
