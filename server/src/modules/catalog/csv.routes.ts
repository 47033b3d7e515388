/**
 * @module CSV import and export over HTTP: `POST /v1/imports/{products|prices|stock}` takes `text/csv` and answers
 * a summary, or 422 problem+json whose `errors[]` name row and column; `GET /v1/exports/{…}` answers `text/csv`.
 * The same functions back `omnis import` and `omnis export` in the CLI.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Permission } from '../../platform/auth/permissions';
import { actorOf, type Actor } from '../../platform/auth/principal';
import { strictObject } from '../../platform/http/schemas';
import type { ImportOptions, ImportSummary } from './csv.import';

export const csvKinds = ['products', 'prices', 'stock'] as const;
export type CsvKind = (typeof csvKinds)[number];

export interface CsvPort {
  import(text: string, actor: Actor, options?: ImportOptions): Promise<ImportSummary>;
  export(): Promise<string>;
  read: Permission;
  write: Permission;
}

export type CsvService = Record<CsvKind, CsvPort>;

/** Imports are files, not requests: up to 50 MB (about 200,000 product rows). */
const BODY_LIMIT = 50 * 1024 * 1024;

const Problem = Type.Object({
  field: Type.String(),
  message: Type.String(),
  row: Type.Integer(),
  column: Type.String(),
  reason: Type.String(),
});

const Summary = Type.Object({
  kind: Type.String(),
  rows: Type.Integer({ description: 'data rows in the file' }),
  written: Type.Integer(),
  skipped: Type.Integer({ description: 'rows left out with skip_invalid' }),
  errors: Type.Array(Problem),
  created: Type.Optional(Type.Integer({ description: 'products: new handles, created' })),
  updated: Type.Optional(
    Type.Integer({ description: 'products: existing handles, changed where the file differs' }),
  ),
});

export function csvRoutes(csv: CsvService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    for (const kind of csvKinds) {
      const port = csv[kind];
      app.post(
        `/v1/imports/${kind}`,
        {
          bodyLimit: BODY_LIMIT,
          config: { access: port.write },
          schema: {
            tags: ['imports'],
            summary: `Import ${kind} from CSV (text/csv): every row is checked first; a bad row → 422 and nothing is written${kind === 'products' ? '; an existing handle updates that product, an existing SKU of it that variant' : ''}`,
            querystring: strictObject({
              skip_invalid: Type.Optional(
                Type.Boolean({ description: 'write the valid rows and report the others' }),
              ),
            }),
            body: Type.String({ description: 'CSV with a header row' }),
            response: { 200: Summary },
          },
        },
        async (request) =>
          port.import(request.body, actorOf(request.principal), {
            skipInvalid: request.query.skip_invalid ?? false,
          }),
      );
      app.get(
        `/v1/exports/${kind}`,
        {
          config: { access: port.read },
          schema: {
            tags: ['imports'],
            summary: `Export ${kind} as CSV, in the layout the import takes`,
            response: { 200: { content: { 'text/csv': { schema: Type.String() } } } },
          },
        },
        async (_request, reply) =>
          reply
            .header('content-disposition', `attachment; filename="${kind}.csv"`)
            .type('text/csv; charset=utf-8')
            .send(await port.export()),
      );
    }
  };
}
