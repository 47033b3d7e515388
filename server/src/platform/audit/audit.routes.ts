/** @module Routes: the audit log. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../db/database';
import { IsoTime, ListQuery, Nullable, listOf, strictObject } from '../http/schemas';
import { listAudit } from './audit';

const AuditEntrySchema = Type.Object({
  id: Type.String(),
  actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()), label: Type.String() }),
  action: Type.String(),
  target_type: Nullable(Type.String()),
  target_id: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  request_id: Nullable(Type.String()),
  data: Type.Unknown(),
  occurred_at: IsoTime,
});

export function auditRoutes(db: Db): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/audit',
      {
        config: { access: 'audit:read' },
        schema: {
          tags: ['audit'],
          summary: 'Audit log of staff actions, newest first',
          querystring: strictObject({
            ...ListQuery,
            actor_id: Type.Optional(Type.String({ maxLength: 64 })),
            action: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: { 200: listOf(AuditEntrySchema) },
        },
      },
      async (request) => listAudit(db, request.query),
    );
  };
}
