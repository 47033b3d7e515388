/**
 * @module Routing: a new or reopened conversation without an assignee goes to a team (by the channel kind the
 * customer wrote on, the customer's language, and skills required by `skill:<name>` labels) and to an agent
 * chosen by the team's strategy among its online members with free capacity for that channel kind. Outside
 * business hours it queues and the job routes it at opening. An agent who does not answer within the team's
 * reassign time loses it to the next. Claims are guarded UPDATEs (capacity `active < capacity`, conversation
 * `assignee_id IS NULL`) checked by rows affected, so parallel routers never double-assign or overfill an agent.
 * When the bot is on, it goes first: routing leaves an open, unassigned conversation alone until the bot hands it
 * off or releases it (bot.service.ts); when the bot is off, routing places it at once.
 */
import type { Selectable } from 'kysely';
import { AppError, notFound } from '../../platform/errors';
import { decodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { afterCommit, inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { EventConsumer } from '../../platform/events/dispatcher';
import { isOpenAt } from './business-hours';
import { findConversationRow } from './conversation.repository';
import type { ConversationRow } from './conversation.table';
import type { TeamRow } from './routing.table';
import type { Conversation } from './conversation.repository';
import { conversationFromRow } from './conversation.repository';
import { answersCustomer } from './outbound';
import { botHolds, readSettings, type BotSettings } from './bot.repository';
import {
  channelKindOf,
  findRoutingRow,
  holdRouting,
  releaseRouting,
  teamHasRoom,
} from './routing.repository';
import { calendarOf, claimLoad, ensureLoad, releaseLoad, teamIdsOfUser } from './team.repository';

const routingActor: Actor = { type: 'system', id: null, label: 'routing' };

/** How long the routing job waits for the bot to pick up a new message before routing past it. */
const BOT_FIRST_GRACE_MS = 60_000;

export interface RoutingDeps {
  db: Db;
  events: EventBus;
  /** The customer's locale ("es-ES" → "es"), or null when unknown. */
  customerLocale: (customerId: string) => Promise<string | null>;
  userExists: (id: string) => Promise<boolean>;
  log?: { error(obj: unknown, msg: string): void } | undefined;
}

export type RouteResult =
  | { state: 'assigned'; assignee_id: string; team_id: string }
  | { state: 'queued'; team_id: string | null }
  | { state: 'skipped' };

interface Candidate {
  user_id: string;
  last_assigned_at: number | null;
  idle_since: number;
  busy: number;
}

export function createRouting(deps: RoutingDeps) {
  const { db, events } = deps;
  const inFlight = new Set<Promise<unknown>>();

  /** When an assignment must have been answered: only while the customer waits and the team has a limit. */
  const answerDue = (
    team: Pick<TeamRow, 'reassign_after_ms'> | undefined,
    conv: ConversationRow,
    now: number,
  ) => (team?.reassign_after_ms && conv.waiting_since !== null ? now + Number(team.reassign_after_ms) : null);

  /** Online members with the skills and language, free for the kind, ordered by the team's strategy. */
  async function rankAgents(
    team: Selectable<TeamRow>,
    kind: string,
    language: string | null,
    skills: string[],
    exclude: string[],
  ): Promise<Candidate[]> {
    const rows = await db
      .selectFrom('team_members as m')
      .innerJoin('agent_states as s', 's.user_id', 'm.user_id')
      .leftJoin('agent_loads as l', (j) =>
        j.onRef('l.user_id', '=', 'm.user_id').on('l.channel_kind', '=', kind),
      )
      .select([
        'm.user_id',
        'm.skills',
        'm.languages',
        'm.last_assigned_at',
        's.idle_since',
        'l.active',
        'l.capacity',
      ])
      .where('m.team_id', '=', team.id)
      .where('s.presence', '=', 'online')
      .execute();
    const busy = await db
      .selectFrom('agent_loads')
      .select(['user_id', (eb) => eb.fn.sum<number>('active').as('n')])
      .where('user_id', 'in', rows.length ? rows.map((r) => r.user_id) : [''])
      .groupBy('user_id')
      .execute();
    let members = rows.filter(
      (r) =>
        !exclude.includes(r.user_id) &&
        skills.every((s) => decodeJson<string[]>(r.skills).includes(s)) &&
        // Read here only to skip the obviously full; the claim below is what guarantees capacity.
        (r.capacity === null || Number(r.active) < Number(r.capacity)),
    );
    // Speakers of the customer's language first-and-only when the team has any.
    const speakers = members.filter((r) => language && decodeJson<string[]>(r.languages).includes(language));
    if (speakers.length) members = speakers;
    const candidates = members.map((r) => ({
      user_id: r.user_id,
      last_assigned_at: r.last_assigned_at === null ? null : Number(r.last_assigned_at),
      idle_since: Number(r.idle_since),
      busy: Number(busy.find((b) => b.user_id === r.user_id)?.n ?? 0),
    }));
    const turn = (c: Candidate) => c.last_assigned_at ?? -1;
    const order: Record<string, (a: Candidate, b: Candidate) => number> = {
      round_robin: (a, b) => turn(a) - turn(b),
      least_busy: (a, b) => a.busy - b.busy || turn(a) - turn(b),
      longest_idle: (a, b) => a.idle_since - b.idle_since,
    };
    return candidates.sort((a, b) => order[team.strategy]!(a, b) || a.user_id.localeCompare(b.user_id));
  }

  /**
   * One attempt to give the conversation to one agent, in one transaction: take a unit of the agent's capacity
   * (guarded), then the conversation (guarded on still having no assignee). 'full': the agent had no room;
   * 'taken': somebody else assigned it meanwhile (nothing is left changed either way).
   */
  async function tryAssign(
    conversationId: string,
    userId: string,
    team: Selectable<TeamRow> | undefined,
    kind: string,
    now: number,
    reason: string,
    actor: Actor = routingActor,
  ): Promise<'assigned' | 'full' | 'taken'> {
    return inTransaction(db, async (trx) => {
      await ensureLoad(trx, userId, kind);
      if (!(await claimLoad(trx, userId, kind))) return 'full';
      const claimed = await trx
        .updateTable('conversations')
        .set({ assignee_id: userId, ...(team ? { team_id: team.id } : {}), updated_at: now })
        .where('id', '=', conversationId)
        .where('assignee_id', 'is', null)
        .where('status', '=', 'open')
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        await releaseLoad(trx, userId, kind); // undo in the same transaction: the conversation went elsewhere
        return 'taken';
      }
      const conv = (await findConversationRow(trx, conversationId))!;
      await recordHold(trx, conv, userId, team, kind, now, reason, actor, null);
      return 'assigned';
    });
  }

  /** The bookkeeping of a hold that has taken its load: routing row, turns, idle clock, event. */
  async function recordHold(
    trx: Trx,
    conv: ConversationRow,
    userId: string,
    team: Pick<TeamRow, 'id' | 'reassign_after_ms'> | undefined,
    kind: string,
    now: number,
    reason: string,
    actor: Actor,
    previous: string | null,
  ): Promise<void> {
    await trx
      .deleteFrom('conversation_routing')
      .where('conversation_id', '=', conv.id)
      .where('state', '<>', 'assigned')
      .execute();
    await holdRouting(
      trx,
      { conversation_id: conv.id, team_id: team?.id ?? conv.team_id, assignee_id: userId, load_kind: kind },
      now,
      answerDue(team, conv, now),
    );
    if (team)
      await trx
        .updateTable('team_members')
        .set({ last_assigned_at: now })
        .where('team_id', '=', team.id)
        .where('user_id', '=', userId)
        .execute();
    await trx.updateTable('agent_states').set({ idle_since: now }).where('user_id', '=', userId).execute();
    await events.append(trx, {
      type: 'conversation.assigned',
      aggregate: { type: 'conversation', id: conv.id },
      customerId: conv.customer_id,
      actor,
      data: {
        id: conv.id,
        assignee_id: userId,
        previous_assignee_id: previous,
        team_id: team?.id ?? conv.team_id,
        reason,
      },
    });
  }

  async function queue(
    conv: Pick<ConversationRow, 'id' | 'team_id'>,
    teamId: string | null,
    now: number,
  ): Promise<void> {
    const conversationId = conv.id;
    // The customer wrote again while it waits: already queued for this team, so there is nothing to write (a
    // transaction per message otherwise). Only a skipped write, never a decision, rests on this read.
    const current = await findRoutingRow(db, conversationId);
    if (current?.state === 'queued' && current.team_id === teamId && (!teamId || conv.team_id === teamId))
      return;
    await inTransaction(db, async (trx) => {
      if (teamId)
        await trx
          .updateTable('conversations')
          .set({ team_id: teamId })
          .where('id', '=', conversationId)
          .where('assignee_id', 'is', null)
          .execute();
      await trx
        .insertInto('conversation_routing')
        .values({
          conversation_id: conversationId,
          state: 'queued',
          team_id: teamId,
          assignee_id: null,
          load_kind: null,
          queued_at: now,
          assigned_at: null,
          answer_due_at: null,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc
            .column('conversation_id')
            .doUpdateSet({ team_id: teamId, updated_at: now })
            .where('conversation_routing.state', '<>', 'assigned'),
        )
        .execute();
    });
  }

  /**
   * Routes one conversation if it is open and unassigned; returns what happened.
   * @example await routing.routeConversation('cnv_01…') // → { state: 'assigned', assignee_id: 'usr_…', team_id: 'team_…' }
   */
  async function routeConversation(
    id: string,
    options: { now?: number; exclude?: string[] } = {},
  ): Promise<RouteResult> {
    const now = options.now ?? Date.now();
    const conv = await findConversationRow(db, id);
    if (!conv || conv.status !== 'open' || conv.assignee_id) return { state: 'skipped' };
    const kind = await channelKindOf(db, id);
    // The customer wrote again while she waits in her team's queue and nobody in the team has room: the ranking
    // below could assign nobody and the queue write would change nothing, so skip both (every message of a
    // waiting conversation comes through here).
    if (conv.team_id && !options.exclude?.length) {
      const current = await findRoutingRow(db, id);
      if (
        current?.state === 'queued' &&
        current.team_id === conv.team_id &&
        !(await teamHasRoom(db, conv.team_id, kind))
      )
        return { state: 'queued', team_id: conv.team_id };
    }
    const language =
      (await deps.customerLocale(conv.customer_id).catch(() => null))?.slice(0, 2).toLowerCase() ?? null;
    const skills = (decodeJson<string[]>(conv.labels) ?? [])
      .filter((l) => l.startsWith('skill:'))
      .map((l) => l.slice('skill:'.length));
    let teams = await db.selectFrom('teams').selectAll().orderBy('id').execute();
    teams = conv.team_id
      ? teams.filter((t) => t.id === conv.team_id)
      : teams.filter((t) => {
          const kinds = decodeJson<string[]>(t.channel_kinds);
          return kinds.length === 0 || kinds.includes(kind);
        });
    if (!conv.team_id && language) {
      // Teams with a speaker of the customer's language first (stable otherwise).
      const members = await db.selectFrom('team_members').select(['team_id', 'languages']).execute();
      const speaks = (t: Selectable<TeamRow>) =>
        members.some((m) => m.team_id === t.id && decodeJson<string[]>(m.languages).includes(language))
          ? 0
          : 1;
      teams = [...teams].sort((a, b) => speaks(a) - speaks(b));
    }
    let queueTeam: string | null = conv.team_id;
    for (const team of teams) {
      queueTeam ??= team.id;
      if (!isOpenAt(calendarOf(team), now)) continue; // closed: it waits for opening
      for (const c of await rankAgents(team, kind, language, skills, options.exclude ?? [])) {
        const outcome = await tryAssign(id, c.user_id, team, kind, now, 'routed');
        if (outcome === 'assigned') return { state: 'assigned', assignee_id: c.user_id, team_id: team.id };
        if (outcome === 'taken') return { state: 'skipped' };
      }
    }
    await queue(conv, queueTeam, now);
    return { state: 'queued', team_id: queueTeam };
  }

  /** Routes after the surrounding transaction commits; tests and shutdown await `settled()`. */
  function routeLater(trx: DbOrTrx, id: string): void {
    afterCommit(trx, () => {
      const p = routeConversation(id)
        .catch((err: unknown) =>
          deps.log?.error({ err, conversation_id: id }, 'routing failed; the job retries'),
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    });
  }

  /**
   * Brings the routing state in line with the conversation after any change (created, customer wrote,
   * assigned by hand, resolved, reopened): holds or releases the agent's load exactly once, and routes an open
   * conversation nobody has.
   */
  async function sync(trx: Trx, conversationId: string, now: number, bot: BotSettings): Promise<void> {
    const conv = await findConversationRow(trx, conversationId);
    if (!conv) return;
    const routing = await findRoutingRow(trx, conversationId);
    const holder = routing?.state === 'assigned' ? routing.assignee_id : null;
    // Only open conversations occupy an agent; pending, snoozed and resolved ones free the place.
    const wanted = conv.status === 'open' ? conv.assignee_id : null;
    if (holder === wanted) {
      if (
        !wanted &&
        conv.status === 'open' &&
        !(await botHolds(trx, conversationId, bot)) &&
        !(await waitsWithoutRoom(trx, conv, routing))
      )
        routeLater(trx, conversationId);
      return;
    }
    if (holder) await releaseRouting(trx, conversationId, now, 'released');
    if (wanted) {
      // Assigned by a person (or kept through a reopen): counted even past capacity — a person decided.
      const kind = await channelKindOf(trx, conversationId);
      const team = conv.team_id
        ? await trx.selectFrom('teams').selectAll().where('id', '=', conv.team_id).executeTakeFirst()
        : undefined;
      await ensureLoad(trx, wanted, kind);
      if (
        await holdRouting(
          trx,
          { conversation_id: conversationId, team_id: conv.team_id, assignee_id: wanted, load_kind: kind },
          now,
          answerDue(team, conv, now),
        )
      )
        await claimLoad(trx, wanted, kind, true);
    } else if (conv.status === 'open' && !(await botHolds(trx, conversationId, bot)))
      routeLater(trx, conversationId);
  }

  /**
   * routeConversation's short-cut, asked here with the rows sync has already read: the customer wrote again
   * while she waits in her team's queue and nobody in the team has room, so routing would assign nobody and
   * write nothing. Skipping it saves the re-reads of the conversation and its routing row (every message of a
   * waiting conversation comes through here). Only a skipped no-op rests on this read: when an agent gets room,
   * the job routes the waiting conversations (routeWaiting), as it does after routeConversation's own short-cut.
   */
  async function waitsWithoutRoom(
    trx: Trx,
    conv: ConversationRow,
    routing: Awaited<ReturnType<typeof findRoutingRow>>,
  ): Promise<boolean> {
    if (!conv.team_id || routing?.state !== 'queued' || routing.team_id !== conv.team_id) return false;
    return !(await teamHasRoom(trx, conv.team_id, await channelKindOf(trx, conv.id)));
  }

  return {
    routeConversation,

    /**
     * Whether a team that would take this conversation (its own, else those serving its channel kind) is open at
     * `at`; null when no team would. The bot asks before routing has given the conversation a team.
     */
    async servingTeamOpen(id: string, at: number): Promise<boolean | null> {
      const conv = await findConversationRow(db, id);
      if (!conv) return null;
      const kind = await channelKindOf(db, id);
      const teams = (await db.selectFrom('teams').selectAll().execute()).filter((t) => {
        if (conv.team_id) return t.id === conv.team_id;
        const kinds = decodeJson<string[]>(t.channel_kinds);
        return kinds.length === 0 || kinds.includes(kind);
      });
      return teams.length ? teams.some((t) => isOpenAt(calendarOf(t), at)) : null;
    },

    /** Waits for routing started after commits (tests, shutdown). */
    async settled(): Promise<void> {
      while (inFlight.size) await Promise.all([...inFlight]);
    },

    /**
     * The job's sweep: routes open unassigned conversations oldest-waiting first — those queued outside
     * business hours or with nobody free, and any a crash left behind. Returns how many were assigned.
     */
    async routeWaiting(now = Date.now(), limit = 100): Promise<number> {
      const { settings: bot } = await readSettings(db);
      const rows = await db
        .selectFrom('conversations')
        .select('id')
        .where('status', '=', 'open')
        .where('assignee_id', 'is', null)
        // The bot goes first: skip what it holds (botHolds) — unless it has no task left for the conversation and
        // never answered it, i.e. it will not (a conversation from before the bot was on, a lost task).
        .$if(bot.enabled, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb.exists(
                eb
                  .selectFrom('bot_states')
                  .select('bot_states.conversation_id')
                  .whereRef('bot_states.conversation_id', '=', 'conversations.id')
                  .where((s) =>
                    s.or([
                      s('bot_states.handed_off_at', 'is not', null),
                      s('bot_states.released_at', 'is not', null),
                    ]),
                  ),
              ),
              eb.and([
                eb.not(
                  eb.exists(
                    eb
                      .selectFrom('bot_states')
                      .select('bot_states.conversation_id')
                      .whereRef('bot_states.conversation_id', '=', 'conversations.id')
                      .where('bot_states.answered_at', 'is not', null),
                  ),
                ),
                eb.not(
                  eb.exists(
                    eb
                      .selectFrom('bot_tasks')
                      .select('bot_tasks.id')
                      .whereRef('bot_tasks.conversation_id', '=', 'conversations.id')
                      .where('bot_tasks.kind', '=', 'message')
                      .where('bot_tasks.status', 'in', ['pending', 'processing', 'failed']),
                  ),
                ),
                // A message the dispatcher has not yet handed to the bot consumer has no task yet: give it time.
                eb('conversations.waiting_since', '<', now - BOT_FIRST_GRACE_MS),
              ]),
            ]),
          ),
        )
        .orderBy('waiting_since')
        .orderBy('id')
        .limit(limit)
        .execute();
      let assigned = 0;
      for (const { id } of rows) if ((await routeConversation(id, { now })).state === 'assigned') assigned++;
      return assigned;
    },

    /**
     * The job's reassignment: an assignment not answered within the team's reassign time goes back to the queue
     * (conversation.unassigned, reason not_answered) and on to another agent. Returns how many moved.
     */
    async reassignUnanswered(now = Date.now()): Promise<number> {
      const due = await db
        .selectFrom('conversation_routing')
        .select(['conversation_id', 'assignee_id'])
        .where('state', '=', 'assigned')
        .where('answer_due_at', '<=', now)
        .orderBy('answer_due_at')
        .limit(100)
        .execute();
      let moved = 0;
      for (const { conversation_id: id, assignee_id: previous } of due) {
        const released = await inTransaction(db, async (trx) => {
          const conv = await findConversationRow(trx, id);
          if (!conv || conv.assignee_id !== previous) return false;
          if (!(await releaseRouting(trx, id, now, 'queued'))) return false;
          await trx
            .updateTable('conversations')
            .set({ assignee_id: null, updated_at: now })
            .where('id', '=', id)
            .where('assignee_id', '=', previous)
            .execute();
          await events.append(trx, {
            type: 'conversation.unassigned',
            aggregate: { type: 'conversation', id },
            customerId: conv.customer_id,
            actor: routingActor,
            data: {
              id,
              assignee_id: null,
              previous_assignee_id: previous,
              team_id: conv.team_id,
              reason: 'not_answered',
            },
          });
          return true;
        });
        if (!released) continue;
        moved++;
        await routeConversation(id, { now, exclude: previous ? [previous] : [] });
      }
      return moved;
    },

    /**
     * "Take next": the oldest-waiting open unassigned conversation of the agent's teams (or of no team) becomes
     * theirs, within their capacity.
     */
    async takeNext(userId: string, actor: Actor, now = Date.now()): Promise<Conversation> {
      const teamIds = await teamIdsOfUser(db, userId);
      const rows = await db
        .selectFrom('conversations')
        .select(['id', 'team_id'])
        .where('status', '=', 'open')
        .where('assignee_id', 'is', null)
        .where((eb) =>
          teamIds.length
            ? eb.or([eb('team_id', 'is', null), eb('team_id', 'in', teamIds)])
            : eb('team_id', 'is', null),
        )
        .orderBy('waiting_since')
        .orderBy('id')
        .limit(20)
        .execute();
      let full = false;
      for (const row of rows) {
        const kind = await channelKindOf(db, row.id);
        const team = row.team_id
          ? await db.selectFrom('teams').selectAll().where('id', '=', row.team_id).executeTakeFirst()
          : undefined;
        const outcome = await tryAssign(row.id, userId, team, kind, now, 'taken', actor);
        if (outcome === 'assigned') return conversationFromRow((await findConversationRow(db, row.id))!);
        if (outcome === 'full') full = true;
      }
      if (full) throw new AppError('conflict', 'You have no free capacity for the waiting conversations.');
      throw new AppError('not_found', 'No conversation is waiting for an agent.');
    },

    /**
     * Transfers to an agent (assigned at once) or to a team (routed among its members); the note, if any, is
     * left as a private note by the caller.
     */
    async transferConversation(
      id: string,
      input: { assignee_id?: string | undefined; team_id?: string | undefined },
      actor: Actor,
      now = Date.now(),
    ): Promise<Conversation> {
      if (!input.assignee_id && !input.team_id)
        throw new AppError('validation_failed', 'Name an agent or a team to transfer to.', {
          errors: [{ field: 'body.assignee_id', message: 'or body.team_id is required' }],
        });
      if (input.assignee_id && !(await deps.userExists(input.assignee_id)))
        throw new AppError('validation_failed', `No active staff user ${input.assignee_id}.`, {
          errors: [{ field: 'body.assignee_id', message: 'is not an active staff user' }],
        });
      const team = input.team_id
        ? await db.selectFrom('teams').selectAll().where('id', '=', input.team_id).executeTakeFirst()
        : undefined;
      if (input.team_id && !team)
        throw new AppError('validation_failed', `No team ${input.team_id}.`, {
          errors: [{ field: 'body.team_id', message: 'is not a team' }],
        });
      await inTransaction(db, async (trx) => {
        const conv = await findConversationRow(trx, id);
        if (!conv) throw notFound('conversation', id);
        await releaseRouting(trx, id, now, 'queued');
        await trx
          .updateTable('conversations')
          .set({ assignee_id: input.assignee_id ?? null, team_id: team?.id ?? conv.team_id, updated_at: now })
          .where('id', '=', id)
          .execute();
        const after = (await findConversationRow(trx, id))!;
        if (input.assignee_id && after.status === 'open') {
          const kind = await channelKindOf(trx, id);
          await ensureLoad(trx, input.assignee_id, kind);
          await claimLoad(trx, input.assignee_id, kind, true);
          await recordHold(
            trx,
            after,
            input.assignee_id,
            team,
            kind,
            now,
            'transfer',
            actor,
            conv.assignee_id,
          );
        } else {
          await events.append(trx, {
            type: input.assignee_id ? 'conversation.assigned' : 'conversation.unassigned',
            aggregate: { type: 'conversation', id },
            customerId: conv.customer_id,
            actor,
            data: {
              id,
              assignee_id: input.assignee_id ?? null,
              previous_assignee_id: conv.assignee_id,
              team_id: after.team_id,
              reason: 'transfer',
            },
          });
        }
      });
      if (!input.assignee_id) await routeConversation(id, { now });
      return conversationFromRow((await findConversationRow(db, id))!);
    },

    /** The durable consumer: keeps routing in step with conversation events. */
    consumer: {
      name: 'conversation-routing',
      mode: 'durable',
      async handle(batch, trx) {
        const ids = new Set<string>();
        for (const e of batch)
          if (
            e.aggregate.type === 'conversation' &&
            (e.type.startsWith('conversation.') || e.type === 'message.received')
          )
            ids.add(e.aggregate.id);
        for (const e of batch)
          // A staff reply answers the assignment: no reassignment for not answering.
          if (e.type === 'message.queued' && answersCustomer(e.actor))
            await trx
              .updateTable('conversation_routing')
              .set({ answer_due_at: null })
              .where('conversation_id', '=', e.aggregate.id)
              .execute();
        if (ids.size === 0) return;
        // Read once per batch, not per conversation: whether the bot goes first is the same for all of them.
        const { settings: bot } = await readSettings(trx);
        for (const id of ids) await sync(trx as Trx, id, Date.now(), bot);
      },
    } satisfies EventConsumer,
  };
}

export type RoutingService = ReturnType<typeof createRouting>;
