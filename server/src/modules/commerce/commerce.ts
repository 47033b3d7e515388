/**
 * @module The commerce module assembled: one factory builds its services from the other modules' services, one
 * plugin registers its routes. Each entity adds its service and routes here.
 */
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config';
import type { Db } from '../../platform/db/database';
import type { Dialect } from '../../platform/db/columns';
import type { EventBus } from '../../platform/events/outbox';
import type { ChannelsService } from '../channels';
import type { CatalogService, PricesService, PromotionsService } from '../catalog';
import type {
  AvailabilityService,
  ReservationsService,
  SourcingService,
  StockService,
  LocationsService,
  TransfersService,
} from '../inventory';
import type { ConsentService, CustomersService, IdentityService } from '../customers';
import { createPaymentsModule } from './payment.module';
import { reverseOrderPayments } from './payment.reversal';
import { createAbandonedPayments } from './payment.abandoned';
import { createCartExpiry } from './cart.expiry';
import type { Principal } from '../../platform/auth/principal';
import { createFulfilmentsService } from './fulfilment.service';
import { fulfilmentsRoutes } from './fulfilment.routes';
import { createOrdersService } from './order.service';
import { repriceOrderLines } from './order.reprice';
import { ordersRoutes } from './order.routes';
import { createCartsModule } from './cart.module';
import { createReturnsModule } from './return.module';
import { createCheckoutService } from './checkout.service';
import { checkoutRoutes } from './checkout.routes';
import { createReserveService } from './reserve.service';
import { reserveRoutes } from './reserve.routes';
import { createPosService } from './pos.service';
import { posRoutes } from './pos.routes';
import { createNotifications } from './notification.service';
import { notificationsRoutes } from './notification.routes';
import type { ChannelAdapter } from '../conversations';

export interface CommerceDeps {
  db: Db;
  dialect: Dialect;
  events: EventBus;
  config: Config;
  channels: ChannelsService;
  identity: IdentityService;
  customers: CustomersService;
  consent: ConsentService;
  catalog: CatalogService;
  prices: PricesService;
  promotions: PromotionsService;
  locations: LocationsService;
  stock: StockService;
  availability: AvailabilityService;
  sourcing: SourcingService;
  reservations: ReservationsService;
  /** Pickups at a store that lacks the units travel there by transfer. */
  transfers: TransfersService;
  /** The server's own base URL (links in messages), known once it listens. */
  publicUrl: () => string;
  /** Resolves a customer's self-service token (X-Customer-Token) for the store order status page. */
  customerToken?: ((token: string) => Promise<Principal | null>) | undefined;
  /** Customer notifications: the channel adapters (built after commerce) and the preference link of a message. */
  notify?:
    | {
        adapters: () => readonly ChannelAdapter[];
        preferenceLink: (customerId: string, channelId: string) => Promise<string | null>;
        log?: FastifyBaseLogger | undefined;
      }
    | undefined;
}

export function createCommerce(deps: CommerceDeps) {
  // Payments and orders call each other: a payment's change moves its order's state (in the payment's
  // transaction), and an order reads its payments' totals and reverses them when cancelled. The closure below is
  // only called after both exist.
  const paymentsModule = createPaymentsModule({
    ...deps,
    onOrderPaymentChanged: (trx, orderId) => orders.syncPaymentState(trx, orderId),
    orderCurrency: (orderId) => orders.currencyOf(orderId),
  });
  const { payments } = paymentsModule;
  // Anonymous carts nobody touched for cartExpiryDays are deleted, releasing what they hold (cart.expiry.ts).
  const cartExpiry = createCartExpiry({
    db: deps.db,
    events: deps.events,
    reservations: deps.reservations,
    expiryDays: deps.config.cartExpiryDays,
  });
  // Payments a 3-D Secure checkout captured for a shopper who never came back: refunded once the hold expired.
  const abandonedPayments = createAbandonedPayments({
    db: deps.db,
    payments,
    reservationTtlMs: deps.config.reservationTtlMs,
  });
  // Carts, resume links, tax and shipping rates, and priceCart (checkout, POS and order edits reuse it).
  const cartsModule = createCartsModule(deps);
  const orders = createOrdersService({
    ...deps,
    paymentTotals: (on, orderId) => payments.totals(on, orderId),
    reversePayments: (orderId, actor) => reverseOrderPayments(payments, orderId, actor),
    reprice: repriceOrderLines(deps.db, cartsModule.pricing),
  });
  // Order confirmations, receipts, pickup codes, shipping and refund notices by email or SMS.
  const notifications = createNotifications({
    ...deps,
    orders,
    payments,
    adapters: deps.notify?.adapters ?? (() => []),
    preferenceLink: deps.notify?.preferenceLink ?? (async () => null),
    log: deps.notify?.log,
  });
  const fulfilments = createFulfilmentsService({
    ...deps,
    orders,
    pickupHoldMs: deps.config.pickupHoldMs,
    notifyPickupReady: (info) => notifications.preparePickupNotice(info),
  });
  // Returns and exchanges in any channel: restock through stock, refunds through payments, replacements as orders.
  const returnsModule = createReturnsModule({
    ...deps,
    orders,
    pricing: cartsModule.pricing,
    payments,
    storeCredit: paymentsModule.storeCredit,
    fulfilments,
  });
  // Checkout: cart → reservations → payment → order, undoing itself on failure (POS sales reuse its steps).
  const checkout = createCheckoutService({
    ...deps,
    carts: cartsModule.carts,
    pricing: cartsModule.pricing,
    payments,
    orders,
  });
  // Reserve and try in store: checkout's steps without the payment; paid (or released) at the store.
  const reserve = createReserveService({
    ...deps,
    carts: cartsModule.carts,
    pricing: cartsModule.pricing,
    payments,
    orders,
    holdMs: deps.config.reserveInStoreHoldMs,
  });
  const checkoutPlugin = checkoutRoutes({
    reserve,
    checkout,
    carts: cartsModule.carts,
    signer: cartsModule.signer,
    customerToken: deps.customerToken ?? (async () => null),
  });
  // POS sales reuse checkout's steps; receipts read orders and payments.
  const pos = createPosService({
    ...deps,
    carts: cartsModule.carts,
    pricing: cartsModule.pricing,
    payments,
    orders,
    fulfilments,
  });
  const posPlugin = posRoutes({ ...deps, pos, orders, payments });
  return {
    carts: cartsModule.carts,
    pricing: cartsModule.pricing,
    cartsModule,
    orders,
    fulfilments,
    payments: paymentsModule.payments,
    giftCards: paymentsModule.giftCards,
    storeCredit: paymentsModule.storeCredit,
    paymentsModule,
    abandonedPayments,
    cartExpiry,
    /** The store order page names the pickup store from these. */
    locations: deps.locations,
    returns: returnsModule,
    checkout,
    checkoutRoutes: checkoutPlugin,
    reserve,
    pos,
    posRoutes: posPlugin,
    notifications,
    /** Starts the module's durable jobs; returns their stopper. */
    startJobs(log: FastifyBaseLogger): () => void {
      const stopPickupExpiry = fulfilments.startJobs(log, deps.config.pickupExpiryEveryMs);
      const stopReserveExpiry = reserve.startJobs(log, deps.config.pickupExpiryEveryMs);
      // As often as expired reservations are released: their checkouts' payments follow them.
      const stopAbandoned = abandonedPayments.startJobs(log, deps.config.reservationExpiryEveryMs);
      const stopCartExpiry = cartExpiry.startJobs(log, deps.config.cartExpiryEveryMs);
      const stopNotifications = notifications.startJobs(log);
      return () => {
        stopPickupExpiry();
        stopReserveExpiry();
        stopAbandoned();
        stopCartExpiry();
        stopNotifications();
      };
    },
  };
}

export type Commerce = ReturnType<typeof createCommerce>;

export function commerceRoutes(commerce: Commerce): FastifyPluginAsync {
  return async (app) => {
    await app.register(commerce.paymentsModule.routes);
    await app.register(commerce.cartsModule.routes);
    await app.register(ordersRoutes(commerce.orders, commerce.locations));
    await app.register(fulfilmentsRoutes(commerce.fulfilments));
    await app.register(reserveRoutes(commerce.reserve));
    await app.register(commerce.returns.routes);
    await app.register(commerce.checkoutRoutes);
    await app.register(commerce.posRoutes);
    await app.register(notificationsRoutes(commerce.notifications));
  };
}
