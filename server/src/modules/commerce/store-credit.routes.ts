/** @module Routes: a customer's store credit (/v1/customers/:id/store-credit): balances, ledger, adjustments with a reason. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, ListQuery, Nullable, strictObject } from '../../platform/http/schemas';
import { refuseCardNumbers } from './payment.pan';
import { Currency, MoneySchema, Reason, StoreCreditMovementSchema } from './payment.schemas';
import type { StoreCreditService } from './store-credit.service';

const tags = ['store credit'];

export function storeCreditRoutes(storeCredit: StoreCreditService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('preValidation', refuseCardNumbers);

    app.get(
      '/v1/customers/:id/store-credit',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'A customer’s store credit: balance per currency, and the ledger newest first',
          params: IdParams,
          querystring: strictObject(ListQuery),
          response: {
            200: Type.Object({
              balances: Type.Array(MoneySchema),
              movements: Type.Object({
                data: Type.Array(StoreCreditMovementSchema),
                next_cursor: Nullable(Type.String()),
              }),
            }),
          },
        },
      },
      async (request) => ({
        balances: await storeCredit.balances(request.params.id),
        movements: await storeCredit.listMovements(request.params.id, request.query),
      }),
    );

    app.post(
      '/v1/customers/:id/store-credit/adjustments',
      {
        config: { access: 'orders:write', audit: 'store_credit.adjust' },
        schema: {
          tags,
          summary: 'Credit (positive) or debit (negative) a customer’s store credit, with a reason',
          params: IdParams,
          body: strictObject({
            amount: strictObject({
              amount: Type.Integer({
                minimum: -1_000_000_000_000,
                maximum: 1_000_000_000_000,
                not: { const: 0 },
              }),
              currency: Currency,
            }),
            reason: Reason,
          }),
          response: { 201: Type.Object({ balance: MoneySchema }) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({
          balance: await storeCredit.adjust(request.params.id, request.body, actorOf(request.principal)),
        }),
    );
  };
}
