/** @module Routes: webhook endpoints, their delivery log, redelivery, and the catalogue of event types. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  IdParams,
  IsoTime,
  ListQuerySchema,
  Nullable,
  NullableIsoTime,
  listOf,
  strictObject,
} from '../http/schemas';
import { actorOf } from '../auth/principal';
import type { EventTypeDefinition } from './envelope';
import type { WebhooksService } from './webhooks.service';

const EndpointSchema = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    description: Type.String(),
    event_types: Type.Array(Type.String()),
    active: Type.Boolean(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'WebhookEndpoint' },
);

const DeliverySchema = Type.Object(
  {
    id: Type.String(),
    endpoint_id: Type.String(),
    event_id: Type.String(),
    event_type: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
    attempts: Type.Integer(),
    next_attempt_at: NullableIsoTime,
    last_status_code: Nullable(Type.Integer()),
    last_error: Nullable(Type.String()),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'WebhookDelivery' },
);

const EventTypesSchema = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  minItems: 1,
  maxItems: 100,
  description: 'Event types to receive; ["*"] for all',
});

const DeliveryParams = strictObject({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  deliveryId: Type.String({ minLength: 1, maxLength: 64 }),
});

export function webhooksRoutes(
  webhooks: WebhooksService,
  eventTypes: () => EventTypeDefinition[],
): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/event-types',
      {
        config: { access: 'webhooks:read' },
        schema: {
          tags: ['webhooks'],
          summary: 'Every event type Omnis emits',
          response: {
            200: Type.Object({
              data: Type.Array(Type.Object({ type: Type.String(), description: Type.String() })),
            }),
          },
        },
      },
      async () => ({ data: eventTypes().map(({ type, description }) => ({ type, description })) }),
    );

    app.get(
      '/v1/webhooks',
      {
        config: { access: 'webhooks:read' },
        schema: {
          tags: ['webhooks'],
          summary: 'List webhook endpoints',
          querystring: ListQuerySchema,
          response: { 200: listOf(EndpointSchema) },
        },
      },
      async (request) => webhooks.listWebhooks(request.query),
    );

    app.post(
      '/v1/webhooks',
      {
        config: { access: 'webhooks:write', audit: 'webhook_endpoint.create' },
        schema: {
          tags: ['webhooks'],
          summary: 'Create a webhook endpoint',
          description:
            'Deliveries are signed per Standard Webhooks with the returned `secret`, which is shown only here.',
          body: strictObject({
            url: Type.String({ minLength: 1, maxLength: 2000 }),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            event_types: EventTypesSchema,
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 201: Type.Object({ ...EndpointSchema.properties, secret: Type.String() }) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await webhooks.createWebhook(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/webhooks/:id',
      {
        config: { access: 'webhooks:read' },
        schema: {
          tags: ['webhooks'],
          summary: 'Retrieve a webhook endpoint',
          params: IdParams,
          response: { 200: EndpointSchema },
        },
      },
      async (request) => webhooks.retrieveWebhook(request.params.id),
    );

    app.patch(
      '/v1/webhooks/:id',
      {
        config: { access: 'webhooks:write', audit: 'webhook_endpoint.update' },
        schema: {
          tags: ['webhooks'],
          summary: 'Change a webhook endpoint',
          params: IdParams,
          body: strictObject({
            url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
            description: Type.Optional(Type.String({ maxLength: 500 })),
            event_types: Type.Optional(EventTypesSchema),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 200: EndpointSchema },
        },
      },
      async (request) => webhooks.updateWebhook(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/webhooks/:id',
      {
        config: { access: 'webhooks:write', audit: 'webhook_endpoint.delete' },
        schema: {
          tags: ['webhooks'],
          summary: 'Delete a webhook endpoint and its delivery log',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await webhooks.deleteWebhook(request.params.id, actorOf(request.principal));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/v1/webhooks/:id/rotate-secret',
      {
        config: { access: 'webhooks:write', audit: 'webhook_endpoint.rotate_secret' },
        schema: {
          tags: ['webhooks'],
          summary: 'Replace the signing secret',
          params: IdParams,
          response: { 200: Type.Object({ secret: Type.String() }) },
        },
      },
      async (request) => webhooks.rotateWebhookSecret(request.params.id, actorOf(request.principal)),
    );

    app.get(
      '/v1/webhooks/:id/deliveries',
      {
        config: { access: 'webhooks:read' },
        schema: {
          tags: ['webhooks'],
          summary: 'Delivery log of an endpoint, newest first',
          params: IdParams,
          querystring: ListQuerySchema,
          response: { 200: listOf(DeliverySchema) },
        },
      },
      async (request) => webhooks.listDeliveries(request.params.id, request.query),
    );

    app.get(
      '/v1/webhooks/:id/deliveries/:deliveryId',
      {
        config: { access: 'webhooks:read' },
        schema: {
          tags: ['webhooks'],
          summary: 'One delivery with its payload and every attempt',
          params: DeliveryParams,
          response: {
            200: Type.Object({
              ...DeliverySchema.properties,
              payload: Type.Record(Type.String(), Type.Unknown()),
              attempt_log: Type.Array(
                Type.Object({
                  attempted_at: IsoTime,
                  status_code: Nullable(Type.Integer()),
                  duration_ms: Type.Integer(),
                  error: Nullable(Type.String()),
                  response_body: Nullable(Type.String()),
                }),
              ),
            }),
          },
        },
      },
      async (request) => webhooks.retrieveDelivery(request.params.id, request.params.deliveryId),
    );

    app.post(
      '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
      {
        config: { access: 'webhooks:write', audit: 'webhook_delivery.redeliver' },
        schema: {
          tags: ['webhooks'],
          summary: 'Send a delivery again now',
          params: DeliveryParams,
          response: { 202: DeliverySchema },
        },
      },
      async (request, reply) =>
        reply.code(202).send(await webhooks.redeliver(request.params.id, request.params.deliveryId)),
    );
  };
}
