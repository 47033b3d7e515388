/**
 * @module Prices: base prices per variant and currency, and prices inside lists. Every write checks the whole
 * input first and reports every bad field; the writes and their events then share one transaction, so nothing
 * is half-written. Lists are price-list.service.ts; the price a customer sees is price.compute.ts.
 */
import type { Selectable } from 'kysely';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import { encodeBool } from '../../platform/db/codecs';
import { inTransaction, inTransactionWithRetry, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Page } from '../../platform/http/pagination';
import type { Actor } from '../../platform/auth/principal';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import { createPriceComputation, type PriceComputeDeps } from './price.compute';
import {
  deletePriceRow,
  findPriceByKey,
  findPriceRow,
  insertPrices,
  isDuplicatePrice,
  listPriceRows,
  priceFromRow,
  updatePriceRow,
  type Price,
} from './price.repository';
import type { CatalogPriceRow } from './price.table';
import { createPriceChecks, invalid, type PriceInput, type PricesDeps } from './price.checks';
import { createPriceListCrud } from './price-list.service';

export type { PriceInput, PriceListInput, PriceListPatch, PricesDeps } from './price.checks';

export function createPriceCrud(deps: PricesDeps) {
  const { db, events } = deps;
  const { checkPrices } = createPriceChecks(deps);

  async function appendPriceEvent(
    trx: Trx,
    type: string,
    row: Pick<CatalogPriceRow, 'id' | 'variant_id' | 'currency' | 'amount' | 'price_list_id'>,
    actor: Actor,
  ) {
    await events.append(trx, {
      type,
      aggregate: { type: 'price', id: row.id },
      actor,
      data: {
        id: row.id,
        variant_id: row.variant_id,
        currency: row.currency,
        amount: Number(row.amount),
        price_list_id: row.price_list_id,
      },
    });
  }

  /** A duplicate refused by a unique index (a concurrent writer got there first) becomes a 409 naming the field. */
  async function guardDuplicate<T>(field: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isDuplicatePrice(err))
        throw new AppError('conflict', 'This variant already has a price in this currency here.', {
          errors: [{ field, message: 'already has a price in this currency (change that price instead)' }],
        });
      throw err;
    }
  }

  return {
    async listPrices(filter: Parameters<typeof listPriceRows>[1]): Promise<Page<Price>> {
      return listPriceRows(db, filter);
    },

    async retrievePrice(id: string): Promise<Price> {
      const row = await findPriceRow(db, id);
      if (!row) throw notFound('price', id);
      return priceFromRow(row);
    },

    /**
     * Creates one price: a base price, or a price in a list. A second price for the same variant, currency and
     * list is a 409.
     * @example await prices.createPrice({ variant_id: 'var_…', currency: 'EUR', amount: 2999 }, actor)
     */
    async createPrice(input: PriceInput, actor: Actor): Promise<Price> {
      const errors: FieldError[] = [];
      const [flag] = await checkPrices([input], (_i, f) => `body.${f}`, errors);
      if (errors.length) throw invalid(errors);
      const now = Date.now();
      const row = {
        id: newId('pri'),
        variant_id: input.variant_id,
        currency: input.currency,
        amount: input.amount,
        tax_inclusive: encodeBool(flag!),
        price_list_id: input.price_list_id ?? null,
        created_at: now,
        updated_at: now,
      };
      await guardDuplicate('body.variant_id', () =>
        inTransaction(db, async (trx) => {
          await insertPrices(trx, [row]);
          await appendPriceEvent(trx, 'price.created', row, actor);
        }),
      );
      return priceFromRow(row);
    },

    /**
     * Sets many prices at once, all or nothing: each input creates the price for its variant, currency and
     * list, or changes the one already there. For imports and the demo seeder.
     * @example await prices.upsertPrices([{ variant_id: 'var_…', currency: 'EUR', amount: 2999 }, …], actor)
     */
    async upsertPrices(inputs: PriceInput[], actor: Actor): Promise<Price[]> {
      const errors: FieldError[] = [];
      const existing = await Promise.all(
        inputs.map((p) =>
          findPriceByKey(db, {
            variant_id: p.variant_id,
            currency: p.currency,
            price_list_id: p.price_list_id ?? null,
          }),
        ),
      );
      const flags = await checkPrices(inputs, (i, f) => `body.prices.${i}.${f}`, errors, {
        replacing: existing.filter((r): r is Selectable<CatalogPriceRow> => !!r).map((r) => r.id),
      });
      if (errors.length) throw invalid(errors);
      const now = Date.now();
      // A concurrent upsert inserting the same price first makes this one retry, and then change that price.
      return inTransactionWithRetry(db, async (trx) => {
        const out: Price[] = [];
        for (const [i, p] of inputs.entries()) {
          const key = {
            variant_id: p.variant_id,
            currency: p.currency,
            price_list_id: p.price_list_id ?? null,
          };
          const found = await findPriceByKey(trx, key);
          const tax = encodeBool(flags[i]!);
          if (found) {
            await updatePriceRow(trx, found.id, { amount: p.amount, tax_inclusive: tax, updated_at: now });
            await appendPriceEvent(trx, 'price.updated', { ...found, amount: p.amount }, actor);
            out.push(priceFromRow({ ...found, amount: p.amount, tax_inclusive: tax, updated_at: now }));
          } else {
            const row = {
              id: newId('pri'),
              ...key,
              amount: p.amount,
              tax_inclusive: tax,
              created_at: now,
              updated_at: now,
            };
            await insertPrices(trx, [row]);
            await appendPriceEvent(trx, 'price.created', row, actor);
            out.push(priceFromRow(row));
          }
        }
        return out;
      });
    },

    /** Changes a price's amount or tax flag (its variant, currency and list are its identity). */
    async updatePrice(
      id: string,
      patch: { amount?: number | undefined; tax_inclusive?: boolean | undefined },
      actor: Actor,
    ): Promise<Price> {
      const current = await findPriceRow(db, id);
      if (!current) throw notFound('price', id);
      if (patch.tax_inclusive !== undefined) {
        const errors: FieldError[] = [];
        await checkPrices(
          [
            {
              variant_id: current.variant_id,
              currency: current.currency,
              amount: Number(current.amount),
              tax_inclusive: patch.tax_inclusive,
              price_list_id: current.price_list_id,
            },
          ],
          (_i, f) => `body.${f}`,
          errors,
          { replacing: [id] },
        );
        if (errors.length) throw invalid(errors);
      }
      return inTransaction(db, async (trx) => {
        const changed = await updatePriceRow(trx, id, {
          ...(patch.amount !== undefined ? { amount: patch.amount } : {}),
          ...(patch.tax_inclusive !== undefined ? { tax_inclusive: encodeBool(patch.tax_inclusive) } : {}),
          updated_at: Date.now(),
        });
        if (!changed) throw notFound('price', id);
        const row = (await findPriceRow(trx, id))!;
        await appendPriceEvent(trx, 'price.updated', row, actor);
        return priceFromRow(row);
      });
    },

    async deletePrice(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await findPriceRow(trx, id);
        if (!row || !(await deletePriceRow(trx, id))) throw notFound('price', id);
        await appendPriceEvent(trx, 'price.deleted', row, actor);
      });
    },
  };
}

/**
 * The prices service: price lists and prices (CRUD) and the computation every channel uses (`priceFor`).
 * @example const prices = createPricesService({ db, events, channelExists, segmentExists, customerSegments, allChannels })
 */
export function createPricesService(deps: PricesDeps & PriceComputeDeps) {
  return { ...createPriceListCrud(deps), ...createPriceCrud(deps), ...createPriceComputation(deps) };
}
export type PricesService = ReturnType<typeof createPricesService>;

export const priceEventTypes: EventTypeDefinition[] = [
  {
    type: 'price_list.created',
    description: 'A price list was created (with its prices)',
    permission: 'catalog:read',
  },
  {
    type: 'price_list.updated',
    description: 'A price list changed (name, status, channels, segments, window, priority)',
    permission: 'catalog:read',
  },
  {
    type: 'price_list.deleted',
    description: 'A price list and its prices were deleted',
    permission: 'catalog:read',
  },
  {
    type: 'price.created',
    description: 'A base or list price was set for a variant',
    permission: 'catalog:read',
  },
  { type: 'price.updated', description: 'A price’s amount or tax flag changed', permission: 'catalog:read' },
  { type: 'price.deleted', description: 'A price was deleted', permission: 'catalog:read' },
];

/** Prices and lists describe goods and audiences, not people. */
export const priceNoCustomerData = {
  catalog_price_lists: 'price lists: channels, segment ids and windows, no person',
  catalog_prices: 'prices of variants',
};
