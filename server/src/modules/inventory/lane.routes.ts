/** @module Routes: transfer lanes, the lead time between two locations (/v1/transfer-lanes). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { LocationId } from './inventory.schemas';
import type { TransferLanesService } from './lane.service';
import { weekdays } from './location.repository';

const tags = ['inventory'];

const LeadHours = Type.Integer({
  minimum: 0,
  maximum: 24 * 60,
  description: 'Hours from departure to arrival at the destination (0: same day)',
});
const DepartureDays = Nullable(
  Type.Array(Type.Enum(weekdays), {
    uniqueItems: true,
    maxItems: 7,
    description:
      'Weekdays transfers leave on, in the source’s time zone; null or empty: any day. A transfer made on another ' +
      'day waits for the next one (from its start).',
  }),
);

const LaneSchema = Type.Object(
  {
    id: Type.String(),
    from_location_id: Type.String(),
    to_location_id: Type.String(),
    lead_hours: Type.Integer(),
    departure_days: Nullable(Type.Array(Type.Enum(weekdays))),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'TransferLane' },
);

export function transferLanesRoutes(lanes: TransferLanesService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/transfer-lanes',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary: 'List transfer lanes, newest first',
          querystring: strictObject({
            ...ListQuery,
            from_location_id: Type.Optional(LocationId),
            to_location_id: Type.Optional(LocationId),
          }),
          response: { 200: listOf(LaneSchema) },
        },
      },
      async (request) => lanes.listTransferLanes(request.query),
    );

    app.post(
      '/v1/transfer-lanes',
      {
        config: { access: 'inventory:write', audit: 'transfer_lane.create' },
        schema: {
          tags,
          summary: 'Create the lane of a pair of locations: its lead time, optionally its departure days',
          body: strictObject({
            from_location_id: LocationId,
            to_location_id: LocationId,
            lead_hours: LeadHours,
            departure_days: Type.Optional(DepartureDays),
          }),
          response: { 201: LaneSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await lanes.createTransferLane(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/transfer-lanes/:id',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary: 'Retrieve a transfer lane',
          params: IdParams,
          response: { 200: LaneSchema },
        },
      },
      async (request) => lanes.retrieveTransferLane(request.params.id),
    );

    app.patch(
      '/v1/transfer-lanes/:id',
      {
        config: { access: 'inventory:write', audit: 'transfer_lane.update' },
        schema: {
          tags,
          summary: 'Change a lane’s lead time or departure days',
          params: IdParams,
          body: strictObject({
            lead_hours: Type.Optional(LeadHours),
            departure_days: Type.Optional(DepartureDays),
          }),
          response: { 200: LaneSchema },
        },
      },
      async (request) =>
        lanes.updateTransferLane(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/transfer-lanes/:id',
      {
        config: { access: 'inventory:write', audit: 'transfer_lane.delete' },
        schema: {
          tags,
          summary: 'Delete a lane: the pair uses the global lead time again',
          params: IdParams,
        },
      },
      async (request, reply) => {
        await lanes.deleteTransferLane(request.params.id, actorOf(request.principal));
        return reply.code(204).send();
      },
    );
  };
}
