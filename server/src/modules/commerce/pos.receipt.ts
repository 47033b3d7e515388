/**
 * @module Receipts: an order as a printable structure in the customer's locale (else the channel's default, else
 * English) — the store, the lines, taxes, totals and the tenders with change due — with the labels and the amounts
 * already formatted for that locale, so a till printer, an email or an SMS prints it as is.
 */
import type { ChannelsService } from '../channels';
import type { CustomersService } from '../customers';
import type { LocationsService } from '../inventory';
import type { OrderDetail, OrdersService } from './order.service';
import type { PaymentsService } from './payment.service';

const labels = {
  en: {
    receipt: 'Receipt',
    order: 'Order',
    qty: 'Qty',
    subtotal: 'Subtotal',
    discount: 'Discount',
    shipping: 'Shipping',
    tax: 'Tax included',
    total: 'Total',
    paid: 'Paid',
    change: 'Change',
    thanks: 'Thank you for your purchase',
  },
  es: {
    receipt: 'Ticket',
    order: 'Pedido',
    qty: 'Cant.',
    subtotal: 'Subtotal',
    discount: 'Descuento',
    shipping: 'Envío',
    tax: 'IVA incluido',
    total: 'Total',
    paid: 'Pagado',
    change: 'Cambio',
    thanks: 'Gracias por su compra',
  },
  ru: {
    receipt: 'Чек',
    order: 'Заказ',
    qty: 'Кол-во',
    subtotal: 'Подытог',
    discount: 'Скидка',
    shipping: 'Доставка',
    tax: 'Включая налог',
    total: 'Итого',
    paid: 'Оплачено',
    change: 'Сдача',
    thanks: 'Спасибо за покупку',
  },
} as const;
export type ReceiptLocale = keyof typeof labels;

const providerNames: Record<ReceiptLocale, Record<string, string>> = {
  en: {
    cash: 'Cash',
    card_terminal: 'Card',
    gift_card: 'Gift card',
    store_credit: 'Store credit',
    test: 'Card',
    manual: 'Invoice',
  },
  es: {
    cash: 'Efectivo',
    card_terminal: 'Tarjeta',
    gift_card: 'Tarjeta regalo',
    store_credit: 'Saldo',
    test: 'Tarjeta',
    manual: 'Factura',
  },
  ru: {
    cash: 'Наличные',
    card_terminal: 'Карта',
    gift_card: 'Подарочная карта',
    store_credit: 'Бонусный счёт',
    test: 'Карта',
    manual: 'Счёт',
  },
};

/** The first of the candidates Omnis has receipt texts for (`es-ES` → `es`). */
export function receiptLocale(...candidates: Array<string | null | undefined>): ReceiptLocale {
  for (const c of candidates) {
    const base = c?.toLowerCase().split(/[-_]/)[0];
    if (base && base in labels) return base as ReceiptLocale;
  }
  return 'en';
}

export interface ReceiptDeps {
  orders: OrdersService;
  payments: PaymentsService;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
  channels: Pick<ChannelsService, 'retrieveChannel'>;
  locations: Pick<LocationsService, 'retrieveLocation'>;
}

/** The language of an order's receipt and messages: the customer's, else the channel's default, else English. */
export function orderLocale(
  customer: { locale: string | null } | null,
  channel: { config: Record<string, unknown> } | null,
): ReceiptLocale {
  return receiptLocale(customer?.locale, channel?.config.default_locale as string | undefined);
}

/**
 * `locale` pins the language (a receipt link shows the page in the language its SMS was written in).
 * @example const receipt = await receiptOf(deps, 'ord_…') // receipt.labels.total === 'Total', receipt.totals.total.text === '25,00 €'
 */
export async function receiptOf(deps: ReceiptDeps, orderId: string, opts: { locale?: ReceiptLocale } = {}) {
  const order = await deps.orders.retrieveOrder(orderId);
  const customer = order.customer_id
    ? await deps.customers.retrieveCustomer(order.customer_id).catch(() => null)
    : null;
  const channel = await deps.channels.retrieveChannel(order.channel_id);
  return receiptFor(deps, order, opts.locale ?? orderLocale(customer, channel));
}

/**
 * The receipt of an order already read, in `locale`: a notification reads the order once to decide whether a
 * message goes at all, and builds the receipt from that same read only when it does.
 */
export async function receiptFor(
  deps: Pick<ReceiptDeps, 'payments' | 'locations'>,
  order: OrderDetail,
  locale: ReceiptLocale,
) {
  const money = (amount: number) => ({
    amount,
    currency: order.currency,
    text: new Intl.NumberFormat(locale, { style: 'currency', currency: order.currency }).format(amount / 100),
  });
  const storeId =
    order.fulfilments.find((f) => f.mode === 'handover')?.location_id ?? order.lines[0]?.delivery.location_id;
  const store = storeId ? await deps.locations.retrieveLocation(storeId).catch(() => null) : null;
  const { data: payments } = await deps.payments.listPayments({ order_id: order.id, limit: 50 });
  return {
    order_id: order.id,
    number: order.display_number,
    placed_at: order.placed_at,
    placed_at_text: new Intl.DateTimeFormat(locale, {
      dateStyle: 'short',
      timeStyle: 'short',
      timeZone: store?.timezone ?? 'UTC',
    }).format(new Date(order.placed_at)),
    locale,
    labels: labels[locale],
    store: store ? { name: store.name, address: { ...store.address } as Record<string, unknown> } : null,
    lines: order.lines.map((l) => ({
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      unit_price: money(l.unit_price.amount),
      discount: money(l.discount.amount),
      total: money(l.total.amount),
      mode: l.delivery.mode,
    })),
    totals: {
      subtotal: money(order.totals.subtotal.amount),
      discount: money(order.totals.discount.amount),
      shipping: money(order.totals.shipping.amount),
      tax: money(order.totals.tax.amount),
      total: money(order.totals.total.amount),
    },
    // In the order they were taken (ids sort by time).
    payments: [...payments]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((p) => ({
        provider: p.provider,
        label: providerNames[locale][p.provider] ?? p.provider,
        amount: money(p.amount_captured.amount || p.amount_authorized.amount),
        change_due: typeof p.details.change_due === 'number' ? money(p.details.change_due) : null,
        last4: typeof p.details.last4 === 'string' ? p.details.last4 : null,
      })),
  };
}

export type Receipt = Awaited<ReturnType<typeof receiptFor>>;
