/**
 * @module Where each cart line comes from, checked before anything is reserved or charged. Ship: sourcing chooses
 * (at reservation time, possibly splitting a line over locations). Pickup: the chosen store must offer pickup and
 * sell to this channel; when it lacks the units now, another location of the channel that sends goods reserves them
 * and a transfer brings them to the store (the later promise says so). Lots already on their way are not promised.
 * When nothing can, the shopper is told which stores have it. Same-day: a store within its same-day radius of the delivery point, with the
 * units now, before its cut-off; otherwise refused with the reason. Each located line carries the
 * availability API's promise date.
 */
import { AppError, type FieldError } from '../../platform/errors';
import type { AvailabilityService, DeliveryPromise, LocationsService, Point } from '../inventory';
import type { CartLine } from './cart.repository';

export interface ResolvedLine {
  line: CartLine;
  /** Where the units are reserved. Null: sourcing chooses when reserving (ship). */
  location_id: string | null;
  promise: DeliveryPromise | null;
  /** Pickup after transfer: the store the units travel to (they are reserved at `location_id`, the source). */
  transfer_to?: { location_id: string; eta: number } | undefined;
}

export interface DeliveryDeps {
  availability: Pick<AvailabilityService, 'checkAvailability'>;
  locations: Pick<LocationsService, 'retrieveLocation'>;
}

const refuse = (code: 'insufficient_stock' | 'conflict', field: string, message: string, extra = {}) =>
  new AppError(code, message, { ...extra, errors: [{ field, message }] });

/**
 * Resolves every line's location and promise, or throws the first line that cannot be delivered as chosen.
 * `field(i)` names a cart line in errors.
 * @example await resolveDeliveries(deps, 'cha_web', cart.lines, { latitude: 40.42, longitude: -3.7 })
 */
export async function resolveDeliveries(
  deps: DeliveryDeps,
  channelId: string,
  lines: CartLine[],
  near: Point | undefined,
  field = (i: number) => `cart.lines.${i}`,
): Promise<ResolvedLine[]> {
  const errors: FieldError[] = [];
  if (!near && lines.some((l) => l.delivery_mode === 'same_day'))
    errors.push({ field: 'body.delivery_point', message: 'is required for same-day lines' });
  if (errors.length) throw new AppError('validation_failed', 'body.delivery_point is required', { errors });
  const out: ResolvedLine[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.delivery_mode === 'ship') {
      out.push({ line, location_id: null, promise: null });
      continue;
    }
    const result = await deps.availability.checkAvailability({
      channel_id: channelId,
      skus: [line.sku],
      mode: line.delivery_mode,
      quantity: line.quantity,
      ...(line.delivery_mode === 'same_day' ? { near } : {}),
    });
    const sku = result.skus[0]!;
    // A location fits when it has the units now (not only on their way) and makes a promise for the mode.
    const fits = (l: (typeof sku.locations)[number]) =>
      l.available >= line.quantity && l.promise !== null && !l.promise.factors.includes('incoming');
    if (line.delivery_mode === 'pickup') {
      const store = await deps.locations.retrieveLocation(line.location_id!);
      const here = sku.locations.find((l) => l.location_id === store.id);
      if (!store.active || !store.capabilities.includes('pickup'))
        throw refuse('conflict', `${field(i)}.location_id`, `${store.name} does not offer pickup.`);
      if (here && !fits(here) && here.pickup === 'available_after_transfer' && here.transfer_from) {
        out.push({
          line,
          location_id: here.transfer_from.location_id,
          promise: here.promise,
          // The arrival availability promised from: the lane of the pair, or the global lead time.
          transfer_to: { location_id: store.id, eta: Date.parse(here.transfer_from.eta) },
        });
        continue;
      }
      if (!here || !fits(here)) {
        const elsewhere = sku.locations
          .filter(fits)
          .map((l) => ({ location_id: l.location_id, name: l.name }));
        throw refuse(
          'insufficient_stock',
          `${field(i)}.location_id`,
          `${store.name} does not have ${line.quantity} × ${line.sku} for pickup now` +
            (elsewhere.length ? `; these stores do: ${elsewhere.map((l) => l.name).join(', ')}.` : '.'),
          { sku: line.sku, stores_with_stock: elsewhere },
        );
      }
      out.push({ line, location_id: store.id, promise: here.promise });
      continue;
    }
    // Same day: the chosen store when it can, else the nearest that can, and never after its cut-off.
    const candidates = sku.locations.filter(fits);
    const sameDay = candidates.filter((l) => !l.promise!.factors.includes('after_cutoff'));
    const chosen =
      sameDay.find((l) => l.location_id === line.location_id) ?? (line.location_id ? undefined : sameDay[0]);
    if (!chosen) {
      const reason =
        candidates.length > 0
          ? "past today's same-day cut-off of the stores that have it"
          : sku.locations.length > 0
            ? 'no store within its same-day radius has the units now'
            : 'no store delivers same-day to this point';
      throw refuse(
        'conflict',
        `${field(i)}.delivery_mode`,
        `Same-day delivery of ${line.sku} is not possible: ${reason}.`,
        { sku: line.sku },
      );
    }
    out.push({ line, location_id: chosen.location_id, promise: chosen.promise });
  }
  return out;
}
