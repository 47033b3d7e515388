/**
 * @module Feed routes: `GET /v1/feeds/google/{channel}` for staff and integrations holding a secret key, and
 * `GET /store/v1/feeds/google` for a publishable key (its own channel), so a shop can hand Google a feed URL
 * without a secret.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import { strictObject } from '../../platform/http/schemas';
import type { FeedService } from './feed.service';
import { LOCALE_PATTERN } from './localized';

const FeedQuery = strictObject({
  locale: Type.Optional(Type.String({ pattern: LOCALE_PATTERN, description: 'texts in this locale' })),
  currency: Type.Optional(
    Type.String({ pattern: '^[A-Z]{3}$', description: "ISO-4217; default the channel's currency" }),
  ),
});

const xmlResponse = {
  200: {
    description: 'RSS 2.0 with the Google Merchant `g:` namespace, one item per variant',
    content: { 'application/rss+xml': { schema: Type.String() } },
  },
};

export function feedRoutes(feeds: FeedService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/feeds/google/:channel',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags: ['feeds'],
          summary: 'Google Merchant product feed of a channel: its products, prices and availability',
          params: strictObject({ channel: Type.String({ minLength: 1, maxLength: 64 }) }),
          querystring: FeedQuery,
          response: xmlResponse,
        },
      },
      async (request, reply) => {
        const feed = await feeds.googleFeed(request.params.channel, request.query);
        reply.header('x-feed-items', String(feed.items)).header('x-feed-unpriced', String(feed.unpriced));
        return reply.type('application/rss+xml; charset=utf-8').send(feed.xml);
      },
    );

    app.get(
      '/store/v1/feeds/google',
      {
        config: { access: 'publishable' },
        schema: {
          tags: ['store', 'feeds'],
          summary: 'The Google Merchant feed of the publishable key’s channel',
          querystring: FeedQuery,
          response: xmlResponse,
        },
      },
      async (request, reply) => {
        if (request.principal.kind !== 'publishable_key')
          throw new AppError('forbidden', 'A publishable key is required.');
        const feed = await feeds.googleFeed(request.principal.channelId, request.query);
        reply.header('x-feed-items', String(feed.items)).header('x-feed-unpriced', String(feed.unpriced));
        return reply.type('application/rss+xml; charset=utf-8').send(feed.xml);
      },
    );
  };
}
