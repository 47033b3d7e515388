/** @module The product side of the catalog's routes as one plugin: staff (/v1/…) and storefront (/store/v1/…). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CatalogService } from './catalog.service';
import { categoryRoutes } from './category.routes';
import { productRoutes } from './product.routes';
import { sizeChartRoutes } from './size-chart.routes';
import { storeRoutes } from './store.routes';

export function catalogRoutes(catalog: CatalogService): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(productRoutes(catalog));
    await app.register(categoryRoutes(catalog));
    await app.register(sizeChartRoutes(catalog));
    await app.register(storeRoutes(catalog));
  };
}
