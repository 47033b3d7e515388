/** @module Routes: transfers between locations (/v1/transfers). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { LocationId, Reason, Sku, Units } from './inventory.schemas';
import { emptyBodyAsObject } from './reservation.routes';
import { transferStatuses } from './transfer.repository';
import type { TransfersService } from './transfer.service';

const tags = ['inventory'];

const TransferSchema = Type.Object(
  {
    id: Type.String(),
    from_location_id: Type.String(),
    to_location_id: Type.String(),
    status: Type.Enum(transferStatuses),
    eta: IsoTime,
    reason: Nullable(Type.String()),
    lines: Type.Array(
      Type.Object({
        sku: Type.String(),
        quantity: Type.Integer(),
        received_quantity: Nullable(Type.Integer()),
      }),
    ),
    shipped_at: IsoTime,
    received_at: Nullable(IsoTime),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Transfer' },
);

export function transfersRoutes(transfers: TransfersService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/transfers',
      {
        config: { access: 'inventory:write', audit: 'transfer.ship' },
        schema: {
          tags,
          summary: 'Ship a transfer: out of the source now, incoming at the destination with an ETA',
          body: strictObject({
            from_location_id: LocationId,
            to_location_id: LocationId,
            eta: IsoTime,
            lines: Type.Array(strictObject({ sku: Sku, quantity: Units }), { minItems: 1, maxItems: 1000 }),
            reason: Type.Optional(Reason),
          }),
          response: { 201: TransferSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await transfers.createTransfer(
              { ...request.body, eta: Date.parse(request.body.eta) },
              actorOf(request.principal),
            ),
          ),
    );

    app.get(
      '/v1/transfers',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary: 'List transfers, newest first',
          querystring: strictObject({
            ...ListQuery,
            location_id: Type.Optional(LocationId),
            status: Type.Optional(Type.Enum(transferStatuses)),
          }),
          response: { 200: listOf(TransferSchema) },
        },
      },
      async (request) => transfers.listTransfers(request.query),
    );

    app.get(
      '/v1/transfers/:id',
      {
        config: { access: 'inventory:read' },
        schema: { tags, summary: 'Retrieve a transfer', params: IdParams, response: { 200: TransferSchema } },
      },
      async (request) => transfers.retrieveTransfer(request.params.id),
    );

    app.post(
      '/v1/transfers/:id/receive',
      {
        config: { access: 'inventory:write', audit: 'transfer.receive' },
        preValidation: emptyBodyAsObject,
        schema: {
          tags,
          summary: 'Receive a transfer; quantities below what was sent record a shortfall',
          params: IdParams,
          body: strictObject({
            lines: Type.Optional(
              Type.Array(
                strictObject({ sku: Sku, quantity: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }),
                {
                  maxItems: 1000,
                },
              ),
            ),
          }),
          response: { 200: TransferSchema },
        },
      },
      async (request) =>
        transfers.receiveTransfer(request.params.id, request.body, actorOf(request.principal)),
    );
  };
}
