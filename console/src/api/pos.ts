/**
 * @module The till's API: the basket is a server cart in the store's channel (so the customer's online cart can be
 * pulled up into it and every channel prices it the same), barcode lookup, the customer's store credit and gift
 * card balances, stock here and elsewhere (endless aisle), and the POS sale itself — one POST carrying split
 * tender and an Idempotency-Key made once per sale, so a retried sale is answered with the first result.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, request } from './client';
import type { Money } from '../lib/format';
import type { Order } from './orders-types';
import { commerceKeys } from './orders';
import type { Page } from './types';

export const posKeys = {
  all: ['pos'] as const,
  cart: (id: string, channelId: string) => ['pos', 'cart', id, channelId] as const,
  openCarts: (customerId: string) => ['pos', 'open-carts', customerId] as const,
  storeCredit: (customerId: string) => ['pos', 'store-credit', customerId] as const,
  stock: (sku: string) => ['pos', 'stock', sku] as const,
  preview: (sale: string, version: string) => ['pos', 'preview', sale, version] as const,
};

export interface CartLine {
  id: string;
  variant_id: string;
  sku: string;
  quantity: number;
  delivery_mode: string;
  location_id: string | null;
}

export interface PricedLine {
  id: string;
  variant_id: string;
  sku: string;
  quantity: number;
  unit_price: Money;
  discount: Money;
  tax: Money;
  total: Money;
}

export interface CartPricing {
  currency: string;
  lines: PricedLine[];
  subtotal: Money;
  discount_total: Money;
  shipping_total: Money;
  tax_total: Money;
  grand_total: Money;
  issues: Array<{ line_id: string | null; reason: string; detail: string }>;
}

export interface Cart {
  id: string;
  status: string;
  currency: string;
  channel_id: string;
  last_channel_id: string;
  channel_ids: string[];
  customer_id: string | null;
  lines: CartLine[];
  updated_at: string;
}

export interface PricedCart extends Cart {
  pricing: CartPricing;
}

const cartPath = (id: string, rest = '') => `/v1/carts/${encodeURIComponent(id)}${rest}`;

/** The basket as the store's channel prices it. */
export function useCart(id: string | null, channelId: string | null) {
  return useQuery({
    queryKey: posKeys.cart(id ?? '', channelId ?? ''),
    queryFn: ({ signal }) => request<PricedCart>(cartPath(id!), { query: { channel_id: channelId }, signal }),
    enabled: Boolean(id && channelId),
  });
}

/** A customer's open carts (started on the web or in the app), to pull up into the till. */
export function useOpenCarts(customerId: string | null) {
  return useQuery({
    queryKey: posKeys.openCarts(customerId ?? ''),
    queryFn: ({ signal }) =>
      request<Page<Cart>>('/v1/carts', {
        query: { customer_id: customerId, status: 'open', limit: 5 },
        signal,
      }),
    enabled: Boolean(customerId),
  });
}

/** Every basket change answers the priced cart; it becomes the cached basket at once. */
function useCartMutation<I>(fn: (input: I) => Promise<PricedCart>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (cart) => {
      client.setQueryData(posKeys.cart(cart.id, cart.last_channel_id), cart);
      void client.invalidateQueries({ queryKey: ['pos', 'open-carts'] });
    },
  });
}

export interface LineInput {
  sku: string;
  quantity: number;
}

/** A basket line as the till keeps it: handed over here, so it is priced as a pickup at this store (no shipping, tax of the store's address) — as the POS sale prices it. */
const here = (lines: LineInput[], locationId: string) =>
  lines.map((l) => ({ ...l, delivery_mode: 'pickup', location_id: locationId }));

/** Starts a cart in the store channel; for a customer it continues their open cart (the server decides). */
export const useStartCart = () =>
  useCartMutation(
    (input: { channel_id: string; location_id: string; customer_id?: string; lines: LineInput[] }) =>
      request<PricedCart>('/v1/carts', {
        method: 'POST',
        body: {
          channel_id: input.channel_id,
          ...(input.customer_id ? { customer_id: input.customer_id } : {}),
          lines: here(input.lines, input.location_id),
        },
      }),
  );

export const useAddLines = () =>
  useCartMutation(
    ({
      cartId,
      channelId,
      locationId,
      lines,
    }: {
      cartId: string;
      channelId: string;
      locationId: string;
      lines: LineInput[];
    }) =>
      request<PricedCart>(cartPath(cartId, '/lines'), {
        method: 'POST',
        body: { channel_id: channelId, lines: here(lines, locationId) },
      }),
  );

/** Whether a basket line is already taken here (a pickup at this store), as the sale will sell it. */
export const isHandedOverHere = (line: CartLine, locationId: string) =>
  line.delivery_mode === 'pickup' && line.location_id === locationId;

/**
 * A cart pulled up at the till (her web cart, a resumed cart, or hers merged with the till's) is completed here:
 * each line still set for delivery becomes a pickup at this store, so the basket shows what the sale will charge.
 */
export const useTakeCartHere = () =>
  useCartMutation(
    async ({ cart, channelId, locationId }: { cart: PricedCart; channelId: string; locationId: string }) => {
      let latest = cart;
      for (const line of cart.lines.filter((l) => !isHandedOverHere(l, locationId)))
        latest = await request<PricedCart>(cartPath(cart.id, `/lines/${encodeURIComponent(line.id)}`), {
          method: 'PATCH',
          body: { channel_id: channelId, delivery_mode: 'pickup', location_id: locationId },
        });
      return latest;
    },
  );

export const useSetQuantity = () =>
  useCartMutation(
    ({
      cartId,
      channelId,
      lineId,
      quantity,
    }: {
      cartId: string;
      channelId: string;
      lineId: string;
      quantity: number;
    }) =>
      request<PricedCart>(cartPath(cartId, `/lines/${encodeURIComponent(lineId)}`), {
        method: 'PATCH',
        body: { channel_id: channelId, quantity },
      }),
  );

export const useRemoveLine = () =>
  useCartMutation(({ cartId, channelId, lineId }: { cartId: string; channelId: string; lineId: string }) =>
    request<PricedCart>(cartPath(cartId, `/lines/${encodeURIComponent(lineId)}`), {
      method: 'DELETE',
      query: { channel_id: channelId },
    }),
  );

/** Gives the till's anonymous basket to the customer (merged into her open cart when she has one). */
export const useClaimCart = () =>
  useCartMutation(
    ({ cartId, channelId, customerId }: { cartId: string; channelId: string; customerId: string }) =>
      request<PricedCart>(cartPath(cartId, '/claim'), {
        method: 'POST',
        body: { channel_id: channelId, customer_id: customerId },
      }),
  );

/** Opens a cart by the resume code the customer shows (typed, or scanned from her phone). */
export const useResumeCart = () =>
  useCartMutation(({ channelId, code }: { channelId: string; code: string }) =>
    request<PricedCart>('/v1/carts/resume', { method: 'POST', body: { channel_id: channelId, code } }),
  );

export function useStoreCredit(customerId: string | null) {
  return useQuery({
    queryKey: posKeys.storeCredit(customerId ?? ''),
    queryFn: ({ signal }) =>
      request<{ balances: Money[] }>(`/v1/customers/${encodeURIComponent(customerId!)}/store-credit`, {
        query: { limit: 1 },
        signal,
      }),
    enabled: Boolean(customerId),
  });
}

export interface GiftCard {
  last4: string;
  balance: Money;
  status: string;
  expires_at: string | null;
}

/**
 * The gift card whose code was typed, with its balance (null: no such card). The code travels in a POST body,
 * never a URL. Until the server has `POST /v1/gift-cards/lookup`, the staff list by the code's last 4 characters
 * stands in (the sale itself checks the whole code either way).
 */
export async function findGiftCard(code: string): Promise<GiftCard | null> {
  const clean = code.replace(/[\s-]/g, '').toUpperCase();
  try {
    return await request<GiftCard>('/v1/gift-cards/lookup', { method: 'POST', body: { code: clean } });
  } catch (err) {
    // A route the server does not have yet answers 405 (GET /v1/gift-cards/:id owns the path) or "nothing at";
    // any other 404 is a code no card has.
    const missingRoute =
      err instanceof ApiError &&
      (err.status === 405 || (err.status === 404 && /nothing at/i.test(err.message)));
    if (!missingRoute) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }
  const page = await request<Page<GiftCard>>('/v1/gift-cards', {
    query: { last4: clean.slice(-4), limit: 5 },
  });
  return page.data.find((c) => c.status === 'active') ?? null;
}

export interface StockLevel {
  sku: string;
  location_id: string;
  available: number;
}

/** Where a SKU is available: this store's shelf and every other location (endless aisle). */
export function useStockOf(sku: string | null) {
  return useQuery({
    queryKey: posKeys.stock(sku ?? ''),
    queryFn: ({ signal }) =>
      request<Page<StockLevel>>('/v1/stock', { query: { sku, limit: 200 }, signal }).then((p) => p.data),
    enabled: Boolean(sku),
    staleTime: 10_000,
  });
}

export type TenderProvider = 'cash' | 'card_terminal' | 'gift_card' | 'store_credit';

export interface Tender {
  provider: TenderProvider;
  /** Minor units; always sent, so tenders that no longer add up to the total are refused before any is taken. */
  amount: number;
  method?: { tendered?: number; approval_code?: string; last4?: string; brand?: string; code?: string };
}

export interface ShippingAddress {
  name?: string;
  line1: string;
  postal_code: string;
  city: string;
  country: string;
}

/**
 * `POST /v1/pos/sales` (docs/api.md "Checkout and POS sales"): the basket cart (`cart_id`, handed over here and
 * converted) or explicit lines — `mode: 'ship'` is the endless aisle, sent from elsewhere to `shipping_address`.
 */
export interface PosSaleInput {
  location_id: string;
  customer_id?: string;
  cart_id?: string;
  lines?: Array<{ sku: string; quantity: number; mode?: 'handover' | 'ship' }>;
  shipping_address?: ShippingAddress;
  tenders: Tender[];
  /** The preview's grand_total the till showed: another total now → 409, nothing charged or held. */
  expected_total?: Money;
}

/** The sale without its tenders: what `POST /v1/pos/preview` prices. */
export type PosPreviewInput = Omit<PosSaleInput, 'tenders' | 'expected_total'>;

/**
 * What the sale will charge — lines, discounts, tax, total — from `POST /v1/pos/preview`, which prices it with the
 * very step the sale runs. `version` names what the basket was priced from (the cart's `updated_at`), so a change
 * to the basket asks again.
 */
export function usePosPreview(input: PosPreviewInput | null, version: string) {
  return useQuery({
    queryKey: posKeys.preview(JSON.stringify(input), version),
    queryFn: ({ signal }) =>
      request<CartPricing>('/v1/pos/preview', { method: 'POST', body: input!, signal }),
    enabled: Boolean(input),
  });
}

/** The pricing a 409 `checkout_price_changed` carries: the sale re-priced now (nothing was charged). */
export const repricedBy = (err: unknown): CartPricing | null =>
  err instanceof ApiError && err.code === 'checkout_price_changed'
    ? ((err.problem as { pricing?: CartPricing }).pricing ?? null)
    : null;

export interface PosSale {
  order: Order;
  change_due: Money;
}

/**
 * Rings up a sale: the order placed and paid by every tender at once, handed-over lines leave the shelf. The key
 * is made once per sale by the caller and sent again on a retry, so a double click or a lost answer never doubles.
 */
export function usePosSale() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ input, idempotencyKey }: { input: PosSaleInput; idempotencyKey: string }) =>
      request<PosSale>('/v1/pos/sales', {
        method: 'POST',
        body: input,
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: commerceKeys.all }),
  });
}

/**
 * What an endless-aisle sale will cost, priced by the same `priceCart` the sale uses: a scratch cart in the store
 * channel holding the line shipped to the address (the POS routes have no price preview of their own). It is
 * anonymous (a customer's cart would absorb it), so a customer-only price would make the sale refuse the
 * tenders — nothing is charged then.
 */
export const useShipmentQuote = () =>
  useMutation({
    mutationFn: ({
      channelId,
      line,
      address,
    }: {
      channelId: string;
      line: LineInput;
      address: ShippingAddress;
    }) =>
      request<PricedCart>('/v1/carts', {
        method: 'POST',
        body: {
          channel_id: channelId,
          lines: [{ ...line, delivery_mode: 'ship', location_id: null }],
          shipping_address: address,
          shipping_method: 'standard',
        },
      }),
  });

/** The printable receipt in the customer's locale (labels and amounts formatted by the server). */
export interface ReceiptText {
  amount: number;
  currency: string;
  text: string;
}

export interface Receipt {
  order_id: string;
  number: string;
  placed_at: string;
  placed_at_text: string;
  locale: string;
  labels: Record<string, string>;
  store: { name: string; address: Record<string, unknown> } | null;
  lines: Array<{
    sku: string;
    title: string;
    quantity: number;
    unit_price: ReceiptText;
    discount: ReceiptText;
    total: ReceiptText;
    mode: string;
  }>;
  totals: Record<'subtotal' | 'discount' | 'shipping' | 'tax' | 'total', ReceiptText>;
  payments: Array<{
    provider: string;
    label: string;
    amount: ReceiptText;
    change_due: ReceiptText | null;
    last4: string | null;
  }>;
}

export function useReceipt(orderId: string) {
  return useQuery({
    queryKey: [...commerceKeys.order(orderId), 'receipt'],
    queryFn: ({ signal }) =>
      request<Receipt>(`/v1/orders/${encodeURIComponent(orderId)}/receipt`, { signal }),
    enabled: Boolean(orderId),
  });
}

/** A fresh key for one sale: made when the sale starts, kept until it succeeds. */
export const newSaleKey = (): string => `pos-${crypto.randomUUID()}`;
