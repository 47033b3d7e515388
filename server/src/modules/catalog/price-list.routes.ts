/** @module Routes: price lists (/v1/price-lists) — override and sale prices for channels, segments and a window. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import {
  IdParams,
  IsoTime,
  ListQuery,
  Nullable,
  NullableIsoTime,
  listOf,
  strictObject,
} from '../../platform/http/schemas';
import { priceListStatuses, priceListTypes } from './price.repository';
import { Amount, Currency, Id, Ids } from './price.schemas';
import type { PricesService } from './price.service';

const PriceListSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    type: Type.Enum(priceListTypes),
    status: Type.Enum(priceListStatuses),
    channel_ids: Type.Array(Type.String()),
    segment_ids: Type.Array(Type.String()),
    starts_at: NullableIsoTime,
    ends_at: NullableIsoTime,
    priority: Type.Integer(),
    price_count: Type.Integer(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'PriceList' },
);

const PriceFields = {
  variant_id: Id,
  currency: Currency,
  amount: Amount,
  tax_inclusive: Type.Optional(
    Type.Boolean({ description: 'Default: like the variant’s other prices in the currency, else true' }),
  ),
};

const ListSettings = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  status: Type.Optional(Type.Enum(priceListStatuses)),
  channel_ids: Type.Optional(Ids),
  segment_ids: Type.Optional(Ids),
  starts_at: Type.Optional(NullableIsoTime),
  ends_at: Type.Optional(NullableIsoTime),
  priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000, description: 'Higher wins' })),
};

export function priceListsRoutes(prices: PricesService): FastifyPluginAsyncTypebox {
  return async (app) => {
    const tags = ['prices'];

    app.get(
      '/v1/price-lists',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'List price lists',
          querystring: strictObject({
            ...ListQuery,
            status: Type.Optional(Type.Enum(priceListStatuses)),
            type: Type.Optional(Type.Enum(priceListTypes)),
          }),
          response: { 200: listOf(PriceListSchema) },
        },
      },
      async (request) => prices.listPriceLists(request.query),
    );

    app.post(
      '/v1/price-lists',
      {
        config: { access: 'catalog:write', audit: 'price_list.create' },
        schema: {
          tags,
          summary:
            'Create a price list (override or sale) for channels, segments and a time window, with its prices',
          body: strictObject({
            name: Type.String({ minLength: 1, maxLength: 200 }),
            type: Type.Optional(Type.Enum(priceListTypes)),
            ...ListSettings,
            prices: Type.Optional(Type.Array(strictObject(PriceFields), { maxItems: 1000 })),
          }),
          response: { 201: PriceListSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await prices.createPriceList(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/price-lists/:id',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'Retrieve a price list',
          params: IdParams,
          response: { 200: PriceListSchema },
        },
      },
      async (request) => prices.retrievePriceList(request.params.id),
    );

    app.patch(
      '/v1/price-lists/:id',
      {
        config: { access: 'catalog:write', audit: 'price_list.update' },
        schema: {
          tags,
          summary: 'Change a price list’s name, status, channels, segments, window or priority',
          params: IdParams,
          body: strictObject({
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            ...ListSettings,
          }),
          response: { 200: PriceListSchema },
        },
      },
      async (request) => prices.updatePriceList(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/price-lists/:id',
      {
        config: { access: 'catalog:write', audit: 'price_list.delete' },
        schema: { tags, summary: 'Delete a price list and its prices', params: IdParams },
      },
      async (request, reply) => {
        await prices.deletePriceList(request.params.id, actorOf(request.principal));
        return reply.code(204).send();
      },
    );
  };
}
