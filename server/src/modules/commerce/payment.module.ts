/**
 * @module The payments part of commerce assembled: the providers (the test processor started on loopback on first
 * use unless `paymentsTestProcessorUrl` names one), the payments, gift card and store credit services, and their
 * routes. commerce.ts calls this once; the order hook comes from there.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config';
import type { Db } from '../../platform/db/database';
import type { Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { newWebhookSecret } from '../../platform/events/webhooks.service';
import type { ChannelsService } from '../channels';
import type { CustomersService } from '../customers';
import { createGiftCardsService } from './gift-card.service';
import { giftCardsRoutes } from './gift-card.routes';
import { paymentHooksRoutes, paymentsRoutes } from './payment.routes';
import { createPaymentsService } from './payment.service';
import { cardTerminalProvider, cashProvider, manualProvider } from './providers/pos';
import { giftCardProvider, storeCreditProvider } from './providers/stored-value';
import { testCardProvider } from './providers/test-card';
import { startTestProcessor, type TestProcessor } from './providers/test-processor';
import { createStoreCreditService } from './store-credit.service';
import { storeCreditRoutes } from './store-credit.routes';

export interface PaymentsModuleDeps {
  db: Db;
  events: EventBus;
  config: Config;
  channels: ChannelsService;
  customers: CustomersService;
  publicUrl: () => string;
  /** The orders service's `syncPaymentState`, called in the transaction of every change of an order's payment. */
  onOrderPaymentChanged: (trx: Trx, orderId: string) => Promise<void>;
  /** The orders service's currency of an order (null: no such order). */
  orderCurrency: (orderId: string) => Promise<string | null>;
}

export function createPaymentsModule(deps: PaymentsModuleDeps) {
  const { db, events, config } = deps;
  const resolveCustomer = async (id: string) => (await deps.customers.retrieveCustomer(id)).id;
  const giftCards = createGiftCardsService({ db, events });
  const storeCredit = createStoreCreditService({ db, events, resolveCustomer });

  // The in-process processor shares a secret generated per process; an external one is configured with both.
  const webhookSecret = config.paymentsTestWebhookSecret ?? newWebhookSecret();
  let processor: Promise<TestProcessor> | null = null;
  const processorUrl = async () => {
    if (config.paymentsTestProcessorUrl) return config.paymentsTestProcessorUrl.replace(/\/$/, '');
    processor ??= startTestProcessor({ webhookSecret });
    return (await processor).url;
  };

  const payments = createPaymentsService({
    db,
    events,
    providers: [
      cashProvider,
      cardTerminalProvider,
      manualProvider,
      testCardProvider({
        processorUrl,
        webhookUrl: () => `${deps.publicUrl().replace(/\/$/, '')}/hooks/payments/test`,
        webhookSecret,
      }),
      giftCardProvider(giftCards),
      storeCreditProvider(storeCredit),
    ],
    channelExists: deps.channels.channelExists,
    resolveCustomer,
    onOrderPaymentChanged: deps.onOrderPaymentChanged,
    orderCurrency: deps.orderCurrency,
  });

  return {
    payments,
    giftCards,
    storeCredit,
    /** The test processor's base URL (tests drive the customer's side of 3-D Secure through it). */
    testProcessorUrl: processorUrl,
    routes: (async (app) => {
      await app.register(paymentsRoutes(payments));
      await app.register(paymentHooksRoutes(payments));
      await app.register(giftCardsRoutes(giftCards));
      await app.register(storeCreditRoutes(storeCredit));
      app.addHook('onClose', async () => {
        if (processor) await (await processor).close();
      });
    }) as FastifyPluginAsync,
  };
}

export type PaymentsModule = ReturnType<typeof createPaymentsModule>;
