/**
 * @module The returns API (/v1/returns): open a return of an order's lines (the server checks the policy and
 * answers its verdict as a 422 naming each refused line; an override with a reason takes it anyway), receive it at
 * a location, inspect each line (restock or write off), refund to the original payments or store credit.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useList } from './list';
import type { Money } from '../lib/format';
import { commerceKeys } from './orders';

export const RETURN_REASONS = ['wrong_size', 'damaged', 'not_as_described', 'changed_mind', 'other'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
export const RETURN_STATUSES = ['requested', 'received', 'inspected', 'refunding', 'completed'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
export type InspectionOutcome = 'restock' | 'write_off';
export type RefundMethod = 'original_payment' | 'store_credit';

export interface ReturnLine {
  id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
  reason: ReturnReason;
  note: string | null;
  outcome: InspectionOutcome | null;
  amount: Money;
  exchanged: boolean;
  inspected_at: string | null;
}

export interface Return {
  id: string;
  order_id: string;
  channel_id: string;
  customer_id: string | null;
  method: 'in_store' | 'mail';
  status: ReturnStatus;
  location_id: string | null;
  refund_total: Money;
  refunded: Money;
  refund_method: RefundMethod | null;
  note: string | null;
  override: { reason: string; actor_id: string | null } | null;
  requested_at: string;
  received_at: string | null;
  inspected_at: string | null;
  refunded_at: string | null;
  completed_at: string | null;
  created_at: string;
  lines?: ReturnLine[];
}

export interface ReturnInput {
  order_id: string;
  method: 'in_store' | 'mail';
  lines: Array<{ order_line_id: string; quantity: number; reason: ReturnReason; note?: string }>;
  note?: string;
  override?: { reason: string };
}

/** A refused line of the policy verdict, as the server's 422 names it. */
export interface PolicyViolation {
  line: number;
  message: string;
}

const returnsKey = [...commerceKeys.all, 'returns'] as const;
const path = (id: string, rest = '') => `/v1/returns/${encodeURIComponent(id)}${rest}`;

export function useReturns(filter: { order_id?: string; location_id?: string; status?: ReturnStatus }) {
  return useList<Return>(returnsKey, '/v1/returns', { ...filter });
}

export function useReturn(id: string | null) {
  return useQuery({
    queryKey: [...returnsKey, 'detail', id ?? ''],
    queryFn: ({ signal }) => request<Return>(path(id!), { signal }),
    enabled: Boolean(id),
  });
}

/** Every step changes the return, its order's payments and stock: refresh all of commerce. */
function useReturnStep<I>(fn: (input: I) => Promise<Return>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: commerceKeys.all }),
  });
}

export const useCreateReturn = () =>
  useReturnStep((input: ReturnInput) => request<Return>('/v1/returns', { method: 'POST', body: input }));

export const useReceiveReturn = () =>
  useReturnStep(({ id, locationId }: { id: string; locationId: string }) =>
    request<Return>(path(id, '/receive'), { method: 'POST', body: { location_id: locationId } }),
  );

export const useInspectReturn = () =>
  useReturnStep(
    ({ id, lines }: { id: string; lines: Array<{ return_line_id: string; outcome: InspectionOutcome }> }) =>
      request<Return>(path(id, '/inspect'), { method: 'POST', body: { lines } }),
  );

export const useRefundReturn = () =>
  useReturnStep(
    ({ id, method, idempotencyKey }: { id: string; method: RefundMethod; idempotencyKey: string }) =>
      request<Return>(path(id, '/refund'), {
        method: 'POST',
        body: { method },
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
  );
