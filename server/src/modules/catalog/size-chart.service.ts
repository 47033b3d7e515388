/**
 * @module Size charts: measurements per size in one unit, with fit notes, as the default of a brand, a category
 * (and everything under it), a brand within a category, or attached to products one by one. Products carry their
 * chart — attached or inherited — in every read, on every channel.
 */
import type { Actor } from '../../platform/auth/principal';
import { encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import { inTransaction } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import type { LocalizedText } from './localized';
import { invalid } from './product.checks';
import { checkLocalized } from './product.rules';
import {
  findSizeChartRow,
  scopeKey,
  sizeChartFromRow,
  type SizeChart,
  type SizeChartColumn,
  type SizeChartRow,
  type SizeUnit,
} from './size-chart.repository';

export interface SizeChartInput {
  name: string;
  brand?: string | null | undefined;
  category_id?: string | null | undefined;
  unit: SizeUnit;
  columns: SizeChartColumn[];
  rows: SizeChartRow[];
  fit_notes?: LocalizedText | undefined;
}

export type SizeChartPatch = Partial<SizeChartInput>;

function checkMeasurements(columns: SizeChartColumn[], rows: SizeChartRow[], errors: FieldError[]): void {
  const keys = new Set<string>();
  columns.forEach((c, i) => {
    if (keys.has(c.key)) errors.push({ field: `body.columns.${i}.key`, message: 'is repeated' });
    keys.add(c.key);
    checkLocalized(c.label, `body.columns.${i}.label`, errors);
  });
  const sizes = new Set<string>();
  rows.forEach((row, i) => {
    if (sizes.has(row.size)) errors.push({ field: `body.rows.${i}.size`, message: 'is repeated' });
    sizes.add(row.size);
    for (const [key, value] of Object.entries(row.values)) {
      const field = `body.rows.${i}.values.${key}`;
      if (!keys.has(key)) errors.push({ field, message: 'is not one of the chart’s columns' });
      const [low, high] = Array.isArray(value) ? value : [value, value];
      if (!(low > 0 && high >= low))
        errors.push({ field, message: 'must be positive, and a range must not be reversed' });
    }
  });
}

export function createSizeChartsService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  async function check(input: SizeChartPatch, current?: SizeChart): Promise<void> {
    const errors: FieldError[] = [];
    if (input.columns || input.rows)
      checkMeasurements(input.columns ?? current?.columns ?? [], input.rows ?? current?.rows ?? [], errors);
    checkLocalized(input.fit_notes, 'body.fit_notes', errors);
    if (input.category_id) {
      const found = await db
        .selectFrom('catalog_categories')
        .select('id')
        .where('id', '=', input.category_id)
        .executeTakeFirst();
      if (!found)
        errors.push({ field: 'body.category_id', message: `${input.category_id} is not a known category` });
    }
    if (errors.length > 0) throw invalid(errors);
  }

  /** One default chart per brand/category: the unique scope index decides, here turned into a 409. */
  async function guardScope<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (
        isUniqueViolation(err, {
          constraint: 'catalog_size_charts_scope_uq',
          column: 'catalog_size_charts.scope',
        })
      )
        throw new AppError('conflict', 'That brand and category already have a default size chart.', {
          errors: [{ field: 'body.category_id', message: 'already has a default size chart for this brand' }],
        });
      throw err;
    }
  }

  async function retrieveSizeChart(id: string): Promise<SizeChart> {
    const row = await findSizeChartRow(db, id);
    if (!row) throw notFound('size chart', id);
    return sizeChartFromRow(row);
  }

  return {
    async listSizeCharts(
      filter: PageRequest & { brand?: string | undefined; category_id?: string | undefined },
    ): Promise<Page<SizeChart>> {
      let q = db.selectFrom('catalog_size_charts').selectAll();
      if (filter.brand) q = q.where('brand', '=', filter.brand);
      if (filter.category_id) q = q.where('category_id', '=', filter.category_id);
      return paginate(q, 'id', filter, sizeChartFromRow);
    },

    retrieveSizeChart,

    /**
     * Creates a size chart; with `brand` and/or `category_id` it becomes their default.
     * @example await sizeCharts.createSizeChart({ name: 'Alba shirts', brand: 'Alba', category_id: 'cat_…', unit: 'cm',
     *   columns: [{ key: 'chest' }], rows: [{ size: 'M', values: { chest: [96, 101] } }],
     *   fit_notes: { en: 'Slim fit: size up for a looser feel' } }, actor)
     */
    async createSizeChart(input: SizeChartInput, actor: Actor): Promise<SizeChart> {
      await check(input);
      const now = Date.now();
      const brand = input.brand?.trim() || null;
      const row = {
        id: newId('szc'),
        name: input.name,
        brand,
        category_id: input.category_id ?? null,
        scope: scopeKey(brand, input.category_id),
        unit: input.unit,
        measurements: encodeJson({ columns: input.columns, rows: input.rows }),
        fit_notes: encodeJson(input.fit_notes ?? {}),
        created_at: now,
        updated_at: now,
      };
      await guardScope(() =>
        inTransaction(db, async (trx) => {
          await trx.insertInto('catalog_size_charts').values(row).execute();
          await events.append(trx, {
            type: 'size_chart.created',
            aggregate: { type: 'size_chart', id: row.id },
            actor,
            data: { id: row.id, brand, category_id: row.category_id },
          });
        }),
      );
      return sizeChartFromRow(row);
    },

    async updateSizeChart(id: string, patch: SizeChartPatch, actor: Actor): Promise<SizeChart> {
      const current = await retrieveSizeChart(id);
      await check(patch, current);
      const brand = patch.brand !== undefined ? patch.brand?.trim() || null : current.brand;
      const categoryId = patch.category_id !== undefined ? patch.category_id : current.category_id;
      await guardScope(() =>
        inTransaction(db, async (trx) => {
          const updated = await trx
            .updateTable('catalog_size_charts')
            .set({
              ...(patch.name !== undefined ? { name: patch.name } : {}),
              ...(patch.unit !== undefined ? { unit: patch.unit } : {}),
              ...(patch.fit_notes !== undefined ? { fit_notes: encodeJson(patch.fit_notes) } : {}),
              ...(patch.columns !== undefined || patch.rows !== undefined
                ? {
                    measurements: encodeJson({
                      columns: patch.columns ?? current.columns,
                      rows: patch.rows ?? current.rows,
                    }),
                  }
                : {}),
              brand,
              category_id: categoryId,
              scope: scopeKey(brand, categoryId),
              updated_at: Date.now(),
            })
            .where('id', '=', id)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) === 0) throw notFound('size chart', id);
          await events.append(trx, {
            type: 'size_chart.updated',
            aggregate: { type: 'size_chart', id },
            actor,
            data: { id, fields: Object.keys(patch) },
          });
        }),
      );
      return retrieveSizeChart(id);
    },

    /** Deletes a chart no product has attached explicitly (those would silently change chart). */
    async deleteSizeChart(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        if (!(await findSizeChartRow(trx, id))) throw notFound('size chart', id);
        const attached = await trx
          .selectFrom('catalog_products')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('size_chart_id', '=', id)
          .executeTakeFirst();
        if (Number(attached?.n ?? 0) > 0)
          throw new AppError('conflict', `${attached!.n} products have this size chart attached.`, {
            errors: [{ field: 'id', message: `is attached to ${attached!.n} products` }],
          });
        await trx.deleteFrom('catalog_size_charts').where('id', '=', id).execute();
        await events.append(trx, {
          type: 'size_chart.deleted',
          aggregate: { type: 'size_chart', id },
          actor,
          data: { id },
        });
      });
    },
  };
}

export type SizeChartsService = ReturnType<typeof createSizeChartsService>;
