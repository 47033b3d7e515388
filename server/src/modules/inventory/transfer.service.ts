/**
 * @module Transfers between locations: units leave the source now (`transfer_out`: on hand falls there, incoming
 * rises at the destination, with an ETA that promise dates use) and arrive on receipt (`transfer_in`: on hand
 * rises by what actually arrived, incoming falls by what was sent; a shortfall is recorded on the line).
 * Units reserved at the source never leave with a transfer.
 */
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import type { Page, PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import { applyMovement, explainRefusal } from './ledger';
import { existingLocationIds } from './location.repository';
import { ensureLevels } from './stock.repository';
import {
  findTransfer,
  insertTransfer,
  listTransfers,
  markReceived,
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

export interface ReceiveTransferInput {
  /** What arrived per SKU; omitted: everything that was sent. */
  lines?: Array<{ sku: string; quantity: number }> | undefined;
}

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

export function createTransfersService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

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
      await inTransaction(db, async (trx) => {
        await insertTransfer(
          trx,
          {
            id,
            from_location_id: input.from_location_id,
            to_location_id: input.to_location_id,
            status: 'in_transit',
            eta: input.eta,
            reason: input.reason ?? null,
            actor_type: actor.type,
            actor_id: actor.id,
            shipped_at: now,
            received_at: null,
            created_at: now,
            updated_at: now,
          },
          input.lines.map((l) => ({
            transfer_id: id,
            sku: l.sku,
            quantity: l.quantity,
            received_quantity: null,
          })),
        );
        await ensureLevels(
          trx,
          input.lines.map((l) => ({ sku: l.sku, location_id: input.to_location_id })),
          now,
        );
        const ctx = {
          kind: 'transfer_out' as const,
          actor,
          reason: input.reason,
          reference: { type: 'transfer', id },
        };
        for (const [i, line] of input.lines.entries()) {
          const from = { sku: line.sku, location_id: input.from_location_id };
          const out = await applyMovement(trx, events, from, { on_hand: -line.quantity }, ctx, {
            keepReserved: true,
          });
          if (!out)
            throw await explainRefusal(trx, from, `body.lines.${i}`, line.quantity, { units: 'unreserved' });
          const to = { sku: line.sku, location_id: input.to_location_id };
          await applyMovement(trx, events, to, { incoming: line.quantity }, ctx, { keepReserved: false });
        }
        await events.append(trx, {
          type: 'transfer.shipped',
          aggregate: { type: 'transfer', id },
          actor,
          data: {
            transfer_id: id,
            from_location_id: input.from_location_id,
            to_location_id: input.to_location_id,
            eta: new Date(input.eta).toISOString(),
            lines: input.lines,
          },
        });
      });
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
        const ctx = { kind: 'transfer_in' as const, actor, reference: { type: 'transfer', id } };
        for (const line of transfer.lines) {
          const got = received.get(line.sku)!;
          const to = { sku: line.sku, location_id: transfer.to_location_id };
          const after = await applyMovement(
            trx,
            events,
            to,
            { on_hand: got, incoming: -line.quantity },
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
