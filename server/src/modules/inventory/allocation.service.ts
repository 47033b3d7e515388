/**
 * @module Channel allocation: per channel, the locations it may sell from and in which priority, and per
 * location the units held back from it (a store keeps two of each SKU for walk-in customers, so the web shop
 * never promises them). Every availability figure and every reservation of a channel goes through this.
 */
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { allocatedLocationRows, replaceAllocationRows } from './allocation.repository';
import { existingLocationIds } from './location.repository';

export interface Allocation {
  channel_id: string;
  /** Best priority (lowest number) first. */
  locations: Array<{ location_id: string; code: string; name: string; priority: number; holdback: number }>;
}

export interface AllocationInput {
  locations: Array<{ location_id: string; priority: number; holdback?: number | undefined }>;
}

export function createAllocationService(deps: {
  db: Db;
  events: EventBus;
  channelExists: (id: string) => Promise<boolean>;
}) {
  const { db, events } = deps;

  async function retrieve(channelId: string): Promise<Allocation> {
    const rows = await allocatedLocationRows(db, channelId);
    return {
      channel_id: channelId,
      locations: rows.map((r) => ({
        location_id: r.id,
        code: r.code,
        name: r.name,
        priority: r.priority,
        holdback: r.holdback,
      })),
    };
  }

  return {
    /** @example await allocations.retrieveAllocation('cha_web') // { channel_id, locations: [{ code: 'WH-GTF', priority: 1, holdback: 0 }, …] } */
    async retrieveAllocation(channelId: string): Promise<Allocation> {
      if (!(await deps.channelExists(channelId))) throw notFound('channel', channelId);
      return retrieve(channelId);
    },

    /**
     * Replaces which locations a channel sells from. An empty list stops the channel selling anything.
     * @example await allocations.updateAllocation('cha_web', { locations: [
     *   { location_id: 'loc_wh', priority: 1 }, { location_id: 'loc_mad01', priority: 2, holdback: 2 }] }, actor)
     */
    async updateAllocation(channelId: string, input: AllocationInput, actor: Actor): Promise<Allocation> {
      if (!(await deps.channelExists(channelId))) throw notFound('channel', channelId);
      const known = await existingLocationIds(
        db,
        input.locations.map((l) => l.location_id),
      );
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      input.locations.forEach((l, i) => {
        if (!known.has(l.location_id))
          errors.push({ field: `body.locations.${i}.location_id`, message: 'is not a known location' });
        else if (seen.has(l.location_id))
          errors.push({ field: `body.locations.${i}.location_id`, message: 'is listed twice' });
        seen.add(l.location_id);
      });
      if (errors.length > 0)
        throw new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
          errors,
        });
      const now = Date.now();
      await inTransaction(db, async (trx) => {
        await replaceAllocationRows(
          trx,
          channelId,
          input.locations.map((l) => ({
            channel_id: channelId,
            location_id: l.location_id,
            priority: l.priority,
            holdback: l.holdback ?? 0,
            created_at: now,
            updated_at: now,
          })),
        );
        await events.append(trx, {
          type: 'stock.allocation_changed',
          aggregate: { type: 'channel', id: channelId },
          channelId,
          actor,
          data: {
            channel_id: channelId,
            locations: input.locations.map((l) => ({
              location_id: l.location_id,
              priority: l.priority,
              holdback: l.holdback ?? 0,
            })),
          },
        });
      });
      return retrieve(channelId);
    },
  };
}

export type AllocationService = ReturnType<typeof createAllocationService>;
