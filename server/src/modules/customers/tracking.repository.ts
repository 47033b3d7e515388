/**
 * @module Tracking event queries: durable messageId dedup, multi-row inserts, the bulk identifier lookup that
 * lets a batch skip resolution for people already known, and the timeline's read of one profile family.
 */
import { sql, type Insertable, type Selectable } from 'kysely';
import { decodeJson } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { TrackingEventRow } from './tracking.table';

/** Rows per INSERT: far below SQLite's bound-parameter limit (32,766) at 15 columns a row. */
const INSERT_CHUNK = 1000;

/** Which of these messageIds the channel has already received. */
export async function knownMessageIds(
  db: DbOrTrx,
  channelId: string,
  messageIds: string[],
): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('tracking_events')
    .select('message_id')
    .where('channel_id', '=', channelId)
    .where('message_id', 'in', messageIds)
    .execute();
  return new Set(rows.map((r) => r.message_id));
}

/**
 * Inserts events, skipping any whose messageId the channel already has (a concurrent request may have stored it
 * since the caller checked); returns the messageIds actually stored.
 */
export async function insertTrackingEvents(
  db: DbOrTrx,
  rows: Array<Insertable<TrackingEventRow>>,
): Promise<string[]> {
  const stored: string[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted = await db
      .insertInto('tracking_events')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflict((oc) => oc.columns(['channel_id', 'message_id']).doNothing())
      .returning('message_id')
      .execute();
    for (const r of inserted) stored.push(r.message_id);
  }
  return stored;
}

export interface KnownIdentifier {
  type: string;
  value: string;
  customer_id: string;
  status: string;
  first_name: string | null;
  last_name: string | null;
  channels: string[];
}

/** Every (type, value) already on a profile, with what the fast path of ingestion needs from that profile. */
export async function lookupIdentifiers(
  db: DbOrTrx,
  identifiers: Array<{ type: string; value: string }>,
): Promise<Map<string, KnownIdentifier>> {
  const byType = new Map<string, Set<string>>();
  for (const i of identifiers) {
    let values = byType.get(i.type);
    if (!values) byType.set(i.type, (values = new Set()));
    values.add(i.value);
  }
  const found = new Map<string, KnownIdentifier>();
  if (byType.size === 0) return found;
  // One query per type: with `type = ? and value in (…)` SQLite searches the (type, value) unique index for each
  // value; OR-ing the types together made it scan every identifier of a type instead.
  for (const [type, values] of byType) {
    const rows = await db
      .selectFrom('customer_identifiers as ci')
      .innerJoin('customers as c', 'c.id', 'ci.customer_id')
      .select([
        'ci.type',
        'ci.value',
        'ci.customer_id',
        'c.status',
        'c.first_name',
        'c.last_name',
        'c.channels',
      ])
      .where('ci.type', '=', type)
      .where('ci.value', 'in', [...values])
      .execute();
    for (const row of rows) {
      found.set(identifierKey(row.type, row.value), {
        ...row,
        channels: decodeJson<string[]>(row.channels) ?? [],
      });
    }
  }
  return found;
}

export const identifierKey = (type: string, value: string) => `${type}\u0000${value}`;

export interface SeenSpan {
  customerId: string;
  from: number;
  to: number;
}

/** Rows per touch UPDATE: 3 parameters each, far below both databases' limits. */
const TOUCH_CHUNK = 1000;

/**
 * Records that known people were seen between `from` and `to`: last seen only moves forward, first seen only
 * backward (events arrive out of order). One guarded UPDATE … FROM (VALUES …) per chunk, no read: a batch of a
 * hundred people costs one statement, not a hundred. Both databases name VALUES columns column1, column2, …;
 * the casts on the first row give PostgreSQL the column types (it would otherwise take the parameters as text).
 */
export async function touchSeen(db: DbOrTrx, spans: SeenSpan[]): Promise<void> {
  // A fixed order of row updates, so two concurrent PostgreSQL writers cannot deadlock on each other's rows.
  const sorted = [...spans].sort((a, b) =>
    a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0,
  );
  for (let i = 0; i < sorted.length; i += TOUCH_CHUNK) {
    const values = sorted
      .slice(i, i + TOUCH_CHUNK)
      .map((s, j) =>
        j === 0
          ? sql`(cast(${s.customerId} as text), cast(${s.from} as bigint), cast(${s.to} as bigint))`
          : sql`(${s.customerId}, ${s.from}, ${s.to})`,
      );
    await sql`
      update customers set
        last_seen_at = case when customers.last_seen_at < seen.column3 then seen.column3 else customers.last_seen_at end,
        first_seen_at = case when customers.first_seen_at > seen.column2 then seen.column2 else customers.first_seen_at end,
        updated_at = ${Date.now()}
      from (values ${sql.join(values)}) as seen
      where customers.id = seen.column1
        and (customers.last_seen_at < seen.column3 or customers.first_seen_at > seen.column2)
    `.execute(db);
  }
}

/** Whether a previousId of an alias call names a known user id (else it is taken as an anonymous id). */
export async function isKnownUserId(db: DbOrTrx, value: string): Promise<boolean> {
  const row = await db
    .selectFrom('customer_identifiers')
    .select('id')
    .where('type', '=', 'external_id')
    .where('value', '=', value)
    .executeTakeFirst();
  return row !== undefined;
}

export interface TimelineQuery {
  /** Entries strictly older than this (occurred_at, id) position. */
  before?: { at: number; id: string } | undefined;
  channel?: string | undefined;
  kind?: string | undefined;
  limit: number;
}

/** Tracking events of these profiles, newest first by corrected time, then id. */
export async function listTrackingEventsForCustomers(
  db: DbOrTrx,
  customerIds: string[],
  query: TimelineQuery,
): Promise<Array<Selectable<TrackingEventRow>>> {
  if (customerIds.length === 0) return [];
  let q = db.selectFrom('tracking_events').selectAll().where('customer_id', 'in', customerIds);
  if (query.channel) q = q.where('channel_id', '=', query.channel);
  if (query.kind) q = q.where('type', '=', query.kind);
  const before = query.before;
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('timestamp', '<', before.at),
        eb.and([eb('timestamp', '=', before.at), eb('id', '<', before.id)]),
      ]),
    );
  return q.orderBy('timestamp', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
}
