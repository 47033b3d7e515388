/**
 * @module Stock levels and the ledger: receipts (also the bulk path a seeder or import uses), manual movements
 * (adjustments, damage, POS sales, return restocks), cycle counts with their variance, safety stock and
 * low-stock thresholds. Every change is a movement in the same transaction as the level it changes; a request
 * with one bad line changes nothing.
 */
import { AppError, type FieldError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import type { Page, PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import { applyMovement, explainRefusal, movementRow, noteLowStock, type MovementContext } from './ledger';
import { existingLocationIds } from './location.repository';
import {
  addOnHand,
  ensureLevels,
  findLevelRow,
  freeUnits,
  insertMovements,
  listLevelRows,
  listMovementRows,
  setOnHandIf,
  stockLevelFromRow,
  updateLevelSettings,
  type MovementKind,
  type StockLevel,
  type StockMovement,
} from './stock.repository';

/** Kinds a person records by hand; receipts, reservations, sales and transfers have their own paths. */
export const manualMovementKinds = ['adjustment', 'damage', 'pos_sale', 'return_restock'] as const;
export type ManualMovementKind = (typeof manualMovementKinds)[number];

export interface Reference {
  type: string;
  id: string;
}

export interface ReceiveStockInput {
  lines: Array<{ sku: string; location_id: string; quantity: number }>;
  reason?: string | undefined;
  reference?: Reference | undefined;
}

export interface RecordMovementsInput {
  location_id: string;
  kind: ManualMovementKind;
  /** Positive units; an adjustment is signed (−3 removes three). */
  lines: Array<{ sku: string; quantity: number }>;
  reason?: string | undefined;
  channel_id?: string | undefined;
  reference?: Reference | undefined;
}

export interface CountStockInput {
  location_id: string;
  lines: Array<{ sku: string; counted: number }>;
  reason?: string | undefined;
}

export interface CountResult {
  count_id: string;
  location_id: string;
  lines: Array<{ sku: string; expected: number; counted: number; variance: number }>;
}

export interface LevelSettingsInput {
  levels: Array<{
    sku: string;
    location_id: string;
    safety_stock?: number | undefined;
    low_stock_threshold?: number | null | undefined;
  }>;
}

/** Events carry at most this many lines; a bulk receipt's event says how many there were in all. */
const EVENT_LINES = 100;

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

/** The sign a manual movement applies to on hand. */
function onHandDelta(kind: ManualMovementKind, quantity: number): number {
  switch (kind) {
    case 'adjustment':
      return quantity;
    case 'return_restock':
      return Math.abs(quantity);
    case 'damage':
    case 'pos_sale':
      return -Math.abs(quantity);
  }
}

export function createStockService(deps: {
  db: Db;
  events: EventBus;
  channelExists: (id: string) => Promise<boolean>;
}) {
  const { db, events } = deps;

  async function checkLocations(ids: Array<[string, string]>): Promise<void> {
    const known = await existingLocationIds(
      db,
      ids.map(([, id]) => id),
    );
    const errors = ids
      .filter(([, id]) => !known.has(id))
      .map(([field]) => ({ field, message: 'is not a known location' }));
    if (errors.length > 0) throw invalid(errors);
  }

  async function appendStockEvent(
    trx: Trx,
    type: string,
    locationId: string,
    actor: Actor,
    data: Record<string, unknown> & { lines: unknown[] },
    channelId?: string | undefined,
  ): Promise<void> {
    await events.append(trx, {
      type,
      aggregate: { type: 'location', id: locationId },
      actor,
      channelId: channelId ?? null,
      data: {
        ...data,
        location_id: locationId,
        lines: data.lines.slice(0, EVENT_LINES),
        line_count: data.lines.length,
      },
    });
  }

  return {
    /**
     * Receives units into stock, creating levels as needed — any number of lines, at any locations, in one
     * transaction; written with multi-row statements, so stocking 2,000 SKUs × 4 locations takes one call.
     * @example await stock.receiveStock({ lines: [{ sku: 'TEE-M', location_id: 'loc_…', quantity: 24 }] }, actor)
     */
    async receiveStock(input: ReceiveStockInput, actor: Actor): Promise<StockLevel[]> {
      await checkLocations(input.lines.map((l, i) => [`body.lines.${i}.location_id`, l.location_id]));
      // One upsert may touch a row once: lines naming the same level are added together first.
      const merged = new Map<string, { sku: string; location_id: string; quantity: number }>();
      for (const line of input.lines) {
        const k = `${line.location_id}\u0000${line.sku}`;
        const seen = merged.get(k);
        if (seen) seen.quantity += line.quantity;
        else merged.set(k, { ...line });
      }
      const lines = [...merged.values()];
      return inTransaction(db, async (trx) => {
        const now = Date.now();
        const after = await addOnHand(trx, lines, now);
        const byKey = new Map(after.map((r) => [`${r.location_id}\u0000${r.sku}`, r]));
        const ctx: MovementContext = {
          kind: 'receipt',
          actor,
          reason: input.reason,
          reference: input.reference,
        };
        await insertMovements(
          trx,
          lines.map((l) =>
            movementRow(byKey.get(`${l.location_id}\u0000${l.sku}`)!, { on_hand: l.quantity }, ctx, now),
          ),
        );
        const perLocation = new Map<string, Array<{ sku: string; quantity: number; on_hand: number }>>();
        for (const l of lines) {
          const list = perLocation.get(l.location_id) ?? [];
          list.push({
            sku: l.sku,
            quantity: l.quantity,
            on_hand: Number(byKey.get(`${l.location_id}\u0000${l.sku}`)!.on_hand),
          });
          perLocation.set(l.location_id, list);
        }
        for (const [locationId, list] of perLocation) {
          await appendStockEvent(trx, 'stock.received', locationId, actor, {
            lines: list,
            units: list.reduce((n, l) => n + l.quantity, 0),
            reason: input.reason ?? null,
            reference: input.reference ?? null,
          });
        }
        return lines.map((l) => stockLevelFromRow(byKey.get(`${l.location_id}\u0000${l.sku}`)!));
      });
    },

    /**
     * Records adjustments, damage, POS sales or return restocks at one location. Units that leave never come out
     * of reserved stock: a walk-in sale cannot take the unit kept for a click-and-collect order.
     * @example await stock.recordMovements({ location_id: 'loc_…', kind: 'damage', lines: [{ sku: 'TEE-M', quantity: 1 }], reason: 'torn' }, actor)
     */
    async recordMovements(input: RecordMovementsInput, actor: Actor): Promise<StockLevel[]> {
      const errors: FieldError[] = [];
      input.lines.forEach((l, i) => {
        if (input.kind === 'adjustment' ? l.quantity === 0 : l.quantity <= 0)
          errors.push({
            field: `body.lines.${i}.quantity`,
            message: input.kind === 'adjustment' ? 'must not be 0' : 'must be at least 1',
          });
      });
      if (input.kind === 'adjustment' && !input.reason?.trim())
        errors.push({ field: 'body.reason', message: 'is required for an adjustment' });
      if (input.channel_id && !(await deps.channelExists(input.channel_id)))
        errors.push({ field: 'body.channel_id', message: 'is not a known channel' });
      if (errors.length > 0) throw invalid(errors);
      await checkLocations([['body.location_id', input.location_id]]);
      return inTransaction(db, async (trx) => {
        const deltas = input.lines.map((l) => onHandDelta(input.kind, l.quantity));
        // Units that arrive may start a level; units that leave need one.
        await ensureLevels(
          trx,
          input.lines
            .filter((_, i) => deltas[i]! > 0)
            .map((l) => ({ sku: l.sku, location_id: input.location_id })),
          Date.now(),
        );
        const out: StockLevel[] = [];
        const ctx: MovementContext = {
          kind: input.kind as MovementKind,
          actor,
          reason: input.reason,
          channelId: input.channel_id,
          reference: input.reference,
        };
        for (const [i, line] of input.lines.entries()) {
          const key = { sku: line.sku, location_id: input.location_id };
          const after = await applyMovement(trx, events, key, { on_hand: deltas[i]! }, ctx, {
            keepReserved: true,
          });
          if (!after)
            throw await explainRefusal(trx, key, `body.lines.${i}`, Math.abs(deltas[i]!), {
              units: 'unreserved',
            });
          out.push(stockLevelFromRow(after));
        }
        await appendStockEvent(
          trx,
          'stock.adjusted',
          input.location_id,
          actor,
          {
            kind: input.kind,
            lines: input.lines.map((l, i) => ({
              sku: l.sku,
              on_hand_delta: deltas[i],
              on_hand: out[i]!.on_hand,
            })),
            reason: input.reason ?? null,
            reference: input.reference ?? null,
          },
          input.channel_id,
        );
        return out;
      });
    },

    /**
     * Records a cycle count: on hand becomes what was counted and the variance goes to the ledger (a count that
     * matches is recorded too, as evidence it was done). A sale between reading and writing a level makes that
     * line read again rather than overwrite the sale.
     * @example await stock.countStock({ location_id: 'loc_…', lines: [{ sku: 'TEE-M', counted: 7 }] }, actor)
     */
    async countStock(input: CountStockInput, actor: Actor): Promise<CountResult> {
      await checkLocations([['body.location_id', input.location_id]]);
      const countId = newId('cnt');
      return inTransaction(db, async (trx) => {
        await ensureLevels(
          trx,
          input.lines.map((l) => ({ sku: l.sku, location_id: input.location_id })),
          Date.now(),
        );
        const lines: CountResult['lines'] = [];
        const ctx: MovementContext = {
          kind: 'cycle_count',
          actor,
          reason: input.reason,
          reference: { type: 'count', id: countId },
        };
        for (const line of input.lines) {
          const key = { sku: line.sku, location_id: input.location_id };
          for (let attempt = 0; ; attempt++) {
            const seen = (await findLevelRow(trx, key))!;
            const expected = Number(seen.on_hand);
            const after = await setOnHandIf(trx, key, expected, line.counted);
            if (!after) {
              if (attempt < 10) continue;
              throw new AppError('conflict', `Stock of ${line.sku} keeps changing; count it again.`);
            }
            const variance = line.counted - expected;
            await insertMovements(trx, [movementRow(after, { on_hand: variance }, ctx, Date.now())]);
            await noteLowStock(trx, events, actor, after, freeUnits(seen));
            lines.push({ sku: line.sku, expected, counted: line.counted, variance });
            break;
          }
        }
        await appendStockEvent(trx, 'stock.counted', input.location_id, actor, {
          count_id: countId,
          lines,
          reason: input.reason ?? null,
        });
        return { count_id: countId, location_id: input.location_id, lines };
      });
    },

    /**
     * Sets safety stock and low-stock thresholds; a level that does not exist yet is created empty.
     * @example await stock.updateLevels({ levels: [{ sku: 'TEE-M', location_id: 'loc_…', safety_stock: 2, low_stock_threshold: 5 }] }, actor)
     */
    async updateLevels(input: LevelSettingsInput, actor: Actor): Promise<StockLevel[]> {
      await checkLocations(input.levels.map((l, i) => [`body.levels.${i}.location_id`, l.location_id]));
      return inTransaction(db, async (trx) => {
        await ensureLevels(
          trx,
          input.levels.map((l) => ({ sku: l.sku, location_id: l.location_id })),
          Date.now(),
        );
        const out: StockLevel[] = [];
        for (const level of input.levels) {
          const key = { sku: level.sku, location_id: level.location_id };
          const before = (await findLevelRow(trx, key))!;
          const after = (await updateLevelSettings(trx, key, {
            ...(level.safety_stock !== undefined ? { safety_stock: level.safety_stock } : {}),
            ...(level.low_stock_threshold !== undefined
              ? { low_stock_threshold: level.low_stock_threshold }
              : {}),
          }))!;
          await noteLowStock(trx, events, actor, after, freeUnits(before));
          await events.append(trx, {
            type: 'stock.level_updated',
            aggregate: { type: 'stock_level', id: `${key.location_id}:${key.sku}` },
            actor,
            data: {
              sku: key.sku,
              location_id: key.location_id,
              safety_stock: Number(after.safety_stock),
              low_stock_threshold: after.low_stock_threshold,
            },
          });
          out.push(stockLevelFromRow(after));
        }
        return out;
      });
    },

    async listLevels(
      filter: PageRequest & {
        sku?: string | undefined;
        sku_prefix?: string | undefined;
        location_id?: string | undefined;
        low?: boolean | undefined;
      },
    ): Promise<Page<StockLevel>> {
      return listLevelRows(db, filter);
    },

    async listMovements(
      filter: PageRequest & {
        sku?: string | undefined;
        location_id?: string | undefined;
        kind?: MovementKind | undefined;
        reference_id?: string | undefined;
      },
    ): Promise<Page<StockMovement>> {
      return listMovementRows(db, filter);
    },
  };
}

export type StockService = ReturnType<typeof createStockService>;
