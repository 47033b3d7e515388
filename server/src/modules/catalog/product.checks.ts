/**
 * @module Checks of a product write against the database: the categories, collections and size chart it names
 * exist (400 naming each unknown one), and its SKUs, GTINs and handle are not taken (409 naming each). The
 * unique indexes remain what decides a race; these reads turn the usual case into a precise answer.
 */
import type { DbOrTrx } from '../../platform/db/transaction';
import { AppError, type FieldError } from '../../platform/errors';
import { gtin14Of } from './gtin';
import type { ProductInput, VariantInput } from './product.rules';

const CHUNK = 500;

async function existing(
  db: DbOrTrx,
  table: 'catalog_categories' | 'catalog_collections' | 'catalog_size_charts',
  ids: string[],
): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  const found = new Set<string>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db
      .selectFrom(table)
      .select('id')
      .where('id', 'in', unique.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

export interface References {
  category_ids?: string[] | undefined;
  collection_ids?: string[] | undefined;
  size_chart_id?: string | null | undefined;
}

/** Unknown categories, collections or size charts among `items` (each with where it sits in the request). */
export async function checkReferences(
  db: DbOrTrx,
  items: Array<{ field: string; refs: References }>,
): Promise<void> {
  const categories = await existing(
    db,
    'catalog_categories',
    items.flatMap((i) => i.refs.category_ids ?? []),
  );
  const collections = await existing(
    db,
    'catalog_collections',
    items.flatMap((i) => i.refs.collection_ids ?? []),
  );
  const charts = await existing(
    db,
    'catalog_size_charts',
    items.flatMap((i) => (i.refs.size_chart_id ? [i.refs.size_chart_id] : [])),
  );
  const errors: FieldError[] = [];
  for (const { field, refs } of items) {
    refs.category_ids?.forEach((id, n) => {
      if (!categories.has(id))
        errors.push({ field: `${field}.category_ids.${n}`, message: `${id} is not a known category` });
    });
    refs.collection_ids?.forEach((id, n) => {
      if (!collections.has(id))
        errors.push({ field: `${field}.collection_ids.${n}`, message: `${id} is not a known collection` });
    });
    if (refs.size_chart_id && !charts.has(refs.size_chart_id))
      errors.push({
        field: `${field}.size_chart_id`,
        message: `${refs.size_chart_id} is not a known size chart`,
      });
  }
  if (errors.length > 0) throw invalid(errors);
}

export function invalid(errors: FieldError[]): AppError {
  return new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), {
    errors,
  });
}

export function conflict(errors: FieldError[]): AppError {
  return new AppError('conflict', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
}

/** SKUs, GTINs and handles already used, by other variants or products than `except` (a variant being changed). */
export async function findTaken(
  db: DbOrTrx,
  variants: Array<{ field: string; variant: Pick<VariantInput, 'sku' | 'gtin'> }>,
  handles: Array<{ field: string; handle: string }>,
  except?: { variantId?: string; productId?: string },
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const skus = variants.map((v) => v.variant.sku);
  const gtins = variants.flatMap((v) => (v.variant.gtin ? [gtin14Of(v.variant.gtin) ?? ''] : []));
  const takenSku = new Map<string, string>();
  const takenGtin = new Map<string, string>();
  for (let i = 0; i < Math.max(skus.length, gtins.length); i += CHUNK) {
    const skuChunk = skus.slice(i, i + CHUNK);
    const gtinChunk = gtins.slice(i, i + CHUNK);
    let q = db.selectFrom('catalog_variants').select(['id', 'sku', 'gtin14', 'product_id']);
    q = q.where((eb) =>
      eb.or([
        ...(skuChunk.length ? [eb('sku', 'in', skuChunk)] : []),
        ...(gtinChunk.length ? [eb('gtin14', 'in', gtinChunk)] : []),
      ]),
    );
    for (const row of await q.execute()) {
      if (row.id === except?.variantId) continue;
      takenSku.set(row.sku, row.product_id);
      if (row.gtin14) takenGtin.set(row.gtin14, row.product_id);
    }
  }
  // Within the request too: the second use of a SKU or GTIN is the conflicting one.
  const seenSku = new Set<string>();
  const seenGtin = new Set<string>();
  for (const { field, variant } of variants) {
    if (takenSku.has(variant.sku) || seenSku.has(variant.sku))
      errors.push({ field: `${field}.sku`, message: `${variant.sku} is already used by another variant` });
    seenSku.add(variant.sku);
    const g14 = variant.gtin ? gtin14Of(variant.gtin) : null;
    if (g14) {
      if (takenGtin.has(g14) || seenGtin.has(g14))
        errors.push({
          field: `${field}.gtin`,
          message: `${variant.gtin} is already used by another variant`,
        });
      seenGtin.add(g14);
    }
  }
  if (handles.length > 0) {
    const rows = await db
      .selectFrom('catalog_products')
      .select(['id', 'handle'])
      .where(
        'handle',
        'in',
        handles.map((h) => h.handle),
      )
      .execute();
    const taken = new Set(rows.filter((r) => r.id !== except?.productId).map((r) => r.handle));
    const seen = new Set<string>();
    for (const { field, handle } of handles) {
      if (taken.has(handle) || seen.has(handle))
        errors.push({ field, message: `${handle} is already the handle of another product` });
      seen.add(handle);
    }
  }
  return errors;
}

/** The variants of new products with where each sits in the request. */
export const variantFields = (items: Array<{ field: string; input: ProductInput }>) =>
  items.flatMap(({ field, input }) =>
    (input.variants ?? []).map((variant, i) => ({ field: `${field}.variants.${i}`, variant })),
  );
