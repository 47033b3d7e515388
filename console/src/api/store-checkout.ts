/**
 * @module The storefront's checkout client (`POST /store/v1/carts/:id/checkout`): the total the shopper saw (a
 * different total now is a 409 and nothing is charged), the delivery point of same-day lines, and the tenders —
 * a test card token and optionally a gift card, never a card number. A card that needs the bank answers 202 with
 * a checkout id and the processor's approval page: the browser goes there (the checkout kept in sessionStorage),
 * comes back to `/shop/checkout?checkout_id=…`, and the same checkout is sent again with the payment id.
 */
import { useMutation } from '@tanstack/react-query';
import type { Point } from './inventory-types';
import { storeRequest, type Money } from './store';
import { rememberedCart } from './store-cart';
import { rememberOrderSecret } from './store-order';

export interface CheckoutTender {
  provider: 'test' | 'gift_card';
  amount?: number;
  method: { token?: string; code?: string };
}

export interface CheckoutRequest {
  expected_total: Money;
  email?: string;
  delivery_point?: Point;
  payments: CheckoutTender[];
  checkout_id?: string;
  payment_id?: string;
  /** Where the card's approval page sends the shopper back (the server adds `checkout_id`). */
  return_url?: string;
}

export type CheckoutAnswer =
  | {
      status: 'placed';
      checkout_id: string;
      order: { id: string; display_number: string };
      access_secret: string;
    }
  | {
      status: 'requires_action';
      checkout_id: string;
      payment: { id: string; status: string; failure_message: string | null };
      /** The processor's approval page: the browser goes there and comes back to `return_url`. */
      next_action: { type: 'redirect'; url: string } | null;
      reservations_expire_at: string | null;
    };

/** A checkout waiting for the shopper's approval at the processor, kept across the trip to its page. */
export interface PendingCheckout {
  checkout_id: string;
  payment_id: string;
  body: CheckoutRequest;
}

const pendingKey = (shopKey: string) => `omnis.shop.pending-checkout.${shopKey}`;

/** Keeps the checkout before the browser leaves for the approval page (this tab only). */
export const rememberPendingCheckout = (shopKey: string, pending: PendingCheckout) =>
  sessionStorage.setItem(pendingKey(shopKey), JSON.stringify(pending));

/** The checkout the approval page returned to (`checkout_id` in the URL), once: it is forgotten as it is read. */
export function takePendingCheckout(shopKey: string, checkoutId: string): PendingCheckout | null {
  const raw = sessionStorage.getItem(pendingKey(shopKey));
  sessionStorage.removeItem(pendingKey(shopKey));
  const pending = raw ? (JSON.parse(raw) as PendingCheckout) : null;
  return pending?.checkout_id === checkoutId ? pending : null;
}

/** Test card tokens of the `test` provider, as a processor's documentation lists them. */
export const TEST_TOKENS = [
  'tok_visa',
  'tok_mastercard',
  'tok_declined',
  'tok_insufficient_funds',
  'tok_async',
  'tok_async_declined',
] as const;
export type TestToken = (typeof TEST_TOKENS)[number];

/** A fresh key per attempt: a retried request (network blip) replays the answer instead of paying twice. */
const idempotencyKey = () => `shop-${crypto.randomUUID()}`;

export function useCheckout(shopKey: string) {
  return useMutation({
    mutationFn: async (body: CheckoutRequest) => {
      const cart = rememberedCart(shopKey);
      if (!cart) throw new Error('No bag to check out');
      const answer = await storeRequest<CheckoutAnswer>(shopKey, `/store/v1/carts/${cart.id}/checkout`, {
        method: 'POST',
        body,
        headers: { 'X-Cart-Secret': cart.secret, 'Idempotency-Key': idempotencyKey() },
      });
      if (answer.status === 'placed') rememberOrderSecret(answer.order.id, answer.access_secret);
      return answer;
    },
  });
}

/** A gift card's balance by its code (before using it at checkout). */
export const checkGiftCard = (shopKey: string, code: string) =>
  storeRequest<{ last4: string; balance: Money; status: string; expires_at: string | null }>(
    shopKey,
    '/store/v1/gift-cards/balance',
    { method: 'POST', body: { code } },
  );
