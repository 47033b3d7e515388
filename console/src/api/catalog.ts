/**
 * @module Products, variants, size charts, categories, channel publication and prices (`/v1/products`,
 * `/v1/prices`…) as typed calls and TanStack queries. Every mutation invalidates the `catalog` prefix: a price
 * or a variant changes what the list, the editor and the channel comparison show.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { request } from './client';
import { PAGE_SIZE } from './list';
import type { Page } from './types';

export type Localized = Record<string, string>;
export type ProductStatus = 'draft' | 'active' | 'archived';
export type AttributeType = 'text' | 'number' | 'boolean';

export interface Money {
  amount: number;
  currency: string;
}

export interface Media {
  url: string;
  alt?: Localized;
}

export interface ProductOption {
  name: string;
  label?: Localized;
  values: string[];
}

export interface Attribute {
  key: string;
  type: AttributeType;
  value: string | number | boolean;
}

export interface Variant {
  id: string;
  product_id: string;
  sku: string;
  gtin: string | null;
  title: Localized | null;
  options: Record<string, string>;
  media: Media[];
  position: number;
  created_at: string;
  updated_at: string;
}

export type Measurement = number | [number, number];

export interface SizeChart {
  id: string;
  name: string;
  brand: string | null;
  category_id: string | null;
  unit: string;
  columns: Array<{ key: string; label?: Localized }>;
  rows: Array<{ size: string; values: Record<string, Measurement> }>;
  fit_notes: Localized;
  created_at: string;
  updated_at: string;
}

export type OverrideField = 'title' | 'description' | 'media' | 'status';

export interface ChannelOverrides {
  title?: Localized;
  description?: Localized;
  media?: Media[];
  status?: string;
}

export interface ProductChannel {
  channel_id: string;
  published: boolean;
  published_at: string | null;
  overrides: ChannelOverrides;
  differs: OverrideField[];
}

export interface Product {
  id: string;
  handle: string;
  status: ProductStatus;
  brand: string | null;
  title: Localized;
  description: Localized;
  options: ProductOption[];
  media: Media[];
  category_ids: string[];
  collection_ids: string[];
  tags: string[];
  attributes: Attribute[];
  variants: Variant[];
  size_chart: (SizeChart & { source: 'product' | 'category' | 'brand' }) | null;
  channels: ProductChannel[];
  created_at: string;
  updated_at: string;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface Facets {
  total: number;
  categories: Array<{ id: string; handle: string; name: Localized; count: number }>;
  brands: FacetValue[];
  tags: FacetValue[];
  attributes: Array<{ key: string; values: FacetValue[] }>;
  price: { min: Money; max: Money } | null;
}

export interface ProductFilter {
  q?: string;
  status?: ProductStatus[];
  brand?: string[];
  category_id?: string[];
  tag?: string[];
}

export interface Category {
  id: string;
  handle: string;
  name: Localized;
  parent_id: string | null;
}

export interface ProductInput {
  title: Localized;
  description?: Localized;
  handle?: string;
  status?: ProductStatus;
  brand?: string | null;
  options?: ProductOption[];
  media?: Media[];
  category_ids?: string[];
  tags?: string[];
  attributes?: Attribute[];
  size_chart_id?: string | null;
}

export interface VariantInput {
  sku: string;
  gtin?: string | null;
  options?: Record<string, string>;
}

export interface Price {
  id: string;
  variant_id: string;
  price_list_id: string | null;
  amount: number;
  currency: string;
  tax_inclusive: boolean;
  created_at: string;
  updated_at: string;
}

export interface PriceSource {
  type: 'base' | 'price_list' | 'sale' | 'none';
  price_list_id: string | null;
  name: string | null;
  priority: number | null;
  channel_specific: boolean;
  segment_specific: boolean;
}

export interface ComputedPrice {
  variant_id: string;
  currency: string;
  base: Money | null;
  price: Money | null;
  compare_at: Money | null;
  tax_inclusive: boolean | null;
  source: PriceSource;
  channel_exception: boolean;
  reason: string;
  considered: Array<{
    price_list_id: string;
    name: string;
    type: string;
    priority: number;
    price: Money;
    outcome: string;
  }>;
}

interface ComparisonView {
  price: Money | null;
  compare_at: Money | null;
  source: PriceSource;
  reason: string;
}

export interface ChannelComparison {
  variant_id: string;
  currency: string;
  default: ComparisonView;
  channels: Array<
    ComparisonView & { channel_id: string; channel_name: string; channel_kind: string; differs: boolean }
  >;
}

/** A list of ids from the product list's query, repeated as `brand=A&brand=B` like the server expects. */
function productQuery(filter: ProductFilter, cursor: string | null): string {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  for (const key of ['status', 'brand', 'category_id', 'tag'] as const) {
    for (const value of filter[key] ?? []) params.append(key, value);
  }
  params.set('facets', 'true');
  params.set('limit', String(PAGE_SIZE));
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

const key = {
  all: ['catalog'] as const,
  products: (filter: ProductFilter) => ['catalog', 'products', filter] as const,
  product: (id: string) => ['catalog', 'product', id] as const,
};
export const catalogKeys = key;

/** The products matching a filter, page by page, with the facets of the whole match (from the first page). */
export function useProducts(filter: ProductFilter) {
  const query = useInfiniteQuery({
    queryKey: key.products(filter),
    queryFn: ({ pageParam, signal }) =>
      request<Page<Product> & { facets?: Facets }>(`/v1/products?${productQuery(filter, pageParam)}`, {
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    placeholderData: (previous) => previous,
  });
  const items = useMemo(() => query.data?.pages.flatMap((page) => page.data) ?? [], [query.data]);
  return { ...query, items, facets: query.data?.pages[0]?.facets };
}

export function useProduct(id: string | undefined) {
  return useQuery({
    queryKey: key.product(id ?? ''),
    queryFn: ({ signal }) => request<Product>(`/v1/products/${encodeURIComponent(id!)}`, { signal }),
    enabled: Boolean(id),
  });
}

export function useCategories() {
  return useQuery({
    queryKey: ['catalog', 'categories'],
    queryFn: ({ signal }) => request<Page<Category>>('/v1/categories', { query: { limit: 200 }, signal }),
    select: (page) => page.data,
  });
}

export function useSizeCharts() {
  return useQuery({
    queryKey: ['catalog', 'size-charts'],
    queryFn: ({ signal }) => request<Page<SizeChart>>('/v1/size-charts', { query: { limit: 200 }, signal }),
    select: (page) => page.data,
  });
}

/** Runs a catalog write and refreshes everything catalog-shaped on success. */
function useCatalogMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: key.all }),
  });
}

const productPath = (id: string) => `/v1/products/${encodeURIComponent(id)}`;

export const useCreateProduct = () =>
  useCatalogMutation((input: ProductInput) =>
    request<Product>('/v1/products', { method: 'POST', body: input }),
  );

export const useUpdateProduct = () =>
  useCatalogMutation(({ id, patch }: { id: string; patch: Partial<ProductInput> }) =>
    request<Product>(productPath(id), { method: 'PATCH', body: patch }),
  );

export const useCreateVariant = () =>
  useCatalogMutation(({ productId, input }: { productId: string; input: VariantInput }) =>
    request<Variant>(`${productPath(productId)}/variants`, { method: 'POST', body: input }),
  );

export const useUpdateVariant = () =>
  useCatalogMutation(
    ({ productId, variantId, patch }: { productId: string; variantId: string; patch: VariantInput }) =>
      request<Variant>(`${productPath(productId)}/variants/${encodeURIComponent(variantId)}`, {
        method: 'PATCH',
        body: patch,
      }),
  );

export const useDeleteVariant = () =>
  useCatalogMutation(({ productId, variantId }: { productId: string; variantId: string }) =>
    request<void>(`${productPath(productId)}/variants/${encodeURIComponent(variantId)}`, {
      method: 'DELETE',
    }),
  );

export const usePublication = () =>
  useCatalogMutation(
    ({ productId, channelId, publish }: { productId: string; channelId: string; publish: boolean }) =>
      request<unknown>(`${productPath(productId)}/${publish ? 'publish' : 'unpublish'}`, {
        method: 'POST',
        body: { channel_ids: [channelId] },
      }),
  );

export interface OverridesPatch {
  title?: Localized | null;
  description?: Localized | null;
  status?: 'draft' | 'active' | null;
}

export const useSetOverrides = () =>
  useCatalogMutation(
    ({ productId, channelId, patch }: { productId: string; channelId: string; patch: OverridesPatch }) =>
      request<unknown>(`${productPath(productId)}/channels/${encodeURIComponent(channelId)}`, {
        method: 'PATCH',
        body: patch,
      }),
  );

/** The variant whose SKU or GTIN (any length: a UPC-A scan finds its EAN-13) is `code`. */
export function lookupCode(code: string) {
  return request<{ variant: Variant; product: Product }>(`/v1/variants/by-code/${encodeURIComponent(code)}`);
}

/** Every stored price of these variants (base and in lists). */
export function useVariantPrices(variantIds: string[]) {
  return useQuery({
    queryKey: ['catalog', 'prices', variantIds],
    queryFn: async ({ signal }) => {
      const pages = await Promise.all(
        variantIds.map((id) =>
          request<Page<Price>>('/v1/prices', { query: { variant_id: id, limit: 200 }, signal }),
        ),
      );
      return pages.flatMap((page) => page.data);
    },
    enabled: variantIds.length > 0,
  });
}

export interface PriceInput {
  variant_id: string;
  currency: string;
  amount: number;
  tax_inclusive?: boolean;
  price_list_id?: string | null;
}

export const useCreatePrice = () =>
  useCatalogMutation((input: PriceInput) => request<Price>('/v1/prices', { method: 'POST', body: input }));

export const useUpdatePrice = () =>
  useCatalogMutation(({ id, amount }: { id: string; amount: number }) =>
    request<Price>(`/v1/prices/${encodeURIComponent(id)}`, { method: 'PATCH', body: { amount } }),
  );

export const useDeletePrice = () =>
  useCatalogMutation((id: string) =>
    request<void>(`/v1/prices/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  );

function variantIdsQuery(variantIds: string[], extra: Record<string, string>): string {
  const params = new URLSearchParams(extra);
  for (const id of variantIds) params.append('variant_ids', id);
  return params.toString();
}

/** Each variant's price in every channel next to the default, naming the list that makes a channel differ. */
export function useChannelPrices(variantIds: string[], currency: string) {
  return useQuery({
    queryKey: ['catalog', 'price-channels', variantIds, currency],
    queryFn: ({ signal }) =>
      request<{ data: ChannelComparison[] }>(
        `/v1/prices/channels?${variantIdsQuery(variantIds, { currency })}`,
        { signal },
      ),
    enabled: variantIds.length > 0 && /^[A-Z]{3}$/.test(currency),
    select: (body) => body.data,
  });
}

/** The price a shopper sees in one channel, with the lists considered and why each lost. */
export function useComputedPrices(variantIds: string[], currency: string, channelId: string | null) {
  return useQuery({
    queryKey: ['catalog', 'price-compute', variantIds, currency, channelId],
    queryFn: ({ signal }) =>
      request<{ data: ComputedPrice[] }>(
        `/v1/prices/compute?${variantIdsQuery(variantIds, { currency, channel_id: channelId ?? '' })}`,
        { signal },
      ),
    enabled: variantIds.length > 0 && channelId !== null && /^[A-Z]{3}$/.test(currency),
    select: (body) => body.data,
  });
}
