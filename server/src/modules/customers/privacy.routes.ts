/** @module Routes: a customer's privacy rights — export (JSON or ZIP with CSVs), erasure, restriction of processing. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recordAudit } from '../../platform/audit/audit';
import { actorOf } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { IdParams, strictObject } from '../../platform/http/schemas';
import type { CustomerPrivacyService } from './privacy';
import { exportZip } from './privacy.archive';

const ExportSchema = Type.Object({
  customer_id: Type.String(),
  merged_profiles: Type.Array(Type.String()),
  exported_at: Type.String(),
  data: Type.Record(Type.String(), Type.Record(Type.String(), Type.Array(Type.Unknown()))),
});

export function privacyRoutes(deps: { db: Db; privacy: CustomerPrivacyService }): FastifyPluginAsyncTypebox {
  const { privacy, db } = deps;
  return async (app) => {
    app.get(
      '/v1/customers/:id/export',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['customers', 'privacy'],
          summary:
            'Everything Omnis holds about this person, from every module (right of access): one JSON archive, ' +
            'or with format=zip a ZIP of that JSON plus one CSV file per table',
          params: IdParams,
          querystring: strictObject({
            format: Type.Optional(
              Type.Union([Type.Literal('json'), Type.Literal('zip')], {
                description: 'json (default) or zip: export.json, README.txt and <section>/<table>.csv',
              }),
            ),
          }),
          response: {
            200: {
              content: {
                'application/json': { schema: ExportSchema },
                'application/zip': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const archive = await privacy.exportCustomer(request.params.id);
        const format = request.query.format ?? 'json';
        await recordAudit(db, {
          actor: actorOf(request.principal),
          action: 'customer.export',
          targetType: 'customer',
          targetId: archive.customer_id,
          ip: request.ip,
          requestId: String(request.id),
          data: { format },
        });
        reply.header('content-disposition', `attachment; filename="${archive.customer_id}-export.${format}"`);
        if (format === 'zip') {
          const zip = exportZip(archive);
          return reply.type('application/zip').send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength));
        }
        return reply.type('application/json; charset=utf-8').send(archive);
      },
    );

    app.post(
      '/v1/customers/:id/erase',
      {
        config: { access: 'customers:erase', audit: 'customer.erase' },
        schema: {
          tags: ['customers', 'privacy'],
          summary:
            'Erase this person everywhere (right to erasure); financial records keep amounts, lose the person',
          params: IdParams,
          body: strictObject({
            confirm: Type.Literal(true, { description: 'Must be true: erasure cannot be undone' }),
            suppress: Type.Optional(
              Type.Boolean({
                description:
                  'Keep salted hashes of the identifiers so a later import does not re-create the person',
              }),
            ),
          }),
          response: { 200: Type.Object({ customer_id: Type.String(), profiles: Type.Array(Type.String()) }) },
        },
      },
      async (request) =>
        privacy.eraseCustomer(request.params.id, actorOf(request.principal), {
          suppress: request.body.suppress ?? false,
        }),
    );

    app.post(
      '/v1/customers/:id/restrict',
      {
        config: { access: 'customers:restrict', audit: 'customer.restrict' },
        schema: {
          tags: ['customers', 'privacy'],
          summary: 'Restrict processing (kept, not used) or lift the restriction',
          params: IdParams,
          body: strictObject({ restricted: Type.Boolean() }),
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await privacy.restrictCustomer(
          request.params.id,
          request.body.restricted,
          actorOf(request.principal),
        );
        return reply.code(204).send(null);
      },
    );
  };
}
