/**
 * @module Writing an order in the caller's transaction: the number, the order, its lines, one fulfilment per
 * location and delivery mode, and their events. No reads through other modules here (they were checked in
 * order.prepare), so checkout and POS can call it inside their own unit of work.
 */
import type { Insertable } from 'kysely';
import type { Actor } from '../../platform/auth/principal';
import { encodeJson } from '../../platform/db/codecs';
import type { Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { newId } from '../../platform/ids';
import type { FulfilmentRow } from './fulfilment.table';
import type { PreparedLine, PreparedOrder } from './order.prepare';
import { insertOrder, nextOrderNumber, type OrderStatus } from './order.repository';
import type { OrderLineRow } from './order.table';

/** Who an order event concerns: customer_id puts it on the customer's timeline. */
export interface OrderRef {
  id: string;
  customer_id: string | null;
  channel_id: string;
}

/** Appends an event about an order (or one of its fulfilments) with the order's customer and channel. */
export function emitOrderEvent(
  trx: Trx,
  events: EventBus,
  type: string,
  order: OrderRef,
  actor: Actor,
  data: Record<string, unknown>,
  aggregate: { type: string; id: string } = { type: 'order', id: order.id },
): Promise<void> {
  return events.append(trx, {
    type,
    aggregate,
    customerId: order.customer_id,
    channelId: order.channel_id,
    actor,
    data: { order_id: order.id, ...data },
  });
}

/**
 * Writes the lines and one pending fulfilment per (location, delivery mode), with a `fulfilment.created` event
 * each. Returns the fulfilment ids.
 */
export async function writeLines(
  trx: Trx,
  events: EventBus,
  order: OrderRef,
  lines: PreparedLine[],
  actor: Actor,
  now: number,
): Promise<string[]> {
  // Units travelling from another location to a pickup store make a fulfilment of their own (in transit first).
  const keyOf = (l: PreparedLine) => `${l.location_id}\u0000${l.mode}\u0000${l.source_location_id ?? ''}`;
  const groups = new Map<
    string,
    { id: string; mode: string; location_id: string; source_location_id: string | null }
  >();
  for (const l of lines) {
    const key = keyOf(l);
    if (!groups.has(key))
      groups.set(key, {
        id: newId('ful'),
        mode: l.mode,
        location_id: l.location_id,
        source_location_id: l.source_location_id ?? null,
      });
  }
  const rows: Array<Insertable<OrderLineRow>> = lines.map((l, position) => ({
    id: newId('oli'),
    order_id: order.id,
    position,
    variant_id: l.variant_id || null,
    sku: l.sku,
    title: l.title,
    quantity: l.quantity,
    unit_price: l.unit_price,
    discount: l.discount,
    tax: l.tax,
    total: l.total,
    delivery_mode: l.mode,
    location_id: l.location_id,
    reservation_ids: encodeJson(l.reservation_ids),
    fulfilment_id: groups.get(keyOf(l))!.id,
    created_at: now,
  }));
  await trx.insertInto('order_lines').values(rows).execute();
  const fulfilments: Array<Insertable<FulfilmentRow>> = [...groups.values()].map((g) => ({
    id: g.id,
    order_id: order.id,
    location_id: g.location_id,
    mode: g.mode,
    status: g.source_location_id ? 'in_transit' : 'pending',
    source_location_id: g.source_location_id,
    pickup_attempts: 0,
    created_at: now,
    updated_at: now,
  }));
  await trx.insertInto('fulfilments').values(fulfilments).execute();
  for (const f of fulfilments)
    await emitOrderEvent(
      trx,
      events,
      'fulfilment.created',
      order,
      actor,
      {
        fulfilment_id: f.id,
        location_id: f.location_id,
        mode: f.mode,
        ...(f.source_location_id ? { source_location_id: f.source_location_id } : {}),
      },
      { type: 'order', id: order.id },
    );
  return fulfilments.map((f) => f.id);
}

/**
 * Writes a checked order in the caller's transaction and returns its id and number. `order.placed` (and
 * `order.paid` when the money was collected elsewhere) are appended with it.
 * @example await inTransaction(db, (trx) => createOrder(trx, events, prepared, actor, { id, accessSecretHash }))
 */
export async function createOrder(
  trx: Trx,
  events: EventBus,
  prepared: PreparedOrder,
  actor: Actor,
  ids: { id: string; accessSecretHash: string },
): Promise<{ id: string; number: number; status: OrderStatus }> {
  const now = Date.now();
  const number = await nextOrderNumber(trx);
  const status: OrderStatus = prepared.paid_externally ? 'paid' : 'pending_payment';
  const t = prepared.totals;
  await insertOrder(
    trx,
    {
      id: ids.id,
      number,
      channel_id: prepared.channel_id,
      customer_id: prepared.customer_id,
      source: prepared.source,
      status,
      currency: prepared.currency,
      subtotal: t.subtotal,
      discount_total: t.discount,
      shipping_total: t.shipping,
      tax_total: t.tax,
      total: t.total,
      capture_policy: prepared.capture_policy,
      email: prepared.email,
      phone: prepared.phone,
      shipping_address: prepared.shipping_address ? encodeJson(prepared.shipping_address) : null,
      billing_address: prepared.billing_address ? encodeJson(prepared.billing_address) : null,
      external_id: prepared.external_id,
      access_secret_hash: ids.accessSecretHash,
      placed_at: now,
      paid_at: status === 'paid' ? now : null,
      created_at: now,
      updated_at: now,
    },
    [],
  );
  const ref: OrderRef = { id: ids.id, customer_id: prepared.customer_id, channel_id: prepared.channel_id };
  // Ids and amounts only: the contact and addresses stay in the order row, where erasure finds them.
  await emitOrderEvent(trx, events, 'order.placed', ref, actor, {
    number,
    source: prepared.source,
    status,
    total: { amount: t.total, currency: prepared.currency },
    lines: prepared.lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      mode: l.mode,
      location_id: l.location_id,
    })),
    external_id: prepared.external_id,
  });
  await writeLines(trx, events, ref, prepared.lines, actor, now);
  if (status === 'paid')
    await emitOrderEvent(trx, events, 'order.paid', ref, actor, {
      number,
      total: { amount: t.total, currency: prepared.currency },
      via: 'external',
    });
  return { id: ids.id, number, status };
}
