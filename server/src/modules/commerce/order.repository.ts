/**
 * @module Order queries and the row mappers: the only code here that knows orders are stored as snake_case rows
 * with epoch-ms times, JSON text and minor-unit integers. Order numbers come from one guarded UPDATE … RETURNING.
 */
import type { Insertable, Selectable } from 'kysely';
import { decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { OrderEditRow, OrderLineRow, OrderRow } from './order.table';

export const orderSources = ['checkout', 'pos', 'phone', 'chat', 'marketplace'] as const;
export type OrderSource = (typeof orderSources)[number];

export const orderStatuses = [
  'pending_payment',
  'paid',
  'fulfilling',
  'partially_fulfilled',
  'completed',
  'cancelled',
] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * ship, pickup in store, same-day delivery from a store, handed over at the till at once (POS), or reserved to try
 * in store (nothing paid online: the customer pays at the store for what they keep; see reserve.service.ts).
 */
export const lineDeliveryModes = ['ship', 'pickup', 'same_day', 'handover', 'reserve_in_store'] as const;
export type LineDeliveryMode = (typeof lineDeliveryModes)[number];
/** The modes an order's lines may be created or edited with: a reservation to try comes only from its own flow. */
export const orderedDeliveryModes = ['ship', 'pickup', 'same_day', 'handover'] as const;

/**
 * When the order counts as paid: `immediate` once captured payments cover the total; `on_fulfilment` once
 * authorized ones do (the capture follows when the goods leave).
 */
export const capturePolicies = ['immediate', 'on_fulfilment'] as const;
export type CapturePolicy = (typeof capturePolicies)[number];

export interface Money {
  amount: number;
  currency: string;
}

export interface OrderLine {
  id: string;
  position: number;
  variant_id: string | null;
  sku: string;
  title: string;
  quantity: number;
  unit_price: Money;
  discount: Money;
  tax: Money;
  total: Money;
  delivery: { mode: LineDeliveryMode; location_id: string };
  reservation_ids: string[];
  fulfilment_id: string | null;
}

export interface Order {
  id: string;
  number: number;
  /** `#1042`: what a customer reads out on the phone. */
  display_number: string;
  channel_id: string;
  customer_id: string | null;
  source: OrderSource;
  status: OrderStatus;
  currency: string;
  totals: { subtotal: Money; discount: Money; shipping: Money; tax: Money; total: Money };
  capture_policy: CapturePolicy;
  email: string | null;
  phone: string | null;
  shipping_address: Record<string, unknown> | null;
  billing_address: Record<string, unknown> | null;
  external_id: string | null;
  placed_at: string;
  paid_at: string | null;
  cancelled_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
}

const money = (amount: number, currency: string): Money => ({ amount: Number(amount), currency });

/** An order's number as customers and staff see it: `#1042`. */
export const displayNumber = (number: number | string | bigint) => `#${Number(number)}`;

export function orderFromRow(row: Selectable<OrderRow>): Order {
  const c = row.currency;
  return {
    id: row.id,
    number: Number(row.number),
    display_number: displayNumber(row.number),
    channel_id: row.channel_id,
    customer_id: row.customer_id,
    source: row.source as OrderSource,
    status: row.status as OrderStatus,
    currency: c,
    totals: {
      subtotal: money(row.subtotal, c),
      discount: money(row.discount_total, c),
      shipping: money(row.shipping_total, c),
      tax: money(row.tax_total, c),
      total: money(row.total, c),
    },
    capture_policy: row.capture_policy as CapturePolicy,
    email: row.email,
    phone: row.phone,
    shipping_address: decodeJson<Record<string, unknown> | null>(row.shipping_address ?? null),
    billing_address: decodeJson<Record<string, unknown> | null>(row.billing_address ?? null),
    external_id: row.external_id,
    placed_at: toIsoRequired(Number(row.placed_at)),
    paid_at: toIso(row.paid_at == null ? null : Number(row.paid_at)),
    cancelled_at: toIso(row.cancelled_at == null ? null : Number(row.cancelled_at)),
    completed_at: toIso(row.completed_at == null ? null : Number(row.completed_at)),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export function lineFromRow(row: Selectable<OrderLineRow>, currency: string): OrderLine {
  return {
    id: row.id,
    position: Number(row.position),
    variant_id: row.variant_id,
    sku: row.sku,
    title: row.title,
    quantity: Number(row.quantity),
    unit_price: money(row.unit_price, currency),
    discount: money(row.discount, currency),
    tax: money(row.tax, currency),
    total: money(row.total, currency),
    delivery: { mode: row.delivery_mode as LineDeliveryMode, location_id: row.location_id },
    reservation_ids: decodeJson<string[]>(row.reservation_ids),
    fulfilment_id: row.fulfilment_id,
  };
}

/**
 * The next order number: one guarded UPDATE … RETURNING on the business's counter row. On PostgreSQL a concurrent
 * creator waits on the row lock until this transaction ends and then reads the incremented value; SQLite has one
 * writer. Either way no two orders share a number, and a rolled-back order gives its number back.
 */
export async function nextOrderNumber(db: DbOrTrx): Promise<number> {
  const row = await db
    .updateTable('order_counters')
    .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
    .where('id', '=', 'orders')
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return Number(row.last_number);
}

export async function insertOrder(
  db: DbOrTrx,
  order: Insertable<OrderRow>,
  lines: Array<Insertable<OrderLineRow>>,
): Promise<void> {
  await db.insertInto('orders').values(order).execute();
  if (lines.length > 0) await db.insertInto('order_lines').values(lines).execute();
}

export const findOrderRow = (db: DbOrTrx, id: string) =>
  db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();

export const findOrderRowByExternalId = (db: DbOrTrx, channelId: string, externalId: string) =>
  db
    .selectFrom('orders')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();

export const findLineRows = (db: DbOrTrx, orderId: string) =>
  db.selectFrom('order_lines').selectAll().where('order_id', '=', orderId).orderBy('position').execute();

export const findEditRows = (db: DbOrTrx, orderId: string): Promise<Array<Selectable<OrderEditRow>>> =>
  db.selectFrom('order_edits').selectAll().where('order_id', '=', orderId).orderBy('id').execute();

/**
 * Moves an order from one of `from` to `to` only if it is still in one of them: the conditional update that makes
 * a cancel racing a payment (or two fulfilment steps) end with one winner. Returns the row after, or undefined.
 */
export async function moveOrder(
  db: DbOrTrx,
  id: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  set: Partial<Pick<OrderRow, 'paid_at' | 'cancelled_at' | 'completed_at'>> = {},
): Promise<Selectable<OrderRow> | undefined> {
  return db
    .updateTable('orders')
    .set({ ...set, status: to, updated_at: Date.now() })
    .where('id', '=', id)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

export interface OrderFilter extends PageRequest {
  status?: OrderStatus | undefined;
  channel_id?: string | undefined;
  customer_id?: string | undefined;
  location_id?: string | undefined;
  created_from?: string | undefined;
  created_to?: string | undefined;
  /** An order number, with or without `#`. */
  number?: string | undefined;
}

export async function listOrderRows(db: DbOrTrx, filter: OrderFilter): Promise<Page<Order>> {
  let q = db.selectFrom('orders').selectAll('orders');
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.channel_id) q = q.where('channel_id', '=', filter.channel_id);
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  if (filter.created_from) q = q.where('created_at', '>=', Date.parse(filter.created_from));
  if (filter.created_to) q = q.where('created_at', '<', Date.parse(filter.created_to));
  if (filter.number !== undefined) {
    const n = Number(filter.number.replace(/^#/, ''));
    q = q.where('number', '=', Number.isSafeInteger(n) ? n : -1);
  }
  if (filter.location_id) {
    const at = filter.location_id;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('order_lines')
          .select('order_lines.id')
          .whereRef('order_lines.order_id', '=', 'orders.id')
          .where('order_lines.location_id', '=', at),
      ),
    );
  }
  return paginate(q, 'orders.id', filter, orderFromRow);
}
