/** @module Routes: the channels registry (/v1/channels) and a publishable key's own channel (/store/v1/channel). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import { channelKinds } from './channel.repository';
import type { ChannelsService } from './channel.service';

const KindSchema = Type.Enum(channelKinds);
const SecretName = { pattern: '^[a-zA-Z][a-zA-Z0-9_]{0,63}$' };

const ChannelSchema = Type.Object(
  {
    id: Type.String(),
    kind: KindSchema,
    name: Type.String(),
    active: Type.Boolean(),
    config: Type.Record(Type.String(), Type.Unknown()),
    secrets: Type.Record(Type.String(), Type.Literal(true), {
      description: 'Which secrets are set; values are write-only',
    }),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Channel' },
);

export function channelsRoutes(channels: ChannelsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/channels',
      {
        config: { access: 'channels:read' },
        schema: {
          tags: ['channels'],
          summary: 'List channels',
          querystring: strictObject({
            ...ListQuery,
            kind: Type.Optional(KindSchema),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 200: listOf(ChannelSchema) },
        },
      },
      async (request) => channels.listChannels(request.query),
    );

    app.post(
      '/v1/channels',
      {
        config: { access: 'channels:write', audit: 'channel.create' },
        schema: {
          tags: ['channels'],
          summary: 'Register a channel',
          body: strictObject({
            kind: KindSchema,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            secrets: Type.Optional(
              Type.Record(Type.String(SecretName), Type.String({ minLength: 1, maxLength: 4096 })),
            ),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 201: ChannelSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await channels.createChannel(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/channels/:id',
      {
        config: { access: 'channels:read' },
        schema: {
          tags: ['channels'],
          summary: 'Retrieve a channel',
          params: IdParams,
          response: { 200: ChannelSchema },
        },
      },
      async (request) => channels.retrieveChannel(request.params.id),
    );

    app.patch(
      '/v1/channels/:id',
      {
        config: { access: 'channels:write', audit: 'channel.update' },
        schema: {
          tags: ['channels'],
          summary: 'Change a channel; a secret set to null is removed',
          params: IdParams,
          body: strictObject({
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            secrets: Type.Optional(
              Type.Record(
                Type.String(SecretName),
                Type.Union([Type.String({ minLength: 1, maxLength: 4096 }), Type.Null()]),
              ),
            ),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 200: ChannelSchema },
        },
      },
      async (request) => channels.updateChannel(request.params.id, request.body, actorOf(request.principal)),
    );

    app.get(
      '/store/v1/channel',
      {
        config: { access: 'publishable' },
        schema: {
          tags: ['store'],
          summary:
            'The channel this publishable key belongs to, with what a storefront shows from its config',
          response: {
            200: Type.Object({
              id: Type.String(),
              kind: KindSchema,
              name: Type.String(),
              currency: Type.Optional(Type.String({ description: 'ISO 4217 code its prices are in' })),
              default_locale: Type.Optional(Type.String()),
            }),
          },
        },
      },
      async (request) => {
        if (request.principal.kind !== 'publishable_key')
          throw new AppError('forbidden', 'A publishable key is required.');
        const channel = await channels.retrieveChannel(request.principal.channelId);
        if (!channel.active) throw new AppError('forbidden', 'This channel is not active.');
        // Only these two config values are public: the rest of a channel's config is staff business.
        const { currency, default_locale } = channel.config;
        return {
          id: channel.id,
          kind: channel.kind,
          name: channel.name,
          ...(typeof currency === 'string' ? { currency } : {}),
          ...(typeof default_locale === 'string' ? { default_locale } : {}),
        };
      },
    );
  };
}
