/**
 * @module Google Merchant Center product feed as RSS 2.0 with the `g:` namespace
 * (https://support.google.com/merchants/answer/7052112): one `<item>` per variant, grouped by `item_group_id`.
 * Pure rendering: feed.service.ts gathers what each channel sells, at its price and availability.
 */

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

function renderItem(item: GoogleFeedItem): string {
  const fields: Array<[string, string | null]> = [
    ['g:id', item.id],
    ['g:title', clip(item.title, 150)],
    ['g:description', clip(item.description, 5000)],
    ['g:link', item.link],
    ['g:image_link', item.image_link],
    ...item.additional_image_links
      .slice(0, 10)
      .map((url): [string, string] => ['g:additional_image_link', url]),
    ['g:availability', item.availability],
    ['g:price', item.price],
    ['g:sale_price', item.sale_price],
    ['g:condition', 'new'],
    ['g:brand', item.brand],
    ['g:gtin', item.gtin],
    // Without a GTIN Google needs to be told there is none, or it disapproves the item.
    ['g:identifier_exists', item.gtin ? null : 'no'],
    ['g:item_group_id', item.item_group_id],
    ['g:size', item.size],
    ['g:color', item.color],
    ['g:gender', item.gender],
    ['g:age_group', item.age_group],
    ['g:product_type', item.product_type],
  ];
  const body = fields
    .filter((f): f is [string, string] => f[1] !== null && f[1] !== '')
    .map(([tag, value]) => `<${tag}>${xmlText(value)}</${tag}>`)
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
