/**
 * @module Variants of a product: add, change, remove, and find one by the code a scanner reads (SKU or GTIN in
 * any of its lengths) — the POS lookup. Also the existence check other parts of the catalog (prices, promotions)
 * use to validate the variants they name.
 */
import type { Actor } from '../../platform/auth/principal';
import { encodeJson } from '../../platform/db/codecs';
import type { Dialect } from '../../platform/db/columns';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { notFound, type FieldError } from '../../platform/errors';
import type { EventBus } from '../../platform/events/outbox';
import { gtin14Of } from './gtin';
import { conflict, findTaken, invalid } from './product.checks';
import { findProductRow, loadProducts, type Product, type ProductOption } from './product.repository';
import {
  checkGtinField,
  checkLocalized,
  checkVariantOptions,
  type VariantInput,
  type VariantPatch,
} from './product.rules';
import { variantRow } from './product.writes';
import { reindexProducts } from './search.index';
import {
  findVariantRow,
  findVariantRowByCode,
  isDuplicateGtin,
  isDuplicateSku,
  variantFromRow,
  variantsByIds,
  variantsBySku,
  type Variant,
} from './variant.repository';
import { decodeJson } from '../../platform/db/codecs';

export function createVariantsService(deps: { db: Db; dialect: Dialect; events: EventBus }) {
  const { db, dialect, events } = deps;

  async function productOf(trx: Trx, productId: string) {
    const product = await findProductRow(trx, productId);
    if (!product) throw notFound('product', productId);
    return { row: product, options: decodeJson<ProductOption[]>(product.options) };
  }

  /** The options of a variant must be a combination no sibling has. */
  async function checkCombination(
    trx: Trx,
    productId: string,
    options: ProductOption[],
    chosen: Record<string, string> | undefined,
    exceptId: string | null,
  ): Promise<void> {
    const errors: FieldError[] = [];
    const combo = checkVariantOptions(chosen, options, 'body.options', errors);
    const siblings = (
      await trx.selectFrom('catalog_variants').selectAll().where('product_id', '=', productId).execute()
    ).filter((v) => v.id !== exceptId);
    if (options.length === 0 && siblings.length > 0)
      errors.push({ field: 'body.options', message: 'a product without options has at most one variant' });
    for (const sibling of siblings) {
      const theirs = decodeJson<Record<string, string>>(sibling.options);
      if (options.length > 0 && JSON.stringify(options.map((o) => theirs[o.name] ?? null)) === combo)
        errors.push({ field: 'body.options', message: `variant ${sibling.sku} already has these options` });
    }
    if (errors.length > 0) throw invalid(errors);
  }

  /** A unique index refusing a SKU or GTIN in a race becomes the same 409 the pre-check gives. */
  function raceToConflict(err: unknown, input: Pick<VariantInput, 'sku' | 'gtin'>): never {
    if (isDuplicateSku(err))
      throw conflict([{ field: 'body.sku', message: `${input.sku} is already used by another variant` }]);
    if (isDuplicateGtin(err))
      throw conflict([{ field: 'body.gtin', message: `${input.gtin} is already used by another variant` }]);
    throw err;
  }

  function checkFields(input: Partial<VariantInput>): void {
    const errors: FieldError[] = [];
    if (input.gtin) checkGtinField(input.gtin, 'body.gtin', errors);
    checkLocalized(input.title, 'body.title', errors);
    if (errors.length > 0) throw invalid(errors);
  }

  return {
    /**
     * Adds a variant to a product.
     * @example await variants.createVariant('prd_…', { sku: 'LIN-XL', options: { size: 'XL' } }, actor)
     */
    async createVariant(productId: string, input: VariantInput, actor: Actor): Promise<Variant> {
      checkFields(input);
      try {
        return await inTransaction(db, async (trx) => {
          const { options } = await productOf(trx, productId);
          await checkCombination(trx, productId, options, input.options, null);
          const taken = await findTaken(trx, [{ field: 'body', variant: input }], []);
          if (taken.length > 0) throw conflict(taken);
          const last = await trx
            .selectFrom('catalog_variants')
            .select((eb) => eb.fn.max('position').as('max'))
            .where('product_id', '=', productId)
            .executeTakeFirst();
          const row = variantRow(productId, input, Number(last?.max ?? -1) + 1, Date.now());
          await trx.insertInto('catalog_variants').values(row).execute();
          await reindexProducts(trx, dialect, [productId]);
          await events.append(trx, {
            type: 'variant.created',
            aggregate: { type: 'product', id: productId },
            actor,
            data: { id: row.id, product_id: productId, sku: row.sku },
          });
          return variantFromRow((await findVariantRow(trx, row.id))!);
        });
      } catch (err) {
        raceToConflict(err, input);
      }
    },

    /**
     * Changes a variant (SKU, GTIN, options, title, media, position).
     * @example await variants.updateVariant('prd_…', 'var_…', { gtin: '4006381333931' }, actor)
     */
    async updateVariant(
      productId: string,
      variantId: string,
      patch: VariantPatch,
      actor: Actor,
    ): Promise<Variant> {
      checkFields(patch);
      try {
        return await inTransaction(db, async (trx) => {
          const current = await findVariantRow(trx, variantId);
          if (!current || current.product_id !== productId) throw notFound('variant', variantId);
          const { options } = await productOf(trx, productId);
          if (patch.options !== undefined)
            await checkCombination(trx, productId, options, patch.options, variantId);
          const changes = {
            sku: patch.sku ?? current.sku,
            gtin: patch.gtin === undefined ? current.gtin : patch.gtin,
          };
          const taken = await findTaken(trx, [{ field: 'body', variant: changes }], [], { variantId });
          if (taken.length > 0) throw conflict(taken);
          await trx
            .updateTable('catalog_variants')
            .set({
              ...(patch.sku !== undefined ? { sku: patch.sku } : {}),
              ...(patch.gtin !== undefined
                ? { gtin: patch.gtin, gtin14: patch.gtin ? gtin14Of(patch.gtin) : null }
                : {}),
              ...(patch.title !== undefined ? { title: patch.title ? encodeJson(patch.title) : null } : {}),
              ...(patch.options !== undefined ? { options: encodeJson(patch.options) } : {}),
              ...(patch.media !== undefined ? { media: encodeJson(patch.media) } : {}),
              ...(patch.position !== undefined ? { position: patch.position } : {}),
              updated_at: Date.now(),
            })
            .where('id', '=', variantId)
            .execute();
          await reindexProducts(trx, dialect, [productId]);
          await events.append(trx, {
            type: 'variant.updated',
            aggregate: { type: 'product', id: productId },
            actor,
            data: {
              id: variantId,
              product_id: productId,
              sku: changes.sku,
              previous_sku: patch.sku !== undefined && patch.sku !== current.sku ? current.sku : undefined,
              fields: Object.keys(patch).filter((k) => patch[k as keyof VariantPatch] !== undefined),
            },
          });
          return variantFromRow((await findVariantRow(trx, variantId))!);
        });
      } catch (err) {
        raceToConflict(err, { sku: patch.sku ?? '', gtin: patch.gtin ?? null });
      }
    },

    /** Removes a variant from its product. */
    async deleteVariant(productId: string, variantId: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        const current = await findVariantRow(trx, variantId);
        if (!current || current.product_id !== productId) throw notFound('variant', variantId);
        await trx.deleteFrom('catalog_variants').where('id', '=', variantId).execute();
        await reindexProducts(trx, dialect, [productId]);
        await events.append(trx, {
          type: 'variant.deleted',
          aggregate: { type: 'product', id: productId },
          actor,
          data: { id: variantId, product_id: productId, sku: current.sku },
        });
      });
    },

    /**
     * The variant a scanned or typed code names — its SKU exactly, else its GTIN (a UPC-A scan finds the EAN-13
     * `0…` of the same item) — with its product.
     * @example const { variant, product } = await variants.retrieveVariantByCode('4006381333931')
     */
    async retrieveVariantByCode(code: string): Promise<{ variant: Variant; product: Product }> {
      const trimmed = code.trim();
      const row = await findVariantRowByCode(db, trimmed, gtin14Of(trimmed));
      if (!row) throw notFound('variant with SKU or GTIN', trimmed);
      const product = (await loadProducts(db, [(await findProductRow(db, row.product_id))!]))[0]!;
      return { variant: variantFromRow(row), product };
    },

    /**
     * Variants by id, for callers that must check the variants they name exist (unknown ids are left out).
     * @example const found = await variants.retrieveVariants(['var_…', 'var_…'])
     */
    async retrieveVariants(ids: string[]): Promise<Variant[]> {
      return variantsByIds(db, ids);
    },

    /** Variants by SKU (unknown SKUs are left out). */
    async retrieveVariantsBySku(skus: string[]): Promise<Variant[]> {
      return variantsBySku(db, skus);
    },
  };
}

export type VariantsService = ReturnType<typeof createVariantsService>;
