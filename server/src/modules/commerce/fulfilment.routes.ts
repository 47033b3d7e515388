/** @module Routes: fulfilments (/v1/fulfilments) — the queue of a location and the steps of each fulfilment. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import { fulfilmentStatuses } from './fulfilment.repository';
import type { FulfilmentsService } from './fulfilment.service';
import { lineDeliveryModes } from './order.repository';
import { FulfilmentSchema } from './order.schemas';

const tags = ['fulfilment'];

/** A POST whose body is optional reads as `{}`, so the schema still rejects unknown fields. */
const emptyBody = async (request: { body: unknown }) => {
  if (request.body == null) request.body = {};
};

const simpleSteps = [
  ['pick', 'pick', 'Picked from the shelves'],
  ['pack', 'pack', 'Packed'],
  ['out-for-delivery', 'out_for_delivery', 'Same-day: left the store with the courier'],
  ['deliver', 'deliver', 'Same-day: delivered (the goods are recorded as sold)'],
  ['hand-over', 'hand_over', 'POS: handed over at the till (the goods are recorded as sold)'],
] as const;

export function fulfilmentsRoutes(fulfilments: FulfilmentsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/fulfilments',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'The fulfilment queue of a location (pickup desk: mode=pickup), newest first',
          querystring: strictObject({
            ...ListQuery,
            location_id: Type.Optional(Type.String({ maxLength: 64 })),
            status: Type.Optional(Type.Enum(fulfilmentStatuses)),
            mode: Type.Optional(Type.Enum(lineDeliveryModes)),
            order_id: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: { 200: listOf(FulfilmentSchema) },
        },
      },
      async (request) => fulfilments.listFulfilments(request.query),
    );

    app.get(
      '/v1/fulfilments/:id',
      {
        config: { access: 'orders:read' },
        schema: {
          tags,
          summary: 'Retrieve a fulfilment',
          params: IdParams,
          response: { 200: FulfilmentSchema },
        },
      },
      async (request) => fulfilments.retrieveFulfilment(request.params.id),
    );

    for (const [path, step, summary] of simpleSteps)
      app.post(
        `/v1/fulfilments/:id/${path}`,
        {
          config: { access: 'orders:write' },
          preValidation: emptyBody,
          schema: {
            tags,
            summary,
            params: IdParams,
            body: strictObject({}),
            response: { 200: FulfilmentSchema },
          },
        },
        async (request) => fulfilments.advance(request.params.id, step, actorOf(request.principal)),
      );

    app.post(
      '/v1/fulfilments/:id/ship',
      {
        config: { access: 'orders:write' },
        preValidation: emptyBody,
        schema: {
          tags,
          summary: 'Shipped with the carrier (the goods are recorded as sold)',
          params: IdParams,
          body: strictObject({
            carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            tracking_number: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            tracking_url: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })),
          }),
          response: { 200: FulfilmentSchema },
        },
      },
      async (request) =>
        fulfilments.advance(request.params.id, 'ship', actorOf(request.principal), request.body),
    );

    app.post(
      '/v1/fulfilments/:id/receive-transfer',
      {
        config: { access: 'orders:write' },
        preValidation: emptyBody,
        schema: {
          tags,
          summary:
            'Pickup after transfer: the store received the units (the transfer is received, they are held here)',
          params: IdParams,
          body: strictObject({}),
          response: { 200: FulfilmentSchema },
        },
      },
      async (request) => fulfilments.receiveTransfer(request.params.id, actorOf(request.principal)),
    );

    app.post(
      '/v1/fulfilments/:id/ready-for-pickup',
      {
        config: { access: 'orders:write' },
        preValidation: emptyBody,
        schema: {
          tags,
          summary:
            'Ready at the store: issues a new pickup code (shown once, stored hashed) and starts the hold',
          params: IdParams,
          body: strictObject({}),
          response: { 200: Type.Object({ fulfilment: FulfilmentSchema, pickup_code: Type.String() }) },
        },
      },
      async (request) => fulfilments.readyForPickup(request.params.id, actorOf(request.principal)),
    );

    app.post(
      '/v1/fulfilments/:id/collect',
      {
        config: { access: 'orders:write' },
        schema: {
          tags,
          summary:
            'Hand a pickup over to the customer presenting its code; a wrong code → 422 pickup_code_mismatch',
          params: IdParams,
          body: strictObject({ code: Type.String({ minLength: 1, maxLength: 20 }) }),
          response: { 200: FulfilmentSchema },
        },
      },
      async (request) =>
        fulfilments.collect(request.params.id, request.body.code, actorOf(request.principal)),
    );
  };
}
