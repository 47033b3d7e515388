/**
 * @module Reservation lines without a location: sourcing plans where they come from (fewest shipments, then
 * distance, then priority, for the channel and delivery mode), and each line gets its pieces of that plan.
 */
import { AppError } from '../../platform/errors';
import type { ReserveInput } from './reservation.service';
import type { SourcingService } from './sourcing.service';

/** Where sourcing puts each line without a location; a 409 naming what the channel has when it cannot. */
export async function sourceLines(
  sourcing: SourcingService,
  input: ReserveInput,
): Promise<Map<number, Array<{ location_id: string; quantity: number }>>> {
  const open = input.lines.map((l, i) => ({ l, i })).filter(({ l }) => !l.location_id);
  const plan = await sourcing.planFulfilment({
    channel_id: input.channel_id,
    mode: input.delivery_mode ?? 'ship',
    lines: open.map(({ l }) => ({ sku: l.sku, quantity: l.quantity })),
    near: input.near,
  });
  if (!plan.complete) {
    const short = open.filter(({ l }) => plan.unfulfilled.some((u) => u.sku === l.sku));
    throw new AppError('insufficient_stock', 'Not enough stock for this channel to reserve every line.', {
      available: plan.available,
      errors: short.map(({ l, i }) => ({
        field: `body.lines.${i}.quantity`,
        message: `exceeds the ${plan.available[l.sku] ?? 0} units this channel can reserve`,
      })),
    });
  }
  // Pieces per SKU from the plan's shipments, handed out to the lines of that SKU in order.
  const pieces = new Map<string, Array<{ location_id: string; quantity: number }>>();
  for (const s of plan.shipments)
    for (const l of s.lines)
      pieces.set(l.sku, [...(pieces.get(l.sku) ?? []), { location_id: s.location_id, quantity: l.quantity }]);
  const out = new Map<number, Array<{ location_id: string; quantity: number }>>();
  for (const { l, i } of open) {
    let need = l.quantity;
    const mine: Array<{ location_id: string; quantity: number }> = [];
    for (const p of pieces.get(l.sku) ?? []) {
      if (need === 0) break;
      const take = Math.min(need, p.quantity);
      if (take === 0) continue;
      mine.push({ location_id: p.location_id, quantity: take });
      p.quantity -= take;
      need -= take;
    }
    out.set(i, mine);
  }
  return out;
}
