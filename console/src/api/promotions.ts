/**
 * @module Price lists (`/v1/price-lists`) and promotions (`/v1/promotions`, their redemptions) as typed calls
 * and TanStack queries. They share the `catalog` key prefix: a list's change moves the prices the product
 * editor explains.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Money } from './catalog';
import { request } from './client';
import { useList } from './list';
import type { Page } from './types';

export type PriceListType = 'override' | 'sale';
export type PriceListStatus = 'active' | 'draft';

export interface PriceList {
  id: string;
  name: string;
  description: string | null;
  type: PriceListType;
  status: PriceListStatus;
  channel_ids: string[];
  segment_ids: string[];
  starts_at: string | null;
  ends_at: string | null;
  priority: number;
  price_count: number;
  created_at: string;
  updated_at: string;
}

export interface PriceListInput {
  name: string;
  description?: string | null;
  type?: PriceListType;
  status?: PriceListStatus;
  channel_ids?: string[];
  segment_ids?: string[];
  starts_at?: string | null;
  ends_at?: string | null;
  priority?: number;
}

export type PromotionKind = 'percentage' | 'fixed_amount' | 'buy_x_get_y' | 'free_shipping';
export type PromotionStatus = 'active' | 'draft' | 'archived';

export interface PromotionConditions {
  channel_ids: string[];
  segment_ids: string[];
  product_ids: string[];
  category_ids: string[];
  min_subtotal: Money | null;
}

export interface Promotion {
  id: string;
  name: string;
  description: string | null;
  code: string | null;
  kind: PromotionKind;
  status: PromotionStatus;
  percent: number | null;
  amount_off: Money | null;
  buy_quantity: number | null;
  get_quantity: number | null;
  get_percent: number | null;
  max_applications: number | null;
  conditions: PromotionConditions;
  starts_at: string | null;
  ends_at: string | null;
  usage_limit: number | null;
  usage_limit_per_customer: number | null;
  times_used: number;
  priority: number;
  created_at: string;
  updated_at: string;
}

export interface PromotionInput {
  name?: string;
  kind?: PromotionKind;
  description?: string | null;
  code?: string | null;
  status?: PromotionStatus;
  percent?: number | null;
  amount_off?: Money;
  buy_quantity?: number | null;
  get_quantity?: number | null;
  get_percent?: number | null;
  conditions?: Partial<PromotionConditions>;
  starts_at?: string | null;
  ends_at?: string | null;
  usage_limit?: number | null;
  usage_limit_per_customer?: number | null;
  priority?: number;
}

export interface Redemption {
  id: string;
  promotion_id: string;
  reference: string;
  customer_id: string | null;
  channel_id: string | null;
  status: 'redeemed' | 'released';
  redeemed_at: string;
  released_at: string | null;
}

export const usePriceLists = () => useList<PriceList>(['catalog', 'price-lists'], '/v1/price-lists');

/** Every price list at once, for pickers (a shop has a handful). */
export function useAllPriceLists() {
  return useQuery({
    queryKey: ['catalog', 'price-lists', 'all'],
    queryFn: ({ signal }) => request<Page<PriceList>>('/v1/price-lists', { query: { limit: 200 }, signal }),
    select: (page) => page.data,
  });
}

export const usePromotions = () => useList<Promotion>(['catalog', 'promotions'], '/v1/promotions');

/** The newest redemptions of a promotion (up to 200), for its usage chart. */
export function useRedemptions(promotionId: string | null) {
  return useQuery({
    queryKey: ['catalog', 'redemptions', promotionId],
    queryFn: ({ signal }) =>
      request<Page<Redemption>>(`/v1/promotions/${encodeURIComponent(promotionId!)}/redemptions`, {
        query: { limit: 200 },
        signal,
      }),
    enabled: promotionId !== null,
    select: (page) => page.data,
  });
}

function useWrite<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: ['catalog'] }),
  });
}

/** Creates a list, or changes one when `id` is given. */
export const useSavePriceList = () =>
  useWrite(({ id, input }: { id?: string; input: PriceListInput }) =>
    id
      ? request<PriceList>(`/v1/price-lists/${encodeURIComponent(id)}`, { method: 'PATCH', body: input })
      : request<PriceList>('/v1/price-lists', { method: 'POST', body: input }),
  );

/** Creates a promotion, or changes one when `id` is given (its kind is fixed once created). */
export const useSavePromotion = () =>
  useWrite(({ id, input }: { id?: string; input: PromotionInput }) =>
    id
      ? request<Promotion>(`/v1/promotions/${encodeURIComponent(id)}`, { method: 'PATCH', body: input })
      : request<Promotion>('/v1/promotions', { method: 'POST', body: input }),
  );
