/**
 * @module Checkout: a cart becomes an order through one workflow — validate the cart and each line's delivery
 * choice → re-price (a changed total is a 409 before anything is held) → reserve per cart line → pay → place the
 * order (confirming its reservations, attaching the payments and converting the cart in one transaction). A
 * failed step undoes the finished ones in reverse. A card that needs the customer (3-D Secure) suspends the
 * workflow: the answer is 202 with a `checkout_id`, the reservations stay held for their TTL, and the same
 * checkout resumed with the confirmed `payment_id` finishes it — or, past the TTL, is refused with
 * `reservation_expired` and the payment given back. Abandoned, the reservations expire by the inventory job.
 */
import type { Actor } from '../../platform/auth/principal';
import { AppError } from '../../platform/errors';
import { newId } from '../../platform/ids';
import type { Money } from '../catalog';
import type { IdentityService } from '../customers';
import type { AvailabilityService, LocationsService, Point } from '../inventory';
import type { CartsService } from './cart.service';
import { resolveDeliveries } from './checkout.delivery';
import {
  guestCustomerId,
  payStep,
  placeStep,
  priceStep,
  reserveStep,
  type CheckoutState,
  type CheckoutTender,
  type StepsDeps,
} from './checkout.steps';
import { runWorkflow, type Step } from './checkout.workflow';
import type { OrderDetail } from './order.service';
import type { Payment } from './payment.repository';
import { compensate } from './payment.tender';

export interface CheckoutInput {
  /** The total the shopper was shown: a different total now refuses the checkout (409 checkout_price_changed). */
  expected_total?: Money | undefined;
  email?: string | undefined;
  /** Where same-day lines are delivered. */
  delivery_point?: Point | undefined;
  /** One tender (it may wait for 3-D Secure) or several adding up to the total (all settle at once). */
  payments: CheckoutTender[];
  /** Resuming a checkout that answered 202: its id and the payment the customer confirmed. */
  checkout_id?: string | undefined;
  payment_id?: string | undefined;
  /**
   * Where a card's approval page (3-D Secure) sends the shopper back; `checkout_id` is added to it, so the shop
   * resumes the same checkout there.
   */
  return_url?: string | undefined;
}

export type CheckoutResult =
  | {
      status: 'placed';
      checkout_id: string;
      order: OrderDetail;
      access_secret: string;
      promises: Array<{
        line_id: string;
        sku: string;
        mode: string;
        location_id: string | null;
        ready_at: string | null;
        delivery_date: string | null;
      }>;
    }
  | {
      status: 'requires_action';
      checkout_id: string;
      payment: Payment;
      /** Where the shopper approves the payment (the processor's page), or null when they need not go anywhere. */
      next_action: { type: 'redirect'; url: string } | null;
      reservations_expire_at: string | null;
    };

export interface CheckoutDeps extends StepsDeps {
  carts: CartsService;
  /** A guest's email becomes a customer (found or created) so her order joins one profile and timeline. */
  identity: Pick<IdentityService, 'resolve'>;
  availability: AvailabilityService;
  locations: LocationsService;
}

/** Which payment providers each entry point takes: shoppers pay themselves, agents take phone and chat orders. */
export const checkoutProviders = {
  store: ['test', 'gift_card', 'store_credit'],
  staff: ['manual', 'test', 'gift_card', 'store_credit'],
} as const;

export function createCheckoutService(deps: CheckoutDeps) {
  const { carts, reservations } = deps;

  /** Refuses providers this entry point does not take, naming the tender. */
  function checkProviders(tenders: CheckoutTender[], allowed: readonly string[]) {
    const errors = tenders.flatMap((t, i) =>
      allowed.includes(t.provider)
        ? []
        : [{ field: `body.payments.${i}.provider`, message: `must be one of ${allowed.join(', ')}` }],
    );
    if (errors.length)
      throw new AppError('validation_failed', 'A payment provider is not taken here.', { errors });
  }

  /**
   * Checks out a cart through a channel.
   * @example await checkout.checkoutCart('crt_…', { expected_total: { amount: 5998, currency: 'EUR' },
   *   payments: [{ provider: 'test', method: { token: 'tok_visa' } }] }, { channelId: 'cha_web', actor, source: 'checkout', providers: checkoutProviders.store })
   */
  async function checkoutCart(
    cartId: string,
    input: CheckoutInput,
    ctx: {
      channelId: string;
      actor: Actor;
      source: 'checkout' | 'phone' | 'chat';
      providers: readonly string[];
    },
  ): Promise<CheckoutResult> {
    checkProviders(input.payments, ctx.providers);
    if (input.payments.length === 0 && !input.payment_id)
      throw new AppError('validation_failed', 'body.payments must not be empty', {
        errors: [{ field: 'body.payments', message: 'must name at least one payment' }],
      });
    const stored = await carts.retrieveCart(cartId);
    // A guest who leaves her email is that email's customer from now on.
    const guest = await guestCustomerId(deps.identity, stored, input.email, {
      ...ctx,
      reason: 'guest checkout',
    });
    const cart = guest ? { ...stored, customer_id: guest } : stored;
    const checkoutId = input.checkout_id ?? newId('chk');
    // The card's approval page returns the shopper to the shop's page for this very checkout.
    const back = input.return_url ? new URL(input.return_url) : null;
    back?.searchParams.set('checkout_id', checkoutId);
    const tenders = input.payments.map((t) =>
      back && t.provider === 'test' ? { ...t, method: { ...t.method, return_url: back.toString() } } : t,
    );
    const giveBack = async () => {
      if (!input.payment_id) return;
      const p = await deps.payments.retrievePayment(input.payment_id).catch(() => null);
      if (p && p.cart_id === cart.id && p.order_id === null) await compensate(deps.payments, [p], ctx.actor);
    };

    const validate: Step<CheckoutState> = {
      name: 'validate',
      async run(s) {
        if (cart.status !== 'open')
          throw new AppError(
            'conflict',
            `The cart is ${cart.status}: it was already checked out or merged.`,
            {
              status_now: cart.status,
              errors: [{ field: 'params.id', message: `is ${cart.status}` }],
            },
          );
        if (cart.lines.length === 0)
          throw new AppError('validation_failed', 'The cart is empty.', {
            errors: [{ field: 'cart.lines', message: 'must not be empty' }],
          });
        if (!cart.customer_id && !s.email)
          throw new AppError('validation_failed', 'body.email is required for a guest checkout', {
            errors: [{ field: 'body.email', message: 'is required: the cart has no customer or email' }],
          });
        const resolved = await resolveDeliveries(deps, s.channel_id, cart.lines, input.delivery_point);
        return { result: { resolved } };
      },
    };

    const outcome = await runWorkflow<CheckoutState>(
      [
        validate,
        priceStep(deps, input.expected_total),
        reserveStep(deps, giveBack),
        payStep(deps, { tenders, payment_id: input.payment_id }),
        placeStep(deps),
      ],
      {
        checkout_id: checkoutId,
        channel_id: ctx.channelId,
        source: ctx.source,
        actor: ctx.actor,
        cart,
        persisted: true,
        email: input.email ?? cart.email,
        resolved: [],
        modes: new Map(),
        pricing: undefined as never,
        held: new Map(),
        payments: [],
        order: null,
      },
    );
    const s = outcome.state;
    if (outcome.status === 'suspended') {
      const expiries = await Promise.all(
        [...s.held.values()]
          .flat()
          .map(async (r) => (await reservations.retrieveReservation(r.id)).expires_at),
      );
      const first = expiries.filter((e): e is string => e !== null).sort()[0] ?? null;
      const payment = s.payments[0]!;
      const url = payment.details.next_action_url;
      return {
        status: 'requires_action',
        checkout_id: checkoutId,
        payment,
        next_action: typeof url === 'string' ? { type: 'redirect', url } : null,
        reservations_expire_at: first,
      };
    }
    return {
      status: 'placed',
      checkout_id: checkoutId,
      order: await deps.orders.retrieveOrder(s.order!.id),
      access_secret: s.order!.access_secret,
      promises: s.resolved.map((r) => ({
        line_id: r.line.id,
        sku: r.line.sku,
        mode: r.line.delivery_mode,
        location_id: r.location_id,
        ready_at: r.promise?.ready_at ?? null,
        delivery_date: r.promise?.delivery_date ?? null,
      })),
    };
  }

  return { checkoutCart };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;
