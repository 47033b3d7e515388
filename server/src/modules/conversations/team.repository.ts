/**
 * @module Team, member, presence and capacity queries and their mappers; every function takes the database or a
 * transaction first. Capacity counters change only through the guarded UPDATEs here.
 */
import type { Selectable } from 'kysely';
import { decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { BusinessCalendar, WeeklyHours } from './business-hours';
import type { AgentLoadRow, AgentStateRow, TeamMemberRow, TeamRow } from './routing.table';

export const strategies = ['round_robin', 'least_busy', 'longest_idle'] as const;
export type Strategy = (typeof strategies)[number];
export const presences = ['online', 'away', 'offline'] as const;
export type Presence = (typeof presences)[number];

/** Capacity when an agent has none set for a channel kind: email is slow, chats are live. */
export const defaultCapacity = (kind: string) => (kind === 'email' ? 10 : 3);

export interface TeamMember {
  user_id: string;
  skills: string[];
  languages: string[];
  last_assigned_at: string | null;
}

export interface Team {
  id: string;
  name: string;
  channel_kinds: string[];
  strategy: Strategy;
  timezone: string;
  business_hours: WeeklyHours | null;
  holidays: string[];
  reassign_after_seconds: number | null;
  members: TeamMember[];
  created_at: string;
  updated_at: string;
}

export interface AgentState {
  user_id: string;
  presence: Presence;
  presence_at: string;
  capacity: Record<string, number>;
  active: Record<string, number>;
}

export function memberFromRow(row: Selectable<TeamMemberRow>): TeamMember {
  return {
    user_id: row.user_id,
    skills: decodeJson<string[]>(row.skills) ?? [],
    languages: decodeJson<string[]>(row.languages) ?? [],
    last_assigned_at: toIso(row.last_assigned_at),
  };
}

export function teamFromRow(row: Selectable<TeamRow>, members: Selectable<TeamMemberRow>[]): Team {
  return {
    id: row.id,
    name: row.name,
    channel_kinds: decodeJson<string[]>(row.channel_kinds) ?? [],
    strategy: row.strategy as Strategy,
    timezone: row.timezone,
    business_hours: decodeJson<WeeklyHours>(row.business_hours) ?? null,
    holidays: decodeJson<string[]>(row.holidays) ?? [],
    reassign_after_seconds: row.reassign_after_ms === null ? null : Number(row.reassign_after_ms) / 1000,
    members: members.map(memberFromRow),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

/** The calendar of a team row (for business-hours arithmetic). */
export function calendarOf(row: Pick<Selectable<TeamRow>, 'timezone' | 'business_hours' | 'holidays'>) {
  return {
    timezone: row.timezone,
    weekly: decodeJson<WeeklyHours>(row.business_hours) ?? null,
    holidays: decodeJson<string[]>(row.holidays) ?? [],
  } satisfies BusinessCalendar;
}

export async function findTeamRow(db: DbOrTrx, id: string) {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTeamRows(db: DbOrTrx) {
  return db.selectFrom('teams').selectAll().orderBy('id').execute();
}

export async function listMemberRows(db: DbOrTrx, teamIds: string[]) {
  if (teamIds.length === 0) return [];
  return db.selectFrom('team_members').selectAll().where('team_id', 'in', teamIds).execute();
}

export async function teamIdsOfUser(db: DbOrTrx, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('team_members').select('team_id').where('user_id', '=', userId).execute();
  return rows.map((r) => r.team_id);
}

export function agentStateFrom(
  userId: string,
  state: Selectable<AgentStateRow> | undefined,
  loads: Selectable<AgentLoadRow>[],
): AgentState {
  return {
    user_id: userId,
    presence: (state?.presence ?? 'offline') as Presence,
    presence_at: toIsoRequired(state?.presence_at ?? 0),
    capacity: Object.fromEntries(loads.map((l) => [l.channel_kind, Number(l.capacity)])),
    active: Object.fromEntries(loads.map((l) => [l.channel_kind, Number(l.active)])),
  };
}

/** Makes sure the agent has a counter for this channel kind (default capacity) without touching an existing one. */
export async function ensureLoad(db: DbOrTrx, userId: string, kind: string): Promise<void> {
  await db
    .insertInto('agent_loads')
    .values({ user_id: userId, channel_kind: kind, capacity: defaultCapacity(kind), active: 0 })
    .onConflict((oc) => oc.columns(['user_id', 'channel_kind']).doNothing())
    .execute();
}

/**
 * Takes one unit of the agent's capacity for a channel kind: a guarded UPDATE, true only when it was free.
 * `force` (an explicit assignment by a person) counts the conversation even past capacity.
 */
export async function claimLoad(db: DbOrTrx, userId: string, kind: string, force = false): Promise<boolean> {
  let q = db
    .updateTable('agent_loads')
    .set((eb) => ({ active: eb('active', '+', 1) }))
    .where('user_id', '=', userId)
    .where('channel_kind', '=', kind);
  if (!force) q = q.where((eb) => eb('active', '<', eb.ref('capacity')));
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Gives one unit back; never below zero. */
export async function releaseLoad(db: DbOrTrx, userId: string, kind: string): Promise<void> {
  await db
    .updateTable('agent_loads')
    .set((eb) => ({ active: eb('active', '-', 1) }))
    .where('user_id', '=', userId)
    .where('channel_kind', '=', kind)
    .where('active', '>', 0)
    .execute();
}
