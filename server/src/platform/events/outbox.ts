/**
 * @module The outbox: events are appended in the same transaction as the change they describe, so an event
 * exists if and only if its change committed.
 */
import { sql } from 'kysely';
import { encodeJson, decodeJson, toIsoRequired } from '../db/codecs';
import type { Dialect } from '../db/columns';
import { afterCommit, beforeCommit, type DbOrTrx, type Trx } from '../db/transaction';
import type { OutboxEventRow } from './events.table';
import type { Insertable, Selectable } from 'kysely';
import { newId } from '../ids';
import type { DomainEvent, EventActor, NewEvent } from './envelope';

export interface EventBus {
  /**
   * Appends an event inside the caller's transaction.
   * @example await events.append(trx, { type: 'channel.created', aggregate: { type: 'channel', id }, actor, data: { id } })
   */
  append<T>(trx: Trx, event: NewEvent<T>): Promise<void>;
  /** Registers a listener called after a transaction that appended events committed. */
  onAppended(listener: () => void): void;
}

type OutboxInsert = Insertable<OutboxEventRow>;

// Any constant works: it names the lock that orders outbox writers on PostgreSQL.
const OUTBOX_LOCK_KEY = 7_366_290_112;

export function createEventBus(dialect: Dialect): EventBus {
  const listeners: Array<() => void> = [];
  const notify = () => listeners.forEach((l) => l());
  const pending = new WeakMap<Trx, OutboxInsert[]>();

  async function write(trx: Trx, rows: OutboxInsert[]): Promise<void> {
    if (dialect === 'postgres') await lockedInsert(trx, rows);
    // SQLite needs no lock: it has one writer at a time, so positions are handed out in commit order.
    else await trx.insertInto('outbox_events').values(rows).execute();
    afterCommit(trx, notify);
  }

  /**
   * PostgreSQL: positions come from a sequence, which hands them out in transaction start order, not commit order.
   * Holding this lock until commit makes positions commit in order, so a reader that has seen position n can
   * never later find a smaller one. The lock and the insert are one statement, so the lock is held for the
   * insert and the commit only — not also for a round trip back to this process between them (measured: at
   * ~10 ms under load, that wait made the lock the limit of the contact centre's message rate). The rows reach
   * the insert only through the EXISTS, an uncorrelated subquery evaluated once before any row is produced, so
   * every position is drawn after the lock is granted.
   */
  async function lockedInsert(trx: Trx, rows: OutboxInsert[]): Promise<void> {
    const values = rows.map(
      (r) =>
        sql`(${r.id}, ${r.type}, ${r.aggregate_type}, ${r.aggregate_id}, ${r.customer_id ?? null}, ${r.channel_id ?? null}, cast(${r.actor} as jsonb), cast(${r.data} as jsonb), cast(${r.occurred_at} as bigint))`,
    );
    await sql`insert into outbox_events (id, type, aggregate_type, aggregate_id, customer_id, channel_id, actor, data, occurred_at)
      select * from (values ${sql.join(values)}) as v
      where exists (select 1 from pg_advisory_xact_lock(${OUTBOX_LOCK_KEY}))`.execute(trx);
  }

  return {
    async append<T>(trx: Trx, event: NewEvent<T>): Promise<void> {
      if (!trx.isTransaction) throw new Error('events.append must run inside a transaction');
      const row: OutboxInsert = {
        id: newId('evt'),
        type: event.type,
        aggregate_type: event.aggregate.type,
        aggregate_id: event.aggregate.id,
        customer_id: event.customerId ?? null,
        channel_id: event.channelId ?? null,
        actor: encodeJson({ type: event.actor.type, id: event.actor.id }),
        data: encodeJson(event.data),
        occurred_at: Date.now(),
      };
      // Events are written as the transaction's last step, whatever order the service appends them in: the
      // outbox lock is then taken after every row lock the transaction needs, so two transactions can never
      // wait on each other through it, and it is held only for the final insert and the commit.
      const queued = pending.get(trx);
      if (queued) {
        queued.push(row);
        return;
      }
      const rows = [row];
      if (beforeCommit(trx, () => write(trx, rows))) pending.set(trx, rows);
      else await write(trx, rows);
    },
    onAppended(listener) {
      listeners.push(listener);
    },
  };
}

export function eventFromRow(row: Selectable<OutboxEventRow>): DomainEvent {
  return {
    id: row.id,
    type: row.type,
    aggregate: { type: row.aggregate_type, id: row.aggregate_id },
    customer_id: row.customer_id,
    channel_id: row.channel_id,
    actor: decodeJson<EventActor>(row.actor),
    occurred_at: toIsoRequired(row.occurred_at),
    data: decodeJson(row.data),
    position: row.position,
  };
}

/** Events after `position`, oldest first. */
export async function readEventsAfter(db: DbOrTrx, position: number, limit: number): Promise<DomainEvent[]> {
  const rows = await db
    .selectFrom('outbox_events')
    .selectAll()
    .where('position', '>', position)
    .orderBy('position', 'asc')
    .limit(limit)
    .execute();
  return rows.map(eventFromRow);
}

export async function lastEventPosition(db: DbOrTrx): Promise<number> {
  const row = await db
    .selectFrom('outbox_events')
    .select((eb) => eb.fn.max('position').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/**
 * Events that concern any of these customers, newest first by (occurred_at, id), strictly before `before`;
 * `kind` keeps the types of one noun (`order` → `order.placed`, `order.cancelled`, …). The customer timeline
 * reads domain events through this.
 */
export async function listEventsForCustomers(
  db: DbOrTrx,
  customerIds: string[],
  filter: {
    before?: { at: number; id: string } | undefined;
    channel?: string | undefined;
    kind?: string | undefined;
    limit: number;
  },
): Promise<DomainEvent[]> {
  if (customerIds.length === 0) return [];
  let q = db.selectFrom('outbox_events').selectAll().where('customer_id', 'in', customerIds);
  if (filter.channel) q = q.where('channel_id', '=', filter.channel);
  // LIKE treats _ as a wildcard: nouns are [a-z_], so escape it to match the noun exactly.
  if (filter.kind)
    q = q.where('type', 'like', sql<string>`${`${filter.kind.replace(/_/g, '\\_')}.%`} escape '\\'`);
  const before = filter.before;
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('occurred_at', '<', before.at),
        eb.and([eb('occurred_at', '=', before.at), eb('id', '<', before.id)]),
      ]),
    );
  const rows = await q.orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(eventFromRow);
}
