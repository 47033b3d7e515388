/**
 * @module Google Merchant Center product feed (https://support.google.com/merchants/answer/7052112): one item per
 * variant, grouped by `item_group_id`. `googleAttributes` is the one data model (Google's attribute names and the
 * values as sent, in order); this file renders it as RSS 2.0 with the `g:` namespace and feed.google.tsv.ts as a
 * tab-separated file. Pure: feed.service.ts gathers what each channel sells, at its price and availability.
 */
import { DateTime, IANAZone } from 'luxon';

/** One variant as a feed item; optional fields are left out of the XML when null. */
export interface GoogleFeedItem {
  id: string;
  title: string;
  description: string;
  link: string;
  image_link: string | null;
  additional_image_links: string[];
  availability: 'in_stock' | 'out_of_stock';
  /** Formatted `29.95 EUR`; the regular price when a sale applies. */
  price: string;
  sale_price: string | null;
  /** When the sale runs, `start/end` as Google writes it; null without a sale or when the sale has no end. */
  sale_price_effective_date: string | null;
  gtin: string | null;
  brand: string | null;
  item_group_id: string;
  size: string | null;
  color: string | null;
  gender: 'male' | 'female' | 'unisex' | null;
  age_group: 'newborn' | 'infant' | 'toddler' | 'kids' | 'adult' | null;
  product_type: string | null;
}

export interface GoogleFeed {
  title: string;
  link: string;
  description: string;
  items: GoogleFeedItem[];
}

const genders = new Set(['male', 'female', 'unisex']);
const ageGroups = new Set(['newborn', 'infant', 'toddler', 'kids', 'adult']);

export const googleGender = (value: unknown): GoogleFeedItem['gender'] => {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  // Shops often say women/men; Google wants female/male.
  const mapped = v === 'women' ? 'female' : v === 'men' ? 'male' : v;
  return genders.has(mapped) ? (mapped as GoogleFeedItem['gender']) : null;
};

export const googleAgeGroup = (value: unknown): GoogleFeedItem['age_group'] =>
  typeof value === 'string' && ageGroups.has(value.toLowerCase())
    ? (value.toLowerCase() as GoogleFeedItem['age_group'])
    : null;

/**
 * Minor units as Google writes prices: a decimal point, the currency's own number of decimals, then the code.
 * @example feedPrice(2995, 'EUR') // '29.95 EUR'
 * @example feedPrice(1200, 'JPY') // '1200 JPY'
 */
export function feedPrice(amount: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits!;
  const scale = 10 ** digits;
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const minor = digits > 0 ? `.${String(abs % scale).padStart(digits, '0')}` : '';
  return `${sign}${Math.floor(abs / scale)}${minor} ${currency}`;
}

/** A sale's window as its price list says it: epoch ms, null for an open side. */
export interface SaleWindow {
  starts_at: number | null;
  ends_at: number | null;
}

const MINUTE = 60_000;
const toMinute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;

/** The channel's `config.timezone` when it is an IANA zone, else UTC: sale dates are written in its offset. */
export const feedZone = (value: unknown): string =>
  typeof value === 'string' && IANAZone.isValidZone(value) ? value : 'UTC';

/**
 * `price`, `sale_price` and `sale_price_effective_date` of one item from what priceFor computed at `at`.
 * Google writes a sale's window as `YYYY-MM-DDThh:mm±hhmm/YYYY-MM-DDThh:mm±hhmm`
 * (https://support.google.com/merchants/answer/6324460), to the minute: both ends are cut to the minute, so
 * Google never shows the sale price after the sale ended. The range needs both ends: a sale without an end has
 * no date, and Google applies the sale price until the feed says otherwise; a sale without a start is already
 * running, so `at` stands in for the start. A sale ending within the current minute cannot be written as a
 * range: it is left out and the regular price (the one it beat) shows.
 * @example googlePricing({ amount: 9995, compare_at: 12995, sale: { starts_at: null, ends_at: end } }, 'EUR', at, 'UTC')
 *   // → { price: '129.95 EUR', sale_price: '99.95 EUR', sale_price_effective_date: '2026-11-24T10:00+0000/2026-12-01T00:00+0000' }
 */
export function googlePricing(
  price: { amount: number; compare_at: number | null; sale: SaleWindow | null },
  currency: string,
  at: number,
  zone: string,
): Pick<GoogleFeedItem, 'price' | 'sale_price' | 'sale_price_effective_date'> {
  const only = (amount: number) => ({
    price: feedPrice(amount, currency),
    sale_price: null,
    sale_price_effective_date: null,
  });
  if (price.compare_at === null || price.compare_at <= price.amount) return only(price.amount);
  const onSale = {
    price: feedPrice(price.compare_at, currency),
    sale_price: feedPrice(price.amount, currency),
  };
  if (price.sale?.ends_at == null) return { ...onSale, sale_price_effective_date: null };
  const start = toMinute(price.sale.starts_at ?? at);
  const end = toMinute(price.sale.ends_at);
  // Ending within this minute: the price after it is the one to show.
  if (end <= start) return only(price.compare_at);
  const stamp = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mmZZZ");
  return { ...onSale, sale_price_effective_date: `${stamp(start)}/${stamp(end)}` };
}

/** XML text: the five special characters escaped, and characters XML 1.0 forbids dropped. */
export function xmlText(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** Google's limits: titles 150 characters, descriptions 5,000. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Every attribute the feed sends, in this order (the TSV's columns). */
export const googleAttributeNames = [
  'id',
  'title',
  'description',
  'link',
  'image_link',
  'additional_image_link',
  'availability',
  'price',
  'sale_price',
  'sale_price_effective_date',
  'condition',
  'brand',
  'gtin',
  'identifier_exists',
  'item_group_id',
  'size',
  'color',
  'gender',
  'age_group',
  'product_type',
] as const;
export type GoogleAttribute = (typeof googleAttributeNames)[number];

/**
 * The item as Google's attributes and the values sent, in `googleAttributeNames` order: texts clipped to
 * Google's limits, empty ones left out, `additional_image_link` once per image (at most 10). Both renderers
 * write exactly these.
 * @example googleAttributes(item) // → [['id', 'BOOT-40'], ['title', 'Chelsea boots — 40'], …]
 */
export function googleAttributes(item: GoogleFeedItem): Array<[GoogleAttribute, string]> {
  const fields: Array<[GoogleAttribute, string | null]> = [
    ['id', item.id],
    ['title', clip(item.title, 150)],
    ['description', clip(item.description, 5000)],
    ['link', item.link],
    ['image_link', item.image_link],
    ...item.additional_image_links
      .slice(0, 10)
      .map((url): [GoogleAttribute, string] => ['additional_image_link', url]),
    ['availability', item.availability],
    ['price', item.price],
    ['sale_price', item.sale_price],
    ['sale_price_effective_date', item.sale_price_effective_date],
    ['condition', 'new'],
    ['brand', item.brand],
    ['gtin', item.gtin],
    // Without a GTIN Google needs to be told there is none, or it disapproves the item.
    ['identifier_exists', item.gtin ? null : 'no'],
    ['item_group_id', item.item_group_id],
    ['size', item.size],
    ['color', item.color],
    ['gender', item.gender],
    ['age_group', item.age_group],
    ['product_type', item.product_type],
  ];
  return fields.filter((f): f is [GoogleAttribute, string] => f[1] !== null && f[1] !== '');
}

function renderItem(item: GoogleFeedItem): string {
  const body = googleAttributes(item)
    .map(([name, value]) => `<g:${name}>${xmlText(value)}</g:${name}>`)
    .join('');
  return `<item>${body}</item>`;
}

/**
 * The whole feed as one XML document.
 * @example renderGoogleFeed({ title: 'Web shop', link: 'https://shop.example', description: '…', items })
 */
export function renderGoogleFeed(feed: GoogleFeed): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">',
    '<channel>',
    `<title>${xmlText(feed.title)}</title>`,
    `<link>${xmlText(feed.link)}</link>`,
    `<description>${xmlText(feed.description)}</description>`,
    ...feed.items.map(renderItem),
    '</channel>',
    '</rss>',
    '',
  ].join('\n');
}
