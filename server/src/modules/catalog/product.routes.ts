/**
 * @module Routes: products and their variants (/v1/products), bulk creation, barcode lookup
 * (/v1/variants/by-code/{code}), and channel publication and overrides (/v1/products/{id}/channels/…).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, ListQuery, Nullable, strictObject } from '../../platform/http/schemas';
import {
  ChannelViewSchema,
  LocaleQuery,
  OverridesPatchSchema,
  ProductInputSchema,
  ProductPatchSchema,
  ProductSchema,
  StaffFacets,
  VariantInputSchema,
  VariantPatchSchema,
  VariantSchema,
  parseAttr,
  productListFilters,
} from './catalog.schemas';
import type { CatalogService } from './catalog.service';
import { bestLocale, localize } from './localized';
import { productStatuses, type Product } from './product.repository';
import { normalizeTag } from './product.rules';
import { MAX_BULK_PRODUCTS } from './product.service';

const tags = ['catalog'];
const ChannelIds = strictObject({
  channel_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 }),
});
const ProductChannelParams = strictObject({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  channel_id: Type.String({ minLength: 1, maxLength: 64 }),
});
const VariantParams = strictObject({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  variant_id: Type.String({ minLength: 1, maxLength: 64 }),
});

/** With `?locale=`, a product also carries its texts in the best-matching locale. */
function withLocale(
  product: Product,
  locale: string | undefined,
): Product & { localized?: { locale: string; title: string; description: string } } {
  if (!locale) return product;
  return {
    ...product,
    localized: {
      locale: bestLocale(product.title, locale) ?? locale,
      title: localize(product.title, locale),
      description: localize(product.description, locale),
    },
  };
}

export function productRoutes(catalog: CatalogService): FastifyPluginAsyncTypebox {
  const { products, variants, publication } = catalog;
  return async (app) => {
    app.get(
      '/v1/products',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'List and search products (filters, facets; ranked by relevance with q)',
          querystring: strictObject({
            ...ListQuery,
            ...productListFilters,
            status: Type.Optional(Type.Array(Type.Enum(productStatuses))),
            published_to: Type.Optional(
              Type.String({ maxLength: 64, description: 'Only products published to this channel' }),
            ),
          }),
          response: {
            200: Type.Object({
              data: Type.Array(ProductSchema),
              next_cursor: Nullable(Type.String()),
              facets: Type.Optional(StaffFacets),
            }),
          },
        },
      },
      async (request) => {
        const { attr, tag, facets, locale, ...query } = request.query;
        const result = await products.listProducts(
          { ...query, tag: tag?.map(normalizeTag), attributes: parseAttr(attr) },
          { facets: facets ?? Boolean(query.q) },
        );
        return { ...result, data: result.data.map((p) => withLocale(p, locale)) };
      },
    );

    app.post(
      '/v1/products',
      {
        config: { access: 'catalog:write', audit: 'product.create' },
        schema: {
          tags,
          summary: 'Create a product with its variants',
          body: ProductInputSchema,
          response: { 201: ProductSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await products.createProduct(request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/products/bulk',
      {
        config: { access: 'catalog:write', audit: 'product.bulk_create' },
        schema: {
          tags,
          summary: `Create up to ${MAX_BULK_PRODUCTS} products in one transaction (all or none)`,
          body: strictObject({
            products: Type.Array(ProductInputSchema, { minItems: 1, maxItems: MAX_BULK_PRODUCTS }),
          }),
          response: { 201: Type.Object({ ids: Type.Array(Type.String()) }) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await products.createProducts(request.body.products, actorOf(request.principal))),
    );

    app.get(
      '/v1/products/:id',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'Retrieve a product with variants, size chart and channels',
          params: IdParams,
          querystring: strictObject({ locale: LocaleQuery }),
          response: { 200: ProductSchema },
        },
      },
      async (request) => withLocale(await products.retrieveProduct(request.params.id), request.query.locale),
    );

    app.patch(
      '/v1/products/:id',
      {
        config: { access: 'catalog:write', audit: 'product.update' },
        schema: {
          tags,
          summary:
            'Change a product (lists such as tags or category_ids are replaced whole); status archived archives it',
          params: IdParams,
          body: ProductPatchSchema,
          response: { 200: ProductSchema },
        },
      },
      async (request) => products.updateProduct(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/products/:id',
      {
        config: { access: 'catalog:write', audit: 'product.delete' },
        schema: {
          tags,
          summary: 'Delete a draft product (others are archived instead)',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await products.deleteProduct(request.params.id, actorOf(request.principal));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/v1/products/:id/variants',
      {
        config: { access: 'catalog:write', audit: 'variant.create' },
        schema: {
          tags,
          summary: 'Add a variant',
          params: IdParams,
          body: VariantInputSchema,
          response: { 201: VariantSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await variants.createVariant(request.params.id, request.body, actorOf(request.principal))),
    );

    app.patch(
      '/v1/products/:id/variants/:variant_id',
      {
        config: { access: 'catalog:write', audit: 'variant.update' },
        schema: {
          tags,
          summary: 'Change a variant',
          params: VariantParams,
          body: VariantPatchSchema,
          response: { 200: VariantSchema },
        },
      },
      async (request) =>
        variants.updateVariant(
          request.params.id,
          request.params.variant_id,
          request.body,
          actorOf(request.principal),
        ),
    );

    app.delete(
      '/v1/products/:id/variants/:variant_id',
      {
        config: { access: 'catalog:write', audit: 'variant.delete' },
        schema: { tags, summary: 'Remove a variant', params: VariantParams, response: { 204: Type.Null() } },
      },
      async (request, reply) => {
        await variants.deleteVariant(
          request.params.id,
          request.params.variant_id,
          actorOf(request.principal),
        );
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/variants/by-code/:code',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'Barcode lookup: the variant with this SKU or GTIN (any length), with its product',
          params: strictObject({ code: Type.String({ minLength: 1, maxLength: 64 }) }),
          querystring: strictObject({ locale: LocaleQuery }),
          response: { 200: Type.Object({ variant: VariantSchema, product: ProductSchema }) },
        },
      },
      async (request) => {
        const found = await variants.retrieveVariantByCode(request.params.code);
        return { variant: found.variant, product: withLocale(found.product, request.query.locale) };
      },
    );

    app.post(
      '/v1/products/:id/publish',
      {
        config: { access: 'catalog:write', audit: 'product.publish' },
        schema: {
          tags,
          summary: 'Publish a product to channels',
          params: IdParams,
          body: ChannelIds,
          response: { 200: Type.Object({ data: Type.Array(ChannelViewSchema) }) },
        },
      },
      async (request) => ({
        data: await publication.publish(
          request.params.id,
          request.body.channel_ids,
          actorOf(request.principal),
        ),
      }),
    );

    app.post(
      '/v1/products/:id/unpublish',
      {
        config: { access: 'catalog:write', audit: 'product.unpublish' },
        schema: {
          tags,
          summary: 'Withdraw a product from channels (its overrides there are kept)',
          params: IdParams,
          body: ChannelIds,
          response: { 200: Type.Object({ data: Type.Array(ChannelViewSchema) }) },
        },
      },
      async (request) => ({
        data: await publication.unpublish(
          request.params.id,
          request.body.channel_ids,
          actorOf(request.principal),
        ),
      }),
    );

    app.get(
      '/v1/products/:id/channels/:channel_id',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'The product as one channel shows it, and what differs from the default',
          params: ProductChannelParams,
          response: { 200: ChannelViewSchema },
        },
      },
      async (request) => publication.retrieveChannelView(request.params.id, request.params.channel_id),
    );

    app.patch(
      '/v1/products/:id/channels/:channel_id',
      {
        config: { access: 'catalog:write', audit: 'product.channel_overrides' },
        schema: {
          tags,
          summary: 'Set (value) or remove (null) a channel’s overrides: title, description, media, status',
          params: ProductChannelParams,
          body: OverridesPatchSchema,
          response: { 200: ChannelViewSchema },
        },
      },
      async (request) =>
        publication.setOverrides(
          request.params.id,
          request.params.channel_id,
          request.body,
          actorOf(request.principal),
        ),
    );
  };
}
