/**
 * @module Contact-centre reports for a time range, grouped by channel, agent, team or day: conversation volume,
 * first response time (the first human reply after the customer's first message: bot and system replies do not
 * count), resolution time, SLA hit rate (from routing's SLA timers) and CSAT. The database does the joins and
 * per-conversation reduction in one query per figure; medians and p90s are taken over those narrow rows here,
 * which also lets "business hours only" subtract closed time with the business calendar.
 */
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database';
import { alwaysOpen, businessMsBetween, type BusinessCalendar } from './business-hours';

export const reportGroups = ['channel', 'agent', 'team', 'day'] as const;
export type ReportGroup = (typeof reportGroups)[number];

const DAY_MS = 86_400_000;

export interface Duration {
  count: number;
  median_ms: number | null;
  p90_ms: number | null;
}

export interface ReportRow {
  key: string | null;
  conversations: number;
  inbound_messages: number;
  first_response: Duration;
  resolution: Duration;
  sla: { met: number; breached: number; hit_rate: number | null };
  csat: { count: number; average: number | null };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function duration(values: number[]): Duration {
  const sorted = values.filter((v) => v >= 0).sort((a, b) => a - b);
  return { count: sorted.length, median_ms: percentile(sorted, 0.5), p90_ms: percentile(sorted, 0.9) };
}

export function createReports(deps: { db: Db; calendar: () => Promise<BusinessCalendar | null> }) {
  const { db } = deps;

  return {
    /**
     * @example await reports.conversationReport({ from: Date.parse('2026-11-01'), to: Date.parse('2026-12-01'), group_by: 'channel' })
     */
    async conversationReport(input: {
      from: number;
      to: number;
      group_by: ReportGroup;
      business_hours?: boolean | undefined;
    }): Promise<{ group_by: ReportGroup; business_hours: boolean; data: ReportRow[] }> {
      const calendar = input.business_hours ? ((await deps.calendar()) ?? alwaysOpen) : null;
      const span = (a: number, b: number) => (calendar ? businessMsBetween(calendar, a, b) : b - a);
      // The conversation's channel is the one its customer first wrote on (the messages index is
      // (conversation_id, id), so the lookup is one index probe per conversation).
      const firstChannel = sql<string | null>`(select m.channel_id from messages m
        where m.conversation_id = c.id and m.direction = 'in' order by m.id limit 1)`;
      const key = {
        channel: firstChannel,
        agent: sql<string | null>`c.assignee_id`,
        team: sql<string | null>`c.team_id`,
        day: sql<string | null>`cast(c.created_at / ${DAY_MS} as integer)`,
      }[input.group_by];
      const rows = await db
        .selectFrom('conversations as c')
        .select([
          key.as('key'),
          'c.created_at',
          'c.first_inbound_at',
          'c.resolved_at',
          sql<number | null>`(select min(m.created_at) from messages m where m.conversation_id = c.id
            and m.direction = 'out' and m.kind = 'message' and m.author_type = 'staff')`.as(
            'first_human_reply_at',
          ),
          sql<number>`(select count(*) from messages m where m.conversation_id = c.id and m.direction = 'in')`.as(
            'inbound',
          ),
          sql<number>`(select count(*) from sla_timers s where s.conversation_id = c.id
            and s.stopped_at is not null and s.breached_at is null)`.as('sla_met'),
          sql<number>`(select count(*) from sla_timers s where s.conversation_id = c.id
            and s.breached_at is not null)`.as('sla_breached'),
        ])
        .where('c.created_at', '>=', input.from)
        .where('c.created_at', '<', input.to)
        .execute();

      const groups = new Map<string, { rows: typeof rows }>();
      for (const r of rows) {
        const k = r.key === null ? '' : String(r.key);
        groups.set(k, { rows: [...(groups.get(k)?.rows ?? []), r] });
      }
      const csatKey = {
        channel: sql<string | null>`channel_id`,
        agent: sql<string | null>`agent_id`,
        team: sql<string | null>`team_id`,
        day: sql<string | null>`cast(resolved_at / ${DAY_MS} as integer)`,
      }[input.group_by];
      const csat = await db
        .selectFrom('csat_surveys')
        .select([
          csatKey.as('key'),
          (eb) => eb.fn.countAll<number>().as('n'),
          (eb) => eb.fn.avg<number>('rating').as('average'),
        ])
        .where('status', '=', 'answered')
        .where('resolved_at', '>=', input.from)
        .where('resolved_at', '<', input.to)
        .groupBy(csatKey)
        .execute();
      const csatBy = new Map(csat.map((c) => [c.key === null ? '' : String(c.key), c]));
      const keys = [...new Set([...groups.keys(), ...csatBy.keys()])].sort();

      const data = keys.map((k): ReportRow => {
        const rs = groups.get(k)?.rows ?? [];
        const met = rs.reduce((n, r) => n + Number(r.sla_met), 0);
        const breached = rs.reduce((n, r) => n + Number(r.sla_breached), 0);
        const c = csatBy.get(k);
        return {
          key:
            k === ''
              ? null
              : input.group_by === 'day'
                ? new Date(Number(k) * DAY_MS).toISOString().slice(0, 10)
                : k,
          conversations: rs.length,
          inbound_messages: rs.reduce((n, r) => n + Number(r.inbound), 0),
          first_response: duration(
            rs
              .filter((r) => r.first_human_reply_at !== null && r.first_inbound_at !== null)
              .map((r) => span(Number(r.first_inbound_at), Number(r.first_human_reply_at))),
          ),
          resolution: duration(
            rs
              .filter((r) => r.resolved_at !== null)
              .map((r) => span(Number(r.created_at), Number(r.resolved_at))),
          ),
          sla: { met, breached, hit_rate: met + breached ? met / (met + breached) : null },
          csat: {
            count: Number(c?.n ?? 0),
            average: c ? Math.round(Number(c.average) * 100) / 100 : null,
          },
        };
      });
      return { group_by: input.group_by, business_hours: Boolean(input.business_hours), data };
    },
  };
}

export type ReportsService = ReturnType<typeof createReports>;
