/** @module Routes: canned responses (list, create, change, delete) and their rendering for a conversation. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Principal } from '../../platform/auth/principal';
import { IdParams, IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import type { CannedService } from './canned.service';
import { cannedVariables } from './canned.template';

const tags = ['canned responses'];

const Body = (required: boolean) => {
  const text = Type.String({ minLength: 1, maxLength: 5000 });
  return strictObject({
    en: required ? text : Type.Optional(text),
    es: Type.Optional(text),
    ru: Type.Optional(text),
  });
};

const CannedSchema = Type.Object(
  {
    id: Type.String(),
    shortcut: Type.String(),
    title: Type.String(),
    body: Type.Object({
      en: Type.String(),
      es: Type.Optional(Type.String()),
      ru: Type.Optional(Type.String()),
    }),
    team_id: Nullable(Type.String()),
    created_by: Nullable(Type.String()),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'CannedResponse' },
);

const Shortcut = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[a-z0-9][a-z0-9_-]*$',
  description: 'what the agent types after / (lower case letters, digits, - and _)',
});

const staffId = (p: Principal) => (p.kind === 'staff' ? p.userId : null);
/** Admins (who manage teams) and API keys see every team's responses; agents see theirs and the shared ones. */
const seesAll = (p: Principal) =>
  p.kind === 'secret_key' || (p.kind === 'staff' && p.permissions.includes('users:write'));

export function cannedRoutes(canned: CannedService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/canned-responses',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'Canned responses by shortcut: the shared ones and those of my teams (admins: all)',
          querystring: strictObject({
            q: Type.Optional(Type.String({ maxLength: 100 })),
            team_id: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: {
            200: Type.Object({
              data: Type.Array(CannedSchema),
              variables: Type.Record(Type.String(), Type.String()),
            }),
          },
        },
      },
      async (request) => ({
        data: await canned.listCannedResponses({
          userId: seesAll(request.principal) ? null : (staffId(request.principal) ?? ''),
          q: request.query.q,
          team_id: request.query.team_id,
        }),
        variables: { ...cannedVariables },
      }),
    );

    app.post(
      '/v1/canned-responses',
      {
        config: { access: 'conversations:write', audit: 'canned_response.create' },
        schema: {
          tags,
          summary: 'Create a canned response; unknown {{variables}} are refused with 422',
          body: strictObject({
            shortcut: Shortcut,
            title: Type.String({ minLength: 1, maxLength: 120 }),
            body: Body(true),
            team_id: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
          }),
          response: { 201: CannedSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await canned.createCannedResponse(
              { ...request.body, body: { ...request.body.body, en: request.body.body.en } },
              staffId(request.principal),
            ),
          ),
    );

    app.get(
      '/v1/canned-responses/:id',
      {
        config: { access: 'conversations:read' },
        schema: { tags, summary: 'One canned response', params: IdParams, response: { 200: CannedSchema } },
      },
      async (request) => canned.retrieveCannedResponse(request.params.id),
    );

    app.patch(
      '/v1/canned-responses/:id',
      {
        config: { access: 'conversations:write', audit: 'canned_response.update' },
        schema: {
          tags,
          summary: 'Change a canned response (a body replaces every locale)',
          params: IdParams,
          body: strictObject({
            shortcut: Type.Optional(Shortcut),
            title: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
            body: Type.Optional(Body(true)),
            team_id: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
          }),
          response: { 200: CannedSchema },
        },
      },
      async (request) => canned.updateCannedResponse(request.params.id, request.body),
    );

    app.delete(
      '/v1/canned-responses/:id',
      {
        config: { access: 'conversations:write', audit: 'canned_response.delete' },
        schema: { tags, summary: 'Delete a canned response', params: IdParams },
      },
      async (request, reply) => {
        await canned.deleteCannedResponse(request.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/v1/conversations/:id/canned-responses/:canned_id/render',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary:
            'Preview a canned response for this conversation: variables filled, in the customer’s language when it has one',
          params: strictObject({
            id: Type.String({ maxLength: 64 }),
            canned_id: Type.String({ maxLength: 64 }),
          }),
          response: {
            200: Type.Object({
              id: Type.String(),
              shortcut: Type.String(),
              locale: Type.Enum(['en', 'es', 'ru']),
              text: Type.String(),
              missing: Type.Array(Type.String(), { description: 'variables with no value here' }),
            }),
          },
        },
      },
      async (request) =>
        canned.renderCannedResponse(request.params.id, request.params.canned_id, staffId(request.principal)),
    );
  };
}
