/** @module Routes: customer profiles, identity resolution, merge and unmerge, the identity log. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recordAudit } from '../../platform/audit/audit';
import { actorOf } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import type { FastifyRequest } from 'fastify';
import type { CustomersService } from './customer.service';
import type { IdentityService } from './identity.service';

const IdentifierSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  value: Type.String(),
  verified: Type.Boolean(),
  source_channel_id: Nullable(Type.String()),
  first_seen_at: IsoTime,
  last_seen_at: IsoTime,
});

const CustomerSchema = Type.Object(
  {
    id: Type.String(),
    status: Type.String(),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    emails: Type.Array(Type.String()),
    phones: Type.Array(Type.String()),
    identifiers: Type.Array(IdentifierSchema),
    locale: Nullable(Type.String()),
    timezone: Nullable(Type.String()),
    addresses: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    traits: Type.Record(Type.String(), Type.Unknown()),
    channels: Type.Array(Type.String()),
    restricted: Type.Boolean(),
    first_seen_at: IsoTime,
    last_seen_at: IsoTime,
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Customer' },
);

const IdentifierInputSchema = strictObject({
  type: Type.String({ minLength: 2, maxLength: 40 }),
  value: Type.String({ maxLength: 320 }),
  verified: Type.Optional(Type.Boolean()),
});

const NameField = Type.Optional(Nullable(Type.String({ maxLength: 200 })));

/** Reading a profile is reading personal data: every read is in the audit log. */
async function auditRead(
  db: Db,
  request: FastifyRequest,
  action: string,
  targetId: string | null,
  data: Record<string, unknown> = {},
) {
  await recordAudit(db, {
    actor: actorOf(request.principal),
    action,
    targetType: 'customer',
    targetId,
    ip: request.ip,
    requestId: String(request.id),
    data,
  });
}

export function customersRoutes(deps: {
  db: Db;
  customers: CustomersService;
  identity: IdentityService;
}): FastifyPluginAsyncTypebox {
  const { customers, identity, db } = deps;
  return async (app) => {
    app.get(
      '/v1/customers',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers'],
          summary: 'List or find customers (by email, phone, any identifier, or name prefix)',
          querystring: strictObject({
            ...ListQuery,
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
          }),
          response: { 200: listOf(CustomerSchema) },
        },
      },
      async (request) => {
        const page = await customers.listCustomers(request.query);
        await auditRead(db, request, 'customer.list', null, {
          q: request.query.q ?? null,
          count: page.data.length,
        });
        return page;
      },
    );

    app.post(
      '/v1/customers',
      {
        config: { access: 'customers:write', audit: 'customer.resolve' },
        schema: {
          tags: ['customers'],
          summary: 'Find or create the customer these identifiers belong to (identity resolution)',
          body: strictObject({
            identifiers: Type.Array(IdentifierInputSchema, { minItems: 1, maxItems: 50 }),
            first_name: Type.Optional(Type.String({ maxLength: 200 })),
            last_name: Type.Optional(Type.String({ maxLength: 200 })),
            locale: Type.Optional(Type.String({ maxLength: 35 })),
            timezone: Type.Optional(Type.String({ maxLength: 64 })),
            channel_id: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: {
            200: Type.Object({
              customer: CustomerSchema,
              created: Type.Boolean(),
              merged: Type.Array(Type.String()),
              conflicts: Type.Array(Type.Object({ customer_id: Type.String(), reason: Type.String() })),
            }),
          },
        },
      },
      async (request) => {
        const { identifiers, channel_id, ...profile } = request.body;
        const result = await identity.resolve({
          identifiers,
          channelId: channel_id,
          profile,
          actor: actorOf(request.principal),
          reason: 'api',
        });
        return {
          customer: await customers.retrieveCustomer(result.customerId),
          created: result.created,
          merged: result.merged,
          conflicts: result.conflicts.map((c) => ({ customer_id: c.customerId, reason: c.reason })),
        };
      },
    );

    app.get(
      '/v1/customers/:id',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers'],
          summary:
            'Retrieve a customer; a merged-away id answers with its survivor and says so in merged_from',
          params: IdParams,
          response: {
            200: Type.Object({ ...CustomerSchema.properties, merged_from: Nullable(Type.String()) }),
          },
        },
      },
      async (request, reply) => {
        const customer = await customers.retrieveCustomer(request.params.id);
        await auditRead(db, request, 'customer.read', customer.id);
        if (customer.merged_from) reply.header('content-location', `/v1/customers/${customer.id}`);
        return customer;
      },
    );

    app.patch(
      '/v1/customers/:id',
      {
        config: { access: 'customers:write', audit: 'customer.rectify' },
        schema: {
          tags: ['customers'],
          summary: 'Correct profile data (rectification)',
          params: IdParams,
          body: strictObject({
            first_name: NameField,
            last_name: NameField,
            locale: Type.Optional(Nullable(Type.String({ maxLength: 35 }))),
            timezone: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
            addresses: Type.Optional(
              Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 20 }),
            ),
            traits: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
          }),
          response: { 200: CustomerSchema },
        },
      },
      async (request) =>
        customers.updateCustomer(request.params.id, request.body, actorOf(request.principal)),
    );

    app.post(
      '/v1/customers/:id/merge',
      {
        config: { access: 'customers:write', audit: 'customer.merge' },
        schema: {
          tags: ['customers'],
          summary:
            'Merge another profile into this one (refused when the rules say they are different people, unless force)',
          params: IdParams,
          body: strictObject({
            merge_id: Type.String({ minLength: 1, maxLength: 64 }),
            force: Type.Optional(Type.Boolean()),
          }),
          response: { 200: CustomerSchema },
        },
      },
      async (request) => {
        await identity.mergeProfiles(
          request.params.id,
          request.body.merge_id,
          actorOf(request.principal),
          request.body.force ?? false,
        );
        return customers.retrieveCustomer(request.params.id);
      },
    );

    app.get(
      '/v1/customers/:id/merge-preview',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers'],
          summary:
            'What merging merge_id into this profile would do, changing nothing: whether the identity rules allow ' +
            'it (else why), which identifiers move, which empty fields are filled, and the profile it would leave',
          params: IdParams,
          querystring: strictObject({ merge_id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: {
            200: Type.Object({
              survivor_id: Type.String(),
              merged_id: Type.String(),
              allowed: Type.Boolean({ description: 'The merge goes through without force' }),
              conflict: Nullable(Type.String({ description: 'Why the rules refuse it; force overrides' })),
              identifiers_moved: Type.Array(IdentifierSchema),
              fields_filled: Type.Object(
                {
                  first_name: Type.Optional(Type.String()),
                  last_name: Type.Optional(Type.String()),
                  locale: Type.Optional(Type.String()),
                  timezone: Type.Optional(Type.String()),
                },
                { additionalProperties: false },
              ),
              traits_added: Type.Array(Type.String()),
              channels_added: Type.Array(Type.String()),
              result: CustomerSchema,
            }),
          },
        },
      },
      async (request) => {
        const preview = await identity.previewMerge(request.params.id, request.query.merge_id);
        // Shows both profiles' personal data: a read like any other.
        await auditRead(db, request, 'customer.merge_preview', preview.survivor_id, {
          merge_id: preview.merged_id,
        });
        return preview;
      },
    );

    app.post(
      '/v1/customers/:id/unmerge',
      {
        config: { access: 'customers:write', audit: 'customer.unmerge' },
        schema: {
          tags: ['customers'],
          summary: 'Undo a merge: the merged profile comes back with its identifiers',
          params: IdParams,
          body: strictObject({ merged_id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: Type.Object({ survivor: CustomerSchema, restored: CustomerSchema }) },
        },
      },
      async (request) => {
        await identity.unmerge(request.params.id, request.body.merged_id, actorOf(request.principal));
        return {
          survivor: await customers.retrieveCustomer(request.params.id),
          restored: await customers.retrieveCustomer(request.body.merged_id),
        };
      },
    );

    app.get(
      '/v1/customers/:id/identity-log',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers'],
          summary: 'Every creation, attachment, merge, unmerge and refused merge of this profile',
          params: IdParams,
          querystring: strictObject(ListQuery),
          response: {
            200: listOf(
              Type.Object({
                id: Type.String(),
                kind: Type.String(),
                customer_id: Type.String(),
                other_customer_id: Nullable(Type.String()),
                reason: Type.String(),
                undone: Type.Boolean(),
                occurred_at: IsoTime,
              }),
            ),
          },
        },
      },
      async (request) => customers.identityLog(request.params.id, request.query),
    );
  };
}
