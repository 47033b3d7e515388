/**
 * @module Routes: a customer's consent matrix and its history, recording consent, preferences, the `can` check
 * for senders, and the customer-facing double opt-in confirmation.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import {
  communicationChannels,
  consentPurposes,
  consentSources,
  legalBases,
  recordableStatuses,
} from './consent.rules';
import type { ConsentService } from './consent.service';

const Purpose = Type.Enum(consentPurposes);
const Channel = Type.Enum(communicationChannels);
const Status = Type.String({
  description: 'granted | denied | withdrawn | pending_confirmation (email marketing awaiting double opt-in)',
});
const HhMm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: "local time 'HH:MM'" });

const Source = Type.Object({ type: Type.String(), channel_id: Nullable(Type.String()) });

const ConsentSchema = Type.Object(
  {
    purpose: Type.String(),
    channel: Nullable(Type.String()),
    status: Status,
    source: Source,
    legal_basis: Type.String(),
    occurred_at: IsoTime,
    event_id: Type.String(),
    customer_id: Type.String({
      description: 'The profile the record was made on (may be merged into this one)',
    }),
  },
  { title: 'Consent' },
);

const EvidenceSchema = Type.Object({
  wording: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  page_url: Type.Optional(Type.String()),
  ip: Type.Optional(Type.String()),
  user_agent: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
});

const ConsentRecordSchema = Type.Object(
  {
    id: Type.String(),
    customer_id: Type.String(),
    purpose: Type.String(),
    channel: Nullable(Type.String()),
    status: Status,
    source: Source,
    legal_basis: Type.String(),
    evidence: EvidenceSchema,
    actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
    occurred_at: IsoTime,
    recorded_at: IsoTime,
  },
  { title: 'ConsentRecord' },
);

const PreferencesSchema = Type.Object(
  {
    preferred_channel: Nullable(Type.String()),
    quiet_hours: Nullable(
      Type.Object({ start: Type.String(), end: Type.String(), timezone: Nullable(Type.String()) }),
    ),
    updated_at: Nullable(IsoTime),
  },
  { title: 'Preferences' },
);

const ConsentInputSchema = strictObject({
  purpose: Purpose,
  channel: Type.Optional({ ...Channel, description: 'Omit for the purpose as a whole' }),
  status: Type.Enum(recordableStatuses),
  source: strictObject({
    type: Type.Enum(consentSources),
    channel_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
  }),
  legal_basis: Type.Optional(Type.Enum(legalBases)),
  occurred_at: Type.Optional(IsoTime),
  evidence: Type.Optional(
    strictObject({
      wording: Type.Optional(Type.String({ maxLength: 4000 })),
      version: Type.Optional(Type.String({ maxLength: 100 })),
      page_url: Type.Optional(Type.String({ maxLength: 2000 })),
      ip: Type.Optional(Type.String({ maxLength: 64 })),
      user_agent: Type.Optional(Type.String({ maxLength: 1000 })),
      /** What staff write down when they record a change by hand ("asked at the till to stop SMS"). */
      note: Type.Optional(Type.String({ maxLength: 2000 })),
    }),
  ),
});

export function consentRoutes(consent: ConsentService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/customers/:id/consents',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers'],
          summary: 'The current consent matrix and preferences (a merged-away id answers for its survivor)',
          params: IdParams,
          response: {
            200: Type.Object({
              customer_id: Type.String(),
              consents: Type.Array(ConsentSchema),
              preferences: PreferencesSchema,
            }),
          },
        },
      },
      async (request) => consent.listConsents(request.params.id),
    );

    app.get(
      '/v1/customers/:id/consents/history',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers'],
          summary: 'Every consent record received, newest recorded first, with its evidence',
          params: IdParams,
          querystring: strictObject(ListQuery),
          response: { 200: listOf(ConsentRecordSchema) },
        },
      },
      async (request) => consent.listConsentHistory(request.params.id, request.query),
    );

    app.post(
      '/v1/customers/:id/consents',
      {
        config: { access: 'customers:write', audit: 'consent.record' },
        schema: {
          tags: ['customers'],
          summary:
            'Record consent changes, all or nothing; email marketing from an unverified address starts double opt-in',
          params: IdParams,
          body: strictObject({ consents: Type.Array(ConsentInputSchema, { minItems: 1, maxItems: 50 }) }),
          response: {
            201: Type.Object({
              customer_id: Type.String(),
              consents: Type.Array(
                Type.Object({
                  id: Type.String(),
                  purpose: Type.String(),
                  channel: Nullable(Type.String()),
                  status: Status,
                  current: Type.Boolean({ description: 'false: a newer record stands; kept in history' }),
                  confirmation: Nullable(
                    Type.Object(
                      { token: Type.String(), expires_at: IsoTime, path: Type.String() },
                      { description: 'Double opt-in token for the confirmation message; shown once' },
                    ),
                  ),
                }),
              ),
            }),
          },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            await consent.recordConsents(
              request.params.id,
              request.body.consents,
              actorOf(request.principal),
            ),
          ),
    );

    app.put(
      '/v1/customers/:id/preferences',
      {
        config: { access: 'customers:write', audit: 'preferences.update' },
        schema: {
          tags: ['customers'],
          summary: 'Set the preferred channel and quiet hours (local to the given or the profile timezone)',
          params: IdParams,
          body: strictObject({
            preferred_channel: Nullable(Channel),
            quiet_hours: Nullable(
              strictObject({
                start: HhMm,
                end: HhMm,
                timezone: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
              }),
            ),
          }),
          response: { 200: PreferencesSchema },
        },
      },
      async (request) =>
        consent.updatePreferences(request.params.id, request.body, actorOf(request.principal)),
    );

    app.get(
      '/v1/customers/:id/consent/can',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers'],
          summary: 'May we process for this purpose (and contact on this channel), now or at `at`?',
          params: IdParams,
          querystring: strictObject({
            purpose: Purpose,
            channel: Type.Optional(Channel),
            at: Type.Optional(IsoTime),
          }),
          response: {
            200: Type.Object({ customer_id: Type.String(), allowed: Type.Boolean(), reason: Type.String() }),
          },
        },
      },
      async (request) => {
        const { purpose, channel, at } = request.query;
        return consent.can(request.params.id, purpose, channel, at ? new Date(at) : null);
      },
    );

    app.post(
      '/store/v1/consent/confirm',
      {
        config: { access: 'publishable' },
        schema: {
          tags: ['store'],
          summary: 'Confirm email marketing consent with the double opt-in token (single use, expiring)',
          body: strictObject({ token: Type.String({ minLength: 1, maxLength: 200 }) }),
          response: { 200: Type.Object({ customer_id: Type.String(), consent: ConsentSchema }) },
        },
      },
      async (request) => {
        if (request.principal.kind !== 'publishable_key')
          throw new AppError('forbidden', 'A publishable key is required.');
        const userAgent = request.headers['user-agent'];
        return consent.confirmConsent(request.body.token, {
          channelId: request.principal.channelId,
          ip: request.ip,
          ...(typeof userAgent === 'string' ? { userAgent } : {}),
        });
      },
    );
  };
}
