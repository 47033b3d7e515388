/**
 * @module Product queries and mappers: a product row becomes a `Product` together with its variants, categories,
 * collections, tags, attributes, size chart and per-channel publication — loaded for a whole page at once, one
 * query per child table.
 */
import type { Selectable } from 'kysely';
import { decodeJson, encodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import { isUniqueViolation } from '../../platform/db/errors';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { LocalizedText, Media } from './localized';
import type { CatalogProductRow } from './product.table';
import { resolveSizeCharts, type ResolvedSizeChart } from './size-chart.repository';
import { variantFromRow, variantRowsOfProducts, type Variant } from './variant.repository';

export const productStatuses = ['draft', 'active', 'archived'] as const;
export type ProductStatus = (typeof productStatuses)[number];

export const attributeTypes = ['text', 'number', 'boolean'] as const;
export type AttributeType = (typeof attributeTypes)[number];

export interface ProductOption {
  /** Machine name (`size`, `colour`): the key in each variant's `options`. */
  name: string;
  label?: LocalizedText | undefined;
  values: string[];
}

export interface Attribute {
  key: string;
  type: AttributeType;
  value: string | number | boolean;
}

/** Fields a channel may override. */
export const overrideFields = ['title', 'description', 'media', 'status'] as const;
export type OverrideField = (typeof overrideFields)[number];

/** In a channel a product may be shown (`active`) or held back (`draft`) whatever its own status, unless archived. */
export const channelStatuses = ['active', 'draft'] as const;
export type ChannelStatus = (typeof channelStatuses)[number];

export interface ChannelOverrides {
  title?: LocalizedText;
  description?: LocalizedText;
  media?: Media[];
  status?: ChannelStatus;
}

export interface ProductChannel {
  channel_id: string;
  published: boolean;
  published_at: string | null;
  overrides: ChannelOverrides;
  /** The fields in which this channel differs from the default product, e.g. `['title']`. */
  differs: OverrideField[];
}

export interface Product {
  id: string;
  handle: string;
  status: ProductStatus;
  brand: string | null;
  title: LocalizedText;
  description: LocalizedText;
  options: ProductOption[];
  media: Media[];
  category_ids: string[];
  collection_ids: string[];
  tags: string[];
  attributes: Attribute[];
  variants: Variant[];
  /** The chart attached to the product, else inherited from its categories or brand (`source` says which). */
  size_chart: ResolvedSizeChart | null;
  channels: ProductChannel[];
  created_at: string;
  updated_at: string;
}

export type ProductRow = Selectable<CatalogProductRow>;

/** An attribute's canonical text, as stored and faceted. */
export const attributeText = (a: Attribute): string => String(a.value);

function attributeValue(type: AttributeType, text: string): string | number | boolean {
  if (type === 'number') return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

/**
 * Override values are stored wrapped, `{ "value": … }`: a bare JSON string such as `"active"` would come back from
 * PostgreSQL's jsonb already parsed and from SQLite as text, and the two could not be told apart from a string
 * that merely looks like JSON.
 */
export const encodeOverride = (value: unknown): string => encodeJson({ value });
export const overrideValue = (stored: unknown): unknown => decodeJson<{ value: unknown }>(stored).value;

/** The fields a channel overrides (even when an override happens to equal the default: it is still a decision). */
const differs = (overrides: ChannelOverrides): OverrideField[] =>
  overrideFields.filter((f) => overrides[f] !== undefined);

function group<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

// Large IN lists are split so no statement passes SQLite's bound-parameter limit.
async function chunked<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 500) out.push(...(await read(ids.slice(i, i + 500))));
  return out;
}

/** The categories of products, each product's in its order of position. */
export function categoryRowsOfProducts(db: DbOrTrx, ids: string[]) {
  return chunked(ids, (chunk) =>
    db
      .selectFrom('catalog_product_categories as pc')
      .innerJoin('catalog_categories as c', 'c.id', 'pc.category_id')
      .select(['pc.product_id', 'pc.category_id', 'pc.position', 'c.path'])
      .where('pc.product_id', 'in', chunk)
      .orderBy('pc.position')
      .execute(),
  );
}

/**
 * Turns product rows into full products, keeping their order.
 * @example const [product] = await loadProducts(db, [row])
 */
export async function loadProducts(db: DbOrTrx, rows: ProductRow[]): Promise<Product[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [variants, categories, collections, tags, attributes, publications, overrides] = await Promise.all([
    variantRowsOfProducts(db, ids),
    categoryRowsOfProducts(db, ids),
    chunked(ids, (chunk) =>
      db
        .selectFrom('catalog_collection_products')
        .select(['product_id', 'collection_id'])
        .where('product_id', 'in', chunk)
        .orderBy('collection_id')
        .execute(),
    ),
    chunked(ids, (chunk) =>
      db
        .selectFrom('catalog_product_tags')
        .selectAll()
        .where('product_id', 'in', chunk)
        .orderBy('tag')
        .execute(),
    ),
    chunked(ids, (chunk) =>
      db
        .selectFrom('catalog_product_attributes')
        .selectAll()
        .where('product_id', 'in', chunk)
        .orderBy('position')
        .execute(),
    ),
    chunked(ids, (chunk) =>
      db.selectFrom('catalog_publications').selectAll().where('product_id', 'in', chunk).execute(),
    ),
    chunked(ids, (chunk) =>
      db.selectFrom('catalog_channel_overrides').selectAll().where('product_id', 'in', chunk).execute(),
    ),
  ]);
  const variantsBy = group(variants, (r) => r.product_id);
  const categoriesBy = group(categories, (r) => r.product_id);
  const collectionsBy = group(collections, (r) => r.product_id);
  const tagsBy = group(tags, (r) => r.product_id);
  const attributesBy = group(attributes, (r) => r.product_id);
  const publicationsBy = group(publications, (r) => r.product_id);
  const overridesBy = group(overrides, (r) => r.product_id);
  const charts = await resolveSizeCharts(
    db,
    rows.map((r) => ({
      product_id: r.id,
      size_chart_id: r.size_chart_id,
      brand: r.brand,
      category_paths: (categoriesBy.get(r.id) ?? []).map((c) => c.path.split('/').filter(Boolean)),
    })),
  );
  return rows.map((row) => {
    const channels = new Map<string, ProductChannel>();
    const channel = (id: string): ProductChannel => {
      let c = channels.get(id);
      if (!c) {
        c = { channel_id: id, published: false, published_at: null, overrides: {}, differs: [] };
        channels.set(id, c);
      }
      return c;
    };
    for (const p of publicationsBy.get(row.id) ?? []) {
      const c = channel(p.channel_id);
      c.published = true;
      c.published_at = toIso(Number(p.published_at));
    }
    for (const o of overridesBy.get(row.id) ?? []) {
      const c = channel(o.channel_id);
      (c.overrides as Record<string, unknown>)[o.field] = overrideValue(o.value);
    }
    for (const c of channels.values()) c.differs = differs(c.overrides);
    return {
      id: row.id,
      handle: row.handle,
      status: row.status as ProductStatus,
      brand: row.brand,
      title: decodeJson<LocalizedText>(row.title),
      description: decodeJson<LocalizedText>(row.description),
      options: decodeJson<ProductOption[]>(row.options),
      media: decodeJson<Media[]>(row.media),
      category_ids: (categoriesBy.get(row.id) ?? []).map((c) => c.category_id),
      collection_ids: (collectionsBy.get(row.id) ?? []).map((c) => c.collection_id),
      tags: (tagsBy.get(row.id) ?? []).map((t) => t.tag),
      attributes: (attributesBy.get(row.id) ?? []).map((a) => ({
        key: a.key,
        type: a.type as AttributeType,
        value: attributeValue(a.type as AttributeType, a.value),
      })),
      variants: (variantsBy.get(row.id) ?? []).map(variantFromRow),
      size_chart: charts.get(row.id) ?? null,
      channels: [...channels.values()].sort((a, b) => (a.channel_id < b.channel_id ? -1 : 1)),
      created_at: toIsoRequired(Number(row.created_at)),
      updated_at: toIsoRequired(Number(row.updated_at)),
    };
  });
}

export async function findProductRow(db: DbOrTrx, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('catalog_products').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProductRowByHandle(db: DbOrTrx, handle: string): Promise<ProductRow | undefined> {
  return db.selectFrom('catalog_products').selectAll().where('handle', '=', handle).executeTakeFirst();
}

export async function productRowsByIds(db: DbOrTrx, ids: string[]): Promise<ProductRow[]> {
  const rows = await chunked(ids, (chunk) =>
    db.selectFrom('catalog_products').selectAll().where('id', 'in', chunk).execute(),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

export const isDuplicateHandle = (error: unknown): boolean =>
  isUniqueViolation(error, { constraint: 'catalog_products_handle_uq', column: 'catalog_products.handle' });
