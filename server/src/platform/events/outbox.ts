/**
 * @module The outbox: events are appended in the same transaction as the change they describe, so an event
 * exists if and only if its change committed.
 */
import { sql } from 'kysely';
import { encodeJson, decodeJson, toIsoRequired } from '../db/codecs';
import type { Dialect } from '../db/columns';
import { afterCommit, type DbOrTrx, type Trx } from '../db/transaction';
import type { OutboxEventRow } from './events.table';
import type { Selectable } from 'kysely';
import { newId } from '../ids';
import type { DomainEvent, EventActor, NewEvent } from './envelope';

export interface EventBus {
  /**
   * Appends an event inside the caller's transaction.
   * @example await events.append(trx, { type: 'channel.created', aggregate: { type: 'channel', id }, actor, data: { id } })
   */
  append<T>(trx: Trx, event: NewEvent<T>): Promise<DomainEvent<T>>;
  /** Registers a listener called after a transaction that appended events committed. */
  onAppended(listener: () => void): void;
}

// Any constant works: it names the lock that orders outbox writers on PostgreSQL.
const OUTBOX_LOCK_KEY = 7_366_290_112;

export function createEventBus(dialect: Dialect): EventBus {
  const listeners: Array<() => void> = [];
  const notify = () => listeners.forEach((l) => l());
  return {
    async append<T>(trx: Trx, event: NewEvent<T>): Promise<DomainEvent<T>> {
      if (!trx.isTransaction) throw new Error('events.append must run inside a transaction');
      if (dialect === 'postgres') {
        // Positions come from a sequence, which hands them out in transaction start order, not commit order.
        // Holding this lock until commit makes positions commit in order, so a reader that has seen position n
        // can never later find a smaller one. Emit events last in a transaction to keep the lock short.
        // SQLite needs nothing: it has one writer at a time.
        await sql`select pg_advisory_xact_lock(${OUTBOX_LOCK_KEY})`.execute(trx);
      }
      const row = {
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
      const inserted = await trx
        .insertInto('outbox_events')
        .values(row)
        .returning('position')
        .executeTakeFirstOrThrow();
      afterCommit(trx, notify);
      return eventFromRow({ ...row, position: inserted.position }) as DomainEvent<T>;
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
