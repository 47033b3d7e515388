/**
 * @module Tax rates: one rate per country, optionally per region and per product category, in basis points.
 * The rate of a cart line is the most specific one that matches its tax address and its product's categories
 * (a category rate also covers the categories under it): category beats region beats the country's general
 * rate. See `rateFor` and docs/api.md "Cart pricing".
 */
import type { Selectable } from 'kysely';
import type { Actor } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { toIsoRequired } from '../../platform/db/codecs';
import { isUniqueViolation } from '../../platform/db/errors';
import { inTransaction } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import type { CatalogService } from '../catalog';
import { invalid } from './cart.checks';
import type { TaxRateRow } from './tax.table';

export interface TaxRate {
  id: string;
  name: string;
  country: string;
  region: string | null;
  category_id: string | null;
  rate_bp: number;
  created_at: string;
  updated_at: string;
}

export interface TaxRateInput {
  name: string;
  country: string;
  region?: string | null | undefined;
  category_id?: string | null | undefined;
  rate_bp: number;
}

const fromRow = (r: Selectable<TaxRateRow>): TaxRate => ({
  id: r.id,
  name: r.name,
  country: r.country,
  region: r.region,
  category_id: r.category_id,
  rate_bp: Number(r.rate_bp),
  created_at: toIsoRequired(Number(r.created_at)),
  updated_at: toIsoRequired(Number(r.updated_at)),
});

const scopeOf = (i: Pick<TaxRateInput, 'country' | 'region' | 'category_id'>) =>
  `${i.country}|${i.region ?? ''}|${i.category_id ?? ''}`;

/**
 * The rate for a line: among `rates` (one country's), those whose region is the address's or none and whose
 * category is one of `categoryIds` (the product's categories and their ancestors) or none; the most specific wins.
 */
export function pickRate(
  rates: TaxRate[],
  region: string | null,
  categoryIds: ReadonlySet<string>,
): TaxRate | null {
  let best: TaxRate | null = null;
  let bestScore = -1;
  for (const r of rates) {
    if (r.region !== null && r.region !== region) continue;
    if (r.category_id !== null && !categoryIds.has(r.category_id)) continue;
    const score = (r.category_id !== null ? 2 : 0) + (r.region !== null ? 1 : 0);
    // Ties (two category rates for a product in two categories): the lower rate, so a shopper is never overcharged.
    if (score > bestScore || (score === bestScore && best && r.rate_bp < best.rate_bp)) {
      best = r;
      bestScore = score;
    }
  }
  return best;
}

export function createTaxService(deps: {
  db: Db;
  events: EventBus;
  catalog: Pick<CatalogService, 'categories'>;
}) {
  const { db, events } = deps;

  async function check(input: Partial<TaxRateInput>, errors: FieldError[]) {
    if (input.category_id) {
      try {
        await deps.catalog.categories.retrieveCategory(input.category_id);
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'not_found')) throw err;
        errors.push({ field: 'body.category_id', message: 'is not a known category' });
      }
    }
  }

  async function write(
    type: string,
    row: Selectable<TaxRateRow>,
    actor: Actor,
    fn: (trx: Parameters<Parameters<typeof inTransaction>[1]>[0]) => Promise<unknown>,
  ) {
    try {
      await inTransaction(db, async (trx) => {
        await fn(trx);
        await events.append(trx, {
          type,
          aggregate: { type: 'tax_rate', id: row.id },
          actor,
          data: {
            id: row.id,
            country: row.country,
            region: row.region,
            category_id: row.category_id,
            rate_bp: Number(row.rate_bp),
          },
        });
      });
    } catch (err) {
      if (
        isUniqueViolation(err, {
          constraint: 'commerce_tax_rates_scope_uq',
          column: 'commerce_tax_rates.scope',
        })
      )
        throw new AppError('conflict', 'A rate for this country, region and category exists already.', {
          errors: [
            {
              field: 'body.country',
              message: 'already has a rate for this region and category (change it instead)',
            },
          ],
        });
      throw err;
    }
  }

  const find = (id: string) =>
    db.selectFrom('commerce_tax_rates').selectAll().where('id', '=', id).executeTakeFirst();

  return {
    async listTaxRates(filter: PageRequest & { country?: string | undefined }): Promise<Page<TaxRate>> {
      let q = db.selectFrom('commerce_tax_rates').selectAll();
      if (filter.country) q = q.where('country', '=', filter.country);
      return paginate(q, 'id', filter, fromRow);
    },

    async retrieveTaxRate(id: string): Promise<TaxRate> {
      const row = await find(id);
      if (!row) throw notFound('tax rate', id);
      return fromRow(row);
    },

    /**
     * @example await tax.createTaxRate({ name: 'IVA general', country: 'ES', rate_bp: 2100 }, actor)
     */
    async createTaxRate(input: TaxRateInput, actor: Actor): Promise<TaxRate> {
      const errors: FieldError[] = [];
      await check(input, errors);
      if (errors.length) throw invalid(errors);
      const now = Date.now();
      const row = {
        id: newId('txr'),
        name: input.name,
        country: input.country,
        region: input.region ?? null,
        category_id: input.category_id ?? null,
        rate_bp: input.rate_bp,
        scope: scopeOf(input),
        created_at: now,
        updated_at: now,
      };
      await write('tax_rate.created', row, actor, (trx) =>
        trx.insertInto('commerce_tax_rates').values(row).execute(),
      );
      return fromRow(row);
    },

    /** Changes a rate's name or percentage (its country, region and category are its identity). */
    async updateTaxRate(
      id: string,
      patch: { name?: string | undefined; rate_bp?: number | undefined },
      actor: Actor,
    ): Promise<TaxRate> {
      const row = await find(id);
      if (!row) throw notFound('tax rate', id);
      const next = {
        ...row,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.rate_bp !== undefined ? { rate_bp: patch.rate_bp } : {}),
        updated_at: Date.now(),
      };
      await write('tax_rate.updated', next, actor, (trx) =>
        trx
          .updateTable('commerce_tax_rates')
          .set({ name: next.name, rate_bp: next.rate_bp, updated_at: next.updated_at })
          .where('id', '=', id)
          .execute(),
      );
      return fromRow(next);
    },

    async deleteTaxRate(id: string, actor: Actor): Promise<void> {
      const row = await find(id);
      if (!row) throw notFound('tax rate', id);
      await write('tax_rate.deleted', row, actor, (trx) =>
        trx.deleteFrom('commerce_tax_rates').where('id', '=', id).execute(),
      );
    },

    /** Every rate of a country (pricing picks per line with pickRate). */
    async ratesOf(country: string): Promise<TaxRate[]> {
      return (
        await db
          .selectFrom('commerce_tax_rates')
          .selectAll()
          .where('country', '=', country)
          .orderBy('id')
          .execute()
      ).map(fromRow);
    },
  };
}

export type TaxService = ReturnType<typeof createTaxService>;
