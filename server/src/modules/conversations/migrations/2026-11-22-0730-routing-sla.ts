/**
 * @module Routing and SLA tables: teams (queues) with their members, business hours and strategy; each agent's
 * presence and per-channel-kind capacity counters; the routing state of each conversation (queued or assigned,
 * and when an unanswered assignment is taken back); SLA policies and the durable SLA timers the job fires.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('teams')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    // Channel kinds this team handles; [] handles every kind.
    .addColumn('channel_kinds', t.json, (c) => c.notNull())
    .addColumn('strategy', t.text, (c) => c.notNull())
    .addColumn('timezone', t.text, (c) => c.notNull())
    // { "mon": [["09:00","17:00"]], … }; null: open around the clock.
    .addColumn('business_hours', t.json)
    .addColumn('holidays', t.json, (c) => c.notNull())
    .addColumn('reassign_after_ms', t.integer)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('team_members')
    .addColumn('team_id', t.id, (c) => c.notNull())
    .addColumn('user_id', t.id, (c) => c.notNull())
    .addColumn('skills', t.json, (c) => c.notNull())
    .addColumn('languages', t.json, (c) => c.notNull())
    // Round robin turns: the member whose last assignment from this team is oldest goes next.
    .addColumn('last_assigned_at', t.time)
    .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user_idx').on('team_members').column('user_id').execute();

  await db.schema
    .createTable('agent_states')
    .addColumn('user_id', t.id, (c) => c.primaryKey())
    .addColumn('presence', t.text, (c) => c.notNull())
    .addColumn('presence_at', t.time, (c) => c.notNull())
    // Longest idle: when the agent last took or finished a conversation (or came online).
    .addColumn('idle_since', t.time, (c) => c.notNull())
    .execute();

  // One counter per agent and channel kind, changed only by guarded UPDATEs (active < capacity).
  await db.schema
    .createTable('agent_loads')
    .addColumn('user_id', t.id, (c) => c.notNull())
    .addColumn('channel_kind', t.text, (c) => c.notNull())
    .addColumn('capacity', t.integer, (c) => c.notNull())
    .addColumn('active', t.integer, (c) => c.notNull())
    .addPrimaryKeyConstraint('agent_loads_pk', ['user_id', 'channel_kind'])
    .execute();

  await db.schema
    .createTable('conversation_routing')
    .addColumn('conversation_id', t.id, (c) => c.primaryKey())
    // queued (waiting for an agent or for opening hours) or assigned.
    .addColumn('state', t.text, (c) => c.notNull())
    .addColumn('team_id', t.id)
    .addColumn('assignee_id', t.id)
    // The load counter this assignment holds, released exactly once.
    .addColumn('load_kind', t.text)
    .addColumn('queued_at', t.time)
    .addColumn('assigned_at', t.time)
    // An agent who has not answered by then loses the conversation to the next one (null: answered / no limit).
    .addColumn('answer_due_at', t.time)
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_routing_due_idx')
    .on('conversation_routing')
    .columns(['state', 'answer_due_at'])
    .execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    // Null matches any: the most specific matching policy applies.
    .addColumn('priority', t.text)
    .addColumn('channel_kind', t.text)
    .addColumn('team_id', t.id)
    .addColumn('first_response_ms', t.integer)
    .addColumn('next_response_ms', t.integer)
    .addColumn('resolution_ms', t.integer)
    .addColumn('at_risk_percent', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sla_timers')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('policy_id', t.id, (c) => c.notNull())
    .addColumn('team_id', t.id)
    // first_response | next_response | resolution
    .addColumn('metric', t.text, (c) => c.notNull())
    // running | at_risk | paused | met | breached | cancelled
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('started_at', t.time, (c) => c.notNull())
    .addColumn('target_ms', t.integer, (c) => c.notNull())
    .addColumn('due_at', t.time)
    .addColumn('at_risk_at', t.time)
    // Business time still left when paused (pending/snoozed); the clock resumes from it.
    .addColumn('remaining_ms', t.integer)
    .addColumn('stopped_at', t.time)
    .addColumn('breached_at', t.time)
    .execute();
  await db.schema
    .createIndex('sla_timers_conversation_idx')
    .on('sla_timers')
    .columns(['conversation_id', 'metric', 'status'])
    .execute();
  await db.schema.createIndex('sla_timers_due_idx').on('sla_timers').columns(['status', 'due_at']).execute();
}
