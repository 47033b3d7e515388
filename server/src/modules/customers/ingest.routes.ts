/**
 * @module Routes: Segment's HTTP Tracking API at Segment's own paths (`/v1/batch`, `/v1/identify`, `/v1/track`,
 * `/v1/page`, `/v1/screen`, `/v1/group`, `/v1/alias`). The write key is a publishable key `pk_…` sent as the
 * HTTP Basic user name, exactly as Segment's libraries send it; its channel is the Segment source. Existing
 * Segment clients work by changing only their host.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import { actorOf } from '../../platform/auth/principal';
import { MAX_BATCH_BYTES, MAX_EVENT_BYTES, type TrackingType } from './ingest';
import type { IngestService } from './ingest.service';

const FieldErrorSchema = Type.Object({ field: Type.String(), message: Type.String() });

const IngestResponse = Type.Object(
  {
    success: Type.Boolean({ description: 'true when the request was taken, as in Segment' }),
    accepted: Type.Integer({ description: 'events stored by this request' }),
    duplicates: Type.Integer({ description: 'events whose messageId was already received (counted once)' }),
    failed: Type.Array(
      Type.Object({
        index: Type.Integer({ description: 'position in batch' }),
        message_id: Type.Union([Type.String(), Type.Null()]),
        errors: Type.Array(FieldErrorSchema),
      }),
      { description: 'events refused, each naming its bad fields (batch.3.traits.email); the others landed' },
    ),
  },
  { title: 'TrackingResult' },
);

// Segment's spec allows fields we do not use (integrations, writeKey, metadata…): they are accepted, not stored.
const SegmentEvent = Type.Object(
  {},
  { additionalProperties: true, description: 'A Segment event (see the Segment spec)' },
);

const BatchBody = Type.Object(
  {
    batch: Type.Array(Type.Unknown(), { description: 'Segment events, each with its own type' }),
    sentAt: Type.Optional(
      Type.String({ description: 'client time the batch was sent; corrects clock skew' }),
    ),
    context: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);

function writeKeyOf(request: FastifyRequest): { channelId: string } {
  if (request.principal.kind !== 'publishable_key')
    throw new AppError('forbidden', 'Send a write key (a publishable key pk_…) as the Basic user name.');
  return { channelId: request.principal.channelId };
}

export function ingestRoutes(ingest: IngestService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/v1/batch',
      {
        config: { access: 'publishable' },
        bodyLimit: MAX_BATCH_BYTES,
        schema: {
          tags: ['tracking'],
          summary: 'Segment batch: up to 500 KB of events, 32 KB each; a bad event never rejects the others',
          security: [{ basic: [] }],
          body: BatchBody,
          response: { 200: IngestResponse },
        },
      },
      async (request) => {
        const { channelId } = writeKeyOf(request);
        const result = await ingest.ingestEvents(
          request.body.batch,
          {
            receivedAt: Date.now(),
            ip: request.ip,
            sentAt: request.body.sentAt,
            context: request.body.context,
          },
          {
            channelId,
            actor: actorOf(request.principal),
            prefix: 'batch',
            checkEventSize: Number(request.headers['content-length'] ?? MAX_BATCH_BYTES) > MAX_EVENT_BYTES,
          },
        );
        return { success: true, ...result };
      },
    );

    for (const type of ['identify', 'track', 'page', 'screen', 'group', 'alias'] as TrackingType[]) {
      app.post(
        `/v1/${type}`,
        {
          config: { access: 'publishable' },
          bodyLimit: MAX_EVENT_BYTES,
          schema: {
            tags: ['tracking'],
            summary: `Segment ${type} call (one event, up to 32 KB)`,
            security: [{ basic: [] }],
            body: SegmentEvent,
            response: { 200: IngestResponse },
          },
        },
        async (request) => {
          const { channelId } = writeKeyOf(request);
          const result = await ingest.ingestEvents(
            [request.body],
            { receivedAt: Date.now(), ip: request.ip },
            { channelId, actor: actorOf(request.principal), prefix: 'body', type, checkEventSize: false },
          );
          // One event and nothing beside it to protect: a bad one is a plain 400 naming its fields.
          const bad = result.failed[0];
          if (bad)
            throw new AppError(
              'validation_failed',
              bad.errors.map((e) => `${e.field} ${e.message}`).join('; '),
              {
                errors: bad.errors,
              },
            );
          return { success: true, ...result };
        },
      );
    }
  };
}
