/** @module Routes: the category tree (/v1/categories) and collections (/v1/collections). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { Handle, LocalizedDescription, LocalizedTitle } from './catalog.schemas';
import type { CatalogService } from './catalog.service';

const tags = ['catalog'];
const Text = Type.Record(Type.String(), Type.String());
const ParentId = Nullable(Type.String({ minLength: 1, maxLength: 64 }));

const categoryFields = {
  id: Type.String(),
  parent_id: Nullable(Type.String()),
  ancestor_ids: Type.Array(Type.String(), { description: 'From the root down to the parent' }),
  handle: Type.String(),
  name: Text,
  description: Text,
  position: Type.Integer(),
  created_at: IsoTime,
  updated_at: IsoTime,
};
const CategorySchema = Type.Object(categoryFields, { title: 'Category' });
// Three levels typed, deeper levels as plain objects: JSON Schema cannot name a recursive type through TypeBox's
// Object helper without a $ref, and catalog trees are rarely deeper.
const node = (children: TSchema) => Type.Object({ ...categoryFields, children: Type.Array(children) });
const CategoryNodeSchema = node(node(node(Type.Unknown())));

const CollectionSchema = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    title: Text,
    description: Text,
    product_count: Type.Integer(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Collection' },
);

export function categoryRoutes(catalog: CatalogService): FastifyPluginAsyncTypebox {
  const { categories, collections } = catalog;
  return async (app) => {
    app.get(
      '/v1/categories',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'List categories (optionally the children of one)',
          querystring: strictObject({
            ...ListQuery,
            parent_id: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: { 200: listOf(CategorySchema) },
        },
      },
      async (request) => categories.listCategories(request.query),
    );

    app.get(
      '/v1/categories/tree',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'The whole category tree',
          response: { 200: Type.Object({ data: Type.Array(CategoryNodeSchema) }) },
        },
      },
      async () => ({ data: await categories.retrieveCategoryTree() }),
    );

    app.post(
      '/v1/categories',
      {
        config: { access: 'catalog:write', audit: 'category.create' },
        schema: {
          tags,
          summary: 'Create a category',
          body: strictObject({
            handle: Handle,
            name: LocalizedTitle,
            description: Type.Optional(LocalizedDescription),
            parent_id: Type.Optional(ParentId),
            position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
          }),
          response: { 201: CategorySchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await categories.createCategory(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/categories/:id',
      {
        config: { access: 'catalog:read' },
        schema: { tags, summary: 'Retrieve a category', params: IdParams, response: { 200: CategorySchema } },
      },
      async (request) => categories.retrieveCategory(request.params.id),
    );

    app.patch(
      '/v1/categories/:id',
      {
        config: { access: 'catalog:write', audit: 'category.update' },
        schema: {
          tags,
          summary: 'Change a category; a new parent_id moves it with its subtree (null: to the top)',
          params: IdParams,
          body: strictObject({
            handle: Type.Optional(Handle),
            name: Type.Optional(LocalizedTitle),
            description: Type.Optional(LocalizedDescription),
            parent_id: Type.Optional(ParentId),
            position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
          }),
          response: { 200: CategorySchema },
        },
      },
      async (request) =>
        categories.updateCategory(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/categories/:id',
      {
        config: { access: 'catalog:write', audit: 'category.delete' },
        schema: {
          tags,
          summary: 'Delete a category without subcategories, products or size charts',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await categories.deleteCategory(request.params.id, actorOf(request.principal));
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/collections',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'List collections',
          querystring: strictObject(ListQuery),
          response: { 200: listOf(CollectionSchema) },
        },
      },
      async (request) => collections.listCollections(request.query),
    );

    app.post(
      '/v1/collections',
      {
        config: { access: 'catalog:write', audit: 'collection.create' },
        schema: {
          tags,
          summary: 'Create a collection (products join it through their collection_ids)',
          body: strictObject({
            handle: Handle,
            title: LocalizedTitle,
            description: Type.Optional(LocalizedDescription),
          }),
          response: { 201: CollectionSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await collections.createCollection(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/collections/:id',
      {
        config: { access: 'catalog:read' },
        schema: {
          tags,
          summary: 'Retrieve a collection',
          params: IdParams,
          response: { 200: CollectionSchema },
        },
      },
      async (request) => collections.retrieveCollection(request.params.id),
    );

    app.patch(
      '/v1/collections/:id',
      {
        config: { access: 'catalog:write', audit: 'collection.update' },
        schema: {
          tags,
          summary: 'Change a collection',
          params: IdParams,
          body: strictObject({
            handle: Type.Optional(Handle),
            title: Type.Optional(LocalizedTitle),
            description: Type.Optional(LocalizedDescription),
          }),
          response: { 200: CollectionSchema },
        },
      },
      async (request) =>
        collections.updateCollection(request.params.id, request.body, actorOf(request.principal)),
    );

    app.delete(
      '/v1/collections/:id',
      {
        config: { access: 'catalog:write', audit: 'collection.delete' },
        schema: {
          tags,
          summary: 'Delete a collection (its products stay)',
          params: IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (request, reply) => {
        await collections.deleteCollection(request.params.id, actorOf(request.principal));
        return reply.code(204).send(null);
      },
    );
  };
}
