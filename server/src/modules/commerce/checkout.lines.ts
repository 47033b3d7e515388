/**
 * @module From a priced cart and its reservations to order lines. Every order line names one location, so a cart
 * line that sourcing split over locations becomes one order line per location; its discount, tax and total are
 * shared out by quantity in integers (largest remainder), so the pieces add up to the priced line
 * and the order's total is the cart's grand total to the cent.
 */
import { allocate } from '../catalog';
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

/**
 * Splits `amount` over `parts` (quantities) proportionally with the catalog's one cent-splitter (largest remainder);
 * the parts always add up to `amount`.
 * @example shareOut(100, [1, 2]) // [33, 67]
 */
export const shareOut = (amount: number, parts: number[]): number[] => allocate(amount, parts);

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
