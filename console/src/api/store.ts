/**
 * @module The storefront's client for the public `/store/v1` API. It sends the shop's publishable key (`pk_…`,
 * bound to one channel) and nothing else — never the console's staff session — so `/shop` sees exactly what any
 * storefront on the internet would: the channel's products, prices, categories and availability.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, NETWORK_ERROR_STATUS, type Problem } from './client';
import type { Availability, DeliveryMode, Point } from './inventory-types';

export type StoreQuery = Record<string, string | number | boolean | string[] | null | undefined>;

/** `{ variant_ids: ['a', 'b'] }` → `?variant_ids=a&variant_ids=b`: the store API repeats array parameters. */
export function storeUrl(path: string, query: StoreQuery = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, String(one));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * Calls the store API with a publishable key; a problem+json answer becomes an ApiError.
 * @example await storeRequest<StoreChannel>('pk_…', '/store/v1/channel')
 */
export async function storeRequest<T>(
  key: string,
  path: string,
  options: {
    query?: StoreQuery;
    method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    body?: unknown;
    /** Proofs beside the key: X-Cart-Secret, X-Order-Secret, Idempotency-Key. */
    headers?: Record<string, string>;
  } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    Authorization: `Bearer ${key}`,
    ...options.headers,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(storeUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(NETWORK_ERROR_STATUS, { title: 'Network error' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem = typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : {};
    throw new ApiError(response.status, { status: response.status, ...problem });
  }
  return parsed as T;
}

export interface StoreChannel {
  id: string;
  kind: string;
  name: string;
  /** ISO 4217 code of the channel's prices; absent when the channel's config does not say. */
  currency?: string;
  default_locale?: string;
}

export interface StoreCategory {
  id: string;
  handle: string;
  name: string;
  children: StoreCategory[];
}

export interface StoreMedia {
  url: string;
  alt: string;
}

export interface StoreVariant {
  id: string;
  sku: string;
  gtin: string | null;
  title: string;
  options: Record<string, string>;
  media: StoreMedia[];
}

export type Measurement = number | [number, number];

export interface StoreSizeChart {
  id: string;
  name: string;
  source: string;
  unit: string;
  columns: Array<{ key: string; label: string }>;
  rows: Array<{ size: string; values: Record<string, Measurement> }>;
  fit_notes: string;
}

export interface StoreProduct {
  id: string;
  handle: string;
  locale: string;
  title: string;
  description: string;
  brand: string | null;
  options: Array<{ name: string; label: string; values: string[] }>;
  media: StoreMedia[];
  category_ids: string[];
  tags: string[];
  attributes: Array<{ key: string; type: string; value: string | number | boolean }>;
  variants: StoreVariant[];
  size_chart: StoreSizeChart | null;
}

export interface Money {
  amount: number;
  currency: string;
}

interface FacetValue {
  value: string;
  count: number;
}

export interface StoreFacets {
  total: number;
  categories: Array<{ id: string; handle: string; name: string; count: number }>;
  brands: FacetValue[];
  tags: FacetValue[];
  attributes: Array<{ key: string; values: FacetValue[] }>;
  price: { min: Money; max: Money } | null;
}

export interface StoreProductPage {
  data: StoreProduct[];
  next_cursor: string | null;
  facets?: StoreFacets;
}

export interface StorePrice {
  variant_id: string;
  currency: string;
  base: Money | null;
  price: Money | null;
  compare_at: Money | null;
  tax_inclusive: boolean | null;
  source: { type: 'base' | 'price_list' | 'sale' | 'none'; name: string | null };
  reason: string;
}

export interface ProductFilters {
  q?: string;
  category_id?: string[];
  brand?: string[];
  tag?: string[];
  attr?: string[];
  facets?: boolean;
  limit?: number;
  cursor?: string;
}

const storeKeys = {
  channel: (key: string) => ['store', key, 'channel'] as const,
  categories: (key: string, locale: string) => ['store', key, 'categories', locale] as const,
  products: (key: string, locale: string, filters: ProductFilters) =>
    ['store', key, 'products', locale, filters] as const,
  product: (key: string, locale: string, handle: string) =>
    ['store', key, 'product', locale, handle] as const,
  prices: (key: string, currency: string, ids: string[]) => ['store', key, 'prices', currency, ids] as const,
  availability: (key: string, sku: string, near: Point | null, mode: DeliveryMode | null) =>
    ['store', key, 'availability', sku, near, mode] as const,
};

export const fetchStoreChannel = (key: string) => storeRequest<StoreChannel>(key, '/store/v1/channel');

export function useStoreChannel(key: string | null) {
  return useQuery({
    queryKey: storeKeys.channel(key ?? ''),
    queryFn: () => fetchStoreChannel(key!),
    enabled: key !== null,
    staleTime: 5 * 60_000,
  });
}

export function useStoreCategories(key: string, locale: string) {
  return useQuery({
    queryKey: storeKeys.categories(key, locale),
    queryFn: () =>
      storeRequest<{ data: StoreCategory[] }>(key, '/store/v1/categories', { query: { locale } }),
    staleTime: 5 * 60_000,
  });
}

export function useStoreProducts(key: string, locale: string, filters: ProductFilters, enabled = true) {
  return useQuery({
    queryKey: storeKeys.products(key, locale, filters),
    queryFn: () =>
      storeRequest<StoreProductPage>(key, '/store/v1/products', { query: { ...filters, locale } }),
    enabled,
    // The next page or another language replaces the grid when it arrives, not a skeleton first.
    placeholderData: keepPreviousData,
  });
}

export function useStoreProduct(key: string, locale: string, handle: string) {
  return useQuery({
    queryKey: storeKeys.product(key, locale, handle),
    queryFn: () =>
      storeRequest<StoreProduct>(key, `/store/v1/products/${encodeURIComponent(handle)}`, {
        query: { locale },
      }),
    // Another language (or shop) of the same product keeps the page, and the shopper's choices, on screen.
    placeholderData: (previous) => (previous?.handle === handle ? previous : undefined),
  });
}

/** Prices of many variants in the shop's currency, by variant id (one request for a whole listing). */
export function useStorePrices(key: string, currency: string | undefined, variantIds: string[]) {
  const ids = [...new Set(variantIds)].slice(0, 200);
  return useQuery({
    queryKey: storeKeys.prices(key, currency ?? '', ids),
    queryFn: async () => {
      const result = await storeRequest<{ data: StorePrice[] }>(key, '/store/v1/prices', {
        query: { variant_ids: ids, currency },
      });
      return new Map(result.data.map((p) => [p.variant_id, p]));
    },
    enabled: currency !== undefined && ids.length > 0,
  });
}

/** Where one SKU can be had near a point, with distances and promise dates (the stores of the shop's channel). */
export function useStoreAvailability(
  key: string,
  sku: string | undefined,
  near: Point | null,
  mode: DeliveryMode | null,
) {
  return useQuery({
    queryKey: storeKeys.availability(key, sku ?? '', near, mode),
    queryFn: () =>
      storeRequest<Availability>(key, '/store/v1/availability', {
        query: {
          skus: sku!,
          latitude: near?.latitude,
          longitude: near?.longitude,
          mode: mode ?? undefined,
        },
      }),
    enabled: sku !== undefined,
  });
}
