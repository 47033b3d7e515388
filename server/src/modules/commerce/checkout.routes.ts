/**
 * @module Checkout routes: the shopper's (`POST /store/v1/carts/:id/checkout`, publishable key + the cart's secret
 * or its customer's token) and the agent's (`POST /v1/carts/:id/checkout`: a phone or chat order taken for a
 * customer). 201 with the order when placed; 202 with a `checkout_id` when the card waits for the customer — with
 * `next_action.url`, the processor's approval page, which returns them to the `return_url` given — send the same
 * request again with `checkout_id` and `payment_id` once they confirmed. Send an `Idempotency-Key`: a
 * double submit is then one order.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf, type Actor, type Principal } from '../../platform/auth/principal';
import { AppError } from '../../platform/errors';
import { IdParams, IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import type { CartsService } from './cart.service';
import { ChannelId, Money } from './cart.schemas';
import { checkoutProviders, type CheckoutService } from './checkout.service';
import { OrderSchema } from './order.schemas';
import { PaymentMethodSchema, PaymentSchema } from './payment.schemas';
import type { ReserveService } from './reserve.service';
import type { CartSigner } from './resume.keys';

const Tender = strictObject({
  provider: Type.String({
    minLength: 1,
    maxLength: 32,
    description: 'test, gift_card, store_credit (agents: also manual)',
  }),
  amount: Type.Optional(Type.Integer({ minimum: 1, description: 'Minor units; omitted: the whole total' })),
  method: Type.Optional(PaymentMethodSchema),
});

const CheckoutBody = {
  expected_total: Type.Optional(
    strictObject({ amount: Type.Integer({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) }),
  ),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
  delivery_point: Type.Optional(
    strictObject({
      latitude: Type.Number({ minimum: -90, maximum: 90 }),
      longitude: Type.Number({ minimum: -180, maximum: 180 }),
    }),
  ),
  payments: Type.Array(Tender, { maxItems: 10 }),
  checkout_id: Type.Optional(Type.String({ pattern: '^chk_[A-Za-z0-9]+$', maxLength: 64 })),
  payment_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  return_url: Type.Optional(
    Type.String({
      pattern: '^https?://',
      maxLength: 1800,
      description: "Where a card's approval page sends the shopper back (checkout_id is added to it)",
    }),
  ),
};

const Promise_ = Type.Object({
  line_id: Type.String(),
  sku: Type.String(),
  mode: Type.String(),
  location_id: Nullable(Type.String()),
  ready_at: Nullable(IsoTime),
  delivery_date: Nullable(Type.String()),
});

const Pending = Type.Object({
  status: Type.Literal('requires_action'),
  checkout_id: Type.String(),
  payment: PaymentSchema,
  next_action: Nullable(
    Type.Object({
      type: Type.Literal('redirect'),
      url: Type.String({ description: "Open it in the shopper's browser: the processor's approval page" }),
    }),
  ),
  reservations_expire_at: Nullable(IsoTime),
});

const StorePlaced = Type.Object({
  status: Type.Literal('placed'),
  checkout_id: Type.String(),
  order: Type.Object({
    id: Type.String(),
    display_number: Type.String(),
    status: Type.String(),
    totals: Type.Object({ total: Money }),
  }),
  access_secret: Type.String({ description: 'Opens the order status page (X-Order-Secret); shown once' }),
  promises: Type.Array(Promise_),
});

const StaffPlaced = Type.Object({
  status: Type.Literal('placed'),
  checkout_id: Type.String(),
  order: OrderSchema,
  access_secret: Type.String(),
  promises: Type.Array(Promise_),
});

export interface CheckoutRoutesDeps {
  checkout: CheckoutService;
  carts: CartsService;
  signer: CartSigner;
  customerToken: (token: string) => Promise<Principal | null>;
  /** Reserve and try in store (no payment online). */
  reserve: ReserveService;
}

/** What the storefront learns of a placed order: enough for its confirmation page, no personal data. */
const placedSummary = (o: {
  id: string;
  display_number: string;
  status: string;
  totals: { total: { amount: number; currency: string } };
}) => ({ id: o.id, display_number: o.display_number, status: o.status, totals: { total: o.totals.total } });

export function checkoutRoutes(deps: CheckoutRoutesDeps): FastifyPluginAsyncTypebox {
  /** The shopper proves the cart: its secret, or the token of the customer who owns it; else a 404. */
  async function shopperOf(request: FastifyRequest, cartId: string): Promise<string | null> {
    const header = (name: string) => {
      const v = request.headers[name];
      return typeof v === 'string' ? v.trim() : '';
    };
    const token = header('x-customer-token');
    const principal = token ? await deps.customerToken(token) : null;
    if (token && principal?.kind !== 'customer')
      throw new AppError('unauthenticated', 'The customer token is unknown, expired or revoked.');
    const customerId = principal?.kind === 'customer' ? principal.customerId : null;
    const secret = header('x-cart-secret');
    const cart = await deps.carts.retrieveCart(cartId).catch(() => null);
    const allowed =
      cart &&
      ((secret && (await deps.signer.verifyCartSecret(cart.id, secret))) ||
        (customerId !== null && cart.customer_id === customerId));
    if (!allowed)
      throw new AppError(
        'not_found',
        `No cart with id ${cartId} for these credentials (X-Cart-Secret or X-Customer-Token).`,
      );
    return customerId;
  }

  /** The storefront's caller: its key's channel, and the shopper (her customer token or cart secret) as actor. */
  async function storeShopper(request: FastifyRequest, cartId: string) {
    if (request.principal.kind !== 'publishable_key')
      throw new AppError('forbidden', 'A publishable key is required.');
    const customerId = await shopperOf(request, cartId);
    const actor: Actor = customerId
      ? { type: 'customer', id: customerId, label: 'customer' }
      : actorOf(request.principal);
    return { channelId: request.principal.channelId, actor };
  }

  return async (app) => {
    app.post(
      '/store/v1/carts/:id/checkout',
      {
        config: { access: 'publishable' as const },
        schema: {
          tags: ['storefront'],
          security: [{ bearer: [] }],
          summary:
            'Check out the cart: reserve, pay, place the order (202 while the card waits for the shopper)',
          params: IdParams,
          body: strictObject(CheckoutBody),
          response: { 201: StorePlaced, 202: Pending },
        },
      },
      async (request, reply) => {
        const { channelId, actor } = await storeShopper(request, request.params.id);
        const result = await deps.checkout.checkoutCart(request.params.id, request.body, {
          channelId,
          actor,
          source: 'checkout',
          providers: checkoutProviders.store,
        });
        reply.code(result.status === 'placed' ? 201 : 202);
        const r = result;
        return r.status === 'placed' ? { ...r, order: placedSummary(r.order) } : r;
      },
    );

    app.post(
      '/store/v1/carts/:id/reserve-in-store',
      {
        config: { access: 'publishable' as const },
        schema: {
          tags: ['storefront'],
          security: [{ bearer: [] }],
          summary:
            'Reserve the whole cart at one store to try there: nothing is paid online; held until hold_until',
          params: IdParams,
          body: strictObject({
            location_id: Type.String({
              minLength: 1,
              maxLength: 64,
              description: 'A store that has every line now, for this channel',
            }),
            email: CheckoutBody.email,
            expected_total: CheckoutBody.expected_total,
          }),
          response: {
            201: Type.Object({
              order: StorePlaced.properties.order,
              access_secret: Type.String({
                description: 'Opens the order status page (X-Order-Secret); shown once',
              }),
              hold_until: IsoTime,
            }),
          },
        },
      },
      async (request, reply) => {
        const { channelId, actor } = await storeShopper(request, request.params.id);
        const r = await deps.reserve.reserveInStore(request.params.id, request.body, { channelId, actor });
        reply.code(201);
        return { ...r, order: placedSummary(r.order) };
      },
    );

    app.post(
      '/v1/carts/:id/checkout',
      {
        config: { access: 'orders:write' as const },
        schema: {
          tags: ['orders'],
          summary:
            "Check out a customer's cart for them (phone or chat order): manual, test card, gift card, store credit",
          params: IdParams,
          body: strictObject({
            channel_id: ChannelId,
            source: Type.Optional(Type.Union([Type.Literal('phone'), Type.Literal('chat')])),
            ...CheckoutBody,
          }),
          response: { 201: StaffPlaced, 202: Pending },
        },
      },
      async (request, reply) => {
        const { channel_id, source, ...input } = request.body;
        const result = await deps.checkout.checkoutCart(request.params.id, input, {
          channelId: channel_id,
          actor: actorOf(request.principal),
          source: source ?? 'phone',
          providers: checkoutProviders.staff,
        });
        reply.code(result.status === 'placed' ? 201 : 202);
        return result;
      },
    );
  };
}
