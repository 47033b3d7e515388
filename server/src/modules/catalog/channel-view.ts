/**
 * @module A product as one channel shows it: the channel's overrides applied over the default product, its
 * effective status, and — for storefronts — every text in the one locale that best serves the shopper.
 */
import { bestLocale, DEFAULT_LOCALE, localize, type LocalizedText, type Media } from './localized';
import type { Attribute, OverrideField, Product, ProductChannel } from './product.repository';
import type { SizeChartSource, SizeUnit, Measurement } from './size-chart.repository';

export interface ChannelView {
  product_id: string;
  channel_id: string;
  published: boolean;
  published_at: string | null;
  /** `archived` everywhere once archived; otherwise the channel's status override, else the product's status. */
  status: 'draft' | 'active' | 'archived';
  /** Whether the channel's shoppers see it: published there and active there. */
  visible: boolean;
  title: LocalizedText;
  description: LocalizedText;
  media: Media[];
  overrides: ProductChannel['overrides'];
  /** "This channel differs from the default in: title". */
  differs: OverrideField[];
}

/**
 * Applies a channel's overrides to a product.
 * @example channelView(product, 'cha_pos').differs // → ['title']
 */
export function channelView(product: Product, channelId: string): ChannelView {
  const c = product.channels.find((x) => x.channel_id === channelId);
  const overrides = c?.overrides ?? {};
  const status = product.status === 'archived' ? 'archived' : (overrides.status ?? product.status);
  const published = c?.published ?? false;
  return {
    product_id: product.id,
    channel_id: channelId,
    published,
    published_at: c?.published_at ?? null,
    status,
    visible: published && status === 'active',
    title: overrides.title ?? product.title,
    description: overrides.description ?? product.description,
    media: overrides.media ?? product.media,
    overrides,
    differs: c?.differs ?? [],
  };
}

export interface StoreProduct {
  id: string;
  handle: string;
  /** The locale of the title (the best match for the one asked for); other texts fall back on their own. */
  locale: string;
  title: string;
  description: string;
  brand: string | null;
  options: Array<{ name: string; label: string; values: string[] }>;
  media: Array<{ url: string; alt: string }>;
  category_ids: string[];
  tags: string[];
  attributes: Attribute[];
  variants: Array<{
    id: string;
    sku: string;
    gtin: string | null;
    title: string;
    options: Record<string, string>;
    media: Array<{ url: string; alt: string }>;
  }>;
  size_chart: {
    id: string;
    name: string;
    source: SizeChartSource;
    unit: SizeUnit;
    columns: Array<{ key: string; label: string }>;
    rows: Array<{ size: string; values: Record<string, Measurement> }>;
    fit_notes: string;
  } | null;
}

const localMedia = (media: Media[], locale: string) =>
  media.map((m) => ({ url: m.url, alt: localize(m.alt, locale) }));

/**
 * A product as a storefront shows it: one channel's overrides, one locale, nothing staff-only (other channels,
 * publication bookkeeping).
 * @example storeProduct(product, 'cha_web', 'es-MX').title // → 'Camisa de lino'
 */
export function storeProduct(product: Product, channelId: string, wanted: string | undefined): StoreProduct {
  const view = channelView(product, channelId);
  const locale = bestLocale(view.title, wanted) ?? wanted ?? DEFAULT_LOCALE;
  // Each text falls back on its own: a Russian title with only an English description shows both.
  const want = wanted ?? locale;
  const chart = product.size_chart;
  return {
    id: product.id,
    handle: product.handle,
    locale,
    title: localize(view.title, want),
    description: localize(view.description, want),
    brand: product.brand,
    options: product.options.map((o) => ({
      name: o.name,
      label: localize(o.label, want) || o.name,
      values: o.values,
    })),
    media: localMedia(view.media, want),
    category_ids: product.category_ids,
    tags: product.tags,
    attributes: product.attributes,
    variants: product.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      gtin: v.gtin,
      title: localize(v.title, want) || Object.values(v.options).join(' / ') || localize(view.title, want),
      options: v.options,
      media: localMedia(v.media, want),
    })),
    size_chart: chart
      ? {
          id: chart.id,
          name: chart.name,
          source: chart.source,
          unit: chart.unit,
          columns: chart.columns.map((c) => ({ key: c.key, label: localize(c.label, want) || c.key })),
          rows: chart.rows,
          fit_notes: localize(chart.fit_notes, want),
        }
      : null,
  };
}
