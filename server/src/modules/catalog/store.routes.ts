/**
 * @module Storefront routes (/store/v1/products, /store/v1/categories) for a publishable key: only products
 * published to the key's channel and active there, with that channel's overrides applied, in the shopper's
 * language (`?locale=`, else the first Accept-Language tag, else English).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, notFound } from '../../platform/errors';
import { ListQuery, Nullable, strictObject } from '../../platform/http/schemas';
import { parseAttr, productListFilters, StoreFacets } from './catalog.schemas';
import type { CatalogService } from './catalog.service';
import { storeProduct } from './channel-view';
import { channelView } from './channel-view';
import { localize, LOCALE_PATTERN } from './localized';
import type { CategoryNode } from './category.repository';
import { normalizeTag } from './product.rules';

const tags = ['store'];
const Text = Type.String();
const localMedia = Type.Array(Type.Object({ url: Type.String(), alt: Type.String() }));
const Measurement = Type.Union([Type.Number(), Type.Tuple([Type.Number(), Type.Number()])]);

const StoreProductSchema = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    locale: Type.String(),
    title: Text,
    description: Text,
    brand: Nullable(Type.String()),
    options: Type.Array(
      Type.Object({ name: Type.String(), label: Type.String(), values: Type.Array(Type.String()) }),
    ),
    media: localMedia,
    category_ids: Type.Array(Type.String()),
    tags: Type.Array(Type.String()),
    attributes: Type.Array(
      Type.Object({
        key: Type.String(),
        type: Type.String(),
        value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
      }),
    ),
    variants: Type.Array(
      Type.Object({
        id: Type.String(),
        sku: Type.String(),
        gtin: Nullable(Type.String()),
        title: Type.String(),
        options: Type.Record(Type.String(), Type.String()),
        media: localMedia,
      }),
    ),
    size_chart: Nullable(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        source: Type.String(),
        unit: Type.String(),
        columns: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
        rows: Type.Array(
          Type.Object({ size: Type.String(), values: Type.Record(Type.String(), Measurement) }),
        ),
        fit_notes: Type.String(),
      }),
    ),
  },
  { title: 'StoreProduct' },
);

interface StoreCategory {
  id: string;
  handle: string;
  name: string;
  children: StoreCategory[];
}
const StoreCategorySchema = Type.Object({
  id: Type.String(),
  handle: Type.String(),
  name: Type.String(),
  children: Type.Array(Type.Unknown()),
});

const localePattern = new RegExp(LOCALE_PATTERN);

/** `?locale=` wins; else the first Accept-Language tag we can use (`es-mx;q=0.9` → `es-MX`). */
function shopperLocale(request: FastifyRequest, asked: string | undefined): string | undefined {
  if (asked) return asked;
  const header = request.headers['accept-language'];
  for (const part of (typeof header === 'string' ? header : '').split(',')) {
    const [language, region] = part.split(';')[0]!.trim().split('-');
    const tag = region ? `${language?.toLowerCase()}-${region.toUpperCase()}` : language?.toLowerCase();
    if (tag && localePattern.test(tag)) return tag;
  }
  return undefined;
}

function channelOf(request: FastifyRequest): string {
  if (request.principal.kind !== 'publishable_key')
    throw new AppError('forbidden', 'A publishable key is required.');
  return request.principal.channelId;
}

export function storeRoutes(catalog: CatalogService): FastifyPluginAsyncTypebox {
  const { products, categories } = catalog;
  return async (app) => {
    app.get(
      '/store/v1/products',
      {
        config: { access: 'publishable' },
        schema: {
          tags,
          summary: 'Products this channel sells: filter, search (ranked), facets, in the shopper’s language',
          querystring: strictObject({ ...ListQuery, ...productListFilters }),
          response: {
            200: Type.Object({
              data: Type.Array(StoreProductSchema),
              next_cursor: Nullable(Type.String()),
              facets: Type.Optional(StoreFacets),
            }),
          },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const { attr, tag, facets, locale, ...query } = request.query;
        const want = shopperLocale(request, locale);
        const result = await products.listProducts(
          { ...query, tag: tag?.map(normalizeTag), attributes: parseAttr(attr), visible_in: channelId },
          { facets: facets ?? Boolean(query.q) },
        );
        return {
          data: result.data.map((p) => storeProduct(p, channelId, want)),
          next_cursor: result.next_cursor,
          ...(result.facets
            ? {
                facets: {
                  ...result.facets,
                  categories: result.facets.categories.map((c) => ({ ...c, name: localize(c.name, want) })),
                },
              }
            : {}),
        };
      },
    );

    app.get(
      '/store/v1/products/:handle',
      {
        config: { access: 'publishable' },
        schema: {
          tags,
          summary: 'One product by handle or id, if this channel sells it',
          params: strictObject({ handle: Type.String({ minLength: 1, maxLength: 100 }) }),
          querystring: strictObject({ locale: productListFilters.locale }),
          response: { 200: StoreProductSchema },
        },
      },
      async (request) => {
        const channelId = channelOf(request);
        const product = await products.retrieveProductByIdOrHandle(request.params.handle);
        // Unpublished or inactive here reads as unknown: a storefront must not learn what other channels sell.
        if (!channelView(product, channelId).visible) throw notFound('product', request.params.handle);
        return storeProduct(product, channelId, shopperLocale(request, request.query.locale));
      },
    );

    app.get(
      '/store/v1/categories',
      {
        config: { access: 'publishable' },
        schema: {
          tags,
          summary: 'The category tree in the shopper’s language',
          querystring: strictObject({ locale: productListFilters.locale }),
          response: { 200: Type.Object({ data: Type.Array(StoreCategorySchema) }) },
        },
      },
      async (request) => {
        channelOf(request);
        const want = shopperLocale(request, request.query.locale);
        const local = (n: CategoryNode): StoreCategory => ({
          id: n.id,
          handle: n.handle,
          name: localize(n.name, want),
          children: n.children.map(local),
        });
        return { data: (await categories.retrieveCategoryTree()).map(local) };
      },
    );
  };
}
