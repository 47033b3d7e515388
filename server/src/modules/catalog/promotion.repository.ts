/**
 * @module Promotion queries, their row mappers, and the guarded counter statements redemption is built on:
 * every change of a usage counter is one conditional UPDATE (or upsert) whose rows-affected count says whether
 * the limit allowed it — never a read followed by a write.
 */
import { sql, type Insertable, type Selectable } from 'kysely';
import { decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import { isUniqueViolation } from '../../platform/db/errors';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { Money } from './price.money';
import type { CatalogPromotionRedemptionRow, CatalogPromotionRow } from './promotion.table';

export const promotionKinds = ['percentage', 'fixed_amount', 'buy_x_get_y', 'free_shipping'] as const;
export type PromotionKind = (typeof promotionKinds)[number];
export const promotionStatuses = ['active', 'draft', 'archived'] as const;
export type PromotionStatus = (typeof promotionStatuses)[number];

export interface PromotionConditions {
  /** Empty: every channel — an offer applies the same online and in store unless it names channels. */
  channel_ids: string[];
  /** Empty: everyone. */
  segment_ids: string[];
  /** Products (and categories, with their subcategories) whose lines the offer discounts; both empty: all lines. */
  product_ids: string[];
  category_ids: string[];
  /** The cart's subtotal before discounts must reach this. */
  min_subtotal: Money | null;
}

export interface Promotion {
  id: string;
  name: string;
  description: string | null;
  /** Null: automatic. */
  code: string | null;
  kind: PromotionKind;
  status: PromotionStatus;
  percent: number | null;
  amount_off: Money | null;
  buy_quantity: number | null;
  get_quantity: number | null;
  get_percent: number | null;
  max_applications: number | null;
  conditions: PromotionConditions;
  starts_at: string | null;
  ends_at: string | null;
  usage_limit: number | null;
  usage_limit_per_customer: number | null;
  times_used: number;
  priority: number;
  created_at: string;
  updated_at: string;
}

export interface Redemption {
  id: string;
  promotion_id: string;
  reference: string;
  customer_id: string | null;
  channel_id: string | null;
  status: 'redeemed' | 'released';
  redeemed_at: string;
  released_at: string | null;
}

const num = (v: number | null): number | null => (v == null ? null : Number(v));

export function promotionFromRow(row: Selectable<CatalogPromotionRow>): Promotion {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    code: row.code,
    kind: row.kind as PromotionKind,
    status: row.status as PromotionStatus,
    percent: num(row.percent),
    amount_off:
      row.amount == null || !row.currency ? null : { amount: Number(row.amount), currency: row.currency },
    buy_quantity: num(row.buy_quantity),
    get_quantity: num(row.get_quantity),
    get_percent: num(row.get_percent),
    max_applications: num(row.max_applications),
    conditions: {
      channel_ids: decodeJson<string[]>(row.channel_ids),
      segment_ids: decodeJson<string[]>(row.segment_ids),
      product_ids: decodeJson<string[]>(row.product_ids),
      category_ids: decodeJson<string[]>(row.category_ids),
      min_subtotal:
        row.min_subtotal_amount == null || !row.min_subtotal_currency
          ? null
          : { amount: Number(row.min_subtotal_amount), currency: row.min_subtotal_currency },
    },
    starts_at: toIso(num(row.starts_at)),
    ends_at: toIso(num(row.ends_at)),
    usage_limit: num(row.usage_limit),
    usage_limit_per_customer: num(row.usage_limit_per_customer),
    times_used: Number(row.times_used),
    priority: Number(row.priority),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export function redemptionFromRow(row: Selectable<CatalogPromotionRedemptionRow>): Redemption {
  return {
    id: row.id,
    promotion_id: row.promotion_id,
    reference: row.reference,
    customer_id: row.customer_id,
    channel_id: row.channel_id,
    status: row.status as Redemption['status'],
    redeemed_at: toIsoRequired(Number(row.redeemed_at)),
    released_at: toIso(num(row.released_at)),
  };
}

/** The unique index on codes refused a second promotion with the same code. */
export const isDuplicateCode = (error: unknown): boolean =>
  isUniqueViolation(error, { constraint: 'catalog_promotions_code_uq', column: 'catalog_promotions.code' });

export async function findPromotionRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CatalogPromotionRow> | undefined> {
  return db.selectFrom('catalog_promotions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function promotionRowsByCodes(
  db: DbOrTrx,
  codes: readonly string[],
): Promise<Array<Selectable<CatalogPromotionRow>>> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('catalog_promotions')
    .selectAll()
    .where('code', 'in', [...codes])
    .execute();
}

export async function promotionRowsByIds(
  db: DbOrTrx,
  ids: readonly string[],
): Promise<Array<Selectable<CatalogPromotionRow>>> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('catalog_promotions')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
}

/** Active promotions without a code: they apply by themselves when their conditions hold. */
export async function automaticPromotionRows(db: DbOrTrx): Promise<Array<Selectable<CatalogPromotionRow>>> {
  return db
    .selectFrom('catalog_promotions')
    .selectAll()
    .where('status', '=', 'active')
    .where('code', 'is', null)
    .execute();
}

export async function listPromotionRows(
  db: DbOrTrx,
  filter: PageRequest & { status?: string | undefined; kind?: string | undefined; code?: string | undefined },
): Promise<Page<Promotion>> {
  let q = db.selectFrom('catalog_promotions').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.code) q = q.where('code', '=', filter.code.toUpperCase());
  return paginate(q, 'id', filter, promotionFromRow);
}

export async function insertPromotion(db: DbOrTrx, row: Insertable<CatalogPromotionRow>): Promise<void> {
  await db.insertInto('catalog_promotions').values(row).execute();
}

export async function updatePromotionRow(
  db: DbOrTrx,
  id: string,
  set: Partial<Selectable<CatalogPromotionRow>>,
): Promise<number> {
  const result = await db.updateTable('catalog_promotions').set(set).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes a promotion that was never redeemed (the condition is part of the statement); returns rows deleted. */
export async function deleteUnusedPromotion(db: DbOrTrx, id: string): Promise<number> {
  const result = await db
    .deleteFrom('catalog_promotions')
    .where('id', '=', id)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('catalog_promotion_redemptions').select('id').where('promotion_id', '=', id))),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Counts one use if the promotion is active, within its window at `now`, and under its total limit — all
 * decided by the one UPDATE. Returns whether it counted.
 */
export async function countUse(trx: DbOrTrx, promotionId: string, now: number): Promise<boolean> {
  const result = await trx
    .updateTable('catalog_promotions')
    .set({ times_used: sql`times_used + 1` })
    .where('id', '=', promotionId)
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('usage_limit', 'is', null), eb('times_used', '<', eb.ref('usage_limit'))]))
    .where((eb) => eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', now)]))
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Counts one use by a customer if under the promotion's per-customer limit (if it has one): one upsert whose update part is
 * guarded by the limit (read in the same statement). Concurrent first uses meet at the primary key, and the
 * loser takes the guarded update path. Returns whether it counted.
 */
export async function countCustomerUse(
  trx: DbOrTrx,
  promotionId: string,
  customerId: string,
): Promise<boolean> {
  const result = await trx
    .insertInto('catalog_promotion_customer_usage')
    .values({ promotion_id: promotionId, customer_id: customerId, times_used: 1 })
    .onConflict((oc) =>
      oc
        .columns(['promotion_id', 'customer_id'])
        .doUpdateSet({ times_used: sql`catalog_promotion_customer_usage.times_used + 1` })
        .where(
          sql.ref('catalog_promotion_customer_usage.times_used'),
          '<',
          // No per-customer limit: still counted (a limit set later then knows past uses), never refused.
          sql`coalesce((select usage_limit_per_customer from catalog_promotions where id = ${promotionId}), ${Number.MAX_SAFE_INTEGER})`,
        ),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Gives back one use (never below zero). */
export async function uncountUse(trx: DbOrTrx, promotionId: string): Promise<void> {
  await trx
    .updateTable('catalog_promotions')
    .set({ times_used: sql`times_used - 1` })
    .where('id', '=', promotionId)
    .where('times_used', '>', 0)
    .execute();
}

export async function uncountCustomerUse(
  trx: DbOrTrx,
  promotionId: string,
  customerId: string,
): Promise<void> {
  await trx
    .updateTable('catalog_promotion_customer_usage')
    .set({ times_used: sql`times_used - 1` })
    .where('promotion_id', '=', promotionId)
    .where('customer_id', '=', customerId)
    .where('times_used', '>', 0)
    .execute();
}

/** How often the customer has used each of these promotions. */
export async function customerUses(
  db: DbOrTrx,
  promotionIds: readonly string[],
  customerId: string,
): Promise<Map<string, number>> {
  const uses = new Map<string, number>();
  if (promotionIds.length === 0) return uses;
  const rows = await db
    .selectFrom('catalog_promotion_customer_usage')
    .select(['promotion_id', 'times_used'])
    .where('promotion_id', 'in', [...promotionIds])
    .where('customer_id', '=', customerId)
    .execute();
  for (const r of rows) uses.set(r.promotion_id, Number(r.times_used));
  return uses;
}

export async function findRedemptionRow(
  db: DbOrTrx,
  promotionId: string,
  reference: string,
): Promise<Selectable<CatalogPromotionRedemptionRow> | undefined> {
  return db
    .selectFrom('catalog_promotion_redemptions')
    .selectAll()
    .where('promotion_id', '=', promotionId)
    .where('reference', '=', reference)
    .executeTakeFirst();
}

export async function insertRedemption(
  db: DbOrTrx,
  row: Insertable<CatalogPromotionRedemptionRow>,
): Promise<void> {
  await db.insertInto('catalog_promotion_redemptions').values(row).execute();
}

/** Moves a redemption between `redeemed` and `released` if it is still in the expected state. */
export async function moveRedemption(
  db: DbOrTrx,
  id: string,
  from: Redemption['status'],
  set: Partial<Selectable<CatalogPromotionRedemptionRow>>,
): Promise<boolean> {
  const result = await db
    .updateTable('catalog_promotion_redemptions')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function redemptionRowsOfReference(
  db: DbOrTrx,
  reference: string,
  promotionIds?: readonly string[],
): Promise<Array<Selectable<CatalogPromotionRedemptionRow>>> {
  let q = db.selectFrom('catalog_promotion_redemptions').selectAll().where('reference', '=', reference);
  if (promotionIds?.length) q = q.where('promotion_id', 'in', [...promotionIds]);
  return q.orderBy('promotion_id').execute();
}

export async function listRedemptionRows(
  db: DbOrTrx,
  promotionId: string,
  page: PageRequest,
): Promise<Page<Redemption>> {
  return paginate(
    db.selectFrom('catalog_promotion_redemptions').selectAll().where('promotion_id', '=', promotionId),
    'id',
    page,
    redemptionFromRow,
  );
}

/** What promotions need to know about a variant: its product and the paths of its product's categories. */
export interface VariantFacts {
  product_id: string;
  /** Materialized paths (`/cat_a/cat_b/`): a category condition matches a category or any of its descendants. */
  category_paths: string[];
}

export async function variantFacts(
  db: DbOrTrx,
  variantIds: readonly string[],
): Promise<Map<string, VariantFacts>> {
  const facts = new Map<string, VariantFacts>();
  const ids = [...new Set(variantIds)];
  if (ids.length === 0) return facts;
  const rows = await db
    .selectFrom('catalog_variants as v')
    .leftJoin('catalog_product_categories as pc', 'pc.product_id', 'v.product_id')
    .leftJoin('catalog_categories as c', 'c.id', 'pc.category_id')
    .select(['v.id', 'v.product_id', 'c.path'])
    .where('v.id', 'in', ids)
    .execute();
  for (const r of rows) {
    const f = facts.get(r.id) ?? { product_id: r.product_id, category_paths: [] };
    if (r.path) f.category_paths.push(r.path);
    facts.set(r.id, f);
  }
  return facts;
}

export async function existingIds(
  db: DbOrTrx,
  table: 'catalog_products' | 'catalog_categories',
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}
