/**
 * @module Product feeds for marketplaces and social shops: what one channel sells (published and active there,
 * its overrides applied), at the price `priceFor` computes for that channel and with the availability that
 * channel's stock allocation gives. Stock comes in through a function, so the catalog never reads inventory tables.
 */
import { AppError, notFound } from '../../platform/errors';
import type { CatalogService } from './catalog.service';
import type { CategoryNode } from './category.repository';
import { channelView } from './channel-view';
import {
  feedZone,
  googleAgeGroup,
  googleGender,
  googlePricing,
  type GoogleFeed,
  type GoogleFeedItem,
  type SaleWindow,
} from './feed.google';
import { localize } from './localized';
import type { PricesService } from './price.service';
import type { Product } from './product.repository';

export interface FeedDeps {
  catalog: CatalogService;
  prices: PricesService;
  /** The channel's name and settings, or null when unknown. */
  channel: (id: string) => Promise<{ name: string; kind: string; config: Record<string, unknown> } | null>;
  /** Units the channel can sell now per SKU (its allocation, holdbacks and safety stock applied). */
  availableUnits: (channelId: string, skus: string[]) => Promise<Map<string, number>>;
}

export interface FeedOptions {
  /** Texts in this locale (best match); default the channel's `default_locale`, else English. */
  locale?: string | undefined;
  /** Default the channel's `currency`, else EUR. */
  currency?: string | undefined;
}

export interface FeedResult {
  /** The feed's data; feed.google.ts renders it as XML, feed.google.tsv.ts as TSV. */
  feed: GoogleFeed;
  /** Variants left out because they have no price in the feed's currency for this channel. */
  unpriced: number;
}

const PAGE = 200;
/** SKUs per price and stock look-up: keeps IN lists and transactions small. */
const CHUNK = 500;

function categoryPaths(tree: CategoryNode[], locale: string): Map<string, string> {
  const paths = new Map<string, string>();
  const walk = (nodes: CategoryNode[], prefix: string) => {
    for (const n of nodes) {
      const path = prefix ? `${prefix} > ${localize(n.name, locale)}` : localize(n.name, locale);
      paths.set(n.id, path);
      walk(n.children, path);
    }
  };
  walk(tree, '');
  return paths;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

export function createFeedService(deps: FeedDeps) {
  const { catalog, prices } = deps;

  async function visibleProducts(channelId: string): Promise<Product[]> {
    const all: Product[] = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.products.listProducts({ visible_in: channelId, limit: PAGE, cursor });
      all.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return all;
  }

  /** The windows of the sale lists that priced the feed; a list deleted since is left out (its sale gets no date). */
  async function saleWindows(listIds: Iterable<string>): Promise<Map<string, SaleWindow>> {
    const time = (iso: string | null) => (iso === null ? null : Date.parse(iso));
    const windows = new Map<string, SaleWindow>();
    for (const id of listIds) {
      const list = await prices.retrievePriceList(id).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'not_found') return null;
        throw err;
      });
      if (list) windows.set(id, { starts_at: time(list.starts_at), ends_at: time(list.ends_at) });
    }
    return windows;
  }

  return {
    /**
     * The Google Merchant feed of one channel: every variant the channel sells with its price there (a sale as
     * `sale_price`, with `sale_price_effective_date` when its list has an end), availability from the channel's
     * stock, GTIN, brand, size, colour, gender and age group when the product says them. Links point to the
     * channel's shop (`config.url`). The caller renders it (XML or TSV).
     * @example const { feed } = await feeds.googleFeed('cha_web', { locale: 'es' }); renderGoogleFeed(feed)
     */
    async googleFeed(channelId: string, options: FeedOptions = {}): Promise<FeedResult> {
      const channel = await deps.channel(channelId);
      if (!channel) throw notFound('channel', channelId);
      const shopUrl = text(channel.config.url)?.replace(/\/+$/, '');
      if (!shopUrl)
        throw new AppError(
          'unprocessable',
          `Channel ${channel.name} has no shop URL (config.url): feed items need a link to the product page.`,
          { errors: [{ field: 'params.channel', message: 'has no config.url for product links' }] },
        );
      const locale = options.locale ?? text(channel.config.default_locale) ?? 'en';
      const currency = options.currency ?? text(channel.config.currency) ?? 'EUR';
      const zone = feedZone(channel.config.timezone);
      // One instant for the whole feed: every price, and the start of a sale that has none, is as of then.
      const at = Date.now();
      const [products, tree] = await Promise.all([
        visibleProducts(channelId),
        catalog.categories.retrieveCategoryTree(),
      ]);
      const paths = categoryPaths(tree, locale);
      const variants = products.flatMap((product) =>
        product.variants.map((variant) => ({ product, variant })),
      );

      const priceOf = new Map<
        string,
        { amount: number; compare_at: number | null; sale_list: string | null }
      >();
      const units = new Map<string, number>();
      for (let i = 0; i < variants.length; i += CHUNK) {
        const chunk = variants.slice(i, i + CHUNK);
        const [priced, stock] = await Promise.all([
          prices.priceFor({ variantIds: chunk.map((v) => v.variant.id), currency, channelId, at }),
          deps.availableUnits(
            channelId,
            chunk.map((v) => v.variant.sku),
          ),
        ]);
        for (const p of priced.data)
          if (p.price)
            priceOf.set(p.variant_id, {
              amount: p.price.amount,
              compare_at: p.compare_at?.amount ?? null,
              sale_list: p.source.type === 'sale' ? p.source.price_list_id : null,
            });
        for (const [sku, n] of stock) units.set(sku, n);
      }
      const windows = await saleWindows(
        new Set([...priceOf.values()].flatMap((p) => (p.sale_list ? [p.sale_list] : []))),
      );

      const items: GoogleFeedItem[] = [];
      let unpriced = 0;
      for (const { product, variant } of variants) {
        const price = priceOf.get(variant.id);
        // Google refuses an item without a price: leave it out and say how many were left out.
        if (!price) {
          unpriced += 1;
          continue;
        }
        const view = channelView(product, channelId);
        const media = [...variant.media, ...view.media];
        const attribute = (key: string) => product.attributes.find((a) => a.key === key)?.value;
        const variantTitle = variant.title ? localize(variant.title, locale) : '';
        items.push({
          id: variant.sku,
          title: [localize(view.title, locale), variantTitle].filter(Boolean).join(' — '),
          description: localize(view.description, locale) || localize(view.title, locale),
          link: `${shopUrl}/products/${encodeURIComponent(product.handle)}?variant=${encodeURIComponent(variant.id)}`,
          image_link: media[0]?.url ?? null,
          additional_image_links: media.slice(1).map((m) => m.url),
          availability: (units.get(variant.sku) ?? 0) > 0 ? 'in_stock' : 'out_of_stock',
          ...googlePricing(
            { ...price, sale: price.sale_list ? (windows.get(price.sale_list) ?? null) : null },
            currency,
            at,
            zone,
          ),
          gtin: variant.gtin,
          brand: product.brand,
          item_group_id: product.id,
          size: variant.options.size ?? null,
          color: variant.options.colour ?? variant.options.color ?? null,
          gender: googleGender(attribute('gender')),
          age_group: googleAgeGroup(attribute('age_group')),
          product_type: product.category_ids.map((id) => paths.get(id)).find(Boolean) ?? null,
        });
      }
      const feed = {
        title: channel.name,
        link: shopUrl,
        description: `${channel.name}: products, prices and availability`,
        items,
      };
      return { feed, unpriced };
    },
  };
}

export type FeedService = ReturnType<typeof createFeedService>;
