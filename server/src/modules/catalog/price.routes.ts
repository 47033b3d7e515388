/**
 * @module Routes: price lists (/v1/price-lists), prices (/v1/prices), the computed price a customer sees
 * (/v1/prices/compute, and /store/v1/prices for a publishable key's channel) and the channel comparison.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import type { PricesService } from './price.service';

import { Amount, Currency, Id, MoneySchema } from './price.schemas';
import { priceListsRoutes } from './price-list.routes';

const PriceSchema = Type.Object(
  {
    id: Type.String(),
    variant_id: Type.String(),
    price_list_id: Nullable(Type.String()),
    amount: Type.Integer(),
    currency: Type.String(),
    tax_inclusive: Type.Boolean(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Price' },
);

const PriceFields = {
  variant_id: Id,
  currency: Currency,
  amount: Amount,
  tax_inclusive: Type.Optional(
    Type.Boolean({ description: 'Default: like the variant’s other prices in the currency, else true' }),
  ),
};
const PriceBody = strictObject({
  ...PriceFields,
  price_list_id: Type.Optional(Nullable(Id)),
});

const SourceSchema = Type.Object({
  type: Type.Union([
    Type.Literal('base'),
    Type.Literal('price_list'),
    Type.Literal('sale'),
    Type.Literal('none'),
  ]),
  price_list_id: Nullable(Type.String()),
  name: Nullable(Type.String()),
  priority: Nullable(Type.Integer()),
  channel_specific: Type.Boolean(),
  segment_specific: Type.Boolean(),
});

const computedFields = {
  variant_id: Type.String(),
  currency: Type.String(),
  base: Nullable(MoneySchema),
  price: Nullable(MoneySchema),
  compare_at: Nullable(MoneySchema),
  tax_inclusive: Nullable(Type.Boolean()),
  source: SourceSchema,
  channel_exception: Type.Boolean(),
  reason: Type.String(),
};
const ConsideredSchema = Type.Object({
  price_list_id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  priority: Type.Integer(),
  price: MoneySchema,
  outcome: Type.String(),
});
const ComputedSchema = Type.Object(
  { ...computedFields, considered: Type.Array(ConsideredSchema) },
  { title: 'ComputedPrice' },
);
const StoreComputedSchema = Type.Object(computedFields, { title: 'StorePrice' });

const ComputeQuery = {
  variant_ids: Type.Array(Id, {
    minItems: 1,
    maxItems: 200,
    description: 'Repeat the parameter for each variant',
  }),
  currency: Currency,
  at: Type.Optional(IsoTime),
};

const ComparisonView = {
  price: Nullable(MoneySchema),
  compare_at: Nullable(MoneySchema),
  source: SourceSchema,
  reason: Type.String(),
};

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export function pricesRoutes(prices: PricesService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['prices'];

    await app.register(priceListsRoutes(prices));

    app.get(
      '/v1/prices',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'List stored prices',
          querystring: strictObject({
            ...ListQuery,
            variant_id: Type.Optional(Id),
            price_list_id: Type.Optional(Id),
            currency: Type.Optional(Currency),
            base: Type.Optional(
              Type.Boolean({ description: 'true: base prices only; false: list prices only' }),
            ),
          }),
          response: { 200: listOf(PriceSchema) },
        },
      },
      async (request) => prices.listPrices(request.query),
    );

    app.post(
      '/v1/prices',
      {
        config: { access: 'catalog:write', audit: 'price.create' },
        schema: {
          tags,
          summary: 'Create a base price, or a price in a list',
          body: PriceBody,
          response: { 201: PriceSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await prices.createPrice(request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/prices/batch',
      {
        config: { access: 'catalog:write', audit: 'price.batch' },
        schema: {
          tags,
          summary: 'Set many prices at once (create or change), all or nothing',
          body: strictObject({ prices: Type.Array(PriceBody, { minItems: 1, maxItems: 1000 }) }),
          response: { 200: Type.Object({ data: Type.Array(PriceSchema) }) },
        },
      },
      async (request) => ({
        data: await prices.upsertPrices(request.body.prices, actorOf(request.principal)),
      }),
    );

    app.get(
      '/v1/prices/compute',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary:
            'The price a customer sees in a channel, with the base price, the price a sale beat, and why',
          querystring: strictObject({ ...ComputeQuery, channel_id: Id, customer_id: Type.Optional(Id) }),
          response: {
            200: Type.Object({
              currency: Type.String(),
              channel_id: Type.String(),
              customer_id: Nullable(Type.String()),
              at: IsoTime,
              data: Type.Array(ComputedSchema),
            }),
          },
        },
      },
      async (request) => {
        const q = request.query;
        return prices.priceFor({
          variantIds: q.variant_ids,
          currency: q.currency,
          channelId: q.channel_id,
          customerId: q.customer_id,
          at: ms(q.at),
        });
      },
    );

    app.get(
      '/v1/prices/channels',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary:
            'Each variant’s price in every channel next to the default: where and why a channel differs',
          querystring: strictObject(ComputeQuery),
          response: {
            200: Type.Object({
              data: Type.Array(
                Type.Object({
                  variant_id: Type.String(),
                  currency: Type.String(),
                  default: Type.Object(ComparisonView),
                  channels: Type.Array(
                    Type.Object({
                      channel_id: Type.String(),
                      channel_name: Type.String(),
                      channel_kind: Type.String(),
                      ...ComparisonView,
                      differs: Type.Boolean(),
                    }),
                  ),
                }),
              ),
            }),
          },
        },
      },
      async (request) => ({
        data: await prices.compareChannels({
          variantIds: request.query.variant_ids,
          currency: request.query.currency,
          at: ms(request.query.at),
        }),
      }),
    );

    app.get(
      '/v1/prices/:id',
      {
        config: { access: 'catalog:read' },
        schema: { tags, summary: 'Retrieve a price', params: IdParams, response: { 200: PriceSchema } },
      },
      async (request) => prices.retrievePrice(request.params.id),
    );

    app.patch(
      '/v1/prices/:id',
      {
        config: { access: 'catalog:write', audit: 'price.update' },
        schema: {
          tags,
          summary: 'Change a price’s amount or tax flag',
          params: IdParams,
          body: strictObject({ amount: Type.Optional(Amount), tax_inclusive: Type.Optional(Type.Boolean()) }),
          response: { 200: PriceSchema },
        },
      },
      async (request) => prices.updatePrice(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/prices/:id',
      {
        config: { access: 'catalog:write', audit: 'price.delete' },
        schema: { tags, summary: 'Delete a price', params: IdParams },
      },
      async (request, reply) => {
        await prices.deletePrice(request.params.id, actorOf(request.principal));
        return reply.code(204).send();
      },
    );

    app.get(
      '/store/v1/prices',
      {
        config: { access: 'publishable' },
        schema: {
          tags: ['storefront'],
          summary:
            'Prices in this key’s channel for an anonymous shopper (same computation as every channel)',
          querystring: strictObject(ComputeQuery),
          response: {
            200: Type.Object({
              currency: Type.String(),
              channel_id: Type.String(),
              at: IsoTime,
              data: Type.Array(StoreComputedSchema),
            }),
          },
        },
      },
      async (request) => {
        if (request.principal.kind !== 'publishable_key')
          throw new AppError('forbidden', 'A publishable key is required.');
        const q = request.query;
        const result = await prices.priceFor({
          variantIds: q.variant_ids,
          currency: q.currency,
          channelId: request.principal.channelId,
          at: ms(q.at),
        });
        // The response schema leaves out `considered`: which other lists exist is not the shopper's business.
        return result;
      },
    );
  };
}
