/**
 * @module Product lists and search: one function for staff lists, storefront lists and full-text queries, with
 * filters (status, brand, category subtree, collection, tags, attribute values, channel, price range), ranking,
 * and facets.
 * Full text runs on SQLite FTS5 or PostgreSQL tsvector (the one dialect branch is `textMatch`).
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../../platform/db/columns';
import type { Database } from '../../platform/db/schema';
import type { DbOrTrx } from '../../platform/db/transaction';
import { AppError } from '../../platform/errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate, type Page } from '../../platform/http/pagination';
import { tokens, type LocalizedText } from './localized';
import { subtreeIds, textMatch } from './search.text';
import { encodeOverride, type ProductRow, type ProductStatus } from './product.repository';

export interface ProductQuery {
  /** Full text over titles, descriptions, attributes, tags, categories, SKUs and GTINs (prefix match per word). */
  q?: string | undefined;
  status?: ProductStatus[] | undefined;
  brand?: string[] | undefined;
  /** Products in any of these categories or any category below them. */
  category_id?: string[] | undefined;
  collection_id?: string[] | undefined;
  tag?: string[] | undefined;
  /** `{ material: ['linen', 'cotton'] }`: values of one key are alternatives; keys must all match. */
  attributes?: Record<string, string[]> | undefined;
  /** Staff: only products published to this channel. */
  published_to?: string | undefined;
  /** Storefront: only what this channel shows — published to it and active there (its status override applies). */
  visible_in?: string | undefined;
  /**
   * Only products with a variant priced at least / at most this (minor units) for an anonymous shopper in the
   * channel (`visible_in`, else `published_to`), in `price_currency` or else the currency of the price facet.
   */
  price_min?: number | undefined;
  price_max?: number | undefined;
  price_currency?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface CategoryFacet {
  id: string;
  handle: string;
  name: LocalizedText;
  count: number;
}

/** A price range over the matching products; computed by the prices part of the catalog when it is wired in. */
export interface PriceFacet {
  min: { amount: number; currency: string };
  max: { amount: number; currency: string };
}

export interface Facets {
  /** Number of products matching every filter. */
  total: number;
  categories: CategoryFacet[];
  brands: FacetValue[];
  tags: FacetValue[];
  attributes: Array<{ key: string; values: FacetValue[] }>;
  price: PriceFacet | null;
}

/**
 * The hook through which prices add a price-range facet: given the matching product ids and the channel asked
 * about, their price range (or null). Absent until prices are wired in, so `facets.price` is null.
 */
export type PriceFacetHook = (
  productIds: string[],
  context: { channelId: string | null },
) => Promise<PriceFacet | null>;

/**
 * The hook through which prices filter by price: of these products, the ids priced within the range for the
 * channel, and the currency that was compared in. Absent until prices are wired in: a price filter is refused.
 */
export type PriceFilterHook = (
  productIds: string[],
  range: {
    channelId: string | null;
    min?: number | undefined;
    max?: number | undefined;
    currency?: string;
  },
) => Promise<{ ids: string[]; currency: string | null }>;

type Eb = ExpressionBuilder<Database & { p: Database['catalog_products'] }, 'p'>;
interface Resolved {
  /** The query's words, folded. */
  words: string[];
  /** The category filter expanded to every category below; null without a category filter. */
  categoryIds: string[] | null;
  /** The products the price filter keeps; null without one. */
  priceIds: string[] | null;
}

type FilterKey = 'brand' | 'category' | 'tag' | 'price' | `attr:${string}`;

const FACET_SIZE = 50;
const MAX_WORDS = 10;

export function createProductSearch(deps: {
  dialect: Dialect;
  priceFacet?: () => PriceFacetHook | undefined;
  priceFilter?: () => PriceFilterHook | undefined;
}) {
  const { dialect } = deps;

  /** The conditions of a query; `without` leaves one filter out (a facet counts its own values without it). */
  function conditions(
    query: ProductQuery,
    resolved: Resolved,
    without?: FilterKey,
  ): (eb: Eb) => Expression<SqlBool> {
    return (eb) => {
      const all: Array<Expression<SqlBool>> = [];
      if (query.status?.length) all.push(eb('p.status', 'in', query.status));
      if (query.brand?.length && without !== 'brand') all.push(eb('p.brand', 'in', query.brand));
      if (resolved.categoryIds && without !== 'category') {
        const ids = resolved.categoryIds;
        all.push(
          ids.length === 0
            ? sql<SqlBool>`1 = 0`
            : eb.exists(
                eb
                  .selectFrom('catalog_product_categories as pc')
                  .select(sql.lit(1).as('one'))
                  .whereRef('pc.product_id', '=', 'p.id')
                  .where('pc.category_id', 'in', ids),
              ),
        );
      }
      if (query.collection_id?.length) {
        all.push(
          eb.exists(
            eb
              .selectFrom('catalog_collection_products as cp')
              .select(sql.lit(1).as('one'))
              .whereRef('cp.product_id', '=', 'p.id')
              .where('cp.collection_id', 'in', query.collection_id),
          ),
        );
      }
      if (query.tag?.length && without !== 'tag') {
        all.push(
          eb.exists(
            eb
              .selectFrom('catalog_product_tags as t')
              .select(sql.lit(1).as('one'))
              .whereRef('t.product_id', '=', 'p.id')
              .where('t.tag', 'in', query.tag),
          ),
        );
      }
      for (const [key, values] of Object.entries(query.attributes ?? {})) {
        if (without === `attr:${key}` || values.length === 0) continue;
        all.push(
          eb.exists(
            eb
              .selectFrom('catalog_product_attributes as a')
              .select(sql.lit(1).as('one'))
              .whereRef('a.product_id', '=', 'p.id')
              .where('a.key', '=', key)
              .where('a.value', 'in', values),
          ),
        );
      }
      if (query.published_to) all.push(published(eb, query.published_to));
      if (query.visible_in) {
        const channel = query.visible_in;
        const statusOverride = (value?: string) => {
          let sub = eb
            .selectFrom('catalog_channel_overrides as o')
            .select(sql.lit(1).as('one'))
            .whereRef('o.product_id', '=', 'p.id')
            .where('o.channel_id', '=', channel)
            .where('o.field', '=', 'status');
          if (value) sub = sub.where('o.value', '=', encodeOverride(value));
          return eb.exists(sub);
        };
        all.push(
          published(eb, channel),
          eb('p.status', '<>', 'archived'),
          // The channel's own status wins; without one, the product's status decides.
          eb.or([
            statusOverride('active'),
            eb.and([eb('p.status', '=', 'active'), eb.not(statusOverride())]),
          ]),
        );
      }
      if (resolved.words.length > 0) all.push(eb('p.id', 'in', textMatch(dialect, resolved.words).ids));
      if (resolved.priceIds && without !== 'price') all.push(idIn(resolved.priceIds));
      return eb.and(all);
    };
  }

  /**
   * `p.id` among these ids, bound as one parameter however many there are: a price filter can keep tens of
   * thousands of products, past SQLite's limit on bound variables. The one dialect branch for lists of ids.
   */
  const idIn = (ids: string[]): Expression<SqlBool> =>
    ids.length === 0
      ? sql<SqlBool>`1 = 0`
      : dialect === 'sqlite'
        ? sql<SqlBool>`p.id in (select value from json_each(${JSON.stringify(ids)}))`
        : sql<SqlBool>`p.id = any(${ids}::text[])`;

  const published = (eb: Eb, channelId: string) =>
    eb.exists(
      eb
        .selectFrom('catalog_publications as pub')
        .select(sql.lit(1).as('one'))
        .whereRef('pub.product_id', '=', 'p.id')
        .where('pub.channel_id', '=', channelId),
    );

  async function resolve(db: DbOrTrx, query: ProductQuery): Promise<Resolved> {
    const words = tokens(query.q ?? '').slice(0, MAX_WORDS);
    const categoryIds = query.category_id?.length ? await subtreeIds(db, query.category_id) : null;
    const resolved: Resolved = { words, categoryIds, priceIds: null };
    if (query.price_min === undefined && query.price_max === undefined) return resolved;
    checkPriceRange(query);
    const hook = deps.priceFilter?.();
    if (!hook)
      throw new AppError(
        'validation_failed',
        'Prices are not set up: products cannot be filtered by price.',
        {
          errors: [{ field: 'query.price_min', message: 'cannot be used without prices' }],
        },
      );
    // Priced over the products every other filter keeps — the same set the price facet describes.
    const candidates = (await matchingIds(db, query, resolved).execute()).map((r) => r.id);
    const kept =
      candidates.length === 0
        ? []
        : (
            await hook(candidates, {
              channelId: query.visible_in ?? query.published_to ?? null,
              min: query.price_min,
              max: query.price_max,
              ...(query.price_currency ? { currency: query.price_currency } : {}),
            })
          ).ids;
    return { ...resolved, priceIds: kept };
  }

  /** A range that cannot hold a price is the caller's mistake, named, rather than an empty answer. */
  function checkPriceRange(query: ProductQuery): void {
    if (query.price_min !== undefined && query.price_max !== undefined && query.price_min > query.price_max)
      throw new AppError('validation_failed', 'price_max is below price_min.', {
        errors: [{ field: 'query.price_max', message: 'must not be below price_min' }],
      });
  }

  /** Ranked results paginate by position: the cursor carries an offset into the ranking. */
  function decodeOffset(cursor: string | undefined): number {
    if (!cursor) return 0;
    try {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset?: unknown };
      if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0)
        return parsed.offset;
    } catch {
      // fall through: not a cursor of ours
    }
    throw new AppError('validation_failed', 'The cursor is not one this API returned.', {
      errors: [{ field: 'query.cursor', message: 'is not a valid cursor' }],
    });
  }

  async function page(db: DbOrTrx, query: ProductQuery, resolved: Resolved) {
    if (resolved.words.length === 0) {
      const where = conditions(query, resolved);
      return paginate(
        db.selectFrom('catalog_products as p').selectAll('p').where(where),
        'p.id',
        query,
        (r) => r,
      );
    }
    const limit = Math.min(query.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const offset = decodeOffset(query.cursor);
    // The hits join already restricts to the text matches: the other conditions are enough in WHERE.
    const where = conditions(query, { ...resolved, words: [] });
    const rows = await db
      .selectFrom('catalog_products as p')
      .innerJoin(textMatch(dialect, resolved.words).hits.as('hits'), 'hits.product_id', 'p.id')
      .selectAll('p')
      .where(where)
      .orderBy('hits.score', 'desc')
      .orderBy('p.id', 'desc')
      .limit(limit + 1)
      .offset(offset)
      .execute();
    const more = rows.length > limit;
    return {
      data: (more ? rows.slice(0, limit) : rows) as ProductRow[],
      next_cursor: more
        ? Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64url')
        : null,
    };
  }

  /** The ids of the products matching the query (without one filter, for that filter's facet). */
  const matchingIds = (db: DbOrTrx, query: ProductQuery, resolved: Resolved, without?: FilterKey) =>
    db
      .selectFrom('catalog_products as p')
      .select('p.id')
      .where(conditions(query, resolved, without));

  async function facets(db: DbOrTrx, query: ProductQuery, resolved: Resolved): Promise<Facets> {
    const matching = (without?: FilterKey) => matchingIds(db, query, resolved, without);
    const count = sql<number>`count(*)`;
    const [total, brands, tags, categories, attributes] = await Promise.all([
      db
        .selectFrom('catalog_products as p')
        .select(count.as('n'))
        .where(conditions(query, resolved))
        .executeTakeFirst(),
      db
        .selectFrom('catalog_products as p')
        .select(['p.brand as value', count.as('count')])
        .where(conditions(query, resolved, 'brand'))
        .where('p.brand', 'is not', null)
        .groupBy('p.brand')
        .orderBy(count, 'desc')
        .orderBy('p.brand')
        .limit(FACET_SIZE)
        .execute(),
      db
        .selectFrom('catalog_product_tags as t')
        .select(['t.tag as value', count.as('count')])
        .where('t.product_id', 'in', matching('tag'))
        .groupBy('t.tag')
        .orderBy(count, 'desc')
        .orderBy('t.tag')
        .limit(FACET_SIZE)
        .execute(),
      db
        .selectFrom('catalog_product_categories as pc')
        .innerJoin('catalog_categories as c', 'c.id', 'pc.category_id')
        .select(['c.id', 'c.handle', 'c.name', count.as('count')])
        .where('pc.product_id', 'in', matching('category'))
        .groupBy(['c.id', 'c.handle', 'c.name'])
        .orderBy(count, 'desc')
        .orderBy('c.handle')
        .limit(FACET_SIZE)
        .execute(),
      attributeFacets(db, query, resolved),
    ]);
    const hook = deps.priceFacet?.();
    let price: PriceFacet | null = null;
    if (hook) {
      // The range before the price filter: a storefront's slider keeps showing every price it can move to.
      const ids = (await matching('price').execute()).map((r) => r.id);
      price =
        ids.length > 0
          ? await hook(ids, { channelId: query.visible_in ?? query.published_to ?? null })
          : null;
    }
    return {
      total: Number(total?.n ?? 0),
      brands: brands.map((b) => ({ value: b.value!, count: Number(b.count) })),
      tags: tags.map((t) => ({ value: t.value, count: Number(t.count) })),
      categories: categories.map((c) => ({
        id: c.id,
        handle: c.handle,
        name: (typeof c.name === 'string' ? JSON.parse(c.name) : c.name) as LocalizedText,
        count: Number(c.count),
      })),
      attributes,
      price,
    };
  }

  /** Values per attribute key; a key the query filters on is counted without its own filter. */
  async function attributeFacets(
    db: DbOrTrx,
    query: ProductQuery,
    resolved: Resolved,
  ): Promise<Array<{ key: string; values: FacetValue[] }>> {
    const matching = (without?: FilterKey) => matchingIds(db, query, resolved, without);
    const count = sql<number>`count(*)`;
    const filteredKeys = Object.keys(query.attributes ?? {}).filter(
      (k) => (query.attributes![k] ?? []).length > 0,
    );
    let base = db
      .selectFrom('catalog_product_attributes as a')
      .select(['a.key', 'a.value', count.as('count')])
      .where('a.product_id', 'in', matching());
    if (filteredKeys.length > 0) base = base.where('a.key', 'not in', filteredKeys);
    const rows = [
      ...(await base.groupBy(['a.key', 'a.value']).execute()),
      ...(
        await Promise.all(
          filteredKeys.map((key) =>
            db
              .selectFrom('catalog_product_attributes as a')
              .select(['a.key', 'a.value', count.as('count')])
              .where('a.key', '=', key)
              .where('a.product_id', 'in', matching(`attr:${key}`))
              .groupBy(['a.key', 'a.value'])
              .execute(),
          ),
        )
      ).flat(),
    ];
    const byKey = new Map<string, FacetValue[]>();
    for (const r of rows) {
      const list = byKey.get(r.key) ?? [];
      list.push({ value: r.value, count: Number(r.count) });
      byKey.set(r.key, list);
    }
    return [...byKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, values]) => ({
        key,
        values: values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, FACET_SIZE),
      }));
  }

  return {
    /**
     * One page of products (rows; the caller loads them whole), ranked by relevance when `q` is given and newest
     * first otherwise, with facets over everything that matches when asked.
     * @example await search.query(db, { q: 'camisa lino', visible_in: 'cha_web', tag: ['summer'] }, { facets: true })
     */
    async query(
      db: DbOrTrx,
      query: ProductQuery,
      options: { facets?: boolean } = {},
    ): Promise<Page<ProductRow> & { facets?: Facets }> {
      const resolved = await resolve(db, query);
      const result = await page(db, query, resolved);
      if (!options.facets) return result;
      return { ...result, facets: await facets(db, query, resolved) };
    },
  };
}

export type ProductSearch = ReturnType<typeof createProductSearch>;
