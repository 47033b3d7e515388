/**
 * @module Routes of a reservation to try in store at the store's desk: `POST /v1/fulfilments/:id/sell` (pos:use;
 * the customer pays there for the lines they keep, the rest is released; Idempotency-Key required, like a POS
 * sale) and `POST /v1/fulfilments/:id/release` (orders:write; nothing bought, the units go back on sale). The desk
 * lists them with `GET /v1/fulfilments?mode=reserve_in_store&status=held&location_id=…`. The shopper's side is
 * `POST /store/v1/carts/:id/reserve-in-store` in checkout.routes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { AppError } from '../../platform/errors';
import { IdParams, strictObject } from '../../platform/http/schemas';
import { Money } from './cart.schemas';
import { OrderSchema } from './order.schemas';
import { PaymentMethodSchema } from './payment.schemas';
import type { ReserveService } from './reserve.service';

const tags = ['fulfilment'];

const SellBody = strictObject({
  keep_line_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
    minItems: 1,
    maxItems: 200,
    uniqueItems: true,
    description: 'The order lines the customer keeps; the others are released back on sale',
  }),
  tenders: Type.Array(
    strictObject({
      provider: Type.String({
        minLength: 1,
        maxLength: 32,
        description: 'cash, card_terminal, gift_card, store_credit',
      }),
      amount: Type.Integer({ minimum: 1, description: 'Minor units; the tenders add up to the kept total' }),
      method: Type.Optional(PaymentMethodSchema),
    }),
    { minItems: 1, maxItems: 10 },
  ),
});

/** A POST whose body is optional reads as `{}`, so the schema still rejects unknown fields. */
const emptyBody = async (request: { body: unknown }) => {
  if (request.body == null) request.body = {};
};

export function reserveRoutes(reserve: ReserveService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/fulfilments/:id/sell',
      {
        config: { access: 'pos:use' as const },
        schema: {
          tags,
          summary:
            'Reserved to try: sell the kept lines at the store (split tender), release the rest, hand over (Idempotency-Key required)',
          params: IdParams,
          body: SellBody,
          response: { 200: Type.Object({ order: OrderSchema, change_due: Money }) },
        },
      },
      async (request) => {
        if (!request.idempotency)
          throw new AppError('validation_failed', 'A sale needs an Idempotency-Key header.', {
            errors: [
              { field: 'headers.idempotency-key', message: 'is required: a retried sale must not double' },
            ],
          });
        return reserve.sellReservation(request.params.id, request.body, actorOf(request.principal));
      },
    );

    app.post(
      '/v1/fulfilments/:id/release',
      {
        config: { access: 'orders:write' as const },
        preValidation: emptyBody,
        schema: {
          tags,
          summary:
            'Reserved to try: the customer buys nothing; the order is cancelled and the units go back on sale',
          params: IdParams,
          body: strictObject({}),
          response: { 200: OrderSchema },
        },
      },
      async (request) => reserve.releaseReservation(request.params.id, actorOf(request.principal)),
    );
  };
}
