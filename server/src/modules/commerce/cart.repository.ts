/**
 * @module Cart queries and the one mapper from rows to carts. Line quantities change by single statements (an
 * upsert adds to the quantity already there), so two devices adding the same variant at once both count.
 */
import { sql, type Insertable, type Selectable } from 'kysely';
import { decodeJson, encodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { isUniqueViolation } from '../../platform/db/errors';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { CartLineRow, CartRow } from './cart.table';

export const cartStatuses = ['open', 'merged', 'converted'] as const;
export type CartStatus = (typeof cartStatuses)[number];
export const deliveryModes = ['ship', 'pickup', 'same_day'] as const;
export type LineDeliveryMode = (typeof deliveryModes)[number];
export const shippingMethods = ['standard', 'express'] as const;
export type ShippingMethod = (typeof shippingMethods)[number];

export interface CartAddress {
  name?: string | undefined;
  line1: string;
  line2?: string | undefined;
  postal_code: string;
  city: string;
  /** ISO-3166-2 subdivision without the country prefix (`CN`, `PM`), for regional tax rates. */
  region?: string | undefined;
  /** ISO-3166-1 alpha-2. */
  country: string;
  phone?: string | undefined;
}

export interface CartLine {
  id: string;
  variant_id: string;
  sku: string;
  quantity: number;
  delivery_mode: LineDeliveryMode;
  location_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface Cart {
  id: string;
  status: CartStatus;
  currency: string;
  channel_id: string;
  last_channel_id: string;
  channel_ids: string[];
  customer_id: string | null;
  anonymous_id: string | null;
  email: string | null;
  shipping_address: CartAddress | null;
  shipping_method: ShippingMethod;
  promotion_codes: string[];
  merged_into: string | null;
  lines: CartLine[];
  created_at: string;
  updated_at: string;
}

export function lineFromRow(row: Selectable<CartLineRow>): CartLine {
  return {
    id: row.id,
    variant_id: row.variant_id,
    sku: row.sku,
    quantity: Number(row.quantity),
    delivery_mode: row.delivery_mode as LineDeliveryMode,
    location_id: row.location_id,
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export function cartFromRow(row: Selectable<CartRow>, lines: Array<Selectable<CartLineRow>>): Cart {
  return {
    id: row.id,
    status: row.status as CartStatus,
    currency: row.currency,
    channel_id: row.channel_id,
    last_channel_id: row.last_channel_id,
    channel_ids: decodeJson<string[]>(row.channel_ids),
    customer_id: row.customer_id,
    anonymous_id: row.anonymous_id,
    email: row.email,
    shipping_address: decodeJson<CartAddress | null>(row.shipping_address) ?? null,
    shipping_method: row.shipping_method as ShippingMethod,
    promotion_codes: decodeJson<string[]>(row.promotion_codes),
    merged_into: row.merged_into,
    lines: lines.map(lineFromRow),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export const encodeCartJson = encodeJson;

export async function findCartRow(db: DbOrTrx, id: string): Promise<Selectable<CartRow> | undefined> {
  return db.selectFrom('commerce_carts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOpenCartOf(
  db: DbOrTrx,
  customerId: string,
): Promise<Selectable<CartRow> | undefined> {
  return db
    .selectFrom('commerce_carts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', '=', 'open')
    .executeTakeFirst();
}

export async function linesOf(db: DbOrTrx, cartId: string): Promise<Array<Selectable<CartLineRow>>> {
  return db
    .selectFrom('commerce_cart_lines')
    .selectAll()
    .where('cart_id', '=', cartId)
    .orderBy('id')
    .execute();
}

export async function loadCart(db: DbOrTrx, id: string): Promise<Cart | undefined> {
  const row = await findCartRow(db, id);
  return row ? cartFromRow(row, await linesOf(db, id)) : undefined;
}

export async function insertCart(db: DbOrTrx, row: Insertable<CartRow>): Promise<void> {
  await db.insertInto('commerce_carts').values(row).execute();
}

/**
 * Adds `quantity` of a variant to a cart: a new line, or more of the line already there (one statement, so
 * concurrent adds never lose one another). Returns the line after.
 */
export async function addLineUnits(
  db: DbOrTrx,
  row: Insertable<CartLineRow>,
): Promise<Selectable<CartLineRow>> {
  return db
    .insertInto('commerce_cart_lines')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['cart_id', 'variant_id']).doUpdateSet({
        quantity: sql`commerce_cart_lines.quantity + excluded.quantity`,
        updated_at: row.updated_at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateLineRow(
  db: DbOrTrx,
  cartId: string,
  lineId: string,
  set: Partial<Pick<CartLineRow, 'quantity' | 'delivery_mode' | 'location_id' | 'updated_at'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('commerce_cart_lines')
    .set(set)
    .where('id', '=', lineId)
    .where('cart_id', '=', cartId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteLineRow(db: DbOrTrx, cartId: string, lineId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('commerce_cart_lines')
    .where('id', '=', lineId)
    .where('cart_id', '=', cartId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Changes an open cart (guarded by its status: a cart merged or converted meanwhile is not changed). Returns
 * whether it changed.
 */
export async function updateOpenCart(
  db: DbOrTrx,
  id: string,
  set: Partial<Omit<CartRow, 'id' | 'created_at'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('commerce_carts')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listCartRows(
  db: DbOrTrx,
  filter: PageRequest & {
    customer_id?: string | undefined;
    status?: CartStatus | undefined;
    channel_id?: string | undefined;
  },
): Promise<Page<Cart>> {
  let q = db.selectFrom('commerce_carts').selectAll();
  if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.channel_id) q = q.where('last_channel_id', '=', filter.channel_id);
  const page = await paginate(q, 'id', filter, (row) => row);
  const ids = page.data.map((r) => r.id);
  const lines = ids.length
    ? await db
        .selectFrom('commerce_cart_lines')
        .selectAll()
        .where('cart_id', 'in', ids)
        .orderBy('id')
        .execute()
    : [];
  return {
    data: page.data.map((row) =>
      cartFromRow(
        row,
        lines.filter((l) => l.cart_id === row.id),
      ),
    ),
    next_cursor: page.next_cursor,
  };
}

/** A unique violation of the one-open-cart-per-customer index. */
export const isDuplicateOpenCart = (error: unknown): boolean =>
  isUniqueViolation(error, {
    constraint: 'commerce_carts_open_customer_uq',
    column: 'commerce_carts.customer_id',
  });
