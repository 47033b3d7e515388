/**
 * @module Stock level and ledger queries, and the row mappers. Every change to a level is one guarded UPDATE
 * whose WHERE clause carries the rule (never below zero, never into reserved units), checked by the row it
 * returns; the caller writes the matching movement in the same transaction.
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import { toIsoRequired } from '../../platform/db/codecs';
import { dialectOf } from '../../platform/db/columns';
import type { DbOrTrx } from '../../platform/db/transaction';
import { decodeCursor, encodeCursor, type Page, type PageRequest } from '../../platform/http/pagination';
import { paginate } from '../../platform/http/pagination';
import type { StockLevelRow, StockMovementRow } from './stock.table';

export const movementKinds = [
  'receipt',
  'sale',
  'pos_sale',
  'reservation',
  'release',
  'adjustment',
  'cycle_count',
  'transfer_out',
  'transfer_in',
  'return_restock',
  'damage',
] as const;
export type MovementKind = (typeof movementKinds)[number];

export interface StockLevel {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  incoming: number;
  /** on hand − reserved − safety stock, never shown below zero. */
  available: number;
  low_stock_threshold: number | null;
  updated_at: string;
}

export interface StockMovement {
  id: string;
  sku: string;
  location_id: string;
  kind: MovementKind;
  on_hand_delta: number;
  reserved_delta: number;
  incoming_delta: number;
  on_hand_after: number;
  reserved_after: number;
  reason: string | null;
  actor: { type: string; id: string | null };
  channel_id: string | null;
  reference: { type: string; id: string } | null;
  occurred_at: string;
}

/** Units the level can still promise to anyone: may be negative after a count found fewer than reserved. */
export const freeUnits = (row: Pick<StockLevelRow, 'on_hand' | 'reserved' | 'safety_stock'>): number =>
  Number(row.on_hand) - Number(row.reserved) - Number(row.safety_stock);

export function stockLevelFromRow(row: Selectable<StockLevelRow>): StockLevel {
  return {
    sku: row.sku,
    location_id: row.location_id,
    on_hand: Number(row.on_hand),
    reserved: Number(row.reserved),
    safety_stock: Number(row.safety_stock),
    incoming: Number(row.incoming),
    available: Math.max(0, freeUnits(row)),
    low_stock_threshold: row.low_stock_threshold == null ? null : Number(row.low_stock_threshold),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export function movementFromRow(row: Selectable<StockMovementRow>): StockMovement {
  return {
    id: row.id,
    sku: row.sku,
    location_id: row.location_id,
    kind: row.kind as MovementKind,
    on_hand_delta: Number(row.on_hand_delta),
    reserved_delta: Number(row.reserved_delta),
    incoming_delta: Number(row.incoming_delta),
    on_hand_after: Number(row.on_hand_after),
    reserved_after: Number(row.reserved_after),
    reason: row.reason,
    actor: { type: row.actor_type, id: row.actor_id },
    channel_id: row.channel_id,
    reference:
      row.reference_type && row.reference_id ? { type: row.reference_type, id: row.reference_id } : null,
    occurred_at: toIsoRequired(Number(row.occurred_at)),
  };
}

export interface LevelKey {
  sku: string;
  location_id: string;
}

export interface Deltas {
  on_hand?: number;
  reserved?: number;
  incoming?: number;
}

/**
 * Changes one level by the given deltas, only if no counter would go below zero and — with `keepReserved` —
 * the units left on hand still cover every reservation. Returns the level after the change, or undefined when
 * the level does not exist or the guard refused (the caller tells which).
 * @example await changeLevel(trx, { sku: 'TEE-M', location_id: 'loc_…' }, { on_hand: -1 }, { keepReserved: true })
 */
export async function changeLevel(
  db: DbOrTrx,
  key: LevelKey,
  deltas: Deltas,
  options: { keepReserved: boolean },
): Promise<Selectable<StockLevelRow> | undefined> {
  const dOn = deltas.on_hand ?? 0;
  const dRes = deltas.reserved ?? 0;
  const dInc = deltas.incoming ?? 0;
  let q = db
    .updateTable('stock_levels')
    .set({
      on_hand: sql`on_hand + ${dOn}`,
      reserved: sql`reserved + ${dRes}`,
      incoming: sql`incoming + ${dInc}`,
      updated_at: Date.now(),
    })
    .where('sku', '=', key.sku)
    .where('location_id', '=', key.location_id);
  // Only the counters that fall need a guard; the CHECK constraints stay a backstop, not the rule.
  if (dOn < 0) q = q.where(sql<boolean>`on_hand + ${dOn} >= 0`);
  if (dRes < 0) q = q.where(sql<boolean>`reserved + ${dRes} >= 0`);
  if (dInc < 0) q = q.where(sql<boolean>`incoming + ${dInc} >= 0`);
  if (options.keepReserved && dOn < 0) q = q.where(sql<boolean>`on_hand + ${dOn} >= reserved + ${dRes}`);
  return q.returningAll().executeTakeFirst();
}

/**
 * Sets on hand to a counted figure, only if it still is what the counter saw (`expected`): a compare-and-set,
 * so a sale between the read and the write makes the caller read again instead of losing that sale.
 */
export async function setOnHandIf(
  db: DbOrTrx,
  key: LevelKey,
  expected: number,
  counted: number,
): Promise<Selectable<StockLevelRow> | undefined> {
  return db
    .updateTable('stock_levels')
    .set({ on_hand: counted, updated_at: Date.now() })
    .where('sku', '=', key.sku)
    .where('location_id', '=', key.location_id)
    .where('on_hand', '=', expected)
    .returningAll()
    .executeTakeFirst();
}

const EMPTY = { on_hand: 0, reserved: 0, safety_stock: 0, incoming: 0, low_stock_threshold: null };

/** Creates the levels that do not exist yet (all counters zero); existing ones are left alone. */
export async function ensureLevels(db: DbOrTrx, keys: LevelKey[], now: number): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    await db
      .insertInto('stock_levels')
      .values(chunk.map((k) => ({ ...k, ...EMPTY, created_at: now, updated_at: now })))
      .onConflict((oc) => oc.columns(['sku', 'location_id']).doNothing())
      .execute();
  }
}

/**
 * Adds received units to many levels at once, creating the levels that do not exist: one multi-row upsert per
 * chunk (the bulk path a seeder or an import uses). Keys must be distinct. Returns the levels after the change.
 */
export async function addOnHand(
  db: DbOrTrx,
  lines: Array<LevelKey & { quantity: number }>,
  now: number,
): Promise<Array<Selectable<StockLevelRow>>> {
  const out: Array<Selectable<StockLevelRow>> = [];
  for (let i = 0; i < lines.length; i += 500) {
    const chunk = lines.slice(i, i + 500);
    const rows = await db
      .insertInto('stock_levels')
      .values(
        chunk.map((l) => ({
          sku: l.sku,
          location_id: l.location_id,
          ...EMPTY,
          on_hand: l.quantity,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['sku', 'location_id']).doUpdateSet({
          on_hand: sql`stock_levels.on_hand + excluded.on_hand`,
          updated_at: now,
        }),
      )
      .returningAll()
      .execute();
    out.push(...rows);
  }
  return out;
}

export async function findLevelRow(
  db: DbOrTrx,
  key: LevelKey,
): Promise<Selectable<StockLevelRow> | undefined> {
  return db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', key.sku)
    .where('location_id', '=', key.location_id)
    .executeTakeFirst();
}

/** The levels of these SKUs at these locations (the primary key answers it: one range per SKU). */
export async function levelRowsFor(
  db: DbOrTrx,
  skus: string[],
  locationIds?: string[],
): Promise<Array<Selectable<StockLevelRow>>> {
  if (skus.length === 0 || locationIds?.length === 0) return [];
  if (locationIds && dialectOf(db as unknown as Kysely<unknown>) === 'sqlite') {
    // SQLite picks the (location, SKU) index for this, which then looks each row up in the table: twice the
    // page reads of probing the primary key, where the rows live. Its automatic name is fixed by SQLite
    // (sqlite_autoindex_<table>_1, the table's first key); a wrong name would fail loudly, never silently.
    return sql<
      Selectable<StockLevelRow>
    >`select * from stock_levels indexed by sqlite_autoindex_stock_levels_1
      where sku in (${sql.join(skus)}) and location_id in (${sql.join(locationIds)})`
      .execute(db)
      .then((r) => r.rows);
  }
  let q = db.selectFrom('stock_levels').selectAll().where('sku', 'in', skus);
  if (locationIds) q = q.where('location_id', 'in', locationIds);
  return q.execute();
}

/** SKUs among these that have a level somewhere (inventory knows a SKU once it was stocked). */
export async function stockedSkus(db: DbOrTrx, skus: string[]): Promise<Set<string>> {
  if (skus.length === 0) return new Set();
  const rows = await db
    .selectFrom('stock_levels')
    .select('sku')
    .distinct()
    .where('sku', 'in', skus)
    .execute();
  return new Set(rows.map((r) => r.sku));
}

export async function updateLevelSettings(
  db: DbOrTrx,
  key: LevelKey,
  set: { safety_stock?: number; low_stock_threshold?: number | null },
): Promise<Selectable<StockLevelRow> | undefined> {
  return db
    .updateTable('stock_levels')
    .set({ ...set, updated_at: Date.now() })
    .where('sku', '=', key.sku)
    .where('location_id', '=', key.location_id)
    .returningAll()
    .executeTakeFirst();
}

/**
 * SKUs starting with `prefix` whatever the case, as a range over the upper-cased SKU that its index
 * (stock_levels_sku_upper_idx) answers: `folded >= 'TEE' AND folded < 'TEF'`. SKUs are ASCII, so upper() folds
 * them the same on both databases, and in byte order every string with the prefix lies in that range and nothing
 * else does. The expression must match the index's exactly for the planner to use it: one dialect branch.
 */
export function skuPrefixCondition(db: DbOrTrx, prefix: string) {
  const from = prefix.toUpperCase();
  // The last character plus one: SKU characters are ASCII, so it never runs past a code unit.
  const to = from.slice(0, -1) + String.fromCharCode(from.charCodeAt(from.length - 1) + 1);
  const folded =
    dialectOf(db as unknown as Kysely<unknown>) === 'sqlite'
      ? sql`upper(sku)`
      : sql`(upper(sku) collate "C")`;
  return sql<boolean>`${folded} >= ${from} and ${folded} < ${to}`;
}

/** Levels in (sku, location) order, a page at a time; the cursor is the last (sku, location) seen. */
export async function listLevelRows(
  db: DbOrTrx,
  filter: PageRequest & {
    sku?: string | undefined;
    /** SKUs starting with this, ignoring case (the console's search box). */
    sku_prefix?: string | undefined;
    location_id?: string | undefined;
    /** Only levels whose available is below their low-stock threshold. */
    low?: boolean | undefined;
  },
): Promise<Page<StockLevel>> {
  const limit = Math.min(filter.limit ?? 50, 200);
  let q = db.selectFrom('stock_levels').selectAll();
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.sku_prefix) q = q.where(skuPrefixCondition(db, filter.sku_prefix));
  if (filter.location_id) q = q.where('location_id', '=', filter.location_id);
  if (filter.low)
    q = q
      .where('low_stock_threshold', 'is not', null)
      .where(sql<boolean>`on_hand - reserved - safety_stock < low_stock_threshold`);
  if (filter.cursor) {
    const [sku, location] = decodeCursor(filter.cursor).split('\u0000') as [string, string];
    q = q.where((eb) =>
      eb.or([eb('sku', '>', sku), eb.and([eb('sku', '=', sku), eb('location_id', '>', location ?? '')])]),
    );
  }
  const rows = await q
    .orderBy('sku')
    .orderBy('location_id')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map(stockLevelFromRow),
    next_cursor: more && last ? encodeCursor(`${last.sku}\u0000${last.location_id}`) : null,
  };
}

export async function insertMovements(db: DbOrTrx, rows: Array<Insertable<StockMovementRow>>): Promise<void> {
  // 16 columns a row: 500 rows stay well under both drivers' limits on bound parameters.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('stock_movements')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function listMovementRows(
  db: DbOrTrx,
  filter: PageRequest & {
    sku?: string | undefined;
    location_id?: string | undefined;
    kind?: MovementKind | undefined;
    reference_id?: string | undefined;
  },
): Promise<Page<StockMovement>> {
  let q = db.selectFrom('stock_movements').selectAll();
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.location_id) q = q.where('location_id', '=', filter.location_id);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.reference_id) q = q.where('reference_id', '=', filter.reference_id);
  return paginate(q, 'id', filter, movementFromRow);
}

/** Sums of the ledger per level: what on hand, reserved and incoming must be if nothing bypassed it. */
export async function ledgerTotals(
  db: DbOrTrx,
  filter: { sku?: string; location_id?: string } = {},
): Promise<Array<LevelKey & { on_hand: number; reserved: number; incoming: number }>> {
  let q = db
    .selectFrom('stock_movements')
    .select((eb) => [
      'sku',
      'location_id',
      eb.fn.sum<number>('on_hand_delta').as('on_hand'),
      eb.fn.sum<number>('reserved_delta').as('reserved'),
      eb.fn.sum<number>('incoming_delta').as('incoming'),
    ])
    .groupBy(['sku', 'location_id']);
  if (filter.sku) q = q.where('sku', '=', filter.sku);
  if (filter.location_id) q = q.where('location_id', '=', filter.location_id);
  const rows = await q.execute();
  return rows.map((r) => ({
    sku: r.sku,
    location_id: r.location_id,
    on_hand: Number(r.on_hand),
    reserved: Number(r.reserved),
    incoming: Number(r.incoming),
  }));
}
