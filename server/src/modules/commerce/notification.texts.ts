/**
 * @module What customer notifications say, in en/es/ru: a subject and a lead sentence per kind, and the email and
 * SMS bodies built around them. Amounts, dates and the receipt's labels come from the receipt (pos.receipt.ts), so
 * an email, an SMS and the till's print say the same thing in the same format.
 */
import type { Receipt, ReceiptLocale } from './pos.receipt';

export const notificationKinds = [
  'order_confirmation',
  'receipt',
  'pickup_ready',
  'shipped',
  'out_for_delivery',
  'refund_issued',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** What a message may speak of beyond the order itself. */
export interface NotificationFacts {
  code?: string | undefined;
  store?: string | undefined;
  until?: string | undefined;
  carrier?: string | undefined;
  tracking?: string | undefined;
  tracking_url?: string | undefined;
  amount?: string | undefined;
  /** An SMS receipt's public page (`/r/<token>`). */
  receipt_url?: string | undefined;
}

type Texts = Record<NotificationKind, { subject: string; lead: string }> & {
  preferences: string;
  tracking: string;
  number: string;
};

const texts: Record<ReceiptLocale, Texts> = {
  en: {
    order_confirmation: {
      subject: 'Order {number} confirmed',
      lead: 'Thank you! We have received your order {number}.',
    },
    receipt: { subject: 'Your receipt {number}', lead: 'Here is the receipt of your purchase {number}.' },
    pickup_ready: {
      subject: 'Order {number} is ready for pickup',
      lead: 'Your order {number} is ready at {store}. Show this code at the counter: {code}. We keep it for you until {until}.',
    },
    shipped: {
      subject: 'Order {number} has shipped',
      lead: 'Your order {number} is on its way with {carrier}.',
    },
    out_for_delivery: {
      subject: 'Order {number} is out for delivery',
      lead: 'Your order {number} is out for delivery today.',
    },
    refund_issued: {
      subject: 'Refund for order {number}',
      lead: 'We have refunded {amount} for your order {number}. It may take a few days to reach your account.',
    },
    preferences: 'Manage your preferences',
    tracking: 'Tracking number',
    number: 'Order',
  },
  es: {
    order_confirmation: {
      subject: 'Pedido {number} confirmado',
      lead: '¡Gracias! Hemos recibido su pedido {number}.',
    },
    receipt: { subject: 'Su ticket {number}', lead: 'Este es el ticket de su compra {number}.' },
    pickup_ready: {
      subject: 'Su pedido {number} está listo para recoger',
      lead: 'Su pedido {number} le espera en {store}. Muestre este código en el mostrador: {code}. Se lo guardamos hasta el {until}.',
    },
    shipped: {
      subject: 'Su pedido {number} ha salido',
      lead: 'Su pedido {number} está en camino con {carrier}.',
    },
    out_for_delivery: {
      subject: 'Su pedido {number} está en reparto',
      lead: 'Su pedido {number} se entrega hoy.',
    },
    refund_issued: {
      subject: 'Reembolso del pedido {number}',
      lead: 'Le hemos reembolsado {amount} de su pedido {number}. Puede tardar unos días en llegar a su cuenta.',
    },
    preferences: 'Gestionar sus preferencias',
    tracking: 'Número de seguimiento',
    number: 'Pedido',
  },
  ru: {
    order_confirmation: {
      subject: 'Заказ {number} подтверждён',
      lead: 'Спасибо! Мы получили ваш заказ {number}.',
    },
    receipt: { subject: 'Ваш чек {number}', lead: 'Чек вашей покупки {number}.' },
    pickup_ready: {
      subject: 'Заказ {number} готов к выдаче',
      lead: 'Ваш заказ {number} ждёт вас в магазине {store}. Покажите этот код на кассе: {code}. Мы храним заказ до {until}.',
    },
    shipped: {
      subject: 'Заказ {number} отправлен',
      lead: 'Ваш заказ {number} в пути, перевозчик — {carrier}.',
    },
    out_for_delivery: {
      subject: 'Заказ {number} передан курьеру',
      lead: 'Ваш заказ {number} будет доставлен сегодня.',
    },
    refund_issued: {
      subject: 'Возврат средств по заказу {number}',
      lead: 'Мы вернули {amount} по вашему заказу {number}. Деньги могут поступить на счёт через несколько дней.',
    },
    preferences: 'Управлять настройками уведомлений',
    tracking: 'Номер отслеживания',
    number: 'Заказ',
  },
};

const fill = (template: string, values: Record<string, string | undefined>) =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string | null;
}

/**
 * Renders one notification from the order's receipt (its locale, number, lines and totals already formatted).
 * Emails carry the lines and totals and the preference link; an SMS is the lead sentence (plus the total for a
 * receipt) — short enough for one or two segments.
 * @example renderNotification('pickup_ready', 'sms', receipt, { code: '123456', store: 'Madrid', until: '25/11/26 20:00' }, null)
 */
export function renderNotification(
  kind: NotificationKind,
  channelKind: 'email' | 'sms',
  receipt: Receipt,
  facts: NotificationFacts,
  preferencesUrl: string | null,
): RenderedMessage {
  const t = texts[receipt.locale];
  const values = { ...facts, number: receipt.number, carrier: facts.carrier ?? '—' };
  const subject = fill(t[kind].subject, values);
  const lead = fill(t[kind].lead, values);
  const withLines = kind === 'receipt' || kind === 'order_confirmation';
  const tracking =
    kind === 'shipped' && facts.tracking
      ? `${t.tracking}: ${facts.tracking}${facts.tracking_url ? ` (${facts.tracking_url})` : ''}`
      : null;
  const L = receipt.labels;
  if (channelKind === 'sms') {
    const total = withLines ? ` ${L.total}: ${receipt.totals.total.text}.` : '';
    const link = facts.receipt_url ? ` ${facts.receipt_url}` : '';
    return { subject, text: `${lead}${total}${tracking ? ` ${tracking}` : ''}${link}`, html: null };
  }
  const lineTexts = receipt.lines.map((l) => `${l.quantity} × ${l.title} (${l.sku})  ${l.total.text}`);
  const totals: Array<[string, string]> = [[L.subtotal, receipt.totals.subtotal.text]];
  if (receipt.totals.discount.amount) totals.push([L.discount, `−${receipt.totals.discount.text}`]);
  if (receipt.totals.shipping.amount) totals.push([L.shipping, receipt.totals.shipping.text]);
  totals.push([L.tax, receipt.totals.tax.text], [L.total, receipt.totals.total.text]);
  const paid = receipt.payments.map((p): [string, string, string] => [
    `${L.paid} · ${p.label}${p.last4 ? ` ····${p.last4}` : ''}`,
    p.amount.text,
    p.change_due?.amount ? `${L.change} ${p.change_due.text}` : '',
  ]);
  const text = [
    lead,
    ...(tracking ? ['', tracking] : []),
    ...(withLines
      ? [
          '',
          `${t.number} ${receipt.number} · ${receipt.placed_at_text}${receipt.store ? ` · ${receipt.store.name}` : ''}`,
          ...lineTexts,
          '',
          ...totals.map(([k, v]) => `${k}: ${v}`),
          ...(kind === 'receipt' ? paid.map(([k, v, c]) => `${k}: ${v}${c ? ` (${c})` : ''}`) : []),
          '',
          L.thanks,
        ]
      : []),
    ...(preferencesUrl ? ['', `${t.preferences}: ${preferencesUrl}`] : []),
  ].join('\n');
  const e = escapeHtml;
  const row = (cells: string[], strong = false) =>
    `<tr>${cells.map((c, i) => `<td style="padding:2px 8px${i ? ';text-align:right' : ''}">${strong ? `<strong>${e(c)}</strong>` : e(c)}</td>`).join('')}</tr>`;
  const html = [
    `<div lang="${receipt.locale}" style="font-family:sans-serif">`,
    `<p>${e(lead)}</p>`,
    tracking
      ? `<p>${e(t.tracking)}: ${facts.tracking_url ? `<a href="${e(facts.tracking_url)}">${e(facts.tracking!)}</a>` : e(facts.tracking!)}</p>`
      : '',
    withLines
      ? [
          `<p>${e(`${t.number} ${receipt.number} · ${receipt.placed_at_text}${receipt.store ? ` · ${receipt.store.name}` : ''}`)}</p>`,
          '<table>',
          row([L.qty, '', L.total], true),
          ...receipt.lines.map((l) =>
            row([`${l.quantity} × ${l.title} (${l.sku})`, l.unit_price.text, l.total.text]),
          ),
          ...totals.map(([k, v], i) => row([k, '', v], i === totals.length - 1)),
          ...(kind === 'receipt' ? paid.map(([k, v, c]) => row([k, c, v])) : []),
          '</table>',
          `<p>${e(L.thanks)}</p>`,
        ].join('')
      : '',
    preferencesUrl
      ? `<p style="font-size:small"><a href="${e(preferencesUrl)}">${e(t.preferences)}</a></p>`
      : '',
    '</div>',
  ].join('');
  return { subject, text, html };
}
