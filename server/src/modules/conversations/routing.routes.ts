/**
 * @module Routes: teams (`/v1/teams`), agents' presence and capacity, "take next", transfer, SLA policies and a
 * conversation's SLA status. Team and SLA settings are the admin's (users:write); agents use the rest.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { AppError } from '../../platform/errors';
import { IdParams, IsoTime, Nullable, NullableIsoTime, strictObject } from '../../platform/http/schemas';
import { weekdays } from './business-hours';
import type { ConversationsService } from './conversation.service';
import { ConversationSchema } from './conversation.schemas';
import type { RoutingService } from './routing.service';
import type { SlaService } from './sla.service';
import { presences, strategies } from './team.repository';
import type { TeamsService } from './team.service';

const tags = ['routing'];
const Hhmm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
const Names = Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 });
const TeamBody = strictObject({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  channel_kinds: Type.Optional(Names),
  strategy: Type.Optional(Type.Enum([...strategies])),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  business_hours: Type.Optional(
    Nullable(
      strictObject(
        Object.fromEntries(
          weekdays.map((d) => [
            d,
            Type.Optional(Type.Array(strictObject({ open: Hhmm, close: Hhmm }), { maxItems: 6 })),
          ]),
        ),
      ),
    ),
  ),
  holidays: Type.Optional(Type.Array(Type.String({ format: 'date' }), { maxItems: 400 })),
  reassign_after_seconds: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 7 * 86_400 }))),
  members: Type.Optional(
    Type.Array(
      strictObject({
        user_id: Type.String({ minLength: 1, maxLength: 64 }),
        skills: Type.Optional(Names),
        languages: Type.Optional(Names),
      }),
      { maxItems: 500 },
    ),
  ),
});
const TeamSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  channel_kinds: Type.Array(Type.String()),
  strategy: Type.String(),
  timezone: Type.String(),
  business_hours: Nullable(
    Type.Record(Type.String(), Type.Array(Type.Object({ open: Type.String(), close: Type.String() }))),
  ),
  holidays: Type.Array(Type.String()),
  reassign_after_seconds: Nullable(Type.Number()),
  members: Type.Array(
    Type.Object({
      user_id: Type.String(),
      skills: Type.Array(Type.String()),
      languages: Type.Array(Type.String()),
      last_assigned_at: NullableIsoTime,
    }),
  ),
  created_at: IsoTime,
  updated_at: IsoTime,
});
const AgentSchema = Type.Object({
  user_id: Type.String(),
  presence: Type.String(),
  presence_at: IsoTime,
  capacity: Type.Record(Type.String(), Type.Integer()),
  active: Type.Record(Type.String(), Type.Integer()),
});
const SlaPolicySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  priority: Nullable(Type.String()),
  channel_kind: Nullable(Type.String()),
  team_id: Nullable(Type.String()),
  first_response_seconds: Nullable(Type.Number()),
  next_response_seconds: Nullable(Type.Number()),
  resolution_seconds: Nullable(Type.Number()),
  at_risk_percent: Type.Integer(),
});
const Seconds = Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 365 * 86_400 })));

export function routingRoutes(deps: {
  teams: TeamsService;
  routing: RoutingService;
  sla: SlaService;
  conversations: Pick<ConversationsService, 'addNote'>;
}): FastifyPluginAsyncTypebox {
  const { teams, routing, sla, conversations } = deps;
  const staffId = (p: { kind: string; userId?: string }) => {
    if (p.kind !== 'staff' || !p.userId)
      throw new AppError('forbidden', 'Only a staff user has presence and a queue.');
    return p.userId;
  };
  return async (app) => {
    app.get(
      '/v1/teams',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'Teams (queues) with members',
          response: { 200: Type.Object({ data: Type.Array(TeamSchema) }) },
        },
      },
      async () => ({ data: await teams.listTeams() }),
    );
    app.post(
      '/v1/teams',
      {
        config: { access: 'users:write', audit: 'team.create' },
        schema: { tags, summary: 'Create a team', body: TeamBody, response: { 201: TeamSchema } },
      },
      async (request, reply) =>
        reply.status(201).send(await teams.createTeam(request.body, actorOf(request.principal))),
    );
    app.get(
      '/v1/teams/:id',
      {
        config: { access: 'conversations:read' },
        schema: { tags, summary: 'A team', params: IdParams, response: { 200: TeamSchema } },
      },
      async (request) => teams.retrieveTeam(request.params.id),
    );
    app.put(
      '/v1/teams/:id',
      {
        config: { access: 'users:write', audit: 'team.update' },
        schema: {
          tags,
          summary: 'Change a team (members replaced when given)',
          params: IdParams,
          body: TeamBody,
          response: { 200: TeamSchema },
        },
      },
      async (request) => teams.updateTeam(request.params.id, request.body, actorOf(request.principal)),
    );
    app.delete(
      '/v1/teams/:id',
      {
        config: { access: 'users:write', audit: 'team.delete' },
        schema: { tags, summary: 'Delete a team', params: IdParams },
      },
      async (request, reply) => {
        await teams.deleteTeam(request.params.id, actorOf(request.principal));
        return reply.status(204).send();
      },
    );
    app.get(
      '/v1/teams/:id/open',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'Whether the team is open (business hours, holidays) and when it next opens',
          params: IdParams,
          querystring: strictObject({ at: Type.Optional(IsoTime) }),
          response: { 200: Type.Object({ open: Type.Boolean(), next_open_at: NullableIsoTime }) },
        },
      },
      async (request) => {
        const r = await teams.isOpen(
          request.params.id,
          request.query.at ? Date.parse(request.query.at) : Date.now(),
        );
        return {
          open: r.open,
          next_open_at: r.next_open_at === null ? null : new Date(r.next_open_at).toISOString(),
        };
      },
    );

    app.put(
      '/v1/me/presence',
      {
        config: { access: 'conversations:write' },
        schema: {
          tags,
          summary: 'Set my presence: online, away or offline',
          body: strictObject({ presence: Type.Enum([...presences]) }),
          response: { 200: AgentSchema },
        },
      },
      async (request) =>
        teams.setPresence(
          staffId(request.principal as never),
          request.body.presence,
          actorOf(request.principal),
        ),
    );
    app.get(
      '/v1/agents/:id',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'An agent’s presence, capacity and load per channel kind',
          params: IdParams,
          response: { 200: AgentSchema },
        },
      },
      async (request) => teams.retrieveAgent(request.params.id),
    );
    app.put(
      '/v1/agents/:id/capacity',
      {
        config: { access: 'users:write', audit: 'agent.capacity' },
        schema: {
          tags,
          summary: 'Set an agent’s capacity per channel kind, e.g. { "webchat": 3, "email": 10 }',
          params: IdParams,
          body: Type.Record(
            Type.String({ pattern: '^[a-z_]{1,30}$' }),
            Type.Integer({ minimum: 0, maximum: 1000 }),
          ),
          response: { 200: AgentSchema },
        },
      },
      async (request) => teams.setCapacity(request.params.id, request.body),
    );

    app.post(
      '/v1/conversations/take-next',
      {
        config: { access: 'conversations:write', audit: 'conversation.take_next' },
        schema: {
          tags,
          summary: 'Take the oldest-waiting unassigned conversation of my teams',
          response: { 200: ConversationSchema },
        },
      },
      async (request) => routing.takeNext(staffId(request.principal as never), actorOf(request.principal)),
    );
    app.post(
      '/v1/conversations/:id/transfer',
      {
        config: { access: 'conversations:write', audit: 'conversation.transfer' },
        schema: {
          tags,
          summary: 'Transfer to an agent or a team, with a private note',
          params: IdParams,
          body: strictObject({
            assignee_id: Type.Optional(Type.String({ maxLength: 64 })),
            team_id: Type.Optional(Type.String({ maxLength: 64 })),
            note: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
          }),
          response: { 200: ConversationSchema },
        },
      },
      async (request) => {
        const actor = actorOf(request.principal);
        const { note, ...target } = request.body;
        const moved = await routing.transferConversation(request.params.id, target, actor);
        if (note) await conversations.addNote(request.params.id, { text: note }, actor);
        return moved;
      },
    );

    app.get(
      '/v1/sla-policies',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'SLA policies',
          response: { 200: Type.Object({ data: Type.Array(SlaPolicySchema) }) },
        },
      },
      async () => ({ data: await sla.listSlaPolicies() }),
    );
    app.post(
      '/v1/sla-policies',
      {
        config: { access: 'users:write', audit: 'sla_policy.create' },
        schema: {
          tags,
          summary: 'Create an SLA policy (targets in business seconds)',
          body: strictObject({
            name: Type.String({ minLength: 1, maxLength: 100 }),
            priority: Type.Optional(Nullable(Type.Enum(['low', 'normal', 'high', 'urgent']))),
            channel_kind: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
            team_id: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
            first_response_seconds: Seconds,
            next_response_seconds: Seconds,
            resolution_seconds: Seconds,
            at_risk_percent: Type.Optional(Type.Integer({ minimum: 1, maximum: 99 })),
          }),
          response: { 201: SlaPolicySchema },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await sla.createSlaPolicy(request.body, actorOf(request.principal))),
    );
    app.delete(
      '/v1/sla-policies/:id',
      {
        config: { access: 'users:write', audit: 'sla_policy.delete' },
        schema: { tags, summary: 'Delete an SLA policy', params: IdParams },
      },
      async (request, reply) => {
        await sla.deleteSlaPolicy(request.params.id, actorOf(request.principal));
        return reply.status(204).send();
      },
    );
    app.get(
      '/v1/conversations/:id/sla',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'SLA status and timers of a conversation',
          params: IdParams,
          response: {
            200: Type.Object({
              conversation_id: Type.String(),
              status: Nullable(Type.String()),
              timers: Type.Array(
                Type.Object({
                  id: Type.String(),
                  policy_id: Type.String(),
                  metric: Type.String(),
                  status: Type.String(),
                  started_at: IsoTime,
                  due_at: NullableIsoTime,
                  at_risk_at: NullableIsoTime,
                  stopped_at: NullableIsoTime,
                  breached_at: NullableIsoTime,
                }),
              ),
            }),
          },
        },
      },
      async (request) => sla.retrieveConversationSla(request.params.id),
    );
  };
}
