/**
 * @module Returns in any channel: an online order brought back to a store, a store purchase sent back by mail. A
 * return is requested (policy checked, units claimed on the order line's counter so no unit comes back twice),
 * received at a location, inspected per line — restocked into that location's ledger or written off — and then
 * refunded (return.refund.ts) or exchanged (return.exchange.ts). Every step is a guarded status move with its
 * event on the customer's timeline, in one transaction.
 */
import type { Selectable } from 'kysely';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import { encodeBool } from '../../platform/db/codecs';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import { allocate } from '../catalog';
import type { Page } from '../../platform/http/pagination';
import type { CommerceDeps } from './commerce';
import { doneStatuses } from './fulfilment.repository';
import type { OrderDetail, OrdersService } from './order.service';
import { receivedAt, type ReturnPolicies } from './return.policy';
import {
  claimReturnedUnits,
  findReturnLineRows,
  findReturnRow,
  insertReturn,
  listReturnRows,
  moveReturn,
  returnFromRow,
  returnLineFromRow,
  type InspectionOutcome,
  type Return,
  type ReturnFilter,
  type ReturnLine,
  type ReturnMethod,
  type ReturnReason,
} from './return.repository';
import type { ReturnRow } from './return.table';

export interface CreateReturnInput {
  order_id: string;
  method: ReturnMethod;
  lines: Array<{ order_line_id: string; quantity: number; reason: ReturnReason; note?: string | undefined }>;
  note?: string | undefined;
  /** Staff only: take the return although the policy refuses it; the reason is kept and audited. */
  override?: { reason: string } | undefined;
}

export interface ReturnDetail extends Return {
  lines: ReturnLine[];
}

export type ReturnsDeps = Pick<CommerceDeps, 'db' | 'events' | 'stock' | 'locations'> & {
  orders: OrdersService;
  policies: ReturnPolicies;
};

const conflict = (message: string, field: string, extra: Record<string, unknown> = {}) =>
  new AppError('conflict', message, { ...extra, errors: [{ field, message }] });

/**
 * The share of an order line's total that `quantity` units carry, given `before` already returned. The line total
 * is split over its units once with the catalog's cent-splitter (largest remainder: the odd cents go to the first
 * units), and a return takes the units `before … before + quantity - 1`; so returning every unit in any number of
 * returns gives back exactly the line total, and the same units always give the same amount.
 * @example lineShare(1000, 3, 0, 1) // 334, then lineShare(1000, 3, 1, 2) // 666
 */
export function lineShare(total: number, bought: number, before: number, quantity: number): number {
  const units = allocate(
    total,
    Array.from({ length: bought }, () => 1),
  );
  return units.slice(before, before + quantity).reduce((a, b) => a + b, 0);
}

export function createReturnsCore(deps: ReturnsDeps) {
  const { db, events, orders, policies } = deps;

  async function retrieveReturn(id: string): Promise<ReturnDetail> {
    const row = await findReturnRow(db, id);
    if (!row) throw notFound('return', id);
    const lines = await findReturnLineRows(db, id);
    return { ...returnFromRow(row), lines: lines.map((l) => returnLineFromRow(l, row.currency)) };
  }

  /**
   * The store channel of a location, for events of steps taken there (null: a warehouse, or none). Read before a
   * transaction opens: on SQLite a read through `db` inside one would wait for the transaction's own connection.
   * @example await channelAt('loc_bcn') // 'cha_store_bcn'
   */
  async function channelAt(locationId: string | null | undefined): Promise<string | null> {
    if (!locationId) return null;
    return (await deps.locations.retrieveLocation(locationId).catch(() => null))?.channel_id ?? null;
  }

  /**
   * Appends a return event for the customer's timeline (ids and amounts only). A step taken at a store's counter
   * (received, inspected, refunded, exchanged there) passes that store's channel as `at` (from `channelAt`), as a
   * fulfilment step at a counter does, so the timeline says where it happened; otherwise the order's channel.
   */
  async function emit(
    trx: Trx,
    type: string,
    row: Selectable<ReturnRow>,
    actor: Actor,
    data: Record<string, unknown> = {},
    at: string | null = null,
  ) {
    await events.append(trx, {
      type,
      aggregate: { type: 'return', id: row.id },
      customerId: row.customer_id,
      channelId: at ?? row.channel_id,
      actor,
      data: { return_id: row.id, order_id: row.order_id, status: row.status, ...data },
    });
  }

  /** Field errors of the lines against the order, before anything is written. */
  function checkLines(order: OrderDetail, input: CreateReturnInput): FieldError[] {
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    input.lines.forEach((l, i) => {
      const line = order.lines.find((o) => o.id === l.order_line_id);
      if (!line)
        errors.push({ field: `body.lines.${i}.order_line_id`, message: 'is not a line of this order' });
      else if (seen.has(line.id))
        errors.push({ field: `body.lines.${i}.order_line_id`, message: 'is named twice' });
      else if (l.quantity > line.quantity)
        errors.push({
          field: `body.lines.${i}.quantity`,
          message: `must be at most ${line.quantity} (bought)`,
        });
      seen.add(l.order_line_id);
      if (l.reason === 'other' && !l.note?.trim())
        errors.push({ field: `body.lines.${i}.note`, message: 'is required when the reason is other' });
    });
    return errors;
  }

  return {
    retrieveReturn,
    emit,
    channelAt,
    listReturns: (filter: ReturnFilter): Promise<Page<Return>> => listReturnRows(db, filter),

    /**
     * Opens a return (an RMA for mail) of lines of an order that reached the customer. Outside policy → 422
     * naming each line and its rule, unless staff override with a reason. Two returns racing for the same unit:
     * one wins, the other gets 409.
     * @example await returns.createReturn({ order_id, method: 'in_store', lines: [{ order_line_id, quantity: 1, reason: 'wrong_size' }] }, actor)
     */
    async createReturn(
      input: CreateReturnInput,
      actor: Actor,
      options: { customerId?: string | undefined } = {},
    ): Promise<ReturnDetail> {
      const order = await orders.retrieveOrder(input.order_id).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'not_found')
          throw new AppError('validation_failed', 'There is no such order.', {
            errors: [{ field: 'body.order_id', message: 'is not a known order' }],
          });
        throw err;
      });
      // A customer returns only their own orders; another's answers as unknown, so ids cannot be probed.
      if (options.customerId !== undefined && order.customer_id !== options.customerId)
        throw new AppError('validation_failed', 'There is no such order.', {
          errors: [{ field: 'body.order_id', message: 'is not a known order' }],
        });
      const errors = checkLines(order, input);
      if (errors.length > 0) throw new AppError('validation_failed', 'The return is not valid.', { errors });

      const items = input.lines.map((l) => {
        const line = order.lines.find((o) => o.id === l.order_line_id)!;
        return { line, fulfilment: order.fulfilments.find((f) => f.id === line.fulfilment_id) };
      });
      const notYet = items.findIndex(
        ({ fulfilment }) =>
          !fulfilment || !doneStatuses.includes(fulfilment.status) || !receivedAt(fulfilment),
      );
      if (notYet >= 0)
        throw conflict(
          'This line has not reached the customer yet: cancel or edit the order instead.',
          `body.lines.${notYet}.order_line_id`,
        );
      const now = Date.now();
      const violations = await policies.evaluate(order.channel_id, items, now);
      if (violations.length > 0 && !input.override)
        throw new AppError('unprocessable', violations.map((v) => v.message).join('; '), {
          violations,
          errors: violations.map((v) => ({ field: `body.lines.${v.line}`, message: v.message })),
        });

      const id = newId('ret');
      const row = await inTransaction(db, async (trx) => {
        const lines = [];
        for (const [i, l] of input.lines.entries()) {
          const { line } = items[i]!;
          if (!(await claimReturnedUnits(trx, { ...line, order_id: order.id }, l.quantity)))
            throw conflict(
              'These units are already returned (or being returned).',
              `body.lines.${i}.quantity`,
            );
          const after = await trx
            .selectFrom('return_quantities')
            .select('returned')
            .where('order_line_id', '=', line.id)
            .executeTakeFirstOrThrow();
          const before = Number(after.returned) - l.quantity;
          lines.push({
            id: newId('retl'),
            return_id: id,
            order_line_id: line.id,
            sku: line.sku,
            quantity: l.quantity,
            reason: l.reason,
            note: l.note ?? null,
            outcome: null,
            amount: lineShare(line.total.amount, line.quantity, before, l.quantity),
            exchanged: encodeBool(false),
            inspected_at: null,
            created_at: now,
          });
        }
        const values = {
          id,
          order_id: order.id,
          channel_id: order.channel_id,
          customer_id: order.customer_id,
          method: input.method,
          status: 'requested',
          currency: order.currency,
          location_id: null,
          refund_total: lines.reduce((n, l) => n + l.amount, 0),
          refunded_amount: 0,
          refund_method: null,
          note: input.note ?? null,
          override_reason: violations.length > 0 ? input.override!.reason : null,
          override_actor_id: violations.length > 0 ? actor.id : null,
          exchange_order_id: null,
          actor_type: actor.type,
          actor_id: actor.id,
          requested_at: now,
          received_at: null,
          inspected_at: null,
          refunded_at: null,
          completed_at: null,
          created_at: now,
          updated_at: now,
        };
        await insertReturn(trx, values, lines);
        await emit(trx, 'return.requested', values, actor, {
          method: input.method,
          lines: lines.map((l) => ({
            order_line_id: l.order_line_id,
            sku: l.sku,
            quantity: l.quantity,
            reason: l.reason,
          })),
          refund_total: { amount: values.refund_total, currency: values.currency },
          // The audit of an override: which rules were set aside, by whom, why.
          override:
            violations.length > 0
              ? { reason: input.override!.reason, actor_id: actor.id, rules: violations.map((v) => v.rule) }
              : null,
        });
        return values;
      });
      return retrieveReturn(row.id);
    },

    /** The goods arrived at a location (a store counter or the warehouse that opens the parcels). */
    async receiveReturn(id: string, locationId: string, actor: Actor): Promise<ReturnDetail> {
      const location = await deps.locations.retrieveLocation(locationId).catch(() => {
        throw new AppError('validation_failed', 'There is no such location.', {
          errors: [{ field: 'body.location_id', message: 'is not a known location' }],
        });
      });
      await inTransaction(db, async (trx) => {
        const moved = await moveReturn(trx, id, ['requested'], 'received', {
          location_id: locationId,
          received_at: Date.now(),
        });
        if (!moved) {
          if (!(await findReturnRow(trx, id))) throw notFound('return', id);
          throw conflict('Only a requested return can be received.', 'params.id');
        }
        await emit(trx, 'return.received', moved, actor, { location_id: locationId }, location.channel_id);
      });
      return retrieveReturn(id);
    },

    /**
     * Inspects lines of a received return: `restock` puts the units back on that location's shelves
     * (return_restock); `write_off` records them coming back and leaving as damage, so the ledger tells both.
     * A line is inspected once (a second inspection of it answers 409). When every line is, the return is inspected.
     */
    async inspectReturn(
      id: string,
      input: { lines: Array<{ return_line_id: string; outcome: InspectionOutcome }> },
      actor: Actor,
    ): Promise<ReturnDetail> {
      const current = await retrieveReturn(id);
      if (current.status !== 'received')
        throw conflict('Only a received return can be inspected.', 'params.id');
      const errors = input.lines.flatMap((l, i) =>
        current.lines.some((r) => r.id === l.return_line_id)
          ? []
          : [{ field: `body.lines.${i}.return_line_id`, message: 'is not a line of this return' }],
      );
      if (errors.length > 0)
        throw new AppError('validation_failed', 'The inspection is not valid.', { errors });
      const ids = input.lines.map((l) => l.return_line_id);
      // First claim the lines (one winner per line), then move stock, then record; undo the claim if stock fails.
      await inTransaction(db, async (trx) => {
        for (const [i, l] of input.lines.entries()) {
          const done = await trx
            .updateTable('return_lines')
            .set({ outcome: l.outcome, inspected_at: Date.now() })
            .where('id', '=', l.return_line_id)
            .where('return_id', '=', id)
            .where('outcome', 'is', null)
            .executeTakeFirst();
          if (Number(done.numUpdatedRows) === 0)
            throw conflict('This line is already inspected.', `body.lines.${i}.return_line_id`);
        }
      });
      const location = current.location_id!;
      const reference = { type: 'return', id };
      const units = (outcome?: InspectionOutcome) =>
        input.lines
          .filter((l) => !outcome || l.outcome === outcome)
          .map((l) => {
            const line = current.lines.find((r) => r.id === l.return_line_id)!;
            return { sku: line.sku, quantity: line.quantity };
          });
      try {
        await deps.stock.recordMovements(
          {
            location_id: location,
            kind: 'return_restock',
            lines: units(),
            reason: `return ${id}`,
            reference,
          },
          actor,
        );
        const damaged = units('write_off');
        if (damaged.length > 0)
          await deps.stock.recordMovements(
            {
              location_id: location,
              kind: 'damage',
              lines: damaged,
              reason: `return ${id}: written off`,
              reference,
            },
            actor,
          );
      } catch (err) {
        await db
          .updateTable('return_lines')
          .set({ outcome: null, inspected_at: null })
          .where('id', 'in', ids)
          .execute();
        throw err;
      }
      const at = await channelAt(location);
      await inTransaction(db, async (trx) => {
        const left = await trx
          .selectFrom('return_lines')
          .select('id')
          .where('return_id', '=', id)
          .where('outcome', 'is', null)
          .execute();
        const row =
          left.length === 0
            ? await moveReturn(trx, id, ['received'], 'inspected', { inspected_at: Date.now() })
            : await findReturnRow(trx, id);
        await emit(
          trx,
          'return.inspected',
          row!,
          actor,
          {
            location_id: location,
            lines: input.lines.map((l) => ({ return_line_id: l.return_line_id, outcome: l.outcome })),
          },
          at,
        );
      });
      return retrieveReturn(id);
    },
  };
}

export type ReturnsCore = ReturnType<typeof createReturnsCore>;
