/** @module Routes: stock levels, receipts, manual movements, cycle counts, the ledger and channel allocation (/v1/stock…). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import type { AllocationService } from './allocation.service';
import {
  ChannelId,
  LocationId,
  MovementSchema,
  Reason,
  ReferenceSchema,
  Sku,
  StockLevelSchema,
  Units,
} from './inventory.schemas';
import { movementKinds } from './stock.repository';
import { manualMovementKinds, type StockService } from './stock.service';

const tags = ['inventory'];

const AllocationSchema = Type.Object(
  {
    channel_id: Type.String(),
    locations: Type.Array(
      Type.Object({
        location_id: Type.String(),
        code: Type.String(),
        name: Type.String(),
        priority: Type.Integer(),
        holdback: Type.Integer(),
      }),
    ),
  },
  { title: 'ChannelAllocation' },
);

export function stockRoutes(deps: {
  stock: StockService;
  allocations: AllocationService;
}): FastifyPluginAsyncTypebox {
  const { stock, allocations } = deps;
  return async (app) => {
    app.get(
      '/v1/stock',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary: 'List stock levels (SKU × location), in SKU order',
          querystring: strictObject({
            ...ListQuery,
            sku: Type.Optional(Sku),
            sku_prefix: Type.Optional(
              Type.String({
                pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$',
                maxLength: 64,
                description: 'SKUs starting with this, ignoring case',
              }),
            ),
            location_id: Type.Optional(LocationId),
            low: Type.Optional(Type.Boolean({ description: 'Only levels below their low-stock threshold' })),
          }),
          response: { 200: listOf(StockLevelSchema) },
        },
      },
      async (request) => stock.listLevels(request.query),
    );

    app.patch(
      '/v1/stock',
      {
        config: { access: 'inventory:write', audit: 'stock.update_levels' },
        schema: {
          tags,
          summary: 'Set safety stock and low-stock thresholds of levels',
          body: strictObject({
            levels: Type.Array(
              strictObject({
                sku: Sku,
                location_id: LocationId,
                safety_stock: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
                low_stock_threshold: Type.Optional(
                  Nullable(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
                ),
              }),
              { minItems: 1, maxItems: 1000 },
            ),
          }),
          response: { 200: Type.Object({ data: Type.Array(StockLevelSchema) }) },
        },
      },
      async (request) => ({ data: await stock.updateLevels(request.body, actorOf(request.principal)) }),
    );

    app.post(
      '/v1/stock/receipts',
      {
        config: { access: 'inventory:write', audit: 'stock.receive' },
        schema: {
          tags,
          summary: 'Receive units into stock at one or more locations (up to 5,000 lines)',
          body: strictObject({
            lines: Type.Array(strictObject({ sku: Sku, location_id: LocationId, quantity: Units }), {
              minItems: 1,
              maxItems: 5000,
            }),
            reason: Type.Optional(Reason),
            reference: Type.Optional(ReferenceSchema),
          }),
          response: { 201: Type.Object({ data: Type.Array(StockLevelSchema) }) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ data: await stock.receiveStock(request.body, actorOf(request.principal)) }),
    );

    app.post(
      '/v1/stock/movements',
      {
        config: { access: 'inventory:write', audit: 'stock.move' },
        schema: {
          tags,
          summary: 'Record an adjustment, damage, POS sale or return restock at a location',
          body: strictObject({
            location_id: LocationId,
            kind: Type.Enum(manualMovementKinds),
            lines: Type.Array(
              strictObject({
                sku: Sku,
                quantity: Type.Integer({
                  minimum: -1_000_000,
                  maximum: 1_000_000,
                  description: 'Units; signed for an adjustment (−3 removes three), at least 1 otherwise',
                }),
              }),
              { minItems: 1, maxItems: 500 },
            ),
            reason: Type.Optional(Reason),
            channel_id: Type.Optional(ChannelId),
            reference: Type.Optional(ReferenceSchema),
          }),
          response: { 201: Type.Object({ data: Type.Array(StockLevelSchema) }) },
        },
      },
      async (request, reply) =>
        reply.code(201).send({ data: await stock.recordMovements(request.body, actorOf(request.principal)) }),
    );

    app.get(
      '/v1/stock/movements',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary: 'The stock ledger, newest first',
          querystring: strictObject({
            ...ListQuery,
            sku: Type.Optional(Sku),
            location_id: Type.Optional(LocationId),
            kind: Type.Optional(Type.Enum(movementKinds)),
            reference_id: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: { 200: listOf(MovementSchema) },
        },
      },
      async (request) => stock.listMovements(request.query),
    );

    app.post(
      '/v1/stock/counts',
      {
        config: { access: 'inventory:write', audit: 'stock.count' },
        schema: {
          tags,
          summary: 'Record a cycle count at a location; the variance goes to the ledger',
          body: strictObject({
            location_id: LocationId,
            lines: Type.Array(
              strictObject({ sku: Sku, counted: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }),
              {
                minItems: 1,
                maxItems: 1000,
              },
            ),
            reason: Type.Optional(Reason),
          }),
          response: {
            201: Type.Object({
              count_id: Type.String(),
              location_id: Type.String(),
              lines: Type.Array(
                Type.Object({
                  sku: Type.String(),
                  expected: Type.Integer(),
                  counted: Type.Integer(),
                  variance: Type.Integer(),
                }),
              ),
            }),
          },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await stock.countStock(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/stock/allocations/:channelId',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary: 'Which locations a channel sells from, in which priority, holding back how much',
          params: strictObject({ channelId: ChannelId }),
          response: { 200: AllocationSchema },
        },
      },
      async (request) => allocations.retrieveAllocation(request.params.channelId),
    );

    app.put(
      '/v1/stock/allocations/:channelId',
      {
        config: { access: 'inventory:write', audit: 'stock.allocate' },
        schema: {
          tags,
          summary: 'Replace the locations a channel sells from',
          params: strictObject({ channelId: ChannelId }),
          body: strictObject({
            locations: Type.Array(
              strictObject({
                location_id: LocationId,
                priority: Type.Integer({ minimum: 0, maximum: 1000, description: 'Lower sells first' }),
                holdback: Type.Optional(
                  Type.Integer({
                    minimum: 0,
                    maximum: 1_000_000,
                    description: 'Units of every SKU at this location the channel may not sell (default 0)',
                  }),
                ),
              }),
              { maxItems: 1000 },
            ),
          }),
          response: { 200: AllocationSchema },
        },
      },
      async (request) =>
        allocations.updateAllocation(request.params.channelId, request.body, actorOf(request.principal)),
    );
  };
}
