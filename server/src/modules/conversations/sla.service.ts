/**
 * @module SLA: policies (first response, next response, resolution targets by priority, channel kind and team)
 * and durable timers. Targets count business time only — the policy's team's hours (else the conversation's
 * team, else around the clock) — so each timer's due_at is computed once with the team's calendar. A job fires
 * `sla.at_risk` at the policy's percentage and `sla.breached` at due time, each by a guarded UPDATE so one
 * process fires each timer once. Timers stop on the agent's reply (responses) or resolution, pause while the
 * conversation is pending or snoozed, and restart on the customer's next message.
 */
import type { Selectable } from 'kysely';
import { notFound } from '../../platform/errors';
import { toIso } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import { systemActor, type Actor } from '../../platform/auth/principal';
import type { EventConsumer } from '../../platform/events/dispatcher';
import type { EventBus } from '../../platform/events/outbox';
import { addBusinessMs, alwaysOpen, businessMsBetween, type BusinessCalendar } from './business-hours';
import type { ConversationRow } from './conversation.table';
import { conversationFromRow, findConversationRow, type Conversation } from './conversation.repository';
import type { SlaPolicyRow, SlaTimerRow } from './routing.table';
import { channelKindOf } from './routing.repository';
import { answersCustomer } from './outbound';
import { calendarOf } from './team.repository';

export const slaMetrics = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof slaMetrics)[number];
const active = ['running', 'at_risk', 'paused'];

export interface SlaPolicyInput {
  name: string;
  priority?: string | null | undefined;
  channel_kind?: string | null | undefined;
  team_id?: string | null | undefined;
  first_response_seconds?: number | null | undefined;
  next_response_seconds?: number | null | undefined;
  resolution_seconds?: number | null | undefined;
  at_risk_percent?: number | undefined;
}

const seconds = (ms: number | null) => (ms === null ? null : Number(ms) / 1000);
const ms = (s: number | null | undefined) => (s == null ? null : Math.round(s * 1000));

export function slaPolicyFromRow(row: Selectable<SlaPolicyRow>) {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    channel_kind: row.channel_kind,
    team_id: row.team_id,
    first_response_seconds: seconds(row.first_response_ms),
    next_response_seconds: seconds(row.next_response_ms),
    resolution_seconds: seconds(row.resolution_ms),
    at_risk_percent: Number(row.at_risk_percent),
  };
}
export type SlaPolicy = ReturnType<typeof slaPolicyFromRow>;

export function slaTimerFromRow(row: Selectable<SlaTimerRow>) {
  return {
    id: row.id,
    policy_id: row.policy_id,
    metric: row.metric as SlaMetric,
    status: row.status,
    started_at: toIso(row.started_at)!,
    due_at: toIso(row.due_at),
    at_risk_at: toIso(row.at_risk_at),
    stopped_at: toIso(row.stopped_at),
    breached_at: toIso(row.breached_at),
  };
}

/** The conversation's overall SLA status: breached beats at risk beats running; paused or met otherwise. */
export function overallStatus(timers: Array<{ status: string; stopped_at: unknown }>): string | null {
  if (timers.length === 0) return null;
  if (timers.some((t) => t.status === 'breached' && !t.stopped_at)) return 'breached';
  if (timers.some((t) => t.status === 'at_risk')) return 'at_risk';
  if (timers.some((t) => t.status === 'running')) return 'running';
  if (timers.some((t) => t.status === 'paused')) return 'paused';
  return timers.some((t) => t.status === 'breached') ? 'breached' : 'met';
}

export function createSla(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  async function calendarFor(trx: DbOrTrx, teamId: string | null): Promise<BusinessCalendar> {
    if (!teamId) return alwaysOpen;
    const team = await trx.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirst();
    return team ? calendarOf(team) : alwaysOpen;
  }

  /** The most specific policy matching the conversation (each named field must match; more fields win). */
  function policyFor(
    policies: Array<Selectable<SlaPolicyRow>>,
    conv: Pick<ConversationRow, 'priority' | 'team_id'>,
    kind: string,
  ): Selectable<SlaPolicyRow> | null {
    const score = (p: Selectable<SlaPolicyRow>) =>
      (p.priority && p.priority !== conv.priority) ||
      (p.channel_kind && p.channel_kind !== kind) ||
      // A conversation not yet routed has no team: the team's policy applies to it (routing runs after).
      (p.team_id && conv.team_id && p.team_id !== conv.team_id)
        ? -1
        : Number(!!p.priority) + Number(!!p.channel_kind) + Number(!!p.team_id);
    const best = policies.map((p) => ({ p, s: score(p) })).filter((x) => x.s >= 0);
    best.sort((a, b) => b.s - a.s);
    return best[0]?.p ?? null;
  }

  /**
   * The customer wrote: paused timers run again, and the response and resolution timers start unless one is
   * already counting. One read of the conversation's timers serves both; without any policy (SLA unused) that
   * read is all a message costs, the policies being read once per batch by the consumer.
   */
  async function customerWrote(
    trx: Trx,
    conversationId: string,
    at: number,
    policies: Array<Selectable<SlaPolicyRow>>,
  ): Promise<void> {
    const counting = await trx
      .selectFrom('sla_timers')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where((eb) =>
        eb.or([
          eb('status', 'in', active),
          eb.and([eb('status', '=', 'breached'), eb('stopped_at', 'is', null)]),
        ]),
      )
      .execute();
    for (const t of counting) if (t.status === 'paused') await resumeTimer(trx, t, at);
    if (policies.length === 0) return;
    const conv = await findConversationRow(trx, conversationId);
    if (!conv) return;
    const metrics: SlaMetric[] = [
      conv.first_response_at === null ? 'first_response' : 'next_response',
      'resolution',
    ];
    const missing = metrics.filter((m) => !counting.some((t) => t.metric === m));
    if (missing.length === 0) return;
    const policy = policyFor(policies, conv, await channelKindOf(trx, conversationId));
    if (!policy) return;
    const teamId = policy.team_id ?? conv.team_id;
    let calendar: BusinessCalendar | undefined;
    for (const metric of missing) {
      const target = policy[`${metric}_ms`];
      if (target == null) continue;
      calendar ??= await calendarFor(trx, teamId);
      const target_ms = Number(target);
      await trx
        .insertInto('sla_timers')
        .values({
          id: newId('slat'),
          conversation_id: conversationId,
          policy_id: policy.id,
          team_id: teamId,
          metric,
          status: 'running',
          started_at: at,
          target_ms,
          due_at: addBusinessMs(calendar, at, target_ms),
          at_risk_at: addBusinessMs(
            calendar,
            at,
            Math.floor((target_ms * Number(policy.at_risk_percent)) / 100),
          ),
          remaining_ms: null,
          stopped_at: null,
          breached_at: null,
        })
        .execute();
    }
  }

  /** Stops counting timers of these metrics: met when still in time, a breach stays breached. */
  async function stop(trx: Trx, conversationId: string, metrics: SlaMetric[], at: number, outcome = 'met') {
    await trx
      .updateTable('sla_timers')
      .set({ status: outcome, stopped_at: at })
      .where('conversation_id', '=', conversationId)
      .where('metric', 'in', metrics)
      .where('status', 'in', active)
      .execute();
    await trx
      .updateTable('sla_timers')
      .set({ stopped_at: at })
      .where('conversation_id', '=', conversationId)
      .where('metric', 'in', metrics)
      .where('status', '=', 'breached')
      .where('stopped_at', 'is', null)
      .execute();
  }

  async function pause(trx: Trx, conversationId: string, at: number): Promise<void> {
    const running = await trx
      .selectFrom('sla_timers')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('status', 'in', ['running', 'at_risk'])
      .execute();
    for (const t of running) {
      const calendar = await calendarFor(trx, t.team_id);
      const left = t.due_at === null ? null : businessMsBetween(calendar, at, Number(t.due_at));
      await trx
        .updateTable('sla_timers')
        .set({ status: 'paused', remaining_ms: left, due_at: null, at_risk_at: null })
        .where('id', '=', t.id)
        .execute();
    }
  }

  async function resume(trx: Trx, conversationId: string, at: number): Promise<void> {
    const paused = await trx
      .selectFrom('sla_timers')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'paused')
      .execute();
    for (const t of paused) await resumeTimer(trx, t, at);
  }

  /** A paused timer runs again with the business time it had left. */
  async function resumeTimer(trx: Trx, t: Selectable<SlaTimerRow>, at: number): Promise<void> {
    const calendar = await calendarFor(trx, t.team_id);
    const left = t.remaining_ms === null ? null : Number(t.remaining_ms);
    await trx
      .updateTable('sla_timers')
      .set({
        status: 'running',
        remaining_ms: null,
        due_at: left === null ? null : addBusinessMs(calendar, at, left),
        at_risk_at: null,
      })
      .where('id', '=', t.id)
      .where('status', '=', 'paused')
      .execute();
  }

  async function fire(trx: Trx, timer: Selectable<SlaTimerRow>, to: 'at_risk' | 'breached', at: number) {
    const from = to === 'breached' ? ['running', 'at_risk'] : ['running'];
    const result = await trx
      .updateTable('sla_timers')
      .set(to === 'breached' ? { status: 'breached', breached_at: at } : { status: 'at_risk' })
      .where('id', '=', timer.id)
      .where('status', 'in', from)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    await events.append(trx, {
      type: `sla.${to}`,
      aggregate: { type: 'conversation', id: timer.conversation_id },
      actor: systemActor,
      data: {
        id: timer.id,
        conversation_id: timer.conversation_id,
        metric: timer.metric,
        policy_id: timer.policy_id,
        due_at: toIso(timer.due_at),
      },
    });
    return true;
  }

  return {
    async listSlaPolicies(): Promise<SlaPolicy[]> {
      return (await db.selectFrom('sla_policies').selectAll().orderBy('id').execute()).map(slaPolicyFromRow);
    },

    /** @example await sla.createSlaPolicy({ name: 'Chat', channel_kind: 'webchat', first_response_seconds: 120 }, actor) */
    async createSlaPolicy(input: SlaPolicyInput, actor: Actor): Promise<SlaPolicy> {
      const id = newId('slap');
      const now = Date.now();
      await inTransaction(db, async (trx) => {
        await trx
          .insertInto('sla_policies')
          .values({
            id,
            name: input.name,
            priority: input.priority ?? null,
            channel_kind: input.channel_kind ?? null,
            team_id: input.team_id ?? null,
            first_response_ms: ms(input.first_response_seconds),
            next_response_ms: ms(input.next_response_seconds),
            resolution_ms: ms(input.resolution_seconds),
            at_risk_percent: input.at_risk_percent ?? 80,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await events.append(trx, {
          type: 'sla_policy.created',
          aggregate: { type: 'sla_policy', id },
          actor,
          data: { id },
        });
      });
      return slaPolicyFromRow(
        (await db.selectFrom('sla_policies').selectAll().where('id', '=', id).executeTakeFirst())!,
      );
    },

    /** Running timers keep the target they started with; new timers use what is left. */
    async deleteSlaPolicy(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        const gone = await trx.deleteFrom('sla_policies').where('id', '=', id).executeTakeFirst();
        if (Number(gone.numDeletedRows) !== 1) throw notFound('SLA policy', id);
        await events.append(trx, {
          type: 'sla_policy.deleted',
          aggregate: { type: 'sla_policy', id },
          actor,
          data: { id },
        });
      });
    },

    /** A conversation's timers and overall status (met, running, at_risk, breached, paused; null: no policy). */
    async retrieveConversationSla(conversationId: string) {
      if (!(await findConversationRow(db, conversationId))) throw notFound('conversation', conversationId);
      const timers = await db
        .selectFrom('sla_timers')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .orderBy('id')
        .execute();
      return {
        conversation_id: conversationId,
        status: overallStatus(timers),
        timers: timers.map(slaTimerFromRow),
      };
    },

    /** The "SLA at risk" view: conversations with a timer at risk or breached and unanswered, soonest due first. */
    async listAtRisk(limit = 50): Promise<{ data: Conversation[]; next_cursor: null }> {
      const rows = await db
        .selectFrom('conversations as c')
        .innerJoin('sla_timers as t', 't.conversation_id', 'c.id')
        .selectAll('c')
        .select((eb) => eb.fn.min('t.due_at').as('due'))
        .where((eb) =>
          eb.or([
            eb('t.status', '=', 'at_risk'),
            eb.and([eb('t.status', '=', 'breached'), eb('t.stopped_at', 'is', null)]),
          ]),
        )
        .where('c.status', '<>', 'resolved')
        .groupBy('c.id')
        .orderBy('due')
        .limit(Math.min(limit, 200))
        .execute();
      return { data: rows.map((r) => conversationFromRow(r)), next_cursor: null };
    },

    /** The job: fires at-risk and breach events for due timers. Returns how many fired. */
    async fireDueTimers(now = Date.now()): Promise<number> {
      const due = await db
        .selectFrom('sla_timers')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('status', 'in', ['running', 'at_risk']), eb('due_at', '<=', now)]),
            eb.and([eb('status', '=', 'running'), eb('at_risk_at', '<=', now)]),
          ]),
        )
        .orderBy('due_at')
        .limit(200)
        .execute();
      let fired = 0;
      for (const t of due)
        await inTransaction(db, async (trx) => {
          if (t.due_at !== null && Number(t.due_at) <= now)
            fired += Number(await fire(trx, t, 'breached', now));
          else fired += Number(await fire(trx, t, 'at_risk', now));
        });
      return fired;
    },

    /** The durable consumer: starts, stops, pauses and resumes timers from conversation events. */
    consumer: {
      name: 'conversation-sla',
      mode: 'durable',
      async handle(batch, trx) {
        const tx = trx as Trx;
        // Read once per batch, not per message: timers start from the policies as they stand when the batch runs.
        let policies: Array<Selectable<SlaPolicyRow>> | undefined;
        for (const e of batch) {
          if (e.aggregate.type !== 'conversation') continue;
          const id = e.aggregate.id;
          const at = Date.parse(e.occurred_at);
          const data = e.data as { to?: string };
          if (e.type === 'message.received') {
            policies ??= await tx.selectFrom('sla_policies').selectAll().orderBy('id').execute();
            await customerWrote(tx, id, at, policies);
          } else if (e.type === 'message.queued' && answersCustomer(e.actor)) {
            await stop(tx, id, ['first_response', 'next_response'], at);
          } else if (e.type === 'conversation.status_changed') {
            if (data.to === 'resolved') {
              await stop(tx, id, ['resolution'], at);
              await stop(tx, id, ['first_response', 'next_response'], at, 'cancelled');
            } else if (data.to === 'merged') {
              // Merged into another conversation: its clocks end here; the survivor keeps its own.
              await stop(tx, id, ['first_response', 'next_response', 'resolution'], at, 'cancelled');
            } else if (data.to === 'pending' || data.to === 'snoozed') await pause(tx, id, at);
            else if (data.to === 'open') await resume(tx, id, at);
          }
        }
      },
    } satisfies EventConsumer,
  };
}

export type SlaService = ReturnType<typeof createSla>;
