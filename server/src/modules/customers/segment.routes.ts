/**
 * @module Routes: segments (/v1/segments) — preview a rule's audience, save and change segments (marketers build
 * audiences: campaigns permissions), list a segment's members (customer data: customers:read, audited), and the
 * other way round, the segments one customer is in (for their 360: customers:read).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { recordAudit } from '../../platform/audit/audit';
import { actorOf } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { RuleSchema } from './segment.rules';
import type { SegmentsService } from './segment.service';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Description = Nullable(Type.String({ maxLength: 2000 }));

const SegmentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    rule: RuleSchema,
    member_count: Type.Integer(),
    evaluated_at: IsoTime,
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Segment' },
);

const MemberSchema = Type.Object(
  {
    customer_id: Type.String(),
    first_name: Nullable(Type.String()),
    last_name: Nullable(Type.String()),
    since: IsoTime,
  },
  { title: 'SegmentMember' },
);

const CustomerSegmentSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    description: Nullable(Type.String()),
    member_count: Type.Integer(),
    since: { ...IsoTime, description: 'When the customer entered the segment (this time)' },
  },
  { title: 'CustomerSegment' },
);

export function segmentsRoutes(deps: { db: Db; segments: SegmentsService }): FastifyPluginAsyncTypebox {
  const { db, segments } = deps;
  return async (app) => {
    app.post(
      '/v1/segments/preview',
      {
        config: { access: 'campaigns:read' },
        schema: {
          tags: ['segments'],
          summary: 'Count the customers a rule matches now (and show some ids) without saving',
          body: strictObject({ rule: RuleSchema }),
          response: {
            200: Type.Object({
              count: Type.Integer(),
              sample: Type.Array(Type.String(), { description: 'Up to 20 matching customer ids' }),
            }),
          },
        },
      },
      async (request) => segments.previewSegment(request.body.rule),
    );

    app.get(
      '/v1/segments',
      {
        config: { access: 'campaigns:read' },
        schema: {
          tags: ['segments'],
          summary: 'List segments, newest first',
          querystring: strictObject(ListQuery),
          response: { 200: listOf(SegmentSchema) },
        },
      },
      async (request) => segments.listSegments(request.query),
    );

    app.post(
      '/v1/segments',
      {
        config: { access: 'campaigns:write', audit: 'segment.create' },
        schema: {
          tags: ['segments'],
          summary: 'Save a segment; it is filled at once and kept current',
          body: strictObject({ name: Name, description: Type.Optional(Description), rule: RuleSchema }),
          response: { 201: SegmentSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await segments.createSegment(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/segments/:id',
      {
        config: { access: 'campaigns:read' },
        schema: {
          tags: ['segments'],
          summary: 'Retrieve a segment',
          params: IdParams,
          response: { 200: SegmentSchema },
        },
      },
      async (request) => segments.retrieveSegment(request.params.id),
    );

    app.patch(
      '/v1/segments/:id',
      {
        config: { access: 'campaigns:write', audit: 'segment.update' },
        schema: {
          tags: ['segments'],
          summary: 'Rename a segment or change its rule (which re-evaluates it)',
          params: IdParams,
          body: strictObject({
            name: Type.Optional(Name),
            description: Type.Optional(Description),
            rule: Type.Optional(RuleSchema),
          }),
          response: { 200: SegmentSchema },
        },
      },
      async (request) => segments.updateSegment(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/segments/:id',
      {
        config: { access: 'campaigns:write', audit: 'segment.delete' },
        schema: { tags: ['segments'], summary: 'Delete a segment', params: IdParams },
      },
      async (request, reply) => {
        await segments.deleteSegment(request.params.id, actorOf(request.principal));
        return reply.code(204).send();
      },
    );

    app.get(
      '/v1/customers/:id/segments',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['segments'],
          summary: 'The segments a customer is in now (a merged-away id answers for its survivor)',
          params: IdParams,
          response: {
            200: Type.Object({
              customer_id: Type.String({ description: 'The profile answered for (the survivor)' }),
              data: Type.Array(CustomerSegmentSchema),
            }),
          },
        },
      },
      async (request) => segments.listCustomerSegments(request.params.id),
    );

    app.get(
      '/v1/segments/:id/members',
      {
        config: { access: 'customers:read' },
        schema: {
          tags: ['segments'],
          summary: 'Customers in a segment, with their names',
          params: IdParams,
          querystring: strictObject(ListQuery),
          response: { 200: listOf(MemberSchema) },
        },
      },
      async (request) => {
        const page = await segments.listSegmentMembers(request.params.id, request.query);
        // Names are personal data: reading them is audited like reading profiles.
        await recordAudit(db, {
          actor: actorOf(request.principal),
          action: 'segment.members',
          targetType: 'segment',
          targetId: request.params.id,
          ip: request.ip,
          requestId: String(request.id),
          data: { count: page.data.length },
        });
        return page;
      },
    );
  };
}
