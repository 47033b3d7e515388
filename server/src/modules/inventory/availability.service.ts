/**
 * @module Availability to promise (ATP): for one channel, many SKUs at once — the total it can sell and where,
 * optionally near a point within a radius ("in stock at 3 stores within 10 km"), and per delivery mode with a
 * promise date that counts preparation time, opening hours, the same-day cut-off and stock on its way. For pickup,
 * a store without the units is still offered when another location of the channel that sends goods (a warehouse,
 * a store shipping from store) has them: `available_after_transfer`, with the promise counted from the transfer's
 * arrival: the lane of the pair (lane.ts) or the global lead time. Among the senders with the units, the one whose
 * transfer arrives first sends them (ties: the channel's priority).
 */
import { AppError } from '../../platform/errors';
import type { Db } from '../../platform/db/database';
import { loadChannelStock, type ChannelLocation } from './channel-stock';
import type { Point } from './geo';
import { transferArrival } from './lane';
import { laneKey, lanesInto } from './lane.repository';
import type { LocationKind } from './location.repository';
import { promiseFrom, startFor, type DeliveryMode, type DeliveryPromise } from './promise';

export interface AvailabilityQuery {
  channel_id: string;
  skus: string[];
  near?: Point | undefined;
  radius_km?: number | undefined;
  mode?: DeliveryMode | undefined;
  /** Units wanted of each SKU (default 1): a location counts as in stock, and promises, for this many. */
  quantity?: number | undefined;
}

export interface LocationAvailability {
  location_id: string;
  code: string;
  name: string;
  kind: LocationKind;
  distance_km: number | null;
  available: number;
  incoming: Array<{ quantity: number; eta: string }>;
  promise: DeliveryPromise | null;
  /**
   * Pickup only: `available_now` (the store has the units), `available_after_transfer` (another location sends
   * them; `promise` counts the transfer), or null (neither).
   */
  pickup: 'available_now' | 'available_after_transfer' | null;
  /** Pickup after transfer: where the units come from and when a transfer sent now arrives (ISO). */
  transfer_from: { location_id: string; name: string; eta: string } | null;
}

export interface SkuAvailability {
  sku: string;
  /** Units the channel can sell now across the locations that fit the query. */
  available: number;
  /** Locations that have at least `quantity` available now. */
  locations_in_stock: number;
  /** The earliest promise among the locations (with a mode). */
  promise: (DeliveryPromise & { location_id: string }) | null;
  /** Locations with units available or on their way: nearest first with a point, else by priority. */
  locations: LocationAvailability[];
}

export interface AvailabilityResult {
  channel_id: string;
  mode: DeliveryMode | null;
  near: Point | null;
  radius_km: number | null;
  quantity: number;
  skus: SkuAvailability[];
}

/** Which promise the customer has sooner: delivery day first, then the hour it is ready. */
const earlier = (a: DeliveryPromise, b: DeliveryPromise): boolean =>
  a.delivery_date < b.delivery_date || (a.delivery_date === b.delivery_date && a.ready_at < b.ready_at);

const MINUTE = 60_000;
/** Promises from stock on hand kept for reuse (per location, mode and minute); cleared when full. */
const RECENT_PROMISES = 10_000;

export function createAvailabilityService(deps: {
  db: Db;
  shipTransitDays: number;
  /** Hours a transfer takes to reach a store when the pair has no lane (pickup after transfer); default 48. */
  transferLeadHours?: number | undefined;
}) {
  const fallbackLeadHours = deps.transferLeadHours ?? 48;
  const { db } = deps;
  const recent = new Map<string, DeliveryPromise | null>();

  /** The promise for `quantity` units of a SKU at a location, or null when it cannot make one. */
  /**
   * The promise from a location for goods on hand now. It is the location's, not a SKU's, and stays the same for
   * the rest of the minute: kept across requests (until the location changes) and asked once per answer.
   */
  function promiseNow(location: ChannelLocation, mode: DeliveryMode, now: number): DeliveryPromise | null {
    const minute = Math.ceil(now / MINUTE) * MINUTE;
    const key = `${location.id}:${location.version}:${mode}:${minute}`;
    let promise = recent.get(key);
    if (promise === undefined) {
      promise = promiseFrom(mode, location.schedule, minute, {
        transitDays: deps.shipTransitDays,
        incoming: false,
      });
      if (recent.size >= RECENT_PROMISES) recent.clear();
      recent.set(key, promise);
    }
    return promise;
  }

  /** A pickup promise for units a transfer brings at `arrival`: ready once the store prepared them. */
  function promiseAfterTransfer(
    schedule: ChannelLocation['schedule'],
    arrival: number,
  ): DeliveryPromise | null {
    const promise = promiseFrom('pickup', schedule, arrival, {
      transitDays: deps.shipTransitDays,
      incoming: true,
    });
    return promise && { ...promise, factors: [...promise.factors, 'transfer'] };
  }

  return {
    /**
     * What a channel can sell of these SKUs, where, and by when.
     * @example await availability.checkAvailability({ channel_id: 'cha_web', skus: ['TEE-M', 'TEE-L'],
     *   near: { latitude: 40.42, longitude: -3.70 }, radius_km: 10, mode: 'pickup' })
     */
    async checkAvailability(query: AvailabilityQuery): Promise<AvailabilityResult> {
      const skus = [...new Set(query.skus)];
      if (query.mode === 'same_day' && !query.near)
        throw new AppError('validation_failed', 'Same-day availability needs the delivery point.', {
          errors: [{ field: 'query.latitude', message: 'is required for mode same_day' }],
        });
      const quantity = query.quantity ?? 1;
      const stock = await loadChannelStock(db, {
        channelId: query.channel_id,
        skus,
        mode: query.mode,
        near: query.near,
        radiusKm: query.near ? query.radius_km : undefined,
      });
      // Pickup: the locations that could send the units to a store lacking them (those that send goods), and the
      // transfer lanes into the stores.
      const [senders, lanes] =
        query.mode === 'pickup'
          ? await Promise.all([
              loadChannelStock(db, { channelId: query.channel_id, skus, mode: 'ship' }),
              lanesInto(
                db,
                stock.eligible.map((l) => l.id),
              ),
            ])
          : [null, null];
      const now = Date.now();
      /** Per store, the senders by when a transfer sent now arrives; the sort is stable, so ties keep priority. */
      const routes = new Map<string, Array<{ location: ChannelLocation; arrival: number }>>();
      const sendersTo = (store: ChannelLocation) => {
        let route = routes.get(store.id);
        if (!route) {
          route = senders!.eligible
            .filter((l) => l.id !== store.id)
            .map((l) => ({
              location: l,
              arrival: transferArrival(
                lanes!.get(laneKey(l.id, store.id)),
                fallbackLeadHours,
                l.schedule.timezone,
                now,
              ),
            }))
            .sort((a, b) => a.arrival - b.arrival);
          routes.set(store.id, route);
        }
        return route;
      };
      /** The sender with `quantity` units whose transfer to `store` arrives first. */
      const fastestSender = (store: ChannelLocation, sku: string) =>
        sendersTo(store).find((s) => senders!.free(s.location.id, sku) >= quantity);
      const atLocation = new Map<string, DeliveryPromise | null>();
      /** The promise for `quantity` units at a location: now when it has them, else when a transfer brings them. */
      const promiseFor = (
        location: ChannelLocation,
        free: number,
        incoming: Array<{ quantity: number; eta: number }>,
        mode: DeliveryMode,
      ): DeliveryPromise | null => {
        const start = startFor(quantity, free, incoming, now);
        if (!start) return null;
        if (start.incoming)
          return promiseFrom(mode, location.schedule, start.from, {
            transitDays: deps.shipTransitDays,
            incoming: true,
          });
        if (!atLocation.has(location.id)) atLocation.set(location.id, promiseNow(location, mode, now));
        return atLocation.get(location.id)!;
      };
      const result: SkuAvailability[] = skus.map((sku) => {
        const locations: LocationAvailability[] = [];
        let available = 0;
        let inStock = 0;
        let best: SkuAvailability['promise'] = null;
        for (const location of stock.eligible) {
          const free = stock.free(location.id, sku);
          const incoming = stock.incoming(location.id, sku);
          let promise = query.mode ? promiseFor(location, free, incoming, query.mode) : null;
          // A store short of the units with no lot on its way that covers them: another location can send them
          // (checkout reserves them there and creates the transfer), promised from the transfer's lead time.
          const source = senders && free < quantity && !promise ? fastestSender(location, sku) : undefined;
          if (source) promise = promiseAfterTransfer(location.schedule, source.arrival);
          if (free <= 0 && incoming.length === 0 && !source) continue;
          available += Math.max(0, free);
          if (free >= quantity) inStock += 1;
          if (promise && (!best || earlier(promise, best))) best = { ...promise, location_id: location.id };
          locations.push({
            location_id: location.id,
            code: location.code,
            name: location.name,
            kind: location.kind,
            distance_km: location.distance_km,
            available: Math.max(0, free),
            incoming: incoming.map((l) => ({ quantity: l.quantity, eta: new Date(l.eta).toISOString() })),
            promise,
            pickup: !senders
              ? null
              : free >= quantity
                ? 'available_now'
                : source && promise
                  ? 'available_after_transfer'
                  : null,
            transfer_from:
              source && promise
                ? {
                    location_id: source.location.id,
                    name: source.location.name,
                    eta: new Date(source.arrival).toISOString(),
                  }
                : null,
          });
        }
        return { sku, available, locations_in_stock: inStock, promise: best, locations };
      });
      return {
        channel_id: query.channel_id,
        mode: query.mode ?? null,
        near: query.near ?? null,
        radius_km: query.near ? (query.radius_km ?? null) : null,
        quantity,
        skus: result,
      };
    },
  };
}

export type AvailabilityService = ReturnType<typeof createAvailabilityService>;
