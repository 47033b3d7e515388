/**
 * @module Routes: customer self-service on /store/v1. Asking for a link takes the storefront's publishable key;
 * everything under /store/v1/me takes only the customer token in `X-Customer-Token` (the page a customer opens
 * from a message has no key, and the token already names one customer and the channel it was made for).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { recordAudit } from '../../platform/audit/audit';
import { actorOf } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { AppError } from '../../platform/errors';
import { IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import { communicationChannels, consentPurposes, recordableStatuses } from './consent.rules';
import type { CustomerCaller, SelfService } from './self-service.service';
import type { AccessTokens } from './self-service.tokens';

const HhMm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: "local time 'HH:MM'" });
const Locale = Type.String({
  pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$',
  maxLength: 35,
  description: 'BCP 47 language tag: en, es, ru, pt-BR…',
});

export const ErasureRequestSchema = Type.Object(
  {
    id: Type.String(),
    customer_id: Type.String(),
    status: Type.String({ description: 'pending | completed | rejected | cancelled' }),
    channel_id: Nullable(Type.String()),
    requested_at: IsoTime,
    due_at: IsoTime,
    decided_at: Nullable(IsoTime),
    reason: Nullable(Type.String()),
  },
  { title: 'ErasureRequest' },
);

const MeSchema = Type.Object(
  {
    customer: Type.Object({
      id: Type.String(),
      first_name: Nullable(Type.String()),
      locale: Nullable(Type.String()),
      timezone: Nullable(Type.String()),
    }),
    consents: Type.Array(
      Type.Object({
        purpose: Type.String(),
        channel: Nullable(Type.String()),
        status: Type.String({ description: 'granted | denied | withdrawn | pending_confirmation' }),
        source: Type.String(),
        occurred_at: IsoTime,
      }),
    ),
    preferences: Type.Object({
      preferred_channel: Nullable(Type.String()),
      quiet_hours: Nullable(
        Type.Object({ start: Type.String(), end: Type.String(), timezone: Nullable(Type.String()) }),
      ),
    }),
    erasure_request: Nullable(ErasureRequestSchema),
    link: Type.Object({
      expires_at: IsoTime,
      proves_email: Type.Boolean({
        description:
          'The link came by email: granting email marketing through it needs no second confirmation',
      }),
    }),
  },
  { title: 'SelfServiceMe' },
);

/** Documents the credential in OpenAPI (components.securitySchemes.customerToken, declared in app.ts). */
const customerSecurity = [{ customerToken: [] }];

function callerOf(request: FastifyRequest): CustomerCaller {
  const p = request.principal;
  if (p.kind !== 'customer') throw new AppError('unauthenticated', 'A customer token is required.');
  return { customerId: p.customerId, tokenId: p.tokenId, channelId: p.channelId };
}

export function selfServiceRoutes(deps: {
  db: Db;
  selfService: SelfService;
  tokens: AccessTokens;
}): FastifyPluginAsyncTypebox {
  const { selfService, tokens } = deps;
  const me = { config: { access: 'customer' as const }, tags: ['store', 'self-service'] };
  return async (app) => {
    // A customer's own data must not stay in a shared or proxy cache. This plugin is not wrapped with
    // fastify-plugin, so the hook applies to these routes only.
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });

    app.post(
      '/store/v1/customer-token',
      {
        config: { access: 'publishable' },
        schema: {
          tags: me.tags,
          summary:
            'Ask for a self-service link by email or text; the answer is the same whether the address is known or not',
          body: strictObject({
            email: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
            phone: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
          }),
          response: { 202: Type.Object({ accepted: Type.Boolean(), detail: Type.String() }) },
        },
      },
      async (request, reply) => {
        if (request.principal.kind !== 'publishable_key')
          throw new AppError('forbidden', 'A publishable key is required.');
        const { email, phone } = request.body;
        if ((email === undefined) === (phone === undefined)) {
          const message = 'give either email or phone, not both';
          throw new AppError('validation_failed', `body ${message}`, {
            errors: [
              { field: 'body.email', message },
              { field: 'body.phone', message },
            ],
          });
        }
        await tokens.requestAccessLink(
          email !== undefined ? { email } : { phone: phone! },
          request.principal.channelId,
        );
        return reply.code(202).send({
          accepted: true,
          detail: 'If we know this address, a link to manage your preferences is on its way.',
        });
      },
    );

    app.get(
      '/store/v1/me',
      {
        config: me.config,
        schema: {
          tags: me.tags,
          summary: 'The customer’s own preference centre: consents, preferences, language, erasure request',
          security: customerSecurity,
          response: { 200: MeSchema },
        },
      },
      async (request) => selfService.retrieveMe(callerOf(request)),
    );

    app.post(
      '/store/v1/me/consents',
      {
        config: me.config,
        schema: {
          tags: me.tags,
          summary:
            'Change consents (source customer, with the wording shown); email marketing may need a confirmation',
          security: customerSecurity,
          body: strictObject({
            consents: Type.Array(
              strictObject({
                purpose: Type.Enum(consentPurposes),
                channel: Type.Optional(Type.Enum(communicationChannels)),
                status: Type.Enum(recordableStatuses),
                evidence: strictObject({
                  wording: Type.String({ minLength: 1, maxLength: 4000, description: 'The text shown' }),
                  version: Type.String({
                    minLength: 1,
                    maxLength: 100,
                    description: 'Version of the wording',
                  }),
                }),
              }),
              { minItems: 1, maxItems: 20 },
            ),
          }),
          response: {
            200: Type.Object({
              customer_id: Type.String(),
              consents: Type.Array(
                Type.Object({
                  id: Type.String(),
                  purpose: Type.String(),
                  channel: Nullable(Type.String()),
                  status: Type.String(),
                  current: Type.Boolean(),
                }),
              ),
              confirmation_requested: Type.Boolean({
                description: 'A confirmation link is being mailed to the customer (double opt-in)',
              }),
            }),
          },
        },
      },
      async (request) => {
        const userAgent = request.headers['user-agent'];
        return selfService.recordMyConsents(callerOf(request), request.body.consents, {
          ip: request.ip,
          userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 1000) : undefined,
        });
      },
    );

    app.put(
      '/store/v1/me/preferences',
      {
        config: me.config,
        schema: {
          tags: me.tags,
          summary: 'Set preferred channel, quiet hours (in the profile timezone), timezone and language',
          security: customerSecurity,
          body: strictObject({
            preferred_channel: Nullable(Type.Enum(communicationChannels)),
            quiet_hours: Nullable(strictObject({ start: HhMm, end: HhMm })),
            timezone: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
            locale: Type.Optional(Locale),
          }),
          response: { 200: MeSchema },
        },
      },
      async (request) => selfService.updateMyPreferences(callerOf(request), request.body),
    );

    app.get(
      '/store/v1/me/export',
      {
        config: me.config,
        schema: {
          tags: me.tags,
          summary: 'Download everything Omnis holds about me: the same JSON archive staff get',
          security: customerSecurity,
          response: {
            200: Type.Object({
              customer_id: Type.String(),
              merged_profiles: Type.Array(Type.String()),
              exported_at: Type.String(),
              data: Type.Record(Type.String(), Type.Unknown()),
            }),
          },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const archive = await selfService.exportMe(caller);
        await recordAudit(deps.db, {
          actor: actorOf(request.principal),
          action: 'customer.export',
          targetType: 'customer',
          targetId: archive.customer_id,
          ip: request.ip,
          requestId: String(request.id),
          data: { self_service: true, link_id: caller.tokenId },
        });
        reply.header('content-disposition', `attachment; filename="${archive.customer_id}-export.json"`);
        return archive;
      },
    );

    app.post(
      '/store/v1/me/erasure-request',
      {
        config: me.config,
        schema: {
          tags: me.tags,
          summary:
            'Ask to be erased; staff confirm within a month. 202 when made, 200 when one is already pending',
          security: customerSecurity,
          body: strictObject({
            confirm: Type.Literal(true, { description: 'Must be true: the customer confirmed in the page' }),
          }),
          response: { 200: ErasureRequestSchema, 202: ErasureRequestSchema },
        },
      },
      async (request, reply) => {
        const { request: made, created } = await selfService.requestErasure(callerOf(request));
        return reply.code(created ? 202 : 200).send(made);
      },
    );

    app.delete(
      '/store/v1/me/erasure-request',
      {
        config: me.config,
        schema: {
          tags: me.tags,
          summary: 'Withdraw my pending erasure request',
          security: customerSecurity,
          response: { 200: ErasureRequestSchema },
        },
      },
      async (request) => selfService.cancelErasure(callerOf(request)),
    );

    app.delete(
      '/store/v1/me/token',
      {
        config: me.config,
        schema: {
          tags: me.tags,
          summary: 'End the link in use (e.g. on a shared computer); other links keep working',
          security: customerSecurity,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        await tokens.revokeLink(caller.customerId, caller.tokenId);
        return reply.code(204).send(null);
      },
    );
  };
}
