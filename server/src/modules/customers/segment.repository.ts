/** @module Segment and membership queries and the segment row mapper; every function takes the database or a transaction first. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { Rule } from './segment.rules';
import type { SegmentJobRow, SegmentRow } from './segment.table';

/** Ids per statement: far below SQLite's bound-parameter limit. */
export const ID_CHUNK = 500;

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  rule: Rule;
  member_count: number;
  evaluated_at: string;
  created_at: string;
  updated_at: string;
}

export interface SegmentMember {
  customer_id: string;
  first_name: string | null;
  last_name: string | null;
  since: string;
}

/** A segment a customer belongs to, as their 360 lists it. */
export interface CustomerSegment {
  id: string;
  name: string;
  description: string | null;
  member_count: number;
  since: string;
}

export function segmentFromRow(row: Selectable<SegmentRow>): Segment {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    rule: decodeJson<Rule>(row.rule),
    member_count: Number(row.member_count),
    evaluated_at: toIsoRequired(row.evaluated_at),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

export function chunks<T>(items: readonly T[], size = ID_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function insertSegment(db: DbOrTrx, row: Insertable<SegmentRow>): Promise<void> {
  await db.insertInto('segments').values(row).execute();
}

export async function updateSegmentRow(
  db: DbOrTrx,
  id: string,
  patch: Updateable<SegmentRow>,
): Promise<void> {
  await db.updateTable('segments').set(patch).where('id', '=', id).execute();
}

export async function findSegmentRow(db: DbOrTrx, id: string): Promise<Selectable<SegmentRow> | undefined> {
  return db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function allSegmentRows(db: DbOrTrx): Promise<Array<Selectable<SegmentRow>>> {
  return db.selectFrom('segments').selectAll().orderBy('id').execute();
}

export async function listSegmentRows(db: DbOrTrx, page: PageRequest): Promise<Page<Segment>> {
  return paginate(db.selectFrom('segments').selectAll(), 'id', page, segmentFromRow);
}

export async function deleteSegmentRows(db: DbOrTrx, id: string): Promise<boolean> {
  await db.deleteFrom('segment_members').where('segment_id', '=', id).execute();
  const result = await db.deleteFrom('segments').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Current members of a segment — all of them, or those among `customerIds`. */
export async function memberIds(
  db: DbOrTrx,
  segmentId: string,
  customerIds: readonly string[] | null,
): Promise<string[]> {
  if (customerIds === null) {
    const rows = await db
      .selectFrom('segment_members')
      .select('customer_id')
      .where('segment_id', '=', segmentId)
      .execute();
    return rows.map((r) => r.customer_id);
  }
  const out: string[] = [];
  for (const chunk of chunks(customerIds)) {
    const rows = await db
      .selectFrom('segment_members')
      .select('customer_id')
      .where('segment_id', '=', segmentId)
      .where('customer_id', 'in', chunk)
      .execute();
    out.push(...rows.map((r) => r.customer_id));
  }
  return out;
}

/** Adds members; returns those actually added (a concurrent evaluation may have added some already). */
export async function addMembers(
  db: DbOrTrx,
  segmentId: string,
  customerIds: readonly string[],
  since: number,
): Promise<string[]> {
  const added: string[] = [];
  for (const chunk of chunks(customerIds)) {
    const rows = await db
      .insertInto('segment_members')
      .values(chunk.map((customer_id) => ({ segment_id: segmentId, customer_id, since })))
      .onConflict((oc) => oc.columns(['segment_id', 'customer_id']).doNothing())
      .returning('customer_id')
      .execute();
    added.push(...rows.map((r) => r.customer_id));
  }
  return added;
}

/** Removes members; returns those actually removed. */
export async function removeMembers(
  db: DbOrTrx,
  segmentId: string,
  customerIds: readonly string[],
): Promise<string[]> {
  const removed: string[] = [];
  for (const chunk of chunks(customerIds)) {
    const rows = await db
      .deleteFrom('segment_members')
      .where('segment_id', '=', segmentId)
      .where('customer_id', 'in', chunk)
      .returning('customer_id')
      .execute();
    removed.push(...rows.map((r) => r.customer_id));
  }
  return removed;
}

/** Removes these customers from every segment; returns the segments that lost someone. */
export async function removeFromAllSegments(db: DbOrTrx, customerIds: readonly string[]): Promise<string[]> {
  const segments = new Set<string>();
  for (const chunk of chunks(customerIds)) {
    const rows = await db
      .deleteFrom('segment_members')
      .where('customer_id', 'in', chunk)
      .returning('segment_id')
      .execute();
    for (const r of rows) segments.add(r.segment_id);
  }
  return [...segments];
}

/** Sets member_count from the rows themselves, so it never drifts. */
export async function recountMembers(db: DbOrTrx, segmentId: string): Promise<number> {
  const row = await db
    .selectFrom('segment_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('segment_id', '=', segmentId)
    .executeTakeFirst();
  const count = Number(row?.n ?? 0);
  await db.updateTable('segments').set({ member_count: count }).where('id', '=', segmentId).execute();
  return count;
}

/** Members with their names, newest customer id first (keyset pagination on the customer id). */
export async function listMemberRows(
  db: DbOrTrx,
  segmentId: string,
  page: PageRequest,
): Promise<Page<SegmentMember>> {
  return paginate(
    db
      .selectFrom('segment_members as m')
      .innerJoin('customers as c', 'c.id', 'm.customer_id')
      .select(['m.customer_id', 'm.since', 'c.first_name', 'c.last_name'])
      .where('m.segment_id', '=', segmentId),
    'm.customer_id',
    page,
    (r) => ({
      customer_id: r.customer_id,
      first_name: r.first_name,
      last_name: r.last_name,
      since: toIsoRequired(r.since),
    }),
  );
}

/** The segments one customer is a member of, oldest segment first (ids sort the same on both databases). */
export async function segmentsOfCustomer(db: DbOrTrx, customerId: string): Promise<CustomerSegment[]> {
  const rows = await db
    .selectFrom('segment_members as m')
    .innerJoin('segments as s', 's.id', 'm.segment_id')
    .select(['s.id', 's.name', 's.description', 's.member_count', 'm.since'])
    .where('m.customer_id', '=', customerId)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    member_count: Number(r.member_count),
    since: toIsoRequired(r.since),
  }));
}

/** Which of these customers are active profiles (only they announce leaving a segment). */
export async function activeAmong(db: DbOrTrx, customerIds: readonly string[]): Promise<Set<string>> {
  const active = new Set<string>();
  for (const chunk of chunks(customerIds)) {
    const rows = await db
      .selectFrom('customers')
      .select('id')
      .where('id', 'in', chunk)
      .where('status', '=', 'active')
      .execute();
    for (const r of rows) active.add(r.id);
  }
  return active;
}

export async function profileStatuses(
  db: DbOrTrx,
  customerIds: readonly string[],
): Promise<Array<{ id: string; status: string }>> {
  const out: Array<{ id: string; status: string }> = [];
  for (const chunk of chunks(customerIds)) {
    out.push(
      ...(await db.selectFrom('customers').select(['id', 'status']).where('id', 'in', chunk).execute()),
    );
  }
  return out;
}

/** Customers with tracking events received in [from, to]: the ones whose segments may have changed. */
export async function customersWithTrackingBetween(db: DbOrTrx, from: number, to: number): Promise<string[]> {
  const rows = await db
    .selectFrom('tracking_events')
    .select('customer_id')
    .distinct()
    .where('received_at', '>', from)
    .where('received_at', '<=', to)
    .where('customer_id', 'is not', null)
    .execute();
  return rows.map((r) => r.customer_id!);
}

export async function readJob(db: DbOrTrx, name: string): Promise<Selectable<SegmentJobRow> | undefined> {
  return db.selectFrom('segment_jobs').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * Moves a job from `from` to `to`, only if nobody moved it meanwhile (the row is created on first use);
 * returns whether this caller did — several processes may run the same job.
 */
export async function advanceJob(
  db: DbOrTrx,
  name: string,
  from: number | null,
  to: number,
): Promise<boolean> {
  const now = Date.now();
  if (from === null) {
    const inserted = await db
      .insertInto('segment_jobs')
      .values({ name, position: to, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .execute();
    return inserted.length > 0;
  }
  const result = await db
    .updateTable('segment_jobs')
    .set({ position: to, updated_at: now })
    .where('name', '=', name)
    .where('position', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
