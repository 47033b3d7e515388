/**
 * @module Routes: the staff side of self-service — minting a preference link for a message, listing and
 * revoking a customer's links, and deciding customers' erasure requests.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { erasureRejectionReasons } from './self-service.erasure';
import type { SelfService } from './self-service.service';
import { ErasureRequestSchema } from './self-service.routes';
import type { AccessTokens } from './self-service.tokens';

const LinkSchema = Type.Object(
  {
    id: Type.String(),
    customer_id: Type.String(),
    source: Type.String({ description: 'staff | request' }),
    status: Type.String({ description: 'requested (not issued yet) | active | expired | revoked' }),
    channel_id: Nullable(Type.String()),
    sent_via: Nullable(Type.String({ description: 'email | sms' })),
    created_at: IsoTime,
    issued_at: Nullable(IsoTime),
    expires_at: IsoTime,
    revoked_at: Nullable(IsoTime),
    last_used_at: Nullable(IsoTime),
  },
  { title: 'PreferenceLink' },
);

export function selfServiceStaffRoutes(deps: {
  selfService: SelfService;
  tokens: AccessTokens;
}): FastifyPluginAsyncTypebox {
  const { selfService, tokens } = deps;
  return async (app) => {
    app.post(
      '/v1/customers/:id/preference-links',
      {
        config: { access: 'customers:write', audit: 'customer.preference_link' },
        schema: {
          tags: ['customers', 'self-service'],
          summary: 'Mint a preference-centre link for a message to this customer (the token is shown once)',
          params: IdParams,
          body: strictObject({
            channel_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
            identifier_id: Type.Optional(
              Nullable(
                Type.String({
                  minLength: 1,
                  maxLength: 64,
                  description: 'The email or phone identifier the message goes to (proves it when opened)',
                }),
              ),
            ),
          }),
          response: {
            201: Type.Object({
              id: Type.String(),
              customer_id: Type.String(),
              token: Type.String(),
              path: Type.String(),
              url: Type.String(),
              expires_at: IsoTime,
            }),
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await tokens.createPreferenceLink(request.params.id, request.body, actorOf(request.principal)),
          ),
    );

    app.get(
      '/v1/customers/:id/preference-links',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers', 'self-service'],
          summary: 'The customer’s self-service links and requests, newest first (never the tokens)',
          params: IdParams,
          querystring: strictObject(ListQuery),
          response: { 200: listOf(LinkSchema) },
        },
      },
      async (request) => tokens.listLinks(request.params.id, request.query),
    );

    app.post(
      '/v1/customers/:id/preference-links/revoke',
      {
        config: { access: 'customers:write', audit: 'customer.preference_links_revoke' },
        schema: {
          tags: ['customers', 'self-service'],
          summary: 'Revoke every working self-service link of the customer',
          params: IdParams,
          response: { 200: Type.Object({ customer_id: Type.String(), revoked: Type.Integer() }) },
        },
      },
      async (request) => tokens.revokeLinks(request.params.id, actorOf(request.principal)),
    );

    app.get(
      '/v1/erasure-requests',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers', 'privacy'],
          summary: 'Customers’ erasure requests, newest first; ?status=pending is the queue to decide',
          querystring: strictObject({
            ...ListQuery,
            status: Type.Optional(Type.Enum(['pending', 'completed', 'rejected', 'cancelled'])),
          }),
          response: { 200: listOf(ErasureRequestSchema) },
        },
      },
      async (request) => selfService.listErasureRequests(request.query),
    );

    app.post(
      '/v1/erasure-requests/:id/confirm',
      {
        config: { access: 'customers:erase', audit: 'customer.erase' },
        schema: {
          tags: ['customers', 'privacy'],
          summary: 'Confirm a pending erasure request: the person is erased everywhere (cannot be undone)',
          params: IdParams,
          body: strictObject({
            suppress: Type.Optional(
              Type.Boolean({
                description: 'Keep salted hashes so a re-import does not re-create the person',
              }),
            ),
          }),
          response: {
            200: Type.Object({ request: ErasureRequestSchema, profiles: Type.Array(Type.String()) }),
          },
        },
      },
      async (request) =>
        selfService.confirmErasureRequest(request.params.id, actorOf(request.principal), {
          suppress: request.body.suppress ?? false,
        }),
    );

    app.post(
      '/v1/erasure-requests/:id/reject',
      {
        config: { access: 'customers:erase', audit: 'customer.erasure_request_reject' },
        schema: {
          tags: ['customers', 'privacy'],
          summary: 'Reject a pending erasure request for a stated reason (GDPR Art. 17(3))',
          params: IdParams,
          body: strictObject({ reason: Type.Enum(erasureRejectionReasons) }),
          response: { 200: ErasureRequestSchema },
        },
      },
      async (request) =>
        selfService.rejectErasureRequest(request.params.id, request.body.reason, actorOf(request.principal)),
    );
  };
}
