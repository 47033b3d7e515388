/** @module Routes: `GET /v1/reports/conversations` — the contact centre's figures for a range, grouped. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import { IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import { reportGroups, type ReportsService } from './report.service';

const Duration = Type.Object({
  count: Type.Integer(),
  median_ms: Nullable(Type.Number()),
  p90_ms: Nullable(Type.Number()),
});

export function reportRoutes(reports: ReportsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/reports/conversations',
      {
        config: { access: 'analytics:read' },
        schema: {
          tags: ['reports'],
          summary:
            'Volume, first response and resolution time (median, p90), SLA hit rate and CSAT, grouped by channel, agent, team or day',
          querystring: strictObject({
            from: IsoTime,
            to: IsoTime,
            group_by: Type.Optional(Type.Enum([...reportGroups], { default: 'channel' })),
            business_hours: Type.Optional(
              Type.Boolean({ description: 'Count only time while the business is open' }),
            ),
          }),
          response: {
            200: Type.Object({
              group_by: Type.Enum([...reportGroups]),
              business_hours: Type.Boolean(),
              data: Type.Array(
                Type.Object({
                  key: Nullable(Type.String()),
                  conversations: Type.Integer(),
                  inbound_messages: Type.Integer(),
                  first_response: Duration,
                  resolution: Duration,
                  sla: Type.Object({
                    met: Type.Integer(),
                    breached: Type.Integer(),
                    hit_rate: Nullable(Type.Number()),
                  }),
                  csat: Type.Object({ count: Type.Integer(), average: Nullable(Type.Number()) }),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const from = Date.parse(request.query.from);
        const to = Date.parse(request.query.to);
        if (to <= from)
          throw new AppError('validation_failed', 'The range ends before it starts.', {
            errors: [{ field: 'querystring.to', message: 'must be after from' }],
          });
        return reports.conversationReport({
          from,
          to,
          group_by: request.query.group_by ?? 'channel',
          business_hours: request.query.business_hours,
        });
      },
    );
  };
}
