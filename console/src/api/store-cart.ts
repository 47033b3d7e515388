/**
 * @module The storefront's bag over `/store/v1/carts`: one cart per shop on this device, remembered by its id and
 * secret (`X-Cart-Secret`) in localStorage. Every write answers with the whole cart priced by the server, which
 * replaces the cached one — the shop never adds up a price itself.
 */
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from './client';
import { storeRequest, type Money, type StoreProduct, type StoreProductPage } from './store';

export type CartDeliveryMode = 'ship' | 'pickup' | 'same_day';
export type ShippingMethod = 'standard' | 'express';

export interface CartAddress {
  name?: string;
  line1: string;
  line2?: string;
  postal_code: string;
  city: string;
  region?: string;
  country: string;
  phone?: string;
}

export interface CartLine {
  id: string;
  variant_id: string;
  sku: string;
  quantity: number;
  delivery_mode: CartDeliveryMode;
  location_id: string | null;
}

export interface PricedLine {
  id: string;
  variant_id: string;
  sku: string;
  quantity: number;
  delivery_mode: CartDeliveryMode;
  unit_price: Money;
  subtotal: Money;
  discount: Money;
  tax: Money;
  tax_rate_bp: number;
  tax_inclusive: boolean;
  total: Money;
}

export interface CartPricing {
  currency: string;
  lines: PricedLine[];
  shipping: Array<{ method: string; name: string; amount: Money; total: Money; free_over_reached: boolean }>;
  subtotal: Money;
  discount_total: Money;
  shipping_total: Money;
  tax_total: Money;
  grand_total: Money;
  applied_promotions: Array<{ code: string | null; name: string; amount: Money; description: string }>;
  not_applied_promotions: Array<{ code: string | null; reason: string; detail: string }>;
  issues: Array<{ line_id: string | null; reason: string; detail: string }>;
}

export interface StoreCart {
  id: string;
  status: 'open' | 'merged' | 'converted';
  currency: string;
  email: string | null;
  shipping_address: CartAddress | null;
  shipping_method: ShippingMethod;
  promotion_codes: string[];
  lines: CartLine[];
  pricing: CartPricing;
  secret: string;
}

export interface CartDetailsPatch {
  email?: string | null;
  shipping_address?: CartAddress | null;
  shipping_method?: ShippingMethod;
  promotion_codes?: string[];
}

export interface LinePatch {
  quantity?: number;
  delivery_mode?: CartDeliveryMode;
  location_id?: string | null;
}

interface Remembered {
  id: string;
  secret: string;
}

const storageKey = (shopKey: string) => `omnis.shop.cart.${shopKey}`;

/** The cart this device holds in a shop (each shop has its own: another channel, another currency). */
export function rememberedCart(shopKey: string): Remembered | null {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey(shopKey)) ?? 'null') as Remembered | null;
    return parsed && typeof parsed.id === 'string' && typeof parsed.secret === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function remember(shopKey: string, cart: Remembered | null): void {
  try {
    if (cart) localStorage.setItem(storageKey(shopKey), JSON.stringify({ id: cart.id, secret: cart.secret }));
    else localStorage.removeItem(storageKey(shopKey));
  } catch {
    // Storage disabled: the bag lasts for this page only.
  }
}

export const cartQueryKey = (shopKey: string) => ['store', shopKey, 'cart'] as const;

const withSecret = (cart: Remembered) => ({ 'X-Cart-Secret': cart.secret });

/** The shop's bag: null when this device has none (or the one it had is gone or was checked out). */
export function useStoreCart(shopKey: string) {
  return useQuery({
    queryKey: cartQueryKey(shopKey),
    queryFn: async (): Promise<StoreCart | null> => {
      const known = rememberedCart(shopKey);
      if (!known) return null;
      try {
        const cart = await storeRequest<StoreCart>(shopKey, `/store/v1/carts/${known.id}`, {
          headers: withSecret(known),
        });
        if (cart.status === 'open') return cart;
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
      // Converted into an order, merged into a customer's cart, or unknown here: start afresh next time.
      remember(shopKey, null);
      return null;
    },
  });
}

/** Writes that answer with the priced cart; each replaces the cached bag. */
export function useCartActions(shopKey: string) {
  const client = useQueryClient();
  const settle = (cart: StoreCart) => {
    remember(shopKey, cart);
    client.setQueryData(cartQueryKey(shopKey), cart);
    return cart;
  };
  const current = (): Remembered => {
    const known = rememberedCart(shopKey);
    if (!known) throw new ApiError(404, { title: 'No bag yet' });
    return known;
  };
  const path = (suffix = '') => `/store/v1/carts/${current().id}${suffix}`;

  const addLine = useMutation({
    mutationFn: async (line: { variant_id: string; quantity: number }) => {
      const known = rememberedCart(shopKey);
      if (known) {
        try {
          return await storeRequest<StoreCart>(shopKey, `/store/v1/carts/${known.id}/lines`, {
            method: 'POST',
            body: { lines: [line] },
            headers: withSecret(known),
          });
        } catch (err) {
          // The remembered cart is gone (checked out elsewhere): a new one takes the line.
          if (!(err instanceof ApiError && [404, 409].includes(err.status))) throw err;
        }
      }
      return storeRequest<StoreCart>(shopKey, '/store/v1/carts', { method: 'POST', body: { lines: [line] } });
    },
    onSuccess: settle,
  });

  const updateLine = useMutation({
    mutationFn: ({ lineId, patch }: { lineId: string; patch: LinePatch }) =>
      storeRequest<StoreCart>(shopKey, path(`/lines/${lineId}`), {
        method: 'PATCH',
        body: patch,
        headers: withSecret(current()),
      }),
    onSuccess: settle,
  });

  const removeLine = useMutation({
    mutationFn: (lineId: string) =>
      storeRequest<StoreCart>(shopKey, path(`/lines/${lineId}`), {
        method: 'DELETE',
        headers: withSecret(current()),
      }),
    onSuccess: settle,
  });

  const updateCart = useMutation({
    mutationFn: (patch: CartDetailsPatch) =>
      storeRequest<StoreCart>(shopKey, path(), {
        method: 'PATCH',
        body: patch,
        headers: withSecret(current()),
      }),
    onSuccess: settle,
  });

  /** Opens the cart of a resume link (sent by an associate or an agent) and makes it this device's bag. */
  const resume = useMutation({
    mutationFn: (token: string) =>
      storeRequest<StoreCart>(shopKey, '/store/v1/carts/resume', { method: 'POST', body: { token } }),
    onSuccess: settle,
  });

  /** After checkout: the cart became an order, the next visit starts a new bag. */
  const forget = () => {
    remember(shopKey, null);
    client.setQueryData(cartQueryKey(shopKey), null);
  };

  return { addLine, updateLine, removeLine, updateCart, resume, forget };
}

/**
 * The product of each SKU in the bag (title, picture, options), found through the store search, which matches
 * SKUs: a cart holds variants, and a bag opened from a resume link on another device has no other record of them.
 */
export function useProductsOfSkus(shopKey: string, locale: string, skus: string[]) {
  const results = useQueries({
    queries: [...new Set(skus)].map((sku) => ({
      queryKey: ['store', shopKey, 'product-of-sku', locale, sku],
      queryFn: async () => {
        const page = await storeRequest<StoreProductPage>(shopKey, '/store/v1/products', {
          query: { q: sku, limit: 10, locale },
        });
        return { sku, product: page.data.find((p) => p.variants.some((v) => v.sku === sku)) ?? null };
      },
      staleTime: 5 * 60_000,
    })),
  });
  const bySku = new Map<string, StoreProduct | null>();
  for (const r of results) if (r.data) bySku.set(r.data.sku, r.data.product);
  return bySku;
}
