/**
 * @module From a priced cart and its reservations to order lines. Every order line names one location, so a cart
 * line that sourcing split over locations becomes one order line per location; its discount, tax and total are
 * shared out by quantity in integers (the remainder on the last piece), so the pieces add up to the priced line
 * and the order's total is the cart's grand total to the cent.
 */
import type { LineDeliveryMode } from './order.repository';
import type { CreateOrderLineInput } from './order.prepare';
import type { PricedLine } from './pricing';

export interface LineReservation {
  id: string;
  location_id: string;
  quantity: number;
  /** The reservation's status when it was read (a resumed checkout may find it expired). */
  status?: string | undefined;
}

/** Splits `amount` over `parts` (quantities) proportionally; the parts always add up to `amount`. */
export function shareOut(amount: number, parts: number[]): number[] {
  const whole = parts.reduce((a, b) => a + b, 0);
  let given = 0;
  return parts.map((q, i) => {
    const share = i === parts.length - 1 ? amount - given : Math.floor((amount * q) / whole);
    given += share;
    return share;
  });
}

/**
 * The order lines of one priced cart line held by `held` reservations.
 * @example toOrderLines(priced, 'ship', [{ id: 'res_1', location_id: 'loc_a', quantity: 2 }, { id: 'res_2', location_id: 'loc_b', quantity: 1 }])
 */
export function toOrderLines(
  priced: PricedLine,
  mode: LineDeliveryMode,
  held: LineReservation[],
): CreateOrderLineInput[] {
  const byLocation = new Map<string, LineReservation[]>();
  for (const r of held) byLocation.set(r.location_id, [...(byLocation.get(r.location_id) ?? []), r]);
  const groups = [...byLocation.entries()];
  const quantities = groups.map(([, rs]) => rs.reduce((n, r) => n + r.quantity, 0));
  const discount = shareOut(priced.discount.amount, quantities);
  const tax = shareOut(priced.tax.amount, quantities);
  const total = shareOut(priced.total.amount, quantities);
  return groups.map(([location_id, rs], i) => ({
    sku: priced.sku,
    quantity: quantities[i]!,
    unit_price: priced.unit_price.amount,
    discount: discount[i]!,
    tax: tax[i]!,
    total: total[i]!,
    delivery: { mode, location_id },
    reservation_ids: rs.map((r) => r.id),
  }));
}
