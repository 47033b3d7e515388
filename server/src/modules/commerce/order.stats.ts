/**
 * @module Orders per calendar day for charts: count, revenue per currency and orders per channel, computed in SQL
 * on both dialects. Days are those of the asked IANA time zone: the zone's offset segments over the range (see
 * platform/time/zone-days) become one CASE that shifts `placed_at` into local time before the division by a day, so
 * a DST day of 23 or 25 hours is bucketed exactly. Cancelled orders are left out unless asked for (or filtered on).
 */
import { sql } from 'kysely';
import { AppError } from '../../platform/errors';
import type { DbOrTrx } from '../../platform/db/transaction';
import { DAY_MS, dayDate, dayNumber, offsetSegments, today } from '../../platform/time/zone-days';
import type { Money, OrderStatus } from './order.repository';

/** Longest range one request may ask for (a year and a day: a leap year's 366 days). */
export const MAX_STATS_DAYS = 366;

export interface OrderStatsQuery {
  /** IANA zone whose calendar days bucket the orders; default UTC. */
  tz?: string | undefined;
  /** First and last local day, inclusive (`YYYY-MM-DD`); default the 14 days up to today in `tz`. */
  from?: string | undefined;
  to?: string | undefined;
  channel_id?: string | undefined;
  location_id?: string | undefined;
  /** Only orders in this status (cancelled included when asked by name). */
  status?: OrderStatus | undefined;
  /** Without a status filter: count cancelled orders too (default false). */
  include_cancelled?: boolean | undefined;
}

export interface OrderStatsDay {
  date: string;
  orders: number;
  revenue: Money[];
  channels: Array<{ channel_id: string; orders: number }>;
}

export interface OrderStats {
  tz: string;
  from: string;
  to: string;
  days: OrderStatsDay[];
  totals: { orders: number; revenue: Money[] };
}

const bad = (field: string, message: string) =>
  new AppError('validation_failed', `${field} ${message}`, { errors: [{ field, message }] });

/** The zone as the engine spells it, or a 400 naming `query.tz`. */
function zoneOf(name: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw bad('query.tz', 'is not an IANA time zone (e.g. Europe/Madrid)');
  }
}

const validDate = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && dayDate(dayNumber(d)) === d;

/**
 * Orders per local day of `tz` between `from` and `to` (inclusive), every day present (zeros included).
 * @example await orderStats(db, { tz: 'Europe/Madrid', from: '2026-03-28', to: '2026-03-30', channel_id: 'cha_…' })
 *   // { days: [{ date: '2026-03-29', orders: 3, revenue: [{ amount: 5997, currency: 'EUR' }], channels: […] }, …] }
 */
export async function orderStats(db: DbOrTrx, query: OrderStatsQuery, now = Date.now()): Promise<OrderStats> {
  const tz = zoneOf(query.tz ?? 'UTC');
  const to =
    query.to ?? (query.from && validDate(query.from) ? dayDate(dayNumber(query.from) + 13) : today(tz, now));
  const from = query.from ?? dayDate(dayNumber(to) - 13);
  if (!validDate(from)) throw bad('query.from', 'must be a calendar date YYYY-MM-DD');
  if (!validDate(to)) throw bad('query.to', 'must be a calendar date YYYY-MM-DD');
  const first = dayNumber(from);
  const last = dayNumber(to);
  if (last < first) throw bad('query.to', 'must not be before from');
  if (last - first + 1 > MAX_STATS_DAYS)
    throw bad('query.to', `must be at most ${MAX_STATS_DAYS} days after from`);

  // Instants that can fall on those local days: no zone is more than 14 hours off UTC, so a day either side
  // covers them; the day number decides exactly.
  const lower = first * DAY_MS - DAY_MS;
  const upper = (last + 1) * DAY_MS + DAY_MS;
  const segments = offsetSegments(tz, lower, upper);
  const lastSegment = segments[segments.length - 1]!;
  const local = sql<number>`case ${sql.join(
    segments.slice(0, -1).map((s) => sql`when placed_at < ${s.to} then placed_at + ${s.offset}`),
    sql` `,
  )} else placed_at + ${lastSegment.offset} end`;
  // With a single segment the CASE has no WHEN, which neither dialect accepts: shift directly.
  const shifted = segments.length === 1 ? sql<number>`placed_at + ${lastSegment.offset}` : local;

  let inner = db
    .selectFrom('orders')
    .select([
      // Integer day number since 1970-01-01 in local time (both dialects: cast truncates the positive quotient).
      sql<number>`cast((${shifted}) / ${DAY_MS} as integer)`.as('day'),
      'currency',
      'channel_id',
      'total',
    ])
    .where('placed_at', '>=', lower)
    .where('placed_at', '<', upper);
  if (query.channel_id) inner = inner.where('channel_id', '=', query.channel_id);
  if (query.status) inner = inner.where('status', '=', query.status);
  else if (!query.include_cancelled) inner = inner.where('status', '!=', 'cancelled');
  if (query.location_id) {
    const at = query.location_id;
    inner = inner.where((eb) =>
      eb.exists(
        eb
          .selectFrom('order_lines')
          .select('order_lines.id')
          .whereRef('order_lines.order_id', '=', 'orders.id')
          .where('order_lines.location_id', '=', at),
      ),
    );
  }
  const rows = await db
    .selectFrom(inner.as('o'))
    .select((eb) => [
      'o.day',
      'o.currency',
      'o.channel_id',
      eb.fn.countAll<number>().as('orders'),
      eb.fn.sum<number>('o.total').as('revenue'),
    ])
    .where('o.day', '>=', first)
    .where('o.day', '<=', last)
    .groupBy(['o.day', 'o.currency', 'o.channel_id'])
    .execute();

  const days = new Map<number, OrderStatsDay>();
  for (let d = first; d <= last; d += 1)
    days.set(d, { date: dayDate(d), orders: 0, revenue: [], channels: [] });
  const add = (list: Money[], amount: number, currency: string) => {
    const found = list.find((m) => m.currency === currency);
    if (found) found.amount += amount;
    else list.push({ amount, currency });
  };
  const totals = { orders: 0, revenue: [] as Money[] };
  for (const r of rows) {
    const day = days.get(Number(r.day))!;
    const n = Number(r.orders);
    const amount = Number(r.revenue);
    day.orders += n;
    add(day.revenue, amount, r.currency);
    const channel = day.channels.find((c) => c.channel_id === r.channel_id);
    if (channel) channel.orders += n;
    else day.channels.push({ channel_id: r.channel_id, orders: n });
    totals.orders += n;
    add(totals.revenue, amount, r.currency);
  }
  const byCurrency = (a: Money, b: Money) => a.currency.localeCompare(b.currency);
  for (const d of days.values()) {
    d.revenue.sort(byCurrency);
    d.channels.sort((a, b) => a.channel_id.localeCompare(b.channel_id));
  }
  totals.revenue.sort(byCurrency);
  return { tz, from, to, days: [...days.values()], totals };
}
