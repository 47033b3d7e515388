/**
 * @module The catalog module's one door: products, variants, categories, collections, size charts, channel
 * publication and search (this file's first half), and prices, price lists and promotions (added beside them).
 */
import type { NamedMigrations } from '../../platform/db/migrator';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import * as products0400 from './migrations/2026-11-22-0400-products';
import type { CatalogTables as ProductTables } from './product.table';
import * as prices0420 from './migrations/2026-11-22-0420-prices';
import * as promotions0430 from './migrations/2026-11-22-0430-promotions';
import type { PriceTables } from './price.table';
import type { PromotionTables } from './promotion.table';
import { priceEventTypes, priceNoCustomerData } from './price.service';
import { promotionEventTypes, promotionNoCustomerData } from './promotion.service';

// Variants, read by prices, promotions and other modules to check that what they name exists.
export { variantsByIds, variantsBySku, type Variant } from './variant.repository';
export { bestLocale, localize, type LocalizedText, type Media } from './localized';

// Products, variants, categories, collections, size charts, channel publication, search.
export { createCatalogService, type CatalogService, type CatalogDeps } from './catalog.service';
export { catalogRoutes } from './catalog.routes';
export type { Product, ProductStatus, Attribute, ProductOption } from './product.repository';
export type { ProductInput, VariantInput } from './product.rules';
export type { ProductQuery, Facets, PriceFacet, PriceFacetHook, PriceFilterHook } from './search';
export type { SizeChart, ResolvedSizeChart } from './size-chart.repository';
export type { Category, Collection } from './category.repository';
export { checkGtin } from './gtin';

// Prices, price lists and promotions.
export {
  createPricesService,
  type PricesService,
  type PriceInput,
  type PriceListInput,
} from './price.service';
export {
  pricingLookups,
  type PriceForInput,
  type PriceForResult,
  type PricingCustomer,
} from './price.compute';
export type { ComputedPrice, PriceSource } from './price.resolve';
export { allocate, roundHalfUp, type Money } from './price.money';
export { pricesRoutes } from './price.routes';
export { createPromotionsService, type PromotionsService, type PromotionInput } from './promotion.service';
export type { EvaluateInput, EvaluateResult } from './promotion.evaluate';
export type { RedeemInput, RedeemResult } from './promotion.redemption';
export { promotionsRoutes } from './promotion.routes';
export { promotionsPrivacyHandler } from './promotion.privacy';

// Feeds for marketplaces and social shops.
export { createFeedService, type FeedService, type FeedDeps } from './feed.service';
export { feedRoutes } from './feed.routes';

// CSV import and export of products and prices (stock's lives in inventory and shares these helpers).
export {
  parseCsv,
  problem,
  rowsToWrite,
  type ImportOptions,
  type ImportProblem,
  type ImportSummary,
} from './csv.import';
export { exportProductsCsv, importProductsCsv } from './csv.products';
export { exportPricesCsv, importPricesCsv } from './csv.prices';
export { csvRoutes, csvKinds, type CsvKind, type CsvService } from './csv.routes';
export { progressBar, reportLines, writeReport } from './csv.cli';

/** Every table the catalog module owns. */
export type CatalogTables = ProductTables & PriceTables & PromotionTables;

export const catalogMigrations: NamedMigrations = {
  '2026-11-22-0400-products': products0400,
  '2026-11-22-0420-prices': prices0420,
  '2026-11-22-0430-promotions': promotions0430,
};

const read = 'catalog:read' as const;

export const catalogEventTypes: EventTypeDefinition[] = [
  { type: 'product.created', description: 'A product was created with its variants', permission: read },
  {
    type: 'product.updated',
    description: 'A product changed (texts, options, media, categories, attributes, tags, variants, status)',
    permission: read,
  },
  { type: 'product.archived', description: 'A product was archived: no channel sells it', permission: read },
  { type: 'product.deleted', description: 'A draft product was deleted', permission: read },
  { type: 'product.published', description: 'A product was published to a channel', permission: read },
  { type: 'product.unpublished', description: 'A product was withdrawn from a channel', permission: read },
  {
    type: 'product.channel_overrides_changed',
    description: 'A channel’s overrides of a product (title, description, media, status) changed',
    permission: read,
  },
  { type: 'variant.created', description: 'A variant was added to a product', permission: read },
  {
    type: 'variant.updated',
    description: 'A variant changed (SKU, GTIN, options, title, media)',
    permission: read,
  },
  { type: 'variant.deleted', description: 'A variant was removed from its product', permission: read },
  { type: 'category.created', description: 'A category was created', permission: read },
  { type: 'category.updated', description: 'A category changed or moved in the tree', permission: read },
  { type: 'category.deleted', description: 'An empty category was deleted', permission: read },
  { type: 'collection.created', description: 'A collection was created', permission: read },
  { type: 'collection.updated', description: 'A collection or its products changed', permission: read },
  { type: 'collection.deleted', description: 'A collection was deleted', permission: read },
  { type: 'size_chart.created', description: 'A size chart was created', permission: read },
  { type: 'size_chart.updated', description: 'A size chart changed', permission: read },
  { type: 'size_chart.deleted', description: 'A size chart was deleted', permission: read },
  ...priceEventTypes,
  ...promotionEventTypes,
];

/** The catalog describes goods, not people: none of its tables holds customer data. */
export const catalogNoCustomerData = {
  catalog_products: 'products: goods, not people',
  catalog_variants: 'sellable variants of products',
  catalog_categories: 'the category tree',
  catalog_product_categories: 'products in categories',
  catalog_collections: 'curated product collections',
  catalog_collection_products: 'products in collections',
  catalog_product_tags: 'product tags',
  catalog_product_attributes: 'typed product attributes',
  catalog_size_charts: 'size charts of brands and categories',
  catalog_publications: 'which channels sell which products',
  catalog_channel_overrides: 'per-channel product texts and media',
  catalog_search: 'the product full-text index',
  catalog_search_fts: 'SQLite FTS5 index over catalog_search',
  catalog_search_fts_data: 'SQLite FTS5 internals of the product index',
  catalog_search_fts_idx: 'SQLite FTS5 internals of the product index',
  catalog_search_fts_docsize: 'SQLite FTS5 internals of the product index',
  catalog_search_fts_config: 'SQLite FTS5 internals of the product index',
  ...priceNoCustomerData,
  ...promotionNoCustomerData,
};
