/**
 * @module Product writes: rows for products and their child tables (variants, categories, collections, tags,
 * attributes), batched into multi-row inserts so a bulk import of thousands of SKUs is a handful of statements.
 * Every function takes a transaction; the service decides what to write.
 */
import type { Insertable } from 'kysely';
import { encodeJson } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Attribute } from './product.repository';
import { attributeText } from './product.repository';
import { normalizeTag, type ProductInput, type VariantInput } from './product.rules';
import type {
  CatalogProductAttributeRow,
  CatalogProductCategoryRow,
  CatalogProductRow,
  CatalogProductTagRow,
  CatalogVariantRow,
  CatalogCollectionProductRow,
} from './product.table';
import { gtin14Of } from './gtin';

/** Rows for one product, ready to insert. */
export interface ProductRows {
  product: Insertable<CatalogProductRow>;
  variants: Array<Insertable<CatalogVariantRow>>;
  categories: Array<Insertable<CatalogProductCategoryRow>>;
  collections: Array<Insertable<CatalogCollectionProductRow>>;
  tags: Array<Insertable<CatalogProductTagRow>>;
  attributes: Array<Insertable<CatalogProductAttributeRow>>;
}

export function variantRow(
  productId: string,
  input: VariantInput,
  position: number,
  now: number,
): Insertable<CatalogVariantRow> {
  return {
    id: newId('var'),
    product_id: productId,
    sku: input.sku,
    gtin: input.gtin ?? null,
    gtin14: input.gtin ? gtin14Of(input.gtin) : null,
    title: input.title ? encodeJson(input.title) : null,
    options: encodeJson(input.options ?? {}),
    media: encodeJson(input.media ?? []),
    position,
    created_at: now,
    updated_at: now,
  };
}

export const tagRows = (productId: string, tags: string[]) =>
  [...new Set(tags.map(normalizeTag).filter((t) => t !== ''))].map((tag) => ({ product_id: productId, tag }));

export const attributeRows = (productId: string, attributes: Attribute[]) =>
  attributes.map((a, position) => ({
    product_id: productId,
    key: a.key,
    type: a.type,
    value: attributeText(a),
    position,
  }));

export const categoryRows = (productId: string, ids: string[]) =>
  [...new Set(ids)].map((category_id, position) => ({ product_id: productId, category_id, position }));

export const collectionRows = (productId: string, ids: string[]) =>
  [...new Set(ids)].map((collection_id) => ({ collection_id, product_id: productId, position: 0 }));

export function productRows(input: ProductInput & { handle: string }, now: number): ProductRows {
  const id = newId('prd');
  return {
    product: {
      id,
      handle: input.handle,
      status: input.status ?? 'draft',
      brand: input.brand?.trim() || null,
      title: encodeJson(input.title),
      description: encodeJson(input.description ?? {}),
      options: encodeJson(input.options ?? []),
      media: encodeJson(input.media ?? []),
      size_chart_id: input.size_chart_id ?? null,
      created_at: now,
      updated_at: now,
    },
    variants: (input.variants ?? []).map((v, i) => variantRow(id, v, i, now)),
    categories: categoryRows(id, input.category_ids ?? []),
    collections: collectionRows(id, input.collection_ids ?? []),
    tags: tagRows(id, input.tags ?? []),
    attributes: attributeRows(id, input.attributes ?? []),
  };
}

/** Inserts many rows in multi-row statements sized under SQLite's bound-parameter limit. */
async function insertMany<T extends object>(
  insert: (rows: T[]) => Promise<unknown>,
  rows: T[],
  columns: number,
): Promise<void> {
  const size = Math.max(1, Math.floor(30_000 / columns / 10)); // ≤ 3,000 parameters per statement
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Inserts products with all their child rows. */
export async function insertProducts(db: DbOrTrx, all: ProductRows[]): Promise<void> {
  await insertMany(
    (r) => db.insertInto('catalog_products').values(r).execute(),
    all.map((p) => p.product),
    12,
  );
  await insertMany(
    (r) => db.insertInto('catalog_variants').values(r).execute(),
    all.flatMap((p) => p.variants),
    11,
  );
  await insertMany(
    (r) => db.insertInto('catalog_product_categories').values(r).execute(),
    all.flatMap((p) => p.categories),
    3,
  );
  await insertMany(
    (r) => db.insertInto('catalog_collection_products').values(r).execute(),
    all.flatMap((p) => p.collections),
    3,
  );
  await insertMany(
    (r) => db.insertInto('catalog_product_tags').values(r).execute(),
    all.flatMap((p) => p.tags),
    2,
  );
  await insertMany(
    (r) => db.insertInto('catalog_product_attributes').values(r).execute(),
    all.flatMap((p) => p.attributes),
    5,
  );
}

/** Replaces one child set of a product (categories, collections, tags or attributes). */
export async function replaceChildren(
  db: DbOrTrx,
  productId: string,
  set: {
    category_ids?: string[] | undefined;
    collection_ids?: string[] | undefined;
    tags?: string[] | undefined;
    attributes?: Attribute[] | undefined;
  },
): Promise<void> {
  if (set.category_ids) {
    await db.deleteFrom('catalog_product_categories').where('product_id', '=', productId).execute();
    const rows = categoryRows(productId, set.category_ids);
    if (rows.length) await db.insertInto('catalog_product_categories').values(rows).execute();
  }
  if (set.collection_ids) {
    await db.deleteFrom('catalog_collection_products').where('product_id', '=', productId).execute();
    const rows = collectionRows(productId, set.collection_ids);
    if (rows.length) await db.insertInto('catalog_collection_products').values(rows).execute();
  }
  if (set.tags) {
    await db.deleteFrom('catalog_product_tags').where('product_id', '=', productId).execute();
    const rows = tagRows(productId, set.tags);
    if (rows.length) await db.insertInto('catalog_product_tags').values(rows).execute();
  }
  if (set.attributes) {
    await db.deleteFrom('catalog_product_attributes').where('product_id', '=', productId).execute();
    const rows = attributeRows(productId, set.attributes);
    if (rows.length) await db.insertInto('catalog_product_attributes').values(rows).execute();
  }
}
