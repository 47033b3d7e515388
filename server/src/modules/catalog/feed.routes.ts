/**
 * @module Feed routes: `GET /v1/feeds/google/{channel}` for staff and integrations holding a secret key, and
 * `GET /store/v1/feeds/google` for a publishable key (its own channel), so a shop can hand Google a feed URL
 * without a secret. Both answer RSS 2.0 XML, or a tab-separated file with `format=tsv`: one gathering, two
 * renderers.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import { strictObject } from '../../platform/http/schemas';
import { renderGoogleFeed, type GoogleFeed } from './feed.google';
import { renderGoogleTsv } from './feed.google.tsv';
import type { FeedResult, FeedService } from './feed.service';
import { LOCALE_PATTERN } from './localized';

/** How each format is written and labelled. */
const formats = {
  xml: { type: 'application/rss+xml; charset=utf-8', render: renderGoogleFeed },
  tsv: { type: 'text/tab-separated-values; charset=utf-8', render: renderGoogleTsv },
} satisfies Record<string, { type: string; render: (feed: GoogleFeed) => string }>;
type FeedFormat = keyof typeof formats;
const feedFormats = Object.keys(formats) as FeedFormat[];

const FeedQuery = strictObject({
  locale: Type.Optional(Type.String({ pattern: LOCALE_PATTERN, description: 'texts in this locale' })),
  currency: Type.Optional(
    Type.String({ pattern: '^[A-Z]{3}$', description: "ISO-4217; default the channel's currency" }),
  ),
  format: Type.Optional(
    Type.Enum(feedFormats, {
      description: 'xml (RSS 2.0, the default) or tsv (tab-separated, a header row of attribute names)',
    }),
  ),
});

const feedResponse = {
  200: {
    description: 'The Google Merchant feed, one item per variant: RSS 2.0 with the `g:` namespace, or TSV',
    content: {
      'application/rss+xml': { schema: Type.String() },
      'text/tab-separated-values': { schema: Type.String() },
    },
  },
};

function sendFeed(reply: FastifyReply, { feed, unpriced }: FeedResult, format: FeedFormat = 'xml') {
  const { type, render } = formats[format];
  reply.header('x-feed-items', String(feed.items.length)).header('x-feed-unpriced', String(unpriced));
  return reply.type(type).send(render(feed));
}

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
          response: feedResponse,
        },
      },
      async (request, reply) => {
        const { format, ...options } = request.query;
        return sendFeed(reply, await feeds.googleFeed(request.params.channel, options), format);
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
          response: feedResponse,
        },
      },
      async (request, reply) => {
        if (request.principal.kind !== 'publishable_key')
          throw new AppError('forbidden', 'A publishable key is required.');
        const { format, ...options } = request.query;
        return sendFeed(reply, await feeds.googleFeed(request.principal.channelId, options), format);
      },
    );
  };
}
