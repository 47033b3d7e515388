/**
 * @module The public receipt page an SMS receipt links to (`/r/<token>`): the token (24 random bytes, base64url)
 * is the only key, stored as its SHA-256, so a database read gives nobody a working link. The page is plain
 * server-rendered HTML holding what a paper receipt holds — store, date, order number, lines, totals, tenders
 * (card last four) — and nothing about the customer: no name, address, email or phone.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Receipt, ReceiptLocale } from './pos.receipt';

/** How long an SMS receipt's link opens its page. */
export const RECEIPT_LINK_TTL_MS = 90 * 86_400_000; // 90 days

/** The token's shape on the wire: what `mintReceiptToken` makes (32 characters), with some room. */
export const RECEIPT_TOKEN_PATTERN = '^[A-Za-z0-9_-]{20,64}$';

export const hashReceiptToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new token for one SMS: the plaintext goes in the message, the hash in `receipt_links`. */
export function mintReceiptToken(): { token: string; tokenHash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, tokenHash: hashReceiptToken(token) };
}

const pageTexts: Record<ReceiptLocale, { title: string; gone: string; goneLead: string; payments: string }> =
  {
    en: {
      title: 'Receipt',
      gone: 'Receipt not found',
      goneLead: 'This receipt link is not valid or has expired. Ask the store for a new copy.',
      payments: 'Payments',
    },
    es: {
      title: 'Ticket',
      gone: 'Ticket no encontrado',
      goneLead: 'Este enlace al ticket no es válido o ha caducado. Pida una nueva copia en la tienda.',
      payments: 'Pagos',
    },
    ru: {
      title: 'Чек',
      gone: 'Чек не найден',
      goneLead: 'Ссылка на чек недействительна или устарела. Попросите в магазине новую копию.',
      payments: 'Оплата',
    },
  };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (locale: string, title: string, body: string) =>
  `<!doctype html><html lang="${locale}"><head><meta charset="utf-8">` +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
  `<title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:30rem;margin:2rem auto;` +
  'padding:0 1rem;color:#222}table{width:100%;border-collapse:collapse}td{padding:.2rem 0;vertical-align:top}' +
  'td.n{text-align:right;white-space:nowrap;padding-left:1rem}tr.total td{font-weight:bold;border-top:1px solid #999}' +
  '.muted{color:#666;font-size:.9rem}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}</style></head>' +
  `<body>${body}</body></html>`;

/** The street address of the store as printed on a receipt (the fields a location's address has, in order). */
function storeAddress(address: Record<string, unknown>): string {
  return ['line1', 'line2', 'postal_code', 'city', 'region', 'country']
    .map((k) => address[k])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .join(', ');
}

/**
 * The receipt as a page, in the receipt's locale.
 * @example reply.type('text/html; charset=utf-8').send(renderReceiptPage(await receiptOf(deps, orderId)))
 */
export function renderReceiptPage(receipt: Receipt): string {
  const e = escapeHtml;
  const L = receipt.labels;
  const t = pageTexts[receipt.locale];
  const row = (label: string, amount: string, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><td>${e(label)}</td><td class="n">${e(amount)}</td></tr>`;
  const totals = [row(L.subtotal, receipt.totals.subtotal.text)];
  if (receipt.totals.discount.amount) totals.push(row(L.discount, `−${receipt.totals.discount.text}`));
  if (receipt.totals.shipping.amount) totals.push(row(L.shipping, receipt.totals.shipping.text));
  totals.push(row(L.tax, receipt.totals.tax.text), row(L.total, receipt.totals.total.text, 'total'));
  const payments = receipt.payments.map((p) =>
    row(
      `${p.label}${p.last4 ? ` ····${p.last4}` : ''}${p.change_due?.amount ? ` (${L.change} ${p.change_due.text})` : ''}`,
      p.amount.text,
    ),
  );
  const store = receipt.store
    ? `<p><strong>${e(receipt.store.name)}</strong><br><span class="muted">${e(storeAddress(receipt.store.address))}</span></p>`
    : '';
  const body = [
    `<h1>${e(t.title)} ${e(receipt.number)}</h1>`,
    store,
    `<p class="muted">${e(L.order)} ${e(receipt.number)} · <time datetime="${e(receipt.placed_at)}">${e(receipt.placed_at_text)}</time></p>`,
    '<table>',
    ...receipt.lines.map((l) =>
      row(
        `${l.quantity} × ${l.title} (${l.sku})${l.quantity > 1 ? ` · ${l.unit_price.text}` : ''}`,
        l.total.text,
      ),
    ),
    '</table><table style="margin-top:1rem">',
    ...totals,
    '</table>',
    payments.length ? `<h2>${e(t.payments)}</h2><table>${payments.join('')}</table>` : '',
    `<p>${e(L.thanks)}</p>`,
  ].join('');
  return page(receipt.locale, `${t.title} ${receipt.number}`, body);
}

/** The page a wrong, expired or revoked link gets (with a 404), in the link's locale or the browser's. */
export function renderReceiptGonePage(locale: ReceiptLocale): string {
  const t = pageTexts[locale];
  return page(locale, t.gone, `<h1>${escapeHtml(t.gone)}</h1><p>${escapeHtml(t.goneLead)}</p>`);
}
