/**
 * @module POS routes: `POST /v1/pos/preview` (pos:use; the exact totals a sale would charge, nothing held),
 * `POST /v1/pos/sales` (pos:use; an Idempotency-Key is required, so a retried sale is the same sale; `expected_total`
 * from the preview guards against a price changed meanwhile) and `GET /v1/orders/:id/receipt` (a printable receipt
 * in the customer's locale).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { AppError } from '../../platform/errors';
import { IdParams, IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import { AddressSchema, Money, PricingSchema } from './cart.schemas';
import { OrderSchema, Sku } from './order.schemas';
import { PaymentMethodSchema } from './payment.schemas';
import { receiptOf, type ReceiptDeps } from './pos.receipt';
import type { PosService } from './pos.service';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Text = Type.Object({ amount: Type.Integer(), currency: Type.String(), text: Type.String() });

/** The sale as the till builds it, without its tenders: what `/v1/pos/preview` prices. */
const SaleFields = {
  location_id: Id,
  customer_id: Type.Optional(Id),
  cart_id: Type.Optional(
    Type.String({ minLength: 1, maxLength: 64, description: "A customer's online cart, pulled up" }),
  ),
  lines: Type.Optional(
    Type.Array(
      strictObject({
        sku: Sku,
        quantity: Type.Integer({ minimum: 1, maximum: 10_000 }),
        mode: Type.Optional(
          Type.Union([Type.Literal('handover'), Type.Literal('ship')], {
            description: 'handover (default): taken now; ship: endless aisle, sent from another location',
          }),
        ),
      }),
      { maxItems: 200 },
    ),
  ),
  shipping_address: Type.Optional(AddressSchema),
};

const PreviewBody = strictObject(SaleFields);

const SaleBody = strictObject({
  ...SaleFields,
  expected_total: Type.Optional(
    strictObject(
      { amount: Type.Integer({ minimum: 0 }), currency: Type.String({ pattern: '^[A-Z]{3}$' }) },
      {
        description:
          "The preview's grand_total the till showed: another total now → 409 checkout_price_changed with `pricing`, nothing charged or held",
      },
    ),
  ),
  tenders: Type.Array(
    strictObject({
      provider: Type.String({
        minLength: 1,
        maxLength: 32,
        description: 'cash, card_terminal, gift_card, store_credit',
      }),
      amount: Type.Optional(
        Type.Integer({ minimum: 1, description: 'Minor units; omitted for a single tender' }),
      ),
      method: Type.Optional(PaymentMethodSchema),
    }),
    { minItems: 1, maxItems: 10 },
  ),
});

const ReceiptSchema = Type.Object(
  {
    order_id: Type.String(),
    number: Type.String(),
    placed_at: IsoTime,
    placed_at_text: Type.String(),
    locale: Type.String(),
    labels: Type.Record(Type.String(), Type.String()),
    store: Nullable(
      Type.Object({ name: Type.String(), address: Type.Record(Type.String(), Type.Unknown()) }),
    ),
    lines: Type.Array(
      Type.Object({
        sku: Type.String(),
        title: Type.String(),
        quantity: Type.Integer(),
        unit_price: Text,
        discount: Text,
        total: Text,
        mode: Type.String(),
      }),
    ),
    totals: Type.Object({ subtotal: Text, discount: Text, shipping: Text, tax: Text, total: Text }),
    payments: Type.Array(
      Type.Object({
        provider: Type.String(),
        label: Type.String(),
        amount: Text,
        change_due: Nullable(Text),
        last4: Nullable(Type.String()),
      }),
    ),
  },
  { title: 'Receipt' },
);

export function posRoutes(deps: { pos: PosService } & ReceiptDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/pos/sales',
      {
        config: { access: 'pos:use' as const },
        schema: {
          tags: ['pos'],
          summary: 'Ring up a sale at a store: split tender, handed over at once (Idempotency-Key required)',
          body: SaleBody,
          response: { 201: Type.Object({ order: OrderSchema, change_due: Money }) },
        },
      },
      async (request, reply) => {
        if (!request.idempotency)
          throw new AppError('validation_failed', 'A POS sale needs an Idempotency-Key header.', {
            errors: [
              { field: 'headers.idempotency-key', message: 'is required: a retried sale must not double' },
            ],
          });
        const sale = await deps.pos.createSale(request.body, actorOf(request.principal));
        return reply.code(201).send(sale);
      },
    );

    app.post(
      '/v1/pos/preview',
      {
        config: { access: 'pos:use' as const },
        schema: {
          tags: ['pos'],
          summary:
            'Price a sale as the till would ring it up (lines, discounts, tax, total); nothing is held or charged',
          body: PreviewBody,
          response: { 200: PricingSchema },
        },
      },
      async (request) => deps.pos.previewSale(request.body),
    );

    app.get(
      '/v1/orders/:id/receipt',
      {
        config: { access: 'orders:read' as const },
        schema: {
          tags: ['pos'],
          summary: "A printable receipt of the order, in the customer's locale",
          params: IdParams,
          response: { 200: ReceiptSchema },
        },
      },
      async (request) => receiptOf(deps, request.params.id),
    );
  };
}
