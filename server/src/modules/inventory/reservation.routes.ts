/** @module Routes: reservations (/v1/reservations) — reserve, confirm, release, fulfil, look up. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import {
  ChannelId,
  LocationId,
  ModeSchema,
  PointSchema,
  Reason,
  ReferenceSchema,
  Sku,
  Units,
} from './inventory.schemas';
import { reservationStatuses } from './reservation.repository';
import type { ReservationsService } from './reservation.service';

const tags = ['inventory'];

const ReservationSchema = Type.Object(
  {
    id: Type.String(),
    key: Nullable(Type.String()),
    status: Type.Enum(reservationStatuses),
    channel_id: Type.String(),
    sku: Type.String(),
    location_id: Type.String(),
    quantity: Type.Integer(),
    reference: Type.Object({ type: Type.String(), id: Type.String() }),
    transfer_id: Nullable(Type.String()),
    expires_at: Nullable(IsoTime),
    confirmed_at: Nullable(IsoTime),
    ended_at: Nullable(IsoTime),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Reservation' },
);

/** A POST whose body is optional: no body reads as `{}`, so the schema still rejects unknown fields. */
export async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

const ReservationKey = Type.String({
  pattern: '^[A-Za-z0-9._:-]{1,128}$',
  description: 'Per cart line: the same key returns the same reservation (letters, digits, . _ : -)',
});

export function reservationsRoutes(reservations: ReservationsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Reservations are recorded in the ledger with their actor, not in the audit log: they come from carts and
    // checkouts at a rate the staff audit log is not meant for.
    app.post(
      '/v1/reservations',
      {
        config: { access: 'inventory:write' },
        schema: {
          tags,
          summary: 'Reserve units for a cart or order, all lines or none; a line without location is sourced',
          body: strictObject({
            channel_id: ChannelId,
            reference: ReferenceSchema,
            lines: Type.Array(
              strictObject({
                sku: Sku,
                quantity: Units,
                location_id: Type.Optional(LocationId),
                key: Type.Optional(ReservationKey),
              }),
              { minItems: 1, maxItems: 100 },
            ),
            ttl_seconds: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 7 * 86_400,
                description: 'Default: the configured TTL (15 min)',
              }),
            ),
            delivery_mode: Type.Optional(ModeSchema),
            near: Type.Optional(PointSchema),
          }),
          response: {
            200: Type.Object({ data: Type.Array(ReservationSchema) }),
            201: Type.Object({ data: Type.Array(ReservationSchema) }),
          },
        },
      },
      async (request, reply) => {
        const result = await reservations.reserve(request.body, actorOf(request.principal));
        return reply.code(result.replayed ? 200 : 201).send({ data: result.reservations });
      },
    );

    app.get(
      '/v1/reservations',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary: 'List reservations, newest first',
          querystring: strictObject({
            ...ListQuery,
            reference_id: Type.Optional(Type.String({ maxLength: 100 })),
            sku: Type.Optional(Sku),
            location_id: Type.Optional(LocationId),
            channel_id: Type.Optional(ChannelId),
            status: Type.Optional(Type.Enum(reservationStatuses)),
          }),
          response: { 200: listOf(ReservationSchema) },
        },
      },
      async (request) => reservations.listReservations(request.query),
    );

    app.get(
      '/v1/reservations/:id',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary: 'Retrieve a reservation',
          params: IdParams,
          response: { 200: ReservationSchema },
        },
      },
      async (request) => reservations.retrieveReservation(request.params.id),
    );

    app.post(
      '/v1/reservations/:id/confirm',
      {
        config: { access: 'inventory:write' },
        schema: {
          tags,
          summary: 'Confirm an active reservation (the order was placed): it no longer expires',
          params: IdParams,
          response: { 200: ReservationSchema },
        },
      },
      async (request) => reservations.confirm(request.params.id, actorOf(request.principal)),
    );

    app.post(
      '/v1/reservations/:id/release',
      {
        config: { access: 'inventory:write' },
        preValidation: emptyBodyAsObject,
        schema: {
          tags,
          summary: 'Release an active or confirmed reservation: its units are free again',
          params: IdParams,
          body: strictObject({ reason: Type.Optional(Reason) }),
          response: { 200: ReservationSchema },
        },
      },
      async (request) =>
        reservations.release(request.params.id, actorOf(request.principal), request.body.reason),
    );

    app.post(
      '/v1/reservations/:id/fulfil',
      {
        config: { access: 'inventory:write' },
        schema: {
          tags,
          summary: 'Fulfil a confirmed reservation: the goods leave (a sale)',
          params: IdParams,
          response: { 200: ReservationSchema },
        },
      },
      async (request) => reservations.fulfil(request.params.id, actorOf(request.principal)),
    );
  };
}
