/**
 * @module Transfer lanes: the lead time of each pair of locations (see lane.ts for how an arrival is counted).
 * A pair is a lane's identity: to move a lane, delete it and create another. Every write is one transaction with
 * its event.
 */
import type { Actor } from '../../platform/auth/principal';
import { encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import type { Page, PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import { findLaneRow, laneFromRow, listLanes, type TransferLane } from './lane.repository';
import { existingLocationIds, type Weekday } from './location.repository';

export interface CreateLaneInput {
  from_location_id: string;
  to_location_id: string;
  lead_hours: number;
  departure_days?: Weekday[] | null | undefined;
}

export interface UpdateLaneInput {
  lead_hours?: number | undefined;
  departure_days?: Weekday[] | null | undefined;
}

/** Empty means any day, as null does: stored as null so there is one way to say it. */
const daysOf = (days: Weekday[] | null | undefined): string | null =>
  days && days.length > 0 ? encodeJson(days) : null;

export function createTransferLanesService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  async function retrieve(id: string): Promise<TransferLane> {
    const row = await findLaneRow(db, id);
    if (!row) throw notFound('transfer lane', id);
    return laneFromRow(row);
  }

  const emit = (trx: Trx, type: string, lane: TransferLane, actor: Actor) =>
    events.append(trx, {
      type,
      aggregate: { type: 'transfer_lane', id: lane.id },
      actor,
      data: {
        id: lane.id,
        from_location_id: lane.from_location_id,
        to_location_id: lane.to_location_id,
        lead_hours: lane.lead_hours,
        departure_days: lane.departure_days,
      },
    });

  return {
    /** @example await lanes.listTransferLanes({ to_location_id: 'loc_mad01' }) */
    listTransferLanes(
      filter: PageRequest & { from_location_id?: string | undefined; to_location_id?: string | undefined },
    ): Promise<Page<TransferLane>> {
      return listLanes(db, filter);
    },

    retrieveTransferLane: retrieve,

    /**
     * Creates the lane of a pair; both locations must exist and differ, and the pair must not have one yet.
     * @example await lanes.createTransferLane({ from_location_id: 'loc_wh', to_location_id: 'loc_mad01',
     *   lead_hours: 24, departure_days: ['mon', 'wed', 'fri'] }, actor)
     */
    async createTransferLane(input: CreateLaneInput, actor: Actor): Promise<TransferLane> {
      const known = await existingLocationIds(db, [input.from_location_id, input.to_location_id]);
      const errors: FieldError[] = [];
      for (const field of ['from_location_id', 'to_location_id'] as const)
        if (!known.has(input[field]))
          errors.push({ field: `body.${field}`, message: 'is not a known location' });
      if (errors.length === 0 && input.from_location_id === input.to_location_id)
        errors.push({ field: 'body.to_location_id', message: 'must differ from from_location_id' });
      if (errors.length > 0)
        throw new AppError('unprocessable', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
          errors,
        });
      const now = Date.now();
      const row = {
        id: newId('tln'),
        from_location_id: input.from_location_id,
        to_location_id: input.to_location_id,
        lead_hours: input.lead_hours,
        departure_days: daysOf(input.departure_days),
        created_at: now,
        updated_at: now,
      };
      const lane = laneFromRow(row);
      try {
        await inTransaction(db, async (trx) => {
          await trx.insertInto('transfer_lanes').values(row).execute();
          await emit(trx, 'transfer_lane.created', lane, actor);
        });
      } catch (err) {
        if (
          isUniqueViolation(err, {
            constraint: 'transfer_lanes_pair_uq',
            column: 'transfer_lanes.from_location_id',
          })
        )
          throw new AppError('conflict', 'These two locations have a lane already; change that one.', {
            errors: [{ field: 'body.to_location_id', message: 'already has a lane from this location' }],
          });
        throw err;
      }
      return lane;
    },

    /** @example await lanes.updateTransferLane('tln_…', { lead_hours: 72, departure_days: null }, actor) */
    async updateTransferLane(id: string, input: UpdateLaneInput, actor: Actor): Promise<TransferLane> {
      return inTransaction(db, async (trx) => {
        const row = await findLaneRow(trx, id);
        if (!row) throw notFound('transfer lane', id);
        const changes = {
          ...(input.lead_hours !== undefined ? { lead_hours: input.lead_hours } : {}),
          ...(input.departure_days !== undefined ? { departure_days: daysOf(input.departure_days) } : {}),
          updated_at: Date.now(),
        };
        await trx.updateTable('transfer_lanes').set(changes).where('id', '=', id).execute();
        const lane = laneFromRow({ ...row, ...changes });
        await emit(trx, 'transfer_lane.updated', lane, actor);
        return lane;
      });
    },

    /** After this the pair uses the global `transferLeadHours` again. */
    async deleteTransferLane(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await findLaneRow(trx, id);
        if (!row) throw notFound('transfer lane', id);
        await trx.deleteFrom('transfer_lanes').where('id', '=', id).execute();
        await emit(trx, 'transfer_lane.deleted', laneFromRow(row), actor);
      });
    },
  };
}

export type TransferLanesService = ReturnType<typeof createTransferLanesService>;
