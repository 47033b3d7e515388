/**
 * @module The returns API (/v1/returns): open a return of an order's lines (the server checks the policy and
 * answers its verdict as a 422 naming each refused line; an override with a reason takes it anyway), receive it at
 * a location, inspect each line (restock or write off), refund to the original payments or store credit; or
 * exchange lines for other items — priced first by the exchange preview, then confirmed with the prices it showed.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client';
import { useList } from './list';
import type { Money } from '../lib/format';
import { commerceKeys } from './orders';
import type { Tender } from './pos';

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
  /** The replacement order of an exchange. */
  exchange_order_id: string | null;
  /** On list rows: the order's number (#1042). */
  order_display_number?: string;
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

export interface ReturnsFilter {
  order_id?: string;
  location_id?: string;
  status?: ReturnStatus;
  /** true: requested, received or inspected; false: refunding or completed. */
  open?: boolean;
  /** Return id, order number or id, or the customer's email, phone or name. */
  q?: string;
}

export function useReturns(filter: ReturnsFilter, options: { enabled?: boolean } = {}) {
  return useList<Return>(returnsKey, '/v1/returns', { ...filter }, options);
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

/** How a replacement reaches the customer: taken now at this store, picked up at a store, or sent. */
export const EXCHANGE_MODES = ['handover', 'pickup', 'ship'] as const;
export type ExchangeMode = (typeof EXCHANGE_MODES)[number];

export interface ExchangeLineInput {
  return_line_id: string;
  sku: string;
  quantity: number;
  /** The unit price the preview showed: another price now → 422 naming this line, nothing charged. */
  unit_price?: number;
  delivery: { mode: ExchangeMode; location_id: string };
}

/** `POST /v1/returns/:id/exchange/preview`: the exchange as it would be made now, nothing held or charged. */
export interface ExchangePreview {
  return_id: string;
  channel_id: string;
  lines: Array<{
    return_line_id: string;
    returned_sku: string;
    returned_value: Money;
    sku: string;
    quantity: number;
    unit_price: Money;
    discount: Money;
    tax: Money;
    total: Money;
    delivery: { mode: ExchangeMode; location_id: string };
  }>;
  returned_value: Money;
  replacement_total: Money;
  covered_by_return: Money;
  /** What the customer adds: the exchange's tenders must add up to it. */
  to_pay: Money;
  /** What stays on the return, refunded with it. */
  to_refund: Money;
}

/** The preview of these lines (null: not complete yet); each change of the lines asks again. */
export function useExchangePreview(id: string, lines: ExchangeLineInput[] | null) {
  return useQuery({
    queryKey: [...returnsKey, 'exchange-preview', id, JSON.stringify(lines)],
    queryFn: ({ signal }) =>
      request<ExchangePreview>(path(id, '/exchange/preview'), { method: 'POST', body: { lines }, signal }),
    enabled: Boolean(lines?.length),
    // A refusal names a field the associate fixes; asking again unchanged would be refused again.
    retry: false,
    // The confirm carries the preview's prices and is refused if they moved; no need to ask on every focus.
    refetchOnWindowFocus: false,
    placeholderData: (previous) => previous,
  });
}

export const useExchangeReturn = () =>
  useReturnStep(
    ({
      id,
      lines,
      tenders,
      idempotencyKey,
    }: {
      id: string;
      lines: ExchangeLineInput[];
      tenders: Tender[];
      idempotencyKey: string;
    }) =>
      request<Return>(path(id, '/exchange'), {
        method: 'POST',
        body: { lines, ...(tenders.length ? { tenders } : {}) },
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
  );
