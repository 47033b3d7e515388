/**
 * @module Sourcing: proposes how to fulfil lines for a channel and a delivery mode near a point — which locations,
 * how many shipments, by when — and explains why each location was chosen or not. It reads stock through the
 * channel's view (allocations, holdbacks, capabilities), so it never plans what the channel may not sell.
 */
import { AppError } from '../../platform/errors';
import type { Db } from '../../platform/db/database';
import { loadChannelStock, type IneligibleReason } from './channel-stock';
import type { Point } from './geo';
import { promiseFrom, type DeliveryMode, type DeliveryPromise } from './promise';
import { planShipments, type Explanation, type PlanLine, type Shipment } from './sourcing';

export interface SourcingInput {
  channel_id: string;
  mode: DeliveryMode;
  lines: PlanLine[];
  near?: Point | undefined;
  /** Only locations within this many km of `near`. */
  radius_km?: number | undefined;
}

export interface SourcingPlan {
  channel_id: string;
  mode: DeliveryMode;
  near: Point | null;
  /** True when every line is covered. */
  complete: boolean;
  shipments: Array<Shipment & { promise: DeliveryPromise | null }>;
  unfulfilled: PlanLine[];
  /** Units of each SKU the channel could get from all eligible locations together. */
  available: Record<string, number>;
  /** Every location considered, chosen or not, with the reason. */
  explanation: Explanation[];
}

const ineligibleDetail: Record<IneligibleReason, string> = {
  not_allocated: 'This channel does not sell from it.',
  inactive: 'The location is not active.',
  lacks_capability: 'It does not offer this delivery mode.',
  outside_radius: 'It is outside the search radius.',
  outside_same_day_radius: 'The delivery point is outside its same-day radius.',
};

export function createSourcingService(deps: { db: Db; shipTransitDays: number }) {
  return {
    /**
     * Proposes a fulfilment plan.
     * @example await sourcing.planFulfilment({ channel_id: 'cha_web', mode: 'ship',
     *   lines: [{ sku: 'TEE-M', quantity: 2 }, { sku: 'JEANS-32', quantity: 1 }], near: { latitude: 40.42, longitude: -3.7 } })
     */
    async planFulfilment(input: SourcingInput): Promise<SourcingPlan> {
      if (input.mode === 'same_day' && !input.near)
        throw new AppError('validation_failed', 'body.near is required for mode same_day', {
          errors: [{ field: 'body.near', message: 'is required for mode same_day' }],
        });
      const merged = new Map<string, number>();
      for (const l of input.lines) merged.set(l.sku, (merged.get(l.sku) ?? 0) + l.quantity);
      const lines = [...merged].map(([sku, quantity]) => ({ sku, quantity }));
      const stock = await loadChannelStock(deps.db, {
        channelId: input.channel_id,
        skus: lines.map((l) => l.sku),
        mode: input.mode,
        near: input.near,
        radiusKm: input.near ? input.radius_km : undefined,
        includeUnallocated: true,
      });
      const candidates = stock.eligible.map((l) => ({
        location_id: l.id,
        code: l.code,
        name: l.name,
        distance_km: l.distance_km,
        priority: l.priority,
        free: (sku: string) => stock.free(l.id, sku),
      }));
      const plan = planShipments(lines, candidates);
      const now = Date.now();
      const schedules = new Map(stock.eligible.map((l) => [l.id, l.schedule]));
      const available: Record<string, number> = {};
      for (const line of lines)
        available[line.sku] = candidates.reduce((n, c) => n + Math.max(0, c.free(line.sku)), 0);
      return {
        channel_id: input.channel_id,
        mode: input.mode,
        near: input.near ?? null,
        complete: plan.unfulfilled.length === 0,
        shipments: plan.shipments.map((s) => ({
          ...s,
          promise: promiseFrom(input.mode, schedules.get(s.location_id)!, now, {
            transitDays: deps.shipTransitDays,
            incoming: false,
          }),
        })),
        unfulfilled: plan.unfulfilled,
        available,
        explanation: [
          ...plan.explanation,
          ...stock.ineligible.map((l) => ({
            location_id: l.location_id,
            code: l.code,
            name: l.name,
            chosen: false,
            reason: l.reason,
            detail: ineligibleDetail[l.reason],
          })),
        ],
      };
    },
  };
}

export type SourcingService = ReturnType<typeof createSourcingService>;
