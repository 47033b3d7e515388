/**
 * @module Variant queries and the variant row mapper. `variantsBySku` and `variantsByIds` are the reads other
 * parts of the catalog (prices, promotions) and other modules use, through index.ts, to check that variants exist.
 */
import type { Insertable, Selectable } from 'kysely';
import { decodeJson, toIsoRequired } from '../../platform/db/codecs';
import { isUniqueViolation } from '../../platform/db/errors';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { LocalizedText, Media } from './localized';
import type { CatalogVariantRow } from './product.table';

export interface Variant {
  id: string;
  product_id: string;
  sku: string;
  gtin: string | null;
  /** Null: the variant is named by its options. */
  title: LocalizedText | null;
  options: Record<string, string>;
  media: Media[];
  position: number;
  created_at: string;
  updated_at: string;
}

export function variantFromRow(row: Selectable<CatalogVariantRow>): Variant {
  return {
    id: row.id,
    product_id: row.product_id,
    sku: row.sku,
    gtin: row.gtin,
    title: row.title == null ? null : decodeJson<LocalizedText>(row.title),
    options: decodeJson<Record<string, string>>(row.options),
    media: decodeJson<Media[]>(row.media),
    position: Number(row.position),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

/** The unique index on SKU refused a second variant with the same SKU. */
export const isDuplicateSku = (error: unknown): boolean =>
  isUniqueViolation(error, { constraint: 'catalog_variants_sku_uq', column: 'catalog_variants.sku' });

/** The unique index on the 14-digit GTIN refused a second variant with the same barcode. */
export const isDuplicateGtin = (error: unknown): boolean =>
  isUniqueViolation(error, { constraint: 'catalog_variants_gtin14_uq', column: 'catalog_variants.gtin14' });

// Large IN lists are split so no statement passes SQLite's bound-parameter limit.
const CHUNK = 500;

async function inChunks<T>(values: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await read(unique.slice(i, i + CHUNK))));
  return out;
}

/**
 * The variants with these SKUs (exact, case-sensitive match); unknown SKUs are simply absent from the result.
 * @example const found = await variantsBySku(db, ['TEE-NAVY-M', 'TEE-NAVY-L']) // → Variant[]
 */
export async function variantsBySku(db: DbOrTrx, skus: readonly string[]): Promise<Variant[]> {
  const rows = await inChunks(skus, (chunk) =>
    db.selectFrom('catalog_variants').selectAll().where('sku', 'in', chunk).execute(),
  );
  return rows.map(variantFromRow);
}

/**
 * The variants with these ids; unknown ids are absent from the result.
 * @example const found = await variantsByIds(db, ['var_01J…']) // → Variant[]
 */
export async function variantsByIds(db: DbOrTrx, ids: readonly string[]): Promise<Variant[]> {
  const rows = await inChunks(ids, (chunk) =>
    db.selectFrom('catalog_variants').selectAll().where('id', 'in', chunk).execute(),
  );
  return rows.map(variantFromRow);
}

export async function variantRowsOfProducts(
  db: DbOrTrx,
  productIds: readonly string[],
): Promise<Array<Selectable<CatalogVariantRow>>> {
  return inChunks(productIds, (chunk) =>
    db
      .selectFrom('catalog_variants')
      .selectAll()
      .where('product_id', 'in', chunk)
      .orderBy('product_id')
      .orderBy('position')
      .execute(),
  );
}

export async function findVariantRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CatalogVariantRow> | undefined> {
  return db.selectFrom('catalog_variants').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A variant by the code a scanner or a person typed: its SKU, or its GTIN in any of its lengths. */
export async function findVariantRowByCode(
  db: DbOrTrx,
  sku: string,
  gtin14: string | null,
): Promise<Selectable<CatalogVariantRow> | undefined> {
  const bySku = await db.selectFrom('catalog_variants').selectAll().where('sku', '=', sku).executeTakeFirst();
  if (bySku || !gtin14) return bySku;
  return db.selectFrom('catalog_variants').selectAll().where('gtin14', '=', gtin14).executeTakeFirst();
}

export async function insertVariants(db: DbOrTrx, rows: Array<Insertable<CatalogVariantRow>>): Promise<void> {
  // Multi-row inserts keep a bulk import fast; the chunk keeps each under the bound-parameter limit.
  for (let i = 0; i < rows.length; i += 50) {
    await db
      .insertInto('catalog_variants')
      .values(rows.slice(i, i + 50))
      .execute();
  }
}
