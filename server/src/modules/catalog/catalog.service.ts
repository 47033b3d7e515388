/**
 * @module The product side of the catalog as one service: products, variants, categories, collections, size
 * charts, channel publication and search, sharing one database, event bus and search index.
 */
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import type { EventBus } from '../../platform/events/outbox';
import { createCategoriesService, createCollectionsService } from './category.service';
import { createProductsService } from './product.service';
import { createPublicationService } from './publication.service';
import { createProductSearch, type PriceFacetHook, type PriceFilterHook } from './search';
import { createSizeChartsService } from './size-chart.service';
import { createVariantsService } from './variant.service';

export interface CatalogDeps {
  db: Db;
  dialect: Dialect;
  events: EventBus;
  /** The channels service's check: publication and overrides name only channels that exist. */
  channelExists: (id: string) => Promise<boolean>;
}

/**
 * Builds the catalog's product services.
 * @example const catalog = createCatalogService({ db, dialect, events, channelExists: channels.channelExists })
 *   await catalog.products.createProduct({ title: { en: 'Linen shirt' } }, actor)
 */
export function createCatalogService(deps: CatalogDeps) {
  let priceFacet: PriceFacetHook | undefined;
  let priceFilter: PriceFilterHook | undefined;
  const search = createProductSearch({
    dialect: deps.dialect,
    priceFacet: () => priceFacet,
    priceFilter: () => priceFilter,
  });
  return {
    products: createProductsService({ ...deps, search }),
    variants: createVariantsService(deps),
    categories: createCategoriesService(deps),
    collections: createCollectionsService(deps),
    sizeCharts: createSizeChartsService(deps),
    publication: createPublicationService(deps),
    /**
     * Wires in the price-range facet once prices can compute it (the prices service is built beside this one).
     * @example catalog.setPriceFacet((productIds, { channelId }) => prices.rangeOf(productIds, channelId))
     */
    setPriceFacet(hook: PriceFacetHook): void {
      priceFacet = hook;
    },
    /**
     * Wires in the price filter of product search (`price_min` / `price_max`), computed like the facet.
     * @example catalog.setPriceFilter(prices.productsPricedWithin)
     */
    setPriceFilter(hook: PriceFilterHook): void {
      priceFilter = hook;
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
