/** @module The commerce module's one door: carts, pricing, checkout, payments, orders, fulfilment, returns, POS. */
import type { NamedMigrations } from '../../platform/db/migrator';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import type { PrivacyHandler } from '../../platform/privacy/privacy';
import type { CartTables } from './cart.table';
import type { TaxTables } from './tax.table';
import * as carts0600 from './migrations/2026-11-22-0600-carts';
import * as taxShipping0610 from './migrations/2026-11-22-0610-tax-shipping';
import { cartEventTypes } from './cart.events';
import { cartPrivacyHandler, cartNoCustomerData } from './cart.privacy';
import type { OrderTables } from './order.table';
import * as orders0640 from './migrations/2026-11-22-0640-orders';
import { orderEventTypes } from './order.events';
import { orderPrivacyHandler } from './order.privacy';
import type { ReturnTables } from './return.table';
import * as returns0660 from './migrations/2026-11-22-0660-returns';
import * as cartExpiry0300 from './migrations/2026-11-23-0300-cart-expiry';
import * as pickupTransfer0200 from './migrations/2026-11-23-0200-pickup-transfer';
import { returnEventTypes, returnNoCustomerData, returnPrivacyHandler } from './return.privacy';
import type { PaymentTables } from './payment.table';
import * as payments0620 from './migrations/2026-11-22-0620-payments';
import * as refundKeys0625 from './migrations/2026-11-22-0625-refund-keys';
import { paymentEventTypes, paymentNoCustomerData } from './payment.events';
import { paymentsPrivacyHandler } from './payment.privacy';
import { checkoutEventTypes } from './checkout.events';
import type { NotificationTables } from './notification.table';
import * as notifications0100 from './migrations/2026-11-23-0100-notifications';
import * as notificationDelivery0420 from './migrations/2026-11-24-0420-notification-delivery';
import * as receiptLinkExpiry0425 from './migrations/2026-11-24-0425-receipt-link-expiry';
import { notificationEventTypes } from './notification.service';
import { notificationPrivacyHandler } from './notification.privacy';

export { createCommerce, commerceRoutes, type Commerce, type CommerceDeps } from './commerce';
export type { Cart, CartLine, CartAddress, LineDeliveryMode } from './cart.repository';
export type { CartsService, CartContext } from './cart.service';
export type { Pricing, CartPricing, PricedLine, PricedShipping } from './pricing';
export type { Payment, PaymentStatus, Refund } from './payment.repository';
export type { PaymentsService, PaymentTotals, CreatePaymentInput } from './payment.service';
export type { SplitTenderInput, TenderInput } from './payment.tender';
export type { GiftCard, GiftCardsService } from './gift-card.service';
export type { StoreCreditService, CreditInput } from './store-credit.service';
export type { OrdersService, OrderDetail, OrderHooks, RepriceLines } from './order.service';
export type { CreateOrderInput, CreateOrderLineInput, PreparedOrder } from './order.prepare';
export type { Order, OrderLine, OrderStatus, OrderSource, CapturePolicy } from './order.repository';
export type { FulfilmentsService } from './fulfilment.service';
export type { Fulfilment, FulfilmentStatus } from './fulfilment.repository';
export type { ReturnsService } from './return.module';
export type { CheckoutService, CheckoutInput, CheckoutResult } from './checkout.service';
export type { Return, ReturnLine, ReturnPolicy, ReturnStatus } from './return.repository';
export type { NotificationsService } from './notification.service';
export type { Notification, NotificationStatus } from './notification.repository';

/** Every table the commerce module owns (each entity's `x.table.ts` adds its own). */
export interface CommerceTables
  extends CartTables, TaxTables, PaymentTables, OrderTables, ReturnTables, NotificationTables {}

export const commerceMigrations: NamedMigrations = {
  '2026-11-22-0600-carts': carts0600,
  '2026-11-22-0610-tax-shipping': taxShipping0610,
  '2026-11-22-0620-payments': payments0620,
  '2026-11-22-0625-refund-keys': refundKeys0625,
  '2026-11-22-0640-orders': orders0640,
  '2026-11-22-0660-returns': returns0660,
  '2026-11-23-0100-notifications': notifications0100,
  '2026-11-23-0200-pickup-transfer': pickupTransfer0200,
  '2026-11-23-0300-cart-expiry': cartExpiry0300,
  '2026-11-24-0420-notification-delivery': notificationDelivery0420,
  '2026-11-24-0425-receipt-link-expiry': receiptLinkExpiry0425,
};

export const commerceEventTypes: EventTypeDefinition[] = [
  ...cartEventTypes,
  ...paymentEventTypes,
  ...orderEventTypes,
  ...returnEventTypes,
  ...checkoutEventTypes,
  ...notificationEventTypes,
];

/** Commerce tables that hold no customer data, with the reason (the privacy test reads this). */
export const commerceNoCustomerData: Record<string, string> = {
  ...cartNoCustomerData,
  ...paymentNoCustomerData,
  order_edits: 'amounts before and after an edit of an order, and the staff actor',
  order_counters: 'the last order number given',
  ...returnNoCustomerData,
};

/** Privacy handlers of the commerce tables that do hold customer data. */
export const commercePrivacyHandlers: PrivacyHandler[] = [
  cartPrivacyHandler,
  paymentsPrivacyHandler,
  orderPrivacyHandler,
  returnPrivacyHandler,
  notificationPrivacyHandler,
];
