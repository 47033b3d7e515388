/** @module Price and price-list queries and their row mappers; every function takes the database or a transaction first. */
import type { Insertable, Selectable } from 'kysely';
import { decodeBool, decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import { isUniqueViolation } from '../../platform/db/errors';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { CatalogPriceListRow, CatalogPriceRow } from './price.table';

export const priceListTypes = ['override', 'sale'] as const;
export type PriceListType = (typeof priceListTypes)[number];
export const priceListStatuses = ['active', 'draft'] as const;
export type PriceListStatus = (typeof priceListStatuses)[number];

export interface PriceList {
  id: string;
  name: string;
  description: string | null;
  type: PriceListType;
  status: PriceListStatus;
  /** Empty: every channel. A list naming channels is an explicit channel exception. */
  channel_ids: string[];
  /** Empty: everyone. Customer groups are segments. */
  segment_ids: string[];
  starts_at: string | null;
  ends_at: string | null;
  priority: number;
  /** How many prices the list holds. */
  price_count: number;
  created_at: string;
  updated_at: string;
}

/** A stored price; `amount` and `currency` are the money, flat as in every price row. */
export interface Price {
  id: string;
  variant_id: string;
  /** Null: the variant's base price in this currency. */
  price_list_id: string | null;
  amount: number;
  currency: string;
  tax_inclusive: boolean;
  created_at: string;
  updated_at: string;
}

/** A price list as price computation uses it: times as epoch ms. */
export interface PriceListRule {
  id: string;
  name: string;
  type: PriceListType;
  status: PriceListStatus;
  channel_ids: string[];
  segment_ids: string[];
  starts_at: number | null;
  ends_at: number | null;
  priority: number;
}

export function priceListRuleFromRow(row: Selectable<CatalogPriceListRow>): PriceListRule {
  return {
    id: row.id,
    name: row.name,
    type: row.type as PriceListType,
    status: row.status as PriceListStatus,
    channel_ids: decodeJson<string[]>(row.channel_ids),
    segment_ids: decodeJson<string[]>(row.segment_ids),
    starts_at: row.starts_at == null ? null : Number(row.starts_at),
    ends_at: row.ends_at == null ? null : Number(row.ends_at),
    priority: Number(row.priority),
  };
}

export function priceListFromRow(row: Selectable<CatalogPriceListRow>, priceCount: number): PriceList {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    type: row.type as PriceListType,
    status: row.status as PriceListStatus,
    channel_ids: decodeJson<string[]>(row.channel_ids),
    segment_ids: decodeJson<string[]>(row.segment_ids),
    starts_at: toIso(row.starts_at == null ? null : Number(row.starts_at)),
    ends_at: toIso(row.ends_at == null ? null : Number(row.ends_at)),
    priority: Number(row.priority),
    price_count: priceCount,
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export function priceFromRow(row: Selectable<CatalogPriceRow>): Price {
  return {
    id: row.id,
    variant_id: row.variant_id,
    price_list_id: row.price_list_id,
    amount: Number(row.amount),
    currency: row.currency,
    tax_inclusive: decodeBool(row.tax_inclusive),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

/** A unique index refused a second price for the same variant, currency and list (or base). */
export const isDuplicatePrice = (error: unknown): boolean =>
  isUniqueViolation(error, { constraint: 'catalog_prices_base_uq', column: 'catalog_prices.variant_id' }) ||
  isUniqueViolation(error, { constraint: 'catalog_prices_list_uq', column: 'catalog_prices.price_list_id' });

export async function findPriceListRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CatalogPriceListRow> | undefined> {
  return db.selectFrom('catalog_price_lists').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countPrices(db: DbOrTrx, listIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (listIds.length === 0) return counts;
  const rows = await db
    .selectFrom('catalog_prices')
    .select(['price_list_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('price_list_id', 'in', [...listIds])
    .groupBy('price_list_id')
    .execute();
  for (const row of rows) if (row.price_list_id) counts.set(row.price_list_id, Number(row.n));
  return counts;
}

export async function listPriceListRows(
  db: DbOrTrx,
  filter: PageRequest & { status?: string | undefined; type?: string | undefined },
): Promise<Page<Selectable<CatalogPriceListRow>>> {
  let q = db.selectFrom('catalog_price_lists').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.type) q = q.where('type', '=', filter.type);
  return paginate(q, 'id', filter, (row) => row);
}

/** Every active list: there are few, and computation filters them by channel, segment and time in memory. */
export async function activePriceListRows(db: DbOrTrx): Promise<Array<Selectable<CatalogPriceListRow>>> {
  return db.selectFrom('catalog_price_lists').selectAll().where('status', '=', 'active').execute();
}

export async function insertPriceList(db: DbOrTrx, row: Insertable<CatalogPriceListRow>): Promise<void> {
  await db.insertInto('catalog_price_lists').values(row).execute();
}

export async function updatePriceListRow(
  db: DbOrTrx,
  id: string,
  set: Partial<Selectable<CatalogPriceListRow>>,
): Promise<number> {
  const result = await db.updateTable('catalog_price_lists').set(set).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deletePriceListRow(db: DbOrTrx, id: string): Promise<number> {
  // Its prices first: the foreign key cascades too, but only where foreign keys are enforced.
  await db.deleteFrom('catalog_prices').where('price_list_id', '=', id).execute();
  const result = await db.deleteFrom('catalog_price_lists').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function findPriceRow(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CatalogPriceRow> | undefined> {
  return db.selectFrom('catalog_prices').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The price of one variant in one currency in one list (or its base price when `listId` is null). */
export async function findPriceByKey(
  db: DbOrTrx,
  key: { variant_id: string; currency: string; price_list_id: string | null },
): Promise<Selectable<CatalogPriceRow> | undefined> {
  let q = db
    .selectFrom('catalog_prices')
    .selectAll()
    .where('variant_id', '=', key.variant_id)
    .where('currency', '=', key.currency);
  q = key.price_list_id
    ? q.where('price_list_id', '=', key.price_list_id)
    : q.where('price_list_id', 'is', null);
  return q.executeTakeFirst();
}

export async function listPriceRows(
  db: DbOrTrx,
  filter: PageRequest & {
    variant_id?: string | undefined;
    price_list_id?: string | undefined;
    currency?: string | undefined;
    base?: boolean | undefined;
  },
): Promise<Page<Price>> {
  let q = db.selectFrom('catalog_prices').selectAll();
  if (filter.variant_id) q = q.where('variant_id', '=', filter.variant_id);
  if (filter.price_list_id) q = q.where('price_list_id', '=', filter.price_list_id);
  if (filter.currency) q = q.where('currency', '=', filter.currency);
  if (filter.base === true) q = q.where('price_list_id', 'is', null);
  if (filter.base === false) q = q.where('price_list_id', 'is not', null);
  return paginate(q, 'id', filter, priceFromRow);
}

// IN lists are split so no statement passes SQLite's bound-parameter limit.
const CHUNK = 500;

/** Every price (base and in any list) of these variants in one currency. */
export async function pricesOfVariants(
  db: DbOrTrx,
  variantIds: readonly string[],
  currency: string,
): Promise<Array<Selectable<CatalogPriceRow>>> {
  const ids = [...new Set(variantIds)];
  const out: Array<Selectable<CatalogPriceRow>> = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    out.push(
      ...(await db
        .selectFrom('catalog_prices')
        .selectAll()
        .where('variant_id', 'in', ids.slice(i, i + CHUNK))
        .where('currency', '=', currency)
        .execute()),
    );
  }
  return out;
}

/** The tax-inclusive flags already used by prices of these (variant, currency) pairs, excluding some rows. */
export async function taxFlagsOf(
  db: DbOrTrx,
  pairs: ReadonlyArray<{ variant_id: string; currency: string }>,
  excludeIds: readonly string[] = [],
): Promise<Map<string, boolean>> {
  const flags = new Map<string, boolean>();
  const variantIds = [...new Set(pairs.map((p) => p.variant_id))];
  for (let i = 0; i < variantIds.length; i += CHUNK) {
    let q = db
      .selectFrom('catalog_prices')
      .select(['id', 'variant_id', 'currency', 'tax_inclusive'])
      .where('variant_id', 'in', variantIds.slice(i, i + CHUNK));
    if (excludeIds.length) q = q.where('id', 'not in', [...excludeIds]);
    for (const row of await q.execute())
      flags.set(`${row.variant_id}|${row.currency}`, decodeBool(row.tax_inclusive));
  }
  return flags;
}

export async function insertPrices(db: DbOrTrx, rows: Array<Insertable<CatalogPriceRow>>): Promise<void> {
  // Multi-row inserts keep bulk loads fast; the chunk keeps each under the bound-parameter limit.
  for (let i = 0; i < rows.length; i += 50)
    await db
      .insertInto('catalog_prices')
      .values(rows.slice(i, i + 50))
      .execute();
}

export async function updatePriceRow(
  db: DbOrTrx,
  id: string,
  set: Partial<Selectable<CatalogPriceRow>>,
): Promise<number> {
  const result = await db.updateTable('catalog_prices').set(set).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deletePriceRow(db: DbOrTrx, id: string): Promise<number> {
  const result = await db.deleteFrom('catalog_prices').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The currency in which most of these variants have a base price (ties: alphabetical), or null. */
export async function mainCurrencyOf(db: DbOrTrx, variantIds: readonly string[]): Promise<string | null> {
  const counts = new Map<string, number>();
  const ids = [...new Set(variantIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('catalog_prices')
      .select(['currency', (eb) => eb.fn.countAll<number>().as('n')])
      .where('variant_id', 'in', ids.slice(i, i + CHUNK))
      .where('price_list_id', 'is', null)
      .groupBy('currency')
      .execute();
    for (const r of rows) counts.set(r.currency, (counts.get(r.currency) ?? 0) + Number(r.n));
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return ranked[0]?.[0] ?? null;
}
