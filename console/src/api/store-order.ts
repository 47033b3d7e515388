/**
 * @module The storefront's order status client (`/store/v1/orders/:id`). The order secret the checkout answers
 * with (shown once) is kept on this device per order, so the status page opens again from the same browser;
 * anyone else needs the customer's token or the link in the confirmation email.
 */
import { useQuery } from '@tanstack/react-query';
import { storeRequest, type Money } from './store';

export type StoreOrderStatus =
  'pending_payment' | 'paid' | 'fulfilling' | 'partially_fulfilled' | 'completed' | 'cancelled';

/** Where a line is collected or shipped from, as the order names it (the pickup store's name and address). */
export interface StoreOrderLocation {
  id: string;
  name: string;
  kind: string;
  address: { line1: string; line2?: string; postal_code: string; city: string; country: string };
}

export interface StoreOrder {
  id: string;
  display_number: string;
  status: StoreOrderStatus;
  totals: { subtotal: Money; discount: Money; shipping: Money; tax: Money; total: Money };
  placed_at: string;
  lines: Array<{
    sku: string;
    title: string;
    quantity: number;
    total: Money;
    delivery: {
      mode: 'ship' | 'pickup' | 'same_day' | 'handover' | 'reserve_in_store';
      location_id: string;
      location: StoreOrderLocation | null;
    };
  }>;
  fulfilments: Array<{
    id: string;
    mode: 'ship' | 'pickup' | 'same_day' | 'handover' | 'reserve_in_store';
    status: string;
    location_id: string;
    location: StoreOrderLocation | null;
    carrier: string | null;
    tracking_number: string | null;
    tracking_url: string | null;
    hold_until: string | null;
  }>;
}

const STORAGE = 'omnis.shop.orders';

function secrets(): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Keeps an order's secret on this device (the server shows it only once, at checkout). */
export function rememberOrderSecret(orderId: string, secret: string): void {
  if (!secret) return;
  try {
    localStorage.setItem(STORAGE, JSON.stringify({ ...secrets(), [orderId]: secret }));
  } catch {
    // Storage disabled: the status page opens for this visit only.
  }
}

export const orderSecretOf = (orderId: string): string | null => secrets()[orderId] ?? null;

export function useStoreOrder(shopKey: string, orderId: string) {
  return useQuery({
    queryKey: ['store', shopKey, 'order', orderId],
    queryFn: () => {
      const secret = orderSecretOf(orderId);
      return storeRequest<StoreOrder>(shopKey, `/store/v1/orders/${encodeURIComponent(orderId)}`, {
        headers: secret ? { 'X-Order-Secret': secret } : {},
      });
    },
    retry: false,
    // Waiting for the bank: look again until the payment settles the order.
    refetchInterval: (query) => (query.state.data?.status === 'pending_payment' ? 2_000 : false),
  });
}
