/** @module Routes: API keys. */
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
import { AppError } from '../errors';
import { RoleSchema } from './auth.routes';
import type { ApiKeysService } from './api-keys.service';
import { actorOf } from './principal';

const ApiKeySchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('secret'), Type.Literal('publishable')]),
    name: Type.String(),
    role: Nullable(Type.String()),
    channel_id: Nullable(Type.String()),
    display: Type.String(),
    created_at: IsoTime,
    last_used_at: NullableIsoTime,
    revoked_at: NullableIsoTime,
  },
  { title: 'ApiKey' },
);

export function apiKeysRoutes(apiKeys: ApiKeysService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/api-keys',
      {
        config: { access: 'api_keys:read' },
        schema: {
          tags: ['api keys'],
          summary: 'List API keys',
          querystring: ListQuerySchema,
          response: { 200: listOf(ApiKeySchema) },
        },
      },
      async (request) => apiKeys.listApiKeys(request.query),
    );

    app.post(
      '/v1/api-keys',
      {
        config: { access: 'api_keys:write', audit: 'api_key.create' },
        schema: {
          tags: ['api keys'],
          summary: 'Create a secret (sk_…, with a role) or publishable (pk_…, bound to a channel) key',
          description:
            'The full key is in the response `key` field and is never shown again for secret keys.',
          body: strictObject({
            kind: Type.Union([Type.Literal('secret'), Type.Literal('publishable')]),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: Type.Optional(RoleSchema),
            channel_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          }),
          response: { 201: Type.Object({ ...ApiKeySchema.properties, key: Type.String() }) },
        },
      },
      async (request, reply) => {
        const principal = request.principal;
        // Nobody hands out more power than they hold: only an owner mints owner keys.
        if (request.body.role === 'owner' && !(principal.kind === 'staff' && principal.role === 'owner')) {
          throw new AppError('forbidden', 'Only an owner (signed in) can create a key with the owner role.');
        }
        return reply.code(201).send(await apiKeys.createApiKey(request.body, actorOf(principal)));
      },
    );

    app.delete(
      '/v1/api-keys/:id',
      {
        config: { access: 'api_keys:write', audit: 'api_key.revoke' },
        schema: {
          tags: ['api keys'],
          summary: 'Revoke an API key',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await apiKeys.revokeApiKey(request.params.id, actorOf(request.principal));
        return reply.code(204).send(null);
      },
    );
  };
}
