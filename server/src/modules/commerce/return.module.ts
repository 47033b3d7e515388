/**
 * @module Returns and exchanges assembled from the commerce deps and the orders and payments services: policy rules,
 * the return flow, refunds and exchanges, with their routes. commerce.ts adds it in one line.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { CommerceDeps } from './commerce';
import type { FulfilmentsService } from './fulfilment.service';
import type { OrdersService } from './order.service';
import type { PaymentsService } from './payment.service';
import type { Pricing } from './pricing';
import type { StoreCreditService } from './store-credit.service';
import { createReturnExchanges } from './return.exchange';
import { createReturnPolicies } from './return.policy';
import { createReturnRefunds } from './return.refund';
import { returnsRoutes } from './return.routes';
import { createReturnSearch } from './return.search';
import { createReturnsCore } from './return.service';

type ReturnsModuleDeps = CommerceDeps & {
  orders: OrdersService;
  /** priceCart: exchanges price the new items as every channel prices a cart. */
  pricing: Pricing;
  payments: PaymentsService;
  storeCredit: StoreCreditService;
  /** An exchange hands over its take-now lines, as a POS sale does. */
  fulfilments: FulfilmentsService;
};

function createReturnsService(deps: ReturnsModuleDeps) {
  const { db, events } = deps;
  const policies = createReturnPolicies({
    db,
    events,
    catalog: deps.catalog,
    channelExists: deps.channels.channelExists,
  });
  const core = createReturnsCore({ ...deps, policies });
  const refunds = createReturnRefunds({ db, core, payments: deps.payments, storeCredit: deps.storeCredit });
  const exchanges = createReturnExchanges({
    db,
    core,
    orders: deps.orders,
    payments: deps.payments,
    storeCredit: deps.storeCredit,
    pricing: deps.pricing,
    catalog: deps.catalog,
    fulfilments: deps.fulfilments,
  });
  // The desk finds a return by what the customer brings: customers are looked up through their module.
  const search = createReturnSearch({ db, customers: deps.customers });
  return {
    policies,
    retrieveReturn: core.retrieveReturn,
    listReturns: search.listReturns,
    createReturn: core.createReturn,
    receiveReturn: core.receiveReturn,
    inspectReturn: core.inspectReturn,
    refundReturn: refunds.refundReturn,
    previewExchange: exchanges.previewExchange,
    exchangeReturn: exchanges.exchangeReturn,
  };
}

export type ReturnsService = ReturnType<typeof createReturnsService>;

export function createReturnsModule(deps: ReturnsModuleDeps) {
  const service = createReturnsService(deps);
  const customerToken = deps.customerToken ?? (async () => null);
  return {
    ...service,
    routes: (async (app) => {
      await app.register(returnsRoutes(service, customerToken, deps.db));
    }) as FastifyPluginAsync,
  };
}

export type ReturnsModule = ReturnType<typeof createReturnsModule>;
