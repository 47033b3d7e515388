/**
 * @module Categories (a tree: a category moves with everything under it) and collections (curated sets of
 * products). Renaming a category refreshes the search documents of its products, which carry its name.
 */
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/principal';
import { encodeJson } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import {
  categoryFromRow,
  categoryTree,
  collectionCounts,
  collectionFromRow,
  findCategoryRow,
  findCollectionRow,
  isDuplicateCategoryHandle,
  isDuplicateCollectionHandle,
  type Category,
  type CategoryNode,
  type Collection,
} from './category.repository';
import type { LocalizedText } from './localized';
import { checkLocalized } from './product.rules';
import { invalid } from './product.checks';
import { reindexProducts } from './search.index';

export interface CategoryInput {
  handle: string;
  name: LocalizedText;
  description?: LocalizedText | undefined;
  /** Null or absent: a top-level category. */
  parent_id?: string | null | undefined;
  position?: number | undefined;
}

export type CategoryPatch = Partial<CategoryInput>;

export interface CollectionInput {
  handle: string;
  title: LocalizedText;
  description?: LocalizedText | undefined;
}

export type CollectionPatch = Partial<CollectionInput>;

const duplicate = (handle: string | undefined, what: string) =>
  new AppError('conflict', `Another ${what} already has the handle ${handle}.`, {
    errors: [{ field: 'body.handle', message: `is already used by another ${what}` }],
  });

function checkTexts(input: {
  name?: LocalizedText;
  title?: LocalizedText;
  description?: LocalizedText | undefined;
}) {
  const errors: FieldError[] = [];
  checkLocalized(input.name, 'body.name', errors);
  checkLocalized(input.title, 'body.title', errors);
  checkLocalized(input.description, 'body.description', errors);
  if (errors.length > 0) throw invalid(errors);
}

export function createCategoriesService(deps: { db: Db; dialect: Dialect; events: EventBus }) {
  const { db, dialect, events } = deps;

  async function guard<T>(
    handle: string | undefined,
    what: string,
    isDup: (e: unknown) => boolean,
    fn: () => Promise<T>,
  ) {
    try {
      return await fn();
    } catch (err) {
      if (isDup(err)) throw duplicate(handle, what);
      throw err;
    }
  }

  const unknownParent = (id: string) =>
    invalid([{ field: 'body.parent_id', message: `${id} is not a known category` }]);

  return {
    async listCategories(filter: PageRequest & { parent_id?: string | undefined }): Promise<Page<Category>> {
      let q = db.selectFrom('catalog_categories').selectAll();
      if (filter.parent_id) q = q.where('parent_id', '=', filter.parent_id);
      return paginate(q, 'id', filter, categoryFromRow);
    },

    /** Every category as a tree. */
    async retrieveCategoryTree(): Promise<CategoryNode[]> {
      return categoryTree(db);
    },

    async retrieveCategory(id: string): Promise<Category> {
      const row = await findCategoryRow(db, id);
      if (!row) throw notFound('category', id);
      return categoryFromRow(row);
    },

    /**
     * Creates a category, at the top or under a parent.
     * @example await categories.createCategory({ handle: 'shoes', name: { en: 'Shoes', es: 'Zapatos' }, parent_id: 'cat_…' }, actor)
     */
    async createCategory(input: CategoryInput, actor: Actor): Promise<Category> {
      checkTexts(input);
      const id = newId('cat');
      const now = Date.now();
      return guard(input.handle, 'category', isDuplicateCategoryHandle, () =>
        inTransaction(db, async (trx) => {
          let path = `/${id}/`;
          if (input.parent_id) {
            const parent = await findCategoryRow(trx, input.parent_id);
            if (!parent) throw unknownParent(input.parent_id);
            path = `${parent.path}${id}/`;
          }
          const row = {
            id,
            parent_id: input.parent_id ?? null,
            path,
            handle: input.handle,
            name: encodeJson(input.name),
            description: encodeJson(input.description ?? {}),
            position: input.position ?? 0,
            created_at: now,
            updated_at: now,
          };
          await trx.insertInto('catalog_categories').values(row).execute();
          await events.append(trx, {
            type: 'category.created',
            aggregate: { type: 'category', id },
            actor,
            data: { id, handle: input.handle, parent_id: row.parent_id },
          });
          return categoryFromRow(row);
        }),
      );
    },

    /**
     * Changes a category; a new `parent_id` moves it with its whole subtree (never under itself).
     * @example await categories.updateCategory('cat_…', { parent_id: null }, actor) // to the top level
     */
    async updateCategory(id: string, patch: CategoryPatch, actor: Actor): Promise<Category> {
      checkTexts(patch);
      return guard(patch.handle, 'category', isDuplicateCategoryHandle, () =>
        inTransaction(db, async (trx) => {
          const current = await findCategoryRow(trx, id);
          if (!current) throw notFound('category', id);
          let path = current.path;
          if (patch.parent_id !== undefined && patch.parent_id !== current.parent_id) {
            let parentPath = '/';
            if (patch.parent_id) {
              const parent = await findCategoryRow(trx, patch.parent_id);
              if (!parent) throw unknownParent(patch.parent_id);
              if (parent.path.startsWith(current.path))
                throw new AppError(
                  'unprocessable',
                  'A category cannot move under itself or its own subcategories.',
                  {
                    errors: [{ field: 'body.parent_id', message: 'is this category or one below it' }],
                  },
                );
              parentPath = parent.path;
            }
            path = `${parentPath}${id}/`;
            // The subtree keeps its shape: every path under the old prefix gets the new prefix.
            await sql`update catalog_categories set path = ${path} || substr(path, ${current.path.length + 1})
              where path like ${current.path.replace(/[\\%_]/g, '\\$&') + '%'} escape '\\'`.execute(trx);
          }
          await trx
            .updateTable('catalog_categories')
            .set({
              ...(patch.handle !== undefined ? { handle: patch.handle } : {}),
              ...(patch.name !== undefined ? { name: encodeJson(patch.name) } : {}),
              ...(patch.description !== undefined ? { description: encodeJson(patch.description) } : {}),
              ...(patch.position !== undefined ? { position: patch.position } : {}),
              ...(patch.parent_id !== undefined ? { parent_id: patch.parent_id } : {}),
              updated_at: Date.now(),
            })
            .where('id', '=', id)
            .execute();
          if (patch.name !== undefined) {
            const products = await trx
              .selectFrom('catalog_product_categories')
              .select('product_id')
              .where('category_id', '=', id)
              .execute();
            await reindexProducts(
              trx,
              dialect,
              products.map((p) => p.product_id),
            );
          }
          await events.append(trx, {
            type: 'category.updated',
            aggregate: { type: 'category', id },
            actor,
            data: { id, fields: Object.keys(patch), parent_id: patch.parent_id ?? current.parent_id },
          });
          return categoryFromRow((await findCategoryRow(trx, id))!);
        }),
      );
    },

    /** Deletes a category that has no subcategories, products or size charts. */
    async deleteCategory(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        if (!(await findCategoryRow(trx, id))) throw notFound('category', id);
        const used = await Promise.all([
          trx
            .selectFrom('catalog_categories')
            .select('id')
            .where('parent_id', '=', id)
            .limit(1)
            .executeTakeFirst(),
          trx
            .selectFrom('catalog_product_categories')
            .select('product_id')
            .where('category_id', '=', id)
            .limit(1)
            .executeTakeFirst(),
          trx
            .selectFrom('catalog_size_charts')
            .select('id')
            .where('category_id', '=', id)
            .limit(1)
            .executeTakeFirst(),
        ]);
        const what = ['subcategories', 'products', 'size charts'].filter((_, i) => used[i]);
        if (what.length > 0)
          throw new AppError('conflict', `The category still has ${what.join(' and ')}.`, {
            errors: [{ field: 'id', message: `has ${what.join(', ')}` }],
          });
        await trx.deleteFrom('catalog_categories').where('id', '=', id).execute();
        await events.append(trx, {
          type: 'category.deleted',
          aggregate: { type: 'category', id },
          actor,
          data: { id },
        });
      });
    },
  };
}

export function createCollectionsService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  async function load(id: string): Promise<Collection> {
    const row = await findCollectionRow(db, id);
    if (!row) throw notFound('collection', id);
    return collectionFromRow(row, (await collectionCounts(db, [id])).get(id) ?? 0);
  }

  async function guard<T>(handle: string | undefined, fn: () => Promise<T>) {
    try {
      return await fn();
    } catch (err) {
      if (isDuplicateCollectionHandle(err)) throw duplicate(handle, 'collection');
      throw err;
    }
  }

  return {
    async listCollections(page: PageRequest): Promise<Page<Collection>> {
      const result = await paginate(db.selectFrom('catalog_collections').selectAll(), 'id', page, (r) => r);
      const counts = await collectionCounts(
        db,
        result.data.map((r) => r.id),
      );
      return { ...result, data: result.data.map((r) => collectionFromRow(r, counts.get(r.id) ?? 0)) };
    },

    retrieveCollection: load,

    /**
     * Creates a collection; products join it through their `collection_ids`.
     * @example await collections.createCollection({ handle: 'summer-26', title: { en: 'Summer', es: 'Verano' } }, actor)
     */
    async createCollection(input: CollectionInput, actor: Actor): Promise<Collection> {
      checkTexts(input);
      const now = Date.now();
      const row = {
        id: newId('col'),
        handle: input.handle,
        title: encodeJson(input.title),
        description: encodeJson(input.description ?? {}),
        created_at: now,
        updated_at: now,
      };
      await guard(input.handle, () =>
        inTransaction(db, async (trx) => {
          await trx.insertInto('catalog_collections').values(row).execute();
          await events.append(trx, {
            type: 'collection.created',
            aggregate: { type: 'collection', id: row.id },
            actor,
            data: { id: row.id, handle: row.handle },
          });
        }),
      );
      return collectionFromRow(row, 0);
    },

    async updateCollection(id: string, patch: CollectionPatch, actor: Actor): Promise<Collection> {
      checkTexts(patch);
      await guard(patch.handle, () =>
        inTransaction(db, async (trx) => {
          if (!(await findCollectionRow(trx, id))) throw notFound('collection', id);
          await trx
            .updateTable('catalog_collections')
            .set({
              ...(patch.handle !== undefined ? { handle: patch.handle } : {}),
              ...(patch.title !== undefined ? { title: encodeJson(patch.title) } : {}),
              ...(patch.description !== undefined ? { description: encodeJson(patch.description) } : {}),
              updated_at: Date.now(),
            })
            .where('id', '=', id)
            .execute();
          await events.append(trx, {
            type: 'collection.updated',
            aggregate: { type: 'collection', id },
            actor,
            data: { id, fields: Object.keys(patch) },
          });
        }),
      );
      return load(id);
    },

    /** Deletes a collection; its products stay, outside it. */
    async deleteCollection(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        if (!(await findCollectionRow(trx, id))) throw notFound('collection', id);
        await trx.deleteFrom('catalog_collections').where('id', '=', id).execute();
        await events.append(trx, {
          type: 'collection.deleted',
          aggregate: { type: 'collection', id },
          actor,
          data: { id },
        });
      });
    },
  };
}

export type CategoriesService = ReturnType<typeof createCategoriesService>;
export type CollectionsService = ReturnType<typeof createCollectionsService>;
