/**
 * @module Size chart queries, the row mapper, and the inheritance rule: a product's chart is the one attached to
 * it, else the default chart of its categories (nearest category first, brand-specific before generic), else
 * its brand's default chart.
 */
import type { Selectable } from 'kysely';
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { LocalizedText } from './localized';
import type { CatalogSizeChartRow } from './product.table';

export const sizeUnits = ['cm', 'in'] as const;
export type SizeUnit = (typeof sizeUnits)[number];

/** A measurement: one value (`42`) or a range (`[96, 101]`). */
export type Measurement = number | [number, number];

export interface SizeChartColumn {
  /** `chest`, `waist`, `foot_length`. */
  key: string;
  label?: LocalizedText | undefined;
}

export interface SizeChartRow {
  size: string;
  values: Record<string, Measurement>;
}

export interface SizeChart {
  id: string;
  name: string;
  /** Default chart of this brand (with `category_id`: of this brand within that category). */
  brand: string | null;
  /** Default chart of this category and the categories under it. */
  category_id: string | null;
  unit: SizeUnit;
  columns: SizeChartColumn[];
  rows: SizeChartRow[];
  fit_notes: LocalizedText;
  created_at: string;
  updated_at: string;
}

/** Where a product's chart came from: attached to it, or inherited from a category or the brand. */
export type SizeChartSource = 'product' | 'category' | 'brand';
export type ResolvedSizeChart = SizeChart & { source: SizeChartSource };

export function sizeChartFromRow(row: Selectable<CatalogSizeChartRow>): SizeChart {
  const m = decodeJson<{ columns: SizeChartColumn[]; rows: SizeChartRow[] }>(row.measurements);
  return {
    id: row.id,
    name: row.name,
    brand: row.brand,
    category_id: row.category_id,
    unit: row.unit as SizeUnit,
    columns: m.columns,
    rows: m.rows,
    fit_notes: decodeJson<LocalizedText>(row.fit_notes),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

/**
 * The unique scope key of a default chart; null for a chart that is only ever attached explicitly. Brand goes
 * last so whatever characters it holds cannot make two different scopes equal.
 */
export function scopeKey(
  brand: string | null | undefined,
  categoryId: string | null | undefined,
): string | null {
  if (!brand && !categoryId) return null;
  return `c=${categoryId ?? ''};b=${brand ?? ''}`;
}

/** What the inheritance rule needs to know about one product. */
export interface ChartSubject {
  product_id: string;
  size_chart_id: string | null;
  brand: string | null;
  /** The product's categories in its order, each as its path of ids from the root (`['cat_a', 'cat_b']`). */
  category_paths: string[][];
}

/** Candidate scopes in the order they win, with the source each one reports. */
function candidates(subject: ChartSubject): Array<{ scope: string; source: SizeChartSource }> {
  const out: Array<{ scope: string; source: SizeChartSource }> = [];
  for (const path of subject.category_paths) {
    for (const categoryId of [...path].reverse()) {
      if (subject.brand) out.push({ scope: scopeKey(subject.brand, categoryId)!, source: 'category' });
      out.push({ scope: scopeKey(null, categoryId)!, source: 'category' });
    }
  }
  if (subject.brand) out.push({ scope: scopeKey(subject.brand, null)!, source: 'brand' });
  return out;
}

/**
 * Each product's size chart, explicit or inherited, read in two queries whatever the number of products.
 * @example const charts = await resolveSizeCharts(db, [{ product_id, size_chart_id: null, brand: 'Alba', category_paths: [['cat_1']] }])
 */
export async function resolveSizeCharts(
  db: DbOrTrx,
  subjects: ChartSubject[],
): Promise<Map<string, ResolvedSizeChart>> {
  const explicitIds = [...new Set(subjects.flatMap((s) => (s.size_chart_id ? [s.size_chart_id] : [])))];
  const scopes = [
    ...new Set(subjects.flatMap((s) => (s.size_chart_id ? [] : candidates(s).map((c) => c.scope)))),
  ];
  const byId = new Map<string, SizeChart>();
  const byScope = new Map<string, SizeChart>();
  if (explicitIds.length > 0) {
    const rows = await db
      .selectFrom('catalog_size_charts')
      .selectAll()
      .where('id', 'in', explicitIds)
      .execute();
    for (const row of rows) byId.set(row.id, sizeChartFromRow(row));
  }
  if (scopes.length > 0) {
    const rows = await db
      .selectFrom('catalog_size_charts')
      .selectAll()
      .where('scope', 'in', scopes)
      .execute();
    for (const row of rows) byScope.set(row.scope!, sizeChartFromRow(row));
  }
  const out = new Map<string, ResolvedSizeChart>();
  for (const subject of subjects) {
    if (subject.size_chart_id) {
      const chart = byId.get(subject.size_chart_id);
      if (chart) out.set(subject.product_id, { ...chart, source: 'product' });
      continue;
    }
    for (const candidate of candidates(subject)) {
      const chart = byScope.get(candidate.scope);
      if (chart) {
        out.set(subject.product_id, { ...chart, source: candidate.source });
        break;
      }
    }
  }
  return out;
}

export async function findSizeChartRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CatalogSizeChartRow> | undefined> {
  return db.selectFrom('catalog_size_charts').selectAll().where('id', '=', id).executeTakeFirst();
}
