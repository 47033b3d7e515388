/**
 * @module Carts and pricing assembled from the commerce deps: carts, claims, resume links, tax and shipping
 * rates and `priceCart`, with their routes. commerce.ts adds it in one line; checkout, POS and order edits use
 * `pricing.priceCart` from here.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { CommerceDeps } from './commerce';
import { createCartChecks } from './cart.checks';
import { createCartClaims } from './cart.merge';
import { cartsRoutes } from './cart.routes';
import { createCartsService } from './cart.service';
import { storeCartsRoutes } from './cart.store.routes';
import { createPricing } from './pricing';
import { createCartSigner } from './resume.keys';
import { createResumeService } from './resume.service';
import { createShippingService } from './shipping.service';
import { taxShippingRoutes } from './tax.routes';
import { createTaxService } from './tax.service';

export function createCartsModule(deps: CommerceDeps) {
  const { db, events } = deps;
  const checksDeps = {
    channels: deps.channels,
    catalog: deps.catalog,
    customers: deps.customers,
    locations: deps.locations,
    defaultCurrency: deps.config.defaultCurrency,
  };
  const carts = createCartsService({ db, events, ...checksDeps });
  const claims = createCartClaims({
    db,
    events,
    carts,
    checks: createCartChecks(checksDeps),
    identity: deps.identity,
  });
  const signer = createCartSigner(db);
  const resume = createResumeService({ db, events, signer, carts, publicUrl: deps.publicUrl });
  const tax = createTaxService({ db, events, catalog: deps.catalog });
  const shipping = createShippingService({ db, events });
  const pricing = createPricing({
    channels: deps.channels,
    catalog: deps.catalog,
    prices: deps.prices,
    promotions: deps.promotions,
    locations: deps.locations,
    tax,
    shipping,
  });
  const customerToken = deps.customerToken ?? (async () => null);

  const routes: FastifyPluginAsync = async (app) => {
    await app.register(cartsRoutes({ carts, claims, pricing, resume }));
    await app.register(storeCartsRoutes({ carts, claims, pricing, resume, signer, customerToken }));
    await app.register(taxShippingRoutes({ tax, shipping }));
  };

  return { carts, claims, resume, tax, shipping, pricing, signer, routes };
}

export type CartsModule = ReturnType<typeof createCartsModule>;
