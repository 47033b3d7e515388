/**
 * @module Row types of the catalog's product tables: products, variants, categories, collections, tags,
 * attributes, size charts, channel publication and overrides, and the search index.
 */

export interface CatalogProductRow {
  id: string;
  /** URL-safe unique name (`linen-shirt`). */
  handle: string;
  /** `draft` | `active` | `archived`. */
  status: string;
  brand: string | null;
  /** Localized text: `{ "en": "Linen shirt", "es": "Camisa de lino" }`. */
  title: unknown;
  description: unknown;
  /** `[{ name: 'size', values: ['S','M'], label?: {en,…} }]`. */
  options: unknown;
  /** `[{ url, alt?: {en,…} }]`. */
  media: unknown;
  size_chart_id: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * A sellable item. Other modules (prices, stock) key on `id` (`var_…`) or `sku`; this shape is kept stable and
 * grows only by new nullable columns.
 */
export interface CatalogVariantRow {
  id: string;
  product_id: string;
  sku: string;
  /** The GTIN/EAN as entered (8, 12, 13 or 14 digits, check digit verified). */
  gtin: string | null;
  /** The same GTIN zero-padded to 14 digits: the unique lookup key for scans. */
  gtin14: string | null;
  /** Localized title of the variant; null means "derived from its options". */
  title: unknown;
  /** `{ size: 'M', colour: 'navy' }`. */
  options: unknown;
  media: unknown;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface CatalogCategoryRow {
  id: string;
  parent_id: string | null;
  /** `/cat_root/…/cat_self/`. */
  path: string;
  handle: string;
  name: unknown;
  description: unknown;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface CatalogProductCategoryRow {
  product_id: string;
  category_id: string;
  position: number;
}

export interface CatalogCollectionRow {
  id: string;
  handle: string;
  title: unknown;
  description: unknown;
  created_at: number;
  updated_at: number;
}

export interface CatalogCollectionProductRow {
  collection_id: string;
  product_id: string;
  position: number;
}

export interface CatalogProductTagRow {
  product_id: string;
  tag: string;
}

export interface CatalogProductAttributeRow {
  product_id: string;
  key: string;
  /** `text` | `number` | `boolean`. */
  type: string;
  /** Canonical text form of the value. */
  value: string;
  position: number;
}

export interface CatalogSizeChartRow {
  id: string;
  name: string;
  brand: string | null;
  category_id: string | null;
  scope: string | null;
  /** `cm` | `in`. */
  unit: string;
  /** `{ columns: ['chest', 'waist'], rows: [{ size: 'M', values: { chest: [96, 101], … } }] }`. */
  measurements: unknown;
  /** Localized fit notes. */
  fit_notes: unknown;
  created_at: number;
  updated_at: number;
}

export interface CatalogPublicationRow {
  product_id: string;
  channel_id: string;
  published_at: number;
}

export interface CatalogChannelOverrideRow {
  product_id: string;
  channel_id: string;
  /** `title` | `description` | `media` | `status`. */
  field: string;
  value: unknown;
  updated_at: number;
}

/**
 * The search index. Its columns differ by dialect (PostgreSQL: `document tsvector`; SQLite: folded text columns
 * behind an FTS5 table); only catalog/search code touches it, through raw SQL.
 */
export interface CatalogSearchRow {
  product_id: string;
}

export interface CatalogTables {
  catalog_products: CatalogProductRow;
  catalog_variants: CatalogVariantRow;
  catalog_categories: CatalogCategoryRow;
  catalog_product_categories: CatalogProductCategoryRow;
  catalog_collections: CatalogCollectionRow;
  catalog_collection_products: CatalogCollectionProductRow;
  catalog_product_tags: CatalogProductTagRow;
  catalog_product_attributes: CatalogProductAttributeRow;
  catalog_size_charts: CatalogSizeChartRow;
  catalog_publications: CatalogPublicationRow;
  catalog_channel_overrides: CatalogChannelOverrideRow;
  catalog_search: CatalogSearchRow;
}
