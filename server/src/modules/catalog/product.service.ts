/**
 * @module Products: create (one, or many at once for imports and seeding), read, list and search, change, archive
 * and delete drafts. Every write checks everything first, then changes rows, the search index and the outbox in
 * one transaction — a refused request leaves nothing behind.
 */
import type { Actor } from '../../platform/auth/principal';
import { decodeJson, encodeJson } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { AppError, notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import type { Page } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import type { LocalizedText } from './localized';
import { checkReferences, conflict, findTaken, invalid, variantFields } from './product.checks';
import {
  categoryRowsOfProducts,
  findProductRow,
  findProductRowByHandle,
  isDuplicateHandle,
  loadProducts,
  productRowsByIds,
  type Product,
  type ProductRow,
} from './product.repository';
import {
  checkAttributes,
  checkLocalized,
  checkOptions,
  checkOptionsFitVariants,
  checkProductInput,
  handleFrom,
  type ProductInput,
  type ProductPatch,
} from './product.rules';
import { insertProducts, productRows, replaceChildren, type ProductRows } from './product.writes';
import { reindexProducts } from './search.index';
import type { Facets, ProductQuery, ProductSearch } from './search';
import { isDuplicateGtin, isDuplicateSku, variantFromRow } from './variant.repository';

/** The most products one bulk request may create (a seeder sends several). */
export const MAX_BULK_PRODUCTS = 500;

export interface ProductsDeps {
  db: Db;
  dialect: Dialect;
  events: EventBus;
  search: ProductSearch;
}

export function createProductsService(deps: ProductsDeps) {
  const { db, dialect, events, search } = deps;

  /** Gives each input a handle: its own, or one made from the title that no product uses yet. */
  async function withHandles(inputs: ProductInput[]): Promise<Array<ProductInput & { handle: string }>> {
    const wanted = inputs.map((i) => i.handle ?? (handleFrom(i.title) || 'product'));
    const taken = new Set(
      (
        await db
          .selectFrom('catalog_products')
          .select('handle')
          .where('handle', 'in', [...new Set(wanted)])
          .execute()
      ).map((r) => r.handle),
    );
    return inputs.map((input, i) => {
      if (input.handle) return { ...input, handle: input.handle };
      let handle = wanted[i]!;
      // A made-up handle never fails a request: a taken one gets a short unique suffix.
      if (taken.has(handle)) handle = `${handle}-${newId('x').slice(-6).toLowerCase()}`;
      taken.add(handle);
      return { ...input, handle };
    });
  }

  /** Names the fields a unique index refused after a lost race, or rethrows anything else. */
  async function explainRace(
    err: unknown,
    items: Array<{ field: string; input: ProductInput & { handle: string } }>,
  ) {
    if (isDuplicateSku(err) || isDuplicateGtin(err) || isDuplicateHandle(err)) {
      const errors = await findTaken(
        db,
        variantFields(items),
        items
          .filter((i) => i.input.handle)
          .map((i) => ({ field: `${i.field}.handle`, handle: i.input.handle })),
      );
      throw conflict(
        errors.length > 0
          ? errors
          : [{ field: 'body', message: 'a SKU, GTIN or handle was taken meanwhile' }],
      );
    }
    throw err;
  }

  async function create(
    items: Array<{ field: string; input: ProductInput }>,
    actor: Actor,
  ): Promise<ProductRows[]> {
    const errors: FieldError[] = [];
    for (const { field, input } of items) checkProductInput(input, field, errors);
    if (errors.length > 0) throw invalid(errors);
    const named = (await withHandles(items.map((i) => i.input))).map((input, n) => ({
      field: items[n]!.field,
      input,
    }));
    const now = Date.now();
    const rows = named.map(({ input }) => productRows(input, now));
    try {
      await inTransaction(db, async (trx) => {
        await checkReferences(
          trx,
          items.map(({ field, input }) => ({ field, refs: input })),
        );
        const taken = await findTaken(
          trx,
          variantFields(named),
          named
            .filter((_, n) => items[n]!.input.handle !== undefined)
            .map((n) => ({ field: `${n.field}.handle`, handle: n.input.handle })),
        );
        if (taken.length > 0) throw conflict(taken);
        await insertProducts(trx, rows);
        await reindexProducts(
          trx,
          dialect,
          rows.map((r) => r.product.id),
        );
        for (const r of rows) {
          await events.append(trx, {
            type: 'product.created',
            aggregate: { type: 'product', id: r.product.id },
            actor,
            data: {
              id: r.product.id,
              handle: r.product.handle,
              status: r.product.status,
              variants: r.variants.map((v) => ({ id: v.id, sku: v.sku })),
            },
          });
        }
      });
    } catch (err) {
      await explainRace(err, named);
    }
    return rows;
  }

  async function retrieveRow(db: Db | Trx, id: string): Promise<ProductRow> {
    const row = await findProductRow(db, id);
    if (!row) throw notFound('product', id);
    return row;
  }

  async function retrieveProduct(id: string): Promise<Product> {
    return (await loadProducts(db, [await retrieveRow(db, id)]))[0]!;
  }

  return {
    /**
     * Creates a product with its variants.
     * @example await products.createProduct({ title: { en: 'Linen shirt', es: 'Camisa de lino' }, brand: 'Alba',
     *   options: [{ name: 'size', values: ['S', 'M'] }], category_ids: ['cat_…'],
     *   variants: [{ sku: 'LIN-S', gtin: '4006381333931', options: { size: 'S' } }] }, actor)
     */
    async createProduct(input: ProductInput, actor: Actor): Promise<Product> {
      const [rows] = await create([{ field: 'body', input }], actor);
      return (await loadProducts(db, [(await findProductRow(db, rows!.product.id))!]))[0]!;
    },

    /**
     * Creates many products in one transaction — all or none; every problem is reported with its index
     * (`body.products.12.variants.0.sku`). The path for imports and demo seeding.
     * @example const { ids } = await products.createProducts(twoHundredShirts, actor)
     */
    async createProducts(
      inputs: ProductInput[],
      actor: Actor,
      field = 'body.products',
    ): Promise<{ ids: string[] }> {
      if (inputs.length > MAX_BULK_PRODUCTS)
        throw invalid([{ field, message: `must hold at most ${MAX_BULK_PRODUCTS} products` }]);
      const rows = await create(
        inputs.map((input, i) => ({ field: `${field}.${i}`, input })),
        actor,
      );
      return { ids: rows.map((r) => r.product.id) };
    },

    retrieveProduct,

    /** By id or by handle (storefront URLs use handles). */
    async retrieveProductByIdOrHandle(idOrHandle: string): Promise<Product> {
      const row = (await findProductRow(db, idOrHandle)) ?? (await findProductRowByHandle(db, idOrHandle));
      if (!row) throw notFound('product', idOrHandle);
      return (await loadProducts(db, [row]))[0]!;
    },

    /** Products by id, in the order given; unknown ids are left out. */
    async retrieveProducts(ids: string[]): Promise<Product[]> {
      return loadProducts(db, await productRowsByIds(db, ids));
    },

    /**
     * The titles of products by id (unknown ids are left out): one read, for callers that need a name only.
     * @example (await products.productTitles(['prd_…'])).get('prd_…') // { en: 'Linen shirt', es: 'Camisa de lino' }
     */
    async productTitles(ids: string[]): Promise<Map<string, LocalizedText>> {
      const rows = await productRowsByIds(db, ids);
      return new Map(rows.map((r) => [r.id, decodeJson<LocalizedText>(r.title)]));
    },

    /**
     * The category ids of products, each product's in its order (no entry for a product without any): one read,
     * for pricing and tax scopes that need nothing else of the product.
     */
    async productCategoryIds(ids: string[]): Promise<Map<string, string[]>> {
      const out = new Map<string, string[]>();
      for (const r of await categoryRowsOfProducts(db, ids)) {
        const list = out.get(r.product_id) ?? [];
        list.push(r.category_id);
        out.set(r.product_id, list);
      }
      return out;
    },

    /**
     * Lists products: filtered, newest first — or ranked by relevance when `q` is given — with facets on request.
     * @example await products.listProducts({ q: 'zapatillas', brand: ['Alba'], limit: 20 }, { facets: true })
     */
    async listProducts(
      query: ProductQuery,
      options: { facets?: boolean } = {},
    ): Promise<Page<Product> & { facets?: Facets }> {
      const result = await search.query(db, query, options);
      return { ...result, data: await loadProducts(db, result.data) };
    },

    /**
     * Changes a product's own fields and its categories, collections, tags and attributes (each list replaced
     * whole). Archiving announces `product.archived`: no channel shows it any more.
     * @example await products.updateProduct('prd_…', { status: 'active', tags: ['summer', 'linen'] }, actor)
     */
    async updateProduct(id: string, patch: ProductPatch, actor: Actor): Promise<Product> {
      const errors: FieldError[] = [];
      checkLocalized(patch.title, 'body.title', errors);
      checkLocalized(patch.description, 'body.description', errors);
      if (patch.options) checkOptions(patch.options, 'body.options', errors);
      if (patch.attributes) checkAttributes(patch.attributes, 'body.attributes', errors);
      if (errors.length > 0) throw invalid(errors);
      const fields = Object.keys(patch).filter((k) => patch[k as keyof ProductPatch] !== undefined);
      try {
        await inTransaction(db, async (trx) => {
          const before = await retrieveRow(trx, id);
          await checkReferences(trx, [{ field: 'body', refs: patch }]);
          if (patch.options) {
            const variants = (
              await trx
                .selectFrom('catalog_variants')
                .selectAll()
                .where('product_id', '=', id)
                .orderBy('position')
                .execute()
            ).map(variantFromRow);
            const fit: FieldError[] = [];
            checkOptionsFitVariants(patch.options, variants, 'body.options', fit);
            if (fit.length > 0) throw invalid(fit);
          }
          if (patch.handle !== undefined) {
            const taken = await findTaken(trx, [], [{ field: 'body.handle', handle: patch.handle }], {
              productId: id,
            });
            if (taken.length > 0) throw conflict(taken);
          }
          await trx
            .updateTable('catalog_products')
            .set({
              ...(patch.handle !== undefined ? { handle: patch.handle } : {}),
              ...(patch.status !== undefined ? { status: patch.status } : {}),
              ...(patch.brand !== undefined ? { brand: patch.brand?.trim() || null } : {}),
              ...(patch.title !== undefined ? { title: encodeJson(patch.title) } : {}),
              ...(patch.description !== undefined ? { description: encodeJson(patch.description) } : {}),
              ...(patch.options !== undefined ? { options: encodeJson(patch.options) } : {}),
              ...(patch.media !== undefined ? { media: encodeJson(patch.media) } : {}),
              ...(patch.size_chart_id !== undefined ? { size_chart_id: patch.size_chart_id } : {}),
              updated_at: Date.now(),
            })
            .where('id', '=', id)
            .execute();
          await replaceChildren(trx, id, patch);
          await reindexProducts(trx, dialect, [id]);
          const archived = patch.status === 'archived' && before.status !== 'archived';
          await events.append(trx, {
            type: archived ? 'product.archived' : 'product.updated',
            aggregate: { type: 'product', id },
            actor,
            data: { id, fields, status: patch.status ?? before.status },
          });
        });
      } catch (err) {
        if (isDuplicateHandle(err))
          throw conflict([
            { field: 'body.handle', message: `${patch.handle} is already the handle of another product` },
          ]);
        throw err;
      }
      return retrieveProduct(id);
    },

    /**
     * Deletes a draft product with its variants. A product that was ever active may have been sold: archive it.
     * @example await products.deleteProduct('prd_…', actor)
     */
    async deleteProduct(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        const row = await retrieveRow(trx, id);
        if (row.status !== 'draft')
          throw new AppError('conflict', `Only draft products can be deleted; archive ${id} instead.`, {
            errors: [{ field: 'status', message: `is ${row.status}, not draft` }],
          });
        const skus = (
          await trx.selectFrom('catalog_variants').select('sku').where('product_id', '=', id).execute()
        ).map((r) => r.sku);
        await trx.deleteFrom('catalog_products').where('id', '=', id).execute();
        await events.append(trx, {
          type: 'product.deleted',
          aggregate: { type: 'product', id },
          actor,
          data: { id, skus },
        });
      });
    },
  };
}

export type ProductsService = ReturnType<typeof createProductsService>;
