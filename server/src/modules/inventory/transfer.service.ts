/**
 * @module Transfers between locations: units leave the source now (`transfer_out`: on hand falls there, incoming
 * rises at the destination, with an ETA that promise dates use) and arrive on receipt (`transfer_in`: on hand
 * rises by what actually arrived, incoming falls by what was sent; a shortfall is recorded on the line).
 * Units reserved at the source never leave with a plain transfer; a transfer *of reservations* (a pickup at a store
 * that lacks the units) takes exactly those reserved units: they leave the source's on hand and reserved, travel
 * as `in_transit` reservations, and are reserved again at the destination when it receives them.
 */
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import type { Page, PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import { applyMovement, explainRefusal } from './ledger';
import { existingLocationIds } from './location.repository';
import { ensureLevels } from './stock.repository';
import {
  findTransfer,
  insertTransfer,
  landReservations,
  listTransfers,
  markReceived,
  sendReservations,
  setReceivedQuantity,
  type Transfer,
  type TransferStatus,
} from './transfer.repository';

export interface CreateTransferInput {
  from_location_id: string;
  to_location_id: string;
  /** When the goods are expected at the destination (epoch ms). */
  eta: number;
  lines: Array<{ sku: string; quantity: number }>;
  reason?: string | undefined;
}

export interface TransferReservationsInput {
  /** Confirmed reservations, all at one location: that location is the source. */
  reservation_ids: string[];
  to_location_id: string;
  /** When the goods are expected at the destination (epoch ms). */
  eta: number;
  reason?: string | undefined;
}

export interface ReceiveTransferInput {
  /** What arrived per SKU; omitted: everything that was sent. */
  lines?: Array<{ sku: string; quantity: number }> | undefined;
}

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

export function createTransfersService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  /**
   * Writes a shipped transfer: its row and lines, the units out of the source (`unreserved` units, or `reserved`
   * ones leaving on hand and reserved together, never below zero) and incoming at the destination, and
   * `transfer.shipped`. A line the source cannot give refuses the whole transfer, naming `body.lines.N`.
   */
  async function shipTransfer(
    trx: Trx,
    t: {
      id: string;
      from: string;
      to: string;
      eta: number;
      reason: string | undefined;
      lines: Array<{ sku: string; quantity: number }>;
      units: 'unreserved' | 'reserved';
      reservationIds?: string[];
      actor: Actor;
      now: number;
    },
  ): Promise<void> {
    await insertTransfer(
      trx,
      {
        id: t.id,
        from_location_id: t.from,
        to_location_id: t.to,
        status: 'in_transit',
        eta: t.eta,
        reason: t.reason ?? null,
        actor_type: t.actor.type,
        actor_id: t.actor.id,
        shipped_at: t.now,
        received_at: null,
        created_at: t.now,
        updated_at: t.now,
      },
      t.lines.map((l) => ({ transfer_id: t.id, sku: l.sku, quantity: l.quantity, received_quantity: null })),
    );
    await ensureLevels(
      trx,
      t.lines.map((l) => ({ sku: l.sku, location_id: t.to })),
      t.now,
    );
    const ctx = {
      kind: 'transfer_out' as const,
      actor: t.actor,
      reason: t.reason,
      reference: { type: 'transfer', id: t.id },
    };
    for (const [i, line] of t.lines.entries()) {
      const from = { sku: line.sku, location_id: t.from };
      const change =
        t.units === 'reserved'
          ? { on_hand: -line.quantity, reserved: -line.quantity }
          : { on_hand: -line.quantity };
      const out = await applyMovement(trx, events, from, change, ctx, { keepReserved: true });
      if (!out) throw await explainRefusal(trx, from, `body.lines.${i}`, line.quantity, { units: t.units });
      const to = { sku: line.sku, location_id: t.to };
      await applyMovement(trx, events, to, { incoming: line.quantity }, ctx, { keepReserved: false });
    }
    await events.append(trx, {
      type: 'transfer.shipped',
      aggregate: { type: 'transfer', id: t.id },
      actor: t.actor,
      data: {
        transfer_id: t.id,
        from_location_id: t.from,
        to_location_id: t.to,
        eta: new Date(t.eta).toISOString(),
        lines: t.lines,
        ...(t.reservationIds ? { reservation_ids: t.reservationIds } : {}),
      },
    });
  }

  return {
    /**
     * Ships a transfer: out of the source now, incoming at the destination until received.
     * @example await transfers.createTransfer({ from_location_id: 'loc_wh', to_location_id: 'loc_mad01',
     *   eta: Date.parse('2026-11-25T09:00:00Z'), lines: [{ sku: 'TEE-M', quantity: 12 }] }, actor)
     */
    async createTransfer(input: CreateTransferInput, actor: Actor): Promise<Transfer> {
      const errors: FieldError[] = [];
      const known = await existingLocationIds(db, [input.from_location_id, input.to_location_id]);
      if (!known.has(input.from_location_id))
        errors.push({ field: 'body.from_location_id', message: 'is not a known location' });
      if (!known.has(input.to_location_id))
        errors.push({ field: 'body.to_location_id', message: 'is not a known location' });
      if (input.from_location_id === input.to_location_id)
        errors.push({ field: 'body.to_location_id', message: 'must differ from the source' });
      const skus = new Set<string>();
      input.lines.forEach((l, i) => {
        if (skus.has(l.sku)) errors.push({ field: `body.lines.${i}.sku`, message: 'appears twice' });
        skus.add(l.sku);
      });
      if (errors.length > 0) throw invalid(errors);
      const id = newId('trf');
      const now = Date.now();
      await inTransaction(db, (trx) =>
        shipTransfer(trx, {
          id,
          from: input.from_location_id,
          to: input.to_location_id,
          eta: input.eta,
          reason: input.reason,
          lines: input.lines,
          units: 'unreserved',
          actor,
          now,
        }),
      );
      return (await findTransfer(db, id))!;
    },

    /**
     * Receives a transfer at its destination; quantities below what was sent record a shortfall.
     * @example await transfers.receiveTransfer('trf_…', { lines: [{ sku: 'TEE-M', quantity: 11 }] }, actor)
     */
    async receiveTransfer(id: string, input: ReceiveTransferInput, actor: Actor): Promise<Transfer> {
      await inTransaction(db, async (trx) => {
        const transfer = await findTransfer(trx, id);
        if (!transfer) throw notFound('transfer', id);
        const now = Date.now();
        if (!(await markReceived(trx, id, now)))
          throw new AppError('conflict', `Transfer ${id} was already received.`, {
            errors: [{ field: 'params.id', message: 'is already received' }],
          });
        const sent = new Map(transfer.lines.map((l) => [l.sku, l.quantity]));
        const received = new Map(transfer.lines.map((l) => [l.sku, l.quantity]));
        const errors: FieldError[] = [];
        input.lines?.forEach((l, i) => {
          const quantity = sent.get(l.sku);
          if (quantity === undefined)
            errors.push({ field: `body.lines.${i}.sku`, message: 'is not on this transfer' });
          else if (l.quantity > quantity)
            errors.push({ field: `body.lines.${i}.quantity`, message: `exceeds the ${quantity} units sent` });
          else received.set(l.sku, l.quantity);
        });
        if (errors.length > 0) throw invalid(errors);
        // Reservations travelling with it are held again here, with the units that brought them.
        const landed = await landReservations(trx, id, transfer.to_location_id, now);
        const held = new Map<string, number>();
        for (const r of landed) held.set(r.sku, (held.get(r.sku) ?? 0) + Number(r.quantity));
        for (const [i, line] of transfer.lines.entries())
          if (received.get(line.sku)! < (held.get(line.sku) ?? 0))
            errors.push({
              field: `body.lines.${input.lines?.findIndex((l) => l.sku === line.sku) ?? i}.quantity`,
              message: `is below the ${held.get(line.sku)} units reserved for orders on this transfer`,
            });
        if (errors.length > 0)
          throw new AppError(
            'conflict',
            'Units reserved for orders are missing from this transfer: receive them all, then record the damage.',
            { errors },
          );
        const ctx = { kind: 'transfer_in' as const, actor, reference: { type: 'transfer', id } };
        for (const line of transfer.lines) {
          const got = received.get(line.sku)!;
          const to = { sku: line.sku, location_id: transfer.to_location_id };
          const after = await applyMovement(
            trx,
            events,
            to,
            { on_hand: got, incoming: -line.quantity, reserved: held.get(line.sku) ?? 0 },
            ctx,
            {
              keepReserved: false,
            },
          );
          if (!after)
            throw new Error(`Incoming of ${line.sku} at ${transfer.to_location_id} lost track of ${id}.`);
          await setReceivedQuantity(trx, id, line.sku, got);
        }
        await events.append(trx, {
          type: 'transfer.received',
          aggregate: { type: 'transfer', id },
          actor,
          data: {
            transfer_id: id,
            to_location_id: transfer.to_location_id,
            reservation_ids: landed.map((r) => r.id),
            lines: transfer.lines.map((l) => ({
              sku: l.sku,
              quantity: l.quantity,
              received_quantity: received.get(l.sku)!,
              shortfall: l.quantity - received.get(l.sku)!,
            })),
          },
        });
      });
      return (await findTransfer(db, id))!;
    },

    /**
     * Sends reserved units to another location: a transfer whose lines are the reservations' units. They leave
     * the source's on hand and reserved together (a `transfer_out` movement), are incoming at the destination, and
     * each reservation travels (`in_transit`) until the transfer is received. Joins the caller's transaction when
     * given one (checkout places the order and sends its pickup units in one unit of work).
     * @example await transfers.transferReservations({ reservation_ids: ['res_…'], to_location_id: 'loc_mad01',
     *   eta: Date.now() + 48 * 3_600_000, reason: 'pickup ord_…' }, actor)
     */
    async transferReservations(
      input: TransferReservationsInput,
      actor: Actor,
      on: DbOrTrx = db,
    ): Promise<Transfer> {
      const id = newId('trf');
      await inTransaction(on, async (trx) => {
        const now = Date.now();
        const rows = await sendReservations(trx, input.reservation_ids, id, now);
        const from = new Set(rows.map((r) => r.location_id));
        if (rows.length !== input.reservation_ids.length || rows.length === 0 || from.size !== 1)
          throw new AppError(
            'conflict',
            'Only confirmed reservations held at one location can be sent with a transfer.',
            { errors: [{ field: 'body.reservation_ids', message: 'are not all confirmed at one location' }] },
          );
        const source = rows[0]!.location_id;
        if (source === input.to_location_id)
          throw invalid([{ field: 'body.to_location_id', message: 'must differ from the source' }]);
        const units = new Map<string, number>();
        for (const r of rows) units.set(r.sku, (units.get(r.sku) ?? 0) + Number(r.quantity));
        const lines = [...units.entries()].map(([sku, quantity]) => ({ sku, quantity }));
        await shipTransfer(trx, {
          id,
          from: source,
          to: input.to_location_id,
          eta: input.eta,
          reason: input.reason,
          lines,
          units: 'reserved',
          reservationIds: rows.map((r) => r.id),
          actor,
          now,
        });
      });
      return (await findTransfer(on, id))!;
    },

    async retrieveTransfer(id: string): Promise<Transfer> {
      const transfer = await findTransfer(db, id);
      if (!transfer) throw notFound('transfer', id);
      return transfer;
    },

    async listTransfers(
      filter: PageRequest & { location_id?: string | undefined; status?: TransferStatus | undefined },
    ): Promise<Page<Transfer>> {
      return listTransfers(db, filter);
    },
  };
}

export type TransfersService = ReturnType<typeof createTransfersService>;
