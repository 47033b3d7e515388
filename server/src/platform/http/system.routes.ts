/** @module Routes for operators: liveness, readiness, Prometheus metrics and the OpenAPI document. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { AppError } from '../errors';
import type { Db } from '../db/database';
import { pendingMigrations } from '../db/migrator';

export function systemRoutes(deps: { db: Db; metrics: () => Registry }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/healthz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Liveness: the process answers',
          response: { 200: Type.Object({ status: Type.Literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Readiness: the database answers and every migration is applied',
          response: { 200: Type.Object({ status: Type.Literal('ready') }) },
        },
      },
      async () => {
        try {
          await sql`select 1`.execute(deps.db);
        } catch {
          throw new AppError('unavailable', 'The database does not answer.');
        }
        const pending = await pendingMigrations(deps.db);
        if (pending.length > 0)
          throw new AppError('unavailable', `Migrations not applied yet: ${pending.join(', ')}.`);
        return { status: 'ready' as const };
      },
    );

    app.get(
      '/metrics',
      { config: { access: 'public' }, schema: { tags: ['system'], summary: 'Prometheus metrics' } },
      async (_request, reply) => {
        const registry = deps.metrics();
        return reply.type(registry.contentType).send(await registry.metrics());
      },
    );

    app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
      app.swagger(),
    );
  };
}
