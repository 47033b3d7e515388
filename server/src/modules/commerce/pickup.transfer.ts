/**
 * @module Pickup after transfer: a store that lacks the units gets them from another location. At checkout the
 * units are reserved at the source; when the order is placed (in its transaction) they leave with an inventory
 * transfer and the fulfilment is `in_transit`. Receiving the transfer at the store holds them there again, and only
 * then can the pickup be marked ready.
 */
import type { Actor } from '../../platform/auth/principal';
import { decodeJson } from '../../platform/db/codecs';
import type { Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import type { TransfersService } from '../inventory';
import type { ResolvedLine } from './checkout.delivery';
import { emitOrderEvent, type OrderRef } from './order.write';

/**
 * Sends the units of every in-transit pickup of a just-written order to its store, in the caller's transaction.
 * @example await sendPickupTransfers(trx, { transfers, events }, order, s.resolved, actor)
 */
export async function sendPickupTransfers(
  trx: Trx,
  deps: { transfers: TransfersService; events: EventBus },
  order: OrderRef & { number: number },
  resolved: ResolvedLine[],
  actor: Actor,
): Promise<void> {
  const travelling = await trx
    .selectFrom('fulfilments')
    .selectAll()
    .where('order_id', '=', order.id)
    .where('status', '=', 'in_transit')
    .execute();
  for (const f of travelling) {
    const lines = await trx
      .selectFrom('order_lines')
      .select('reservation_ids')
      .where('fulfilment_id', '=', f.id)
      .execute();
    const eta = Math.max(
      Date.now(),
      ...resolved.filter((r) => r.transfer_to?.location_id === f.location_id).map((r) => r.transfer_to!.eta),
    );
    const transfer = await deps.transfers.transferReservations(
      {
        reservation_ids: lines.flatMap((l) => decodeJson<string[]>(l.reservation_ids)),
        to_location_id: f.location_id,
        eta,
        reason: `pickup of order ${order.number}`,
      },
      actor,
      trx,
    );
    await trx
      .updateTable('fulfilments')
      .set({ transfer_id: transfer.id, updated_at: Date.now() })
      .where('id', '=', f.id)
      .execute();
    await emitOrderEvent(trx, deps.events, 'fulfilment.in_transit', order, actor, {
      fulfilment_id: f.id,
      location_id: f.location_id,
      mode: f.mode,
      source_location_id: transfer.from_location_id,
      transfer_id: transfer.id,
      eta: transfer.eta,
    });
  }
}
