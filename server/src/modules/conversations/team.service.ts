/**
 * @module Teams (queues) and agents: create and change teams with their members' skills and languages,
 * strategy, business hours, holidays and reassign time; each agent's presence and capacity per channel kind;
 * `isOpen(team, at)` for whoever must know whether a team is open (routing, SLA, the out-of-hours bot reply).
 */
import { AppError, notFound } from '../../platform/errors';
import { encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import { isOpenAt, isValidZone, nextOpening, weekdays, type WeeklyHours } from './business-hours';
import {
  agentStateFrom,
  calendarOf,
  ensureLoad,
  findTeamRow,
  listMemberRows,
  listTeamRows,
  teamFromRow,
  type AgentState,
  type Presence,
  type Strategy,
  type Team,
} from './team.repository';

export interface TeamInput {
  name: string;
  channel_kinds?: string[] | undefined;
  strategy?: Strategy | undefined;
  timezone?: string | undefined;
  business_hours?: WeeklyHours | null | undefined;
  holidays?: string[] | undefined;
  reassign_after_seconds?: number | null | undefined;
  members?: Array<{ user_id: string; skills?: string[]; languages?: string[] }> | undefined;
}

export interface TeamsDeps {
  db: Db;
  events: EventBus;
  userExists: (id: string) => Promise<boolean>;
}

const invalid = (field: string, message: string) =>
  new AppError('validation_failed', `${field} ${message}.`, { errors: [{ field, message }] });

const lower = (xs: string[] | undefined) => [...new Set((xs ?? []).map((x) => x.trim().toLowerCase()))];

/**
 * Takes the agent's presence row for the rest of the transaction (a no-op UPDATE locks it on PostgreSQL; SQLite
 * has one writer anyway), so processes connecting and disconnecting her are serialized: whoever goes second sees
 * the other's committed connection row.
 */
async function lockAgent(trx: Trx, userId: string, now: number): Promise<void> {
  await trx
    .insertInto('agent_states')
    .values({ user_id: userId, presence: 'offline', presence_at: now, idle_since: now })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  await trx
    .updateTable('agent_states')
    .set((eb) => ({ presence_at: eb.ref('presence_at') }))
    .where('user_id', '=', userId)
    .execute();
}

/** Whether some process holds a connection of hers seen since `freshSince`. */
async function heldElsewhere(trx: Trx, userId: string, freshSince: number): Promise<boolean> {
  const row = await trx
    .selectFrom('agent_connections')
    .select('node_id')
    .where('user_id', '=', userId)
    .where('seen_at', '>=', freshSince)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function createTeamsService(deps: TeamsDeps) {
  const { db, events } = deps;

  /** Sets presence in the caller's transaction with its event; `onlyFrom` limits what it may change. */
  async function changePresence(
    trx: Trx,
    userId: string,
    presence: Presence,
    actor: Actor,
    at: number,
    onlyFrom?: Presence[],
  ): Promise<boolean> {
    const before = await trx
      .selectFrom('agent_states')
      .select('presence')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (before?.presence === presence) return false;
    if (onlyFrom && !onlyFrom.includes((before?.presence ?? 'offline') as Presence)) return false;
    await trx
      .insertInto('agent_states')
      .values({ user_id: userId, presence, presence_at: at, idle_since: at })
      .onConflict((oc) =>
        oc.column('user_id').doUpdateSet({
          presence,
          presence_at: at,
          ...(presence === 'online' ? { idle_since: at } : {}),
        }),
      )
      .execute();
    await events.append(trx, {
      type: 'agent.presence_changed',
      aggregate: { type: 'agent', id: userId },
      actor,
      data: { user_id: userId, from: before?.presence ?? 'offline', to: presence },
    });
    return true;
  }

  async function check(input: Partial<TeamInput>): Promise<void> {
    if (input.timezone !== undefined && !isValidZone(input.timezone))
      throw invalid('body.timezone', 'is not an IANA time zone');
    for (const day of weekdays)
      for (const [i, span] of (input.business_hours?.[day] ?? []).entries())
        if (span.close <= span.open)
          throw invalid(`body.business_hours.${day}.${i}.close`, 'must be after open');
    for (const [i, m] of (input.members ?? []).entries())
      if (!(await deps.userExists(m.user_id)))
        throw invalid(`body.members.${i}.user_id`, 'is not an active staff user');
  }

  async function retrieveTeam(id: string): Promise<Team> {
    const row = await findTeamRow(db, id);
    if (!row) throw notFound('team', id);
    return teamFromRow(row, await listMemberRows(db, [id]));
  }

  async function save(id: string, input: TeamInput, actor: Actor, created: boolean): Promise<Team> {
    const now = Date.now();
    await inTransaction(db, async (trx) => {
      const values = {
        name: input.name,
        channel_kinds: encodeJson(lower(input.channel_kinds)),
        strategy: input.strategy ?? 'round_robin',
        timezone: input.timezone ?? 'UTC',
        business_hours: input.business_hours ? encodeJson(input.business_hours) : null,
        holidays: encodeJson(input.holidays ?? []),
        reassign_after_ms:
          input.reassign_after_seconds == null ? null : Math.round(input.reassign_after_seconds * 1000),
        updated_at: now,
      };
      if (created)
        await trx
          .insertInto('teams')
          .values({ id, ...values, created_at: now })
          .execute();
      else await trx.updateTable('teams').set(values).where('id', '=', id).execute();
      if (input.members) {
        // Keep each remaining member's round-robin turn; replace skills and languages.
        const before = await listMemberRows(trx, [id]);
        await trx.deleteFrom('team_members').where('team_id', '=', id).execute();
        for (const m of input.members)
          await trx
            .insertInto('team_members')
            .values({
              team_id: id,
              user_id: m.user_id,
              skills: encodeJson(lower(m.skills)),
              languages: encodeJson(lower(m.languages)),
              last_assigned_at: before.find((b) => b.user_id === m.user_id)?.last_assigned_at ?? null,
            })
            .execute();
      }
      await events.append(trx, {
        type: created ? 'team.created' : 'team.updated',
        aggregate: { type: 'team', id },
        actor,
        data: { id },
      });
    });
    return retrieveTeam(id);
  }

  return {
    retrieveTeam,

    async listTeams(): Promise<Team[]> {
      const rows = await listTeamRows(db);
      const members = await listMemberRows(
        db,
        rows.map((r) => r.id),
      );
      return rows.map((r) =>
        teamFromRow(
          r,
          members.filter((m) => m.team_id === r.id),
        ),
      );
    },

    /**
     * @example await teams.createTeam({ name: 'Spanish chat', channel_kinds: ['webchat'], strategy: 'least_busy', members: [{ user_id: 'usr_…', languages: ['es'] }] }, actor)
     */
    async createTeam(input: TeamInput, actor: Actor): Promise<Team> {
      await check(input);
      return save(newId('team'), input, actor, true);
    },

    /** Replaces the team's settings; members are replaced when given. */
    async updateTeam(id: string, input: TeamInput, actor: Actor): Promise<Team> {
      const current = await retrieveTeam(id);
      await check(input);
      return save(
        id,
        {
          ...input,
          channel_kinds: input.channel_kinds ?? current.channel_kinds,
          strategy: input.strategy ?? current.strategy,
          timezone: input.timezone ?? current.timezone,
          business_hours: input.business_hours === undefined ? current.business_hours : input.business_hours,
          holidays: input.holidays ?? current.holidays,
          reassign_after_seconds:
            input.reassign_after_seconds === undefined
              ? current.reassign_after_seconds
              : input.reassign_after_seconds,
        },
        actor,
        false,
      );
    },

    async deleteTeam(id: string, actor: Actor): Promise<void> {
      await retrieveTeam(id);
      await inTransaction(db, async (trx) => {
        await trx.deleteFrom('team_members').where('team_id', '=', id).execute();
        await trx.deleteFrom('teams').where('id', '=', id).execute();
        await events.append(trx, {
          type: 'team.deleted',
          aggregate: { type: 'team', id },
          actor,
          data: { id },
        });
      });
    },

    /**
     * Whether the team takes conversations now (business hours minus holidays, in its time zone), and when it
     * next opens. The out-of-hours bot reply asks this.
     * @example const { open, next_open_at } = await teams.isOpen('team_01…', Date.now())
     */
    async isOpen(teamId: string, at = Date.now()): Promise<{ open: boolean; next_open_at: number | null }> {
      const row = await findTeamRow(db, teamId);
      if (!row) throw notFound('team', teamId);
      const calendar = calendarOf(row);
      return { open: isOpenAt(calendar, at), next_open_at: nextOpening(calendar, at) };
    },

    async retrieveAgent(userId: string): Promise<AgentState> {
      const state = await db
        .selectFrom('agent_states')
        .selectAll()
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const loads = await db.selectFrom('agent_loads').selectAll().where('user_id', '=', userId).execute();
      return agentStateFrom(userId, state, loads);
    },

    /** Online, away or offline. Coming online restarts the agent's idle clock for longest-idle routing. */
    async setPresence(
      userId: string,
      presence: Presence,
      actor: Actor,
      at = Date.now(),
      /** Change only from one of these (the console's connection must not undo an explicit "away"). */
      onlyFrom?: Presence[],
    ): Promise<AgentState> {
      await inTransaction(db, (trx) => changePresence(trx, userId, presence, actor, at, onlyFrom));
      return this.retrieveAgent(userId);
    },

    /**
     * The console's connection sets presence: opening it brings an offline agent online, closing her last one
     * takes an online agent offline. An agent who chose "away" stays away either way. With `node` (the server
     * process and how long its heartbeat vouches), presence is shared by every process on the database: each
     * keeps a row while it holds her sockets, and she goes offline only when no process holds a fresh one.
     * @example await teams.presenceFromConnection(userId, false, actor, { id: 'node_01…', ttlMs: 45_000 })
     */
    async presenceFromConnection(
      userId: string,
      connected: boolean,
      actor: Actor,
      node?: { id: string; ttlMs: number },
    ): Promise<void> {
      if (!node) {
        if (connected) await this.setPresence(userId, 'online', actor, Date.now(), ['offline']);
        else await this.setPresence(userId, 'offline', actor, Date.now(), ['online']);
        return;
      }
      const now = Date.now();
      await inTransaction(db, async (trx) => {
        await lockAgent(trx, userId, now);
        if (connected) {
          await trx
            .insertInto('agent_connections')
            .values({ user_id: userId, node_id: node.id, seen_at: now })
            .onConflict((oc) => oc.columns(['user_id', 'node_id']).doUpdateSet({ seen_at: now }))
            .execute();
          await changePresence(trx, userId, 'online', actor, now, ['offline']);
          return;
        }
        await trx
          .deleteFrom('agent_connections')
          .where('user_id', '=', userId)
          .where('node_id', '=', node.id)
          .execute();
        if (!(await heldElsewhere(trx, userId, now - node.ttlMs)))
          await changePresence(trx, userId, 'offline', actor, now, ['online']);
      });
    },

    /** This process still holds these agents' sockets: refreshes its rows (every few seconds, app.ts). */
    async heartbeatPresence(nodeId: string, userIds: string[], now = Date.now()): Promise<void> {
      if (!userIds.length) return;
      await db
        .updateTable('agent_connections')
        .set({ seen_at: now })
        .where('node_id', '=', nodeId)
        .where('user_id', 'in', userIds)
        .execute();
    },

    /**
     * A process that stopped heartbeating (it died) vouches for nobody: its stale rows go, and an agent no process
     * holds any more goes offline (never from "away"). Returns how many agents went offline.
     */
    async expirePresence(ttlMs: number, actor: Actor, now = Date.now()): Promise<number> {
      const stale = await db
        .selectFrom('agent_connections')
        .select('user_id')
        .distinct()
        .where('seen_at', '<', now - ttlMs)
        .execute();
      let offline = 0;
      for (const { user_id: userId } of stale)
        await inTransaction(db, async (trx) => {
          await lockAgent(trx, userId, now);
          await trx
            .deleteFrom('agent_connections')
            .where('user_id', '=', userId)
            .where('seen_at', '<', now - ttlMs)
            .execute();
          if (!(await heldElsewhere(trx, userId, now - ttlMs)))
            if (await changePresence(trx, userId, 'offline', actor, now, ['online'])) offline++;
        });
      return offline;
    },

    /**
     * Whether an agent could take a conversation of this channel kind now: online with free capacity for it (no
     * counter yet means the default capacity, all free). Web chat's "an agent is available" asks this.
     * @example await teams.agentsAvailable('webchat') // → true
     */
    async agentsAvailable(kind: string): Promise<boolean> {
      const row = await db
        .selectFrom('agent_states as s')
        .leftJoin('agent_loads as l', (j) =>
          j.onRef('l.user_id', '=', 's.user_id').on('l.channel_kind', '=', kind),
        )
        .select('s.user_id')
        .where('s.presence', '=', 'online')
        .where((eb) => eb.or([eb('l.user_id', 'is', null), eb('l.active', '<', eb.ref('l.capacity'))]))
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** Sets capacities per channel kind; the active counts stay (an agent over a lowered capacity just gets none). */
    async setCapacity(userId: string, capacity: Record<string, number>): Promise<AgentState> {
      if (!(await deps.userExists(userId))) throw notFound('staff user', userId);
      await inTransaction(db, async (trx) => {
        for (const [kind, n] of Object.entries(capacity)) {
          await ensureLoad(trx, userId, kind.toLowerCase());
          await trx
            .updateTable('agent_loads')
            .set({ capacity: n })
            .where('user_id', '=', userId)
            .where('channel_kind', '=', kind.toLowerCase())
            .execute();
        }
      });
      return this.retrieveAgent(userId);
    },
  };
}

export type TeamsService = ReturnType<typeof createTeamsService>;
