/** @module Routes: the unified customer timeline (`GET /v1/customers/{id}/timeline`). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recordAudit } from '../../platform/audit/audit';
import { actorOf } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { IdParams, IsoTime, ListQuery, Nullable, strictObject } from '../../platform/http/schemas';
import type { TimelineService } from './timeline.service';

const TimelineEntrySchema = Type.Object(
  {
    id: Type.String(),
    occurred_at: IsoTime,
    kind: Type.String({
      description: 'track, page, screen, identify, group, alias, or an event noun (order, message…)',
    }),
    type: Type.String({ description: 'track event name, page or screen name, or the domain event type' }),
    channel_id: Nullable(Type.String()),
    source: Type.Union([Type.Literal('tracking'), Type.Literal('event')]),
    summary: Type.String(),
    data: Type.Record(Type.String(), Type.Unknown()),
  },
  { title: 'TimelineEntry' },
);

export function timelineRoutes(deps: { db: Db; timeline: TimelineService }): FastifyPluginAsyncTypebox {
  const { db, timeline } = deps;
  return async (app) => {
    app.get(
      '/v1/customers/:id/timeline',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers'],
          summary:
            'Every interaction of a customer from every channel and module, newest first (a merged id reads its survivor)',
          params: IdParams,
          querystring: strictObject({
            ...ListQuery,
            channel: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'channel id' })),
            kind: Type.Optional(
              Type.String({
                pattern: '^[a-z][a-z0-9_]{0,39}$',
                description: 'e.g. track, page, order, message',
              }),
            ),
          }),
          response: {
            200: Type.Object({
              customer_id: Type.String({
                description: 'the profile answered for (the survivor of a merged id)',
              }),
              data: Type.Array(TimelineEntrySchema),
              next_cursor: Nullable(Type.String()),
            }),
          },
        },
      },
      async (request) => {
        const page = await timeline.listTimeline(request.params.id, request.query);
        // Tracking traits and context are personal data: reading them is audited like reading the profile.
        await recordAudit(db, {
          actor: actorOf(request.principal),
          action: 'customer.timeline',
          targetType: 'customer',
          targetId: page.customer_id,
          ip: request.ip,
          requestId: String(request.id),
          data: { count: page.data.length },
        });
        return page;
      },
    );
  };
}
