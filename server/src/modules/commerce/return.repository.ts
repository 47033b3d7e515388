/**
 * @module Return queries, row mappers and guarded updates. A return moves by conditional updates on its status,
 * and the units of an order line are claimed on `return_quantities` by one UPDATE whose WHERE clause is the rule
 * (returned + n ≤ bought), checked by the row it returns: two associates returning the same unit end with one winner.
 */
import { sql, type Insertable, type Selectable } from 'kysely';
import { decodeBool, toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { Money } from './order.repository';
import type { ReturnLineRow, ReturnPolicyRow, ReturnRow } from './return.table';

export const returnReasons = ['wrong_size', 'damaged', 'not_as_described', 'changed_mind', 'other'] as const;
export type ReturnReason = (typeof returnReasons)[number];

export const returnStatuses = ['requested', 'received', 'inspected', 'refunding', 'completed'] as const;
export type ReturnStatus = (typeof returnStatuses)[number];

/** A return still being worked on at a desk: not yet refunding or completed. */
export const openReturnStatuses = [
  'requested',
  'received',
  'inspected',
] as const satisfies readonly ReturnStatus[];

export const returnMethods = ['in_store', 'mail'] as const;
export type ReturnMethod = (typeof returnMethods)[number];

export const inspectionOutcomes = ['restock', 'write_off'] as const;
export type InspectionOutcome = (typeof inspectionOutcomes)[number];

export const refundMethods = ['original_payment', 'store_credit'] as const;
export type RefundMethod = (typeof refundMethods)[number];

export interface ReturnPolicy {
  id: string;
  name: string;
  channel_id: string | null;
  category_id: string | null;
  tag: string | null;
  window_days: number | null;
  final_sale: boolean;
  created_at: string;
  updated_at: string;
}

export interface ReturnLine {
  id: string;
  order_line_id: string;
  sku: string;
  quantity: number;
  reason: ReturnReason;
  note: string | null;
  outcome: InspectionOutcome | null;
  amount: Money;
  exchanged: boolean;
  inspected_at: string | null;
}

export interface Return {
  id: string;
  order_id: string;
  channel_id: string;
  customer_id: string | null;
  method: ReturnMethod;
  status: ReturnStatus;
  location_id: string | null;
  refund_total: Money;
  refunded: Money;
  refund_method: RefundMethod | null;
  note: string | null;
  override: { reason: string; actor_id: string | null } | null;
  exchange_order_id: string | null;
  requested_at: string;
  received_at: string | null;
  inspected_at: string | null;
  refunded_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

const iso = (ms: number | null) => toIso(ms == null ? null : Number(ms));

export function policyFromRow(row: Selectable<ReturnPolicyRow>): ReturnPolicy {
  return {
    id: row.id,
    name: row.name,
    channel_id: row.channel_id,
    category_id: row.category_id,
    tag: row.tag,
    window_days: row.window_days == null ? null : Number(row.window_days),
    final_sale: decodeBool(row.final_sale),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export function returnLineFromRow(row: Selectable<ReturnLineRow>, currency: string): ReturnLine {
  return {
    id: row.id,
    order_line_id: row.order_line_id,
    sku: row.sku,
    quantity: Number(row.quantity),
    reason: row.reason as ReturnReason,
    note: row.note,
    outcome: row.outcome as InspectionOutcome | null,
    amount: { amount: Number(row.amount), currency },
    exchanged: decodeBool(row.exchanged),
    inspected_at: iso(row.inspected_at),
  };
}

export function returnFromRow(row: Selectable<ReturnRow>): Return {
  const m = (amount: number): Money => ({ amount: Number(amount), currency: row.currency });
  return {
    id: row.id,
    order_id: row.order_id,
    channel_id: row.channel_id,
    customer_id: row.customer_id,
    method: row.method as ReturnMethod,
    status: row.status as ReturnStatus,
    location_id: row.location_id,
    refund_total: m(row.refund_total),
    refunded: m(row.refunded_amount),
    refund_method: row.refund_method as RefundMethod | null,
    note: row.note,
    override: row.override_reason ? { reason: row.override_reason, actor_id: row.override_actor_id } : null,
    exchange_order_id: row.exchange_order_id,
    requested_at: toIsoRequired(Number(row.requested_at)),
    received_at: iso(row.received_at),
    inspected_at: iso(row.inspected_at),
    refunded_at: iso(row.refunded_at),
    completed_at: iso(row.completed_at),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export const findReturnRow = (db: DbOrTrx, id: string) =>
  db.selectFrom('returns').selectAll().where('id', '=', id).executeTakeFirst();

export const findReturnLineRows = (db: DbOrTrx, returnId: string) =>
  db.selectFrom('return_lines').selectAll().where('return_id', '=', returnId).orderBy('id').execute();

export const listPolicyRows = (db: DbOrTrx) =>
  db.selectFrom('return_policies').selectAll().orderBy('id').execute();

/**
 * Claims `quantity` units of an order line for a return: opens the line's counter on first use, then one guarded
 * UPDATE. Returns false when the units left (bought − returned) do not cover it.
 */
export async function claimReturnedUnits(
  db: DbOrTrx,
  line: { id: string; order_id: string; quantity: number },
  quantity: number,
): Promise<boolean> {
  await db
    .insertInto('return_quantities')
    .values({ order_line_id: line.id, order_id: line.order_id, bought: line.quantity, returned: 0 })
    .onConflict((oc) => oc.column('order_line_id').doNothing())
    .execute();
  const claimed = await db
    .updateTable('return_quantities')
    .set({ returned: sql`returned + ${quantity}` })
    .where('order_line_id', '=', line.id)
    .where(sql<boolean>`returned + ${quantity} <= bought`)
    .returning('returned')
    .executeTakeFirst();
  return claimed !== undefined;
}

/** Units of each of the order's lines already claimed by returns. */
export async function returnedUnits(db: DbOrTrx, orderId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('return_quantities')
    .select(['order_line_id', 'returned'])
    .where('order_id', '=', orderId)
    .execute();
  return new Map(rows.map((r) => [r.order_line_id, Number(r.returned)]));
}

export async function insertReturn(
  db: DbOrTrx,
  row: Insertable<ReturnRow>,
  lines: Array<Insertable<ReturnLineRow>>,
): Promise<void> {
  await db.insertInto('returns').values(row).execute();
  await db.insertInto('return_lines').values(lines).execute();
}

/** Moves a return from one of `from` to `to` only if it is still in one of them; undefined when it was not. */
export async function moveReturn(
  db: DbOrTrx,
  id: string,
  from: readonly ReturnStatus[],
  to: ReturnStatus,
  set: Partial<Omit<Insertable<ReturnRow>, 'id' | 'status'>> = {},
): Promise<Selectable<ReturnRow> | undefined> {
  return db
    .updateTable('returns')
    .set({ ...set, status: to, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

export interface ReturnFilter extends PageRequest {
  status?: ReturnStatus | undefined;
  /** true: requested, received or inspected; false: refunding or completed. */
  open?: boolean | undefined;
  location_id?: string | undefined;
  customer_id?: string | undefined;
  order_id?: string | undefined;
}

/**
 * What a search text resolved to: a return is found when it is one of `ids`, of one of `orderIds` or of one of
 * `customerIds`. All empty finds nothing.
 */
export interface ReturnMatch {
  ids: string[];
  orderIds: string[];
  customerIds: string[];
}

/**
 * Returns newest first. Every condition is on an indexed column (returns_status_idx, returns_order_idx,
 * returns_customer_idx, the primary key): a search is an OR of exact lookups, no text scan.
 */
export async function listReturnRows(
  db: DbOrTrx,
  filter: ReturnFilter,
  match?: ReturnMatch,
): Promise<Page<Return>> {
  let q = db.selectFrom('returns').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.open !== undefined)
    q = q.where('status', filter.open ? 'in' : 'not in', [...openReturnStatuses]);
  if (match) {
    const { ids, orderIds, customerIds } = match;
    q = q.where((eb) => {
      const any = [
        ...(ids.length ? [eb('id', 'in', ids)] : []),
        ...(orderIds.length ? [eb('order_id', 'in', orderIds)] : []),
        ...(customerIds.length ? [eb('customer_id', 'in', customerIds)] : []),
      ];
      // Nothing the text could name: no return, rather than every return.
      return any.length ? eb.or(any) : sql<boolean>`1 = 0`;
    });
  }
  if (filter.location_id) q = q.where('location_id', '=', filter.location_id);
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  if (filter.order_id) q = q.where('order_id', '=', filter.order_id);
  return paginate(q, 'id', filter, returnFromRow);
}
