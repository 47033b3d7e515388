/**
 * @module Stock: levels per SKU and location (on hand, reserved, safety stock, incoming), the append-only ledger
 * of movements, channel allocations, reservations and transfers. Counters never go below zero: CHECK constraints
 * back up the guarded updates, so even a faulty caller cannot write a negative stock.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const t = columnTypes(dialect);

  await db.schema
    .createTable('stock_levels')
    .addColumn('sku', t.text, (c) => c.notNull())
    .addColumn('location_id', t.id, (c) => c.notNull().references('locations.id'))
    .addColumn('on_hand', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('reserved', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('safety_stock', t.integer, (c) => c.notNull().defaultTo(0))
    // Units shipped to this location by a transfer and not yet received.
    .addColumn('incoming', t.integer, (c) => c.notNull().defaultTo(0))
    // `stock.low` fires when available falls below this; null: no alert.
    .addColumn('low_stock_threshold', t.integer)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_levels_pk', ['sku', 'location_id'])
    .addCheckConstraint('stock_levels_on_hand_ck', sql`on_hand >= 0`)
    .addCheckConstraint('stock_levels_reserved_ck', sql`reserved >= 0`)
    .addCheckConstraint('stock_levels_safety_ck', sql`safety_stock >= 0`)
    .addCheckConstraint('stock_levels_incoming_ck', sql`incoming >= 0`)
    // SQLite: the rows live in the primary-key tree, clustered by SKU then location, so reading a few SKUs at a
    // few locations is one descent per level with no second lookup, and the table is a third smaller.
    .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
    .execute();
  // The grid of one location, and availability of a few SKUs at a few locations (the primary key serves that).
  await db.schema
    .createIndex('stock_levels_location_idx')
    .on('stock_levels')
    .columns(['location_id', 'sku'])
    .execute();

  await db.schema
    .createTable('stock_movements')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('sku', t.text, (c) => c.notNull())
    .addColumn('location_id', t.id, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('on_hand_delta', t.integer, (c) => c.notNull())
    .addColumn('reserved_delta', t.integer, (c) => c.notNull())
    .addColumn('incoming_delta', t.integer, (c) => c.notNull())
    // The level right after this movement: a reader sees the running balance without summing.
    .addColumn('on_hand_after', t.integer, (c) => c.notNull())
    .addColumn('reserved_after', t.integer, (c) => c.notNull())
    .addColumn('reason', t.text)
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('channel_id', t.id)
    .addColumn('reference_type', t.text)
    .addColumn('reference_id', t.text)
    .addColumn('occurred_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stock_movements_level_idx')
    .on('stock_movements')
    .columns(['sku', 'location_id', 'id'])
    .execute();
  await db.schema
    .createIndex('stock_movements_location_idx')
    .on('stock_movements')
    .columns(['location_id', 'id'])
    .execute();
  await db.schema
    .createIndex('stock_movements_reference_idx')
    .on('stock_movements')
    .columns(['reference_id', 'id'])
    .execute();

  await db.schema
    .createTable('stock_allocations')
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('location_id', t.id, (c) => c.notNull().references('locations.id'))
    // Lower sells first.
    .addColumn('priority', t.integer, (c) => c.notNull())
    // Units of every SKU at this location the channel may not sell (kept for walk-in customers).
    .addColumn('holdback', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('stock_allocations_pk', ['channel_id', 'location_id'])
    .addCheckConstraint('stock_allocations_holdback_ck', sql`holdback >= 0`)
    .execute();

  await db.schema
    .createTable('stock_reservations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // The caller's key for one cart line: the same key returns the same reservation.
    .addColumn('key', t.text)
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('sku', t.text, (c) => c.notNull())
    .addColumn('location_id', t.id, (c) => c.notNull())
    .addColumn('quantity', t.integer, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('reference_type', t.text, (c) => c.notNull())
    .addColumn('reference_id', t.text, (c) => c.notNull())
    .addColumn('expires_at', t.time)
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('confirmed_at', t.time)
    .addColumn('ended_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('stock_reservations_quantity_ck', sql`quantity > 0`)
    .execute();
  // NULL keys never collide (both dialects treat NULLs as distinct in a unique index).
  await db.schema
    .createIndex('stock_reservations_key_uq')
    .on('stock_reservations')
    .columns(['channel_id', 'key'])
    .unique()
    .execute();
  // The expiry job walks active reservations by due time.
  await db.schema
    .createIndex('stock_reservations_due_idx')
    .on('stock_reservations')
    .columns(['status', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('stock_reservations_reference_idx')
    .on('stock_reservations')
    .columns(['reference_id', 'id'])
    .execute();
  await db.schema
    .createIndex('stock_reservations_sku_idx')
    .on('stock_reservations')
    .columns(['sku', 'location_id', 'id'])
    .execute();

  await db.schema
    .createTable('stock_transfers')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('from_location_id', t.id, (c) => c.notNull().references('locations.id'))
    .addColumn('to_location_id', t.id, (c) => c.notNull().references('locations.id'))
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('eta', t.time, (c) => c.notNull())
    .addColumn('reason', t.text)
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('shipped_at', t.time, (c) => c.notNull())
    .addColumn('received_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('stock_transfers_to_idx')
    .on('stock_transfers')
    .columns(['to_location_id', 'status', 'eta'])
    .execute();

  await db.schema
    .createTable('stock_transfer_lines')
    .addColumn('transfer_id', t.id, (c) => c.notNull().references('stock_transfers.id'))
    .addColumn('sku', t.text, (c) => c.notNull())
    .addColumn('quantity', t.integer, (c) => c.notNull())
    .addColumn('received_quantity', t.integer)
    .addPrimaryKeyConstraint('stock_transfer_lines_pk', ['transfer_id', 'sku'])
    .addCheckConstraint('stock_transfer_lines_quantity_ck', sql`quantity > 0`)
    .execute();
  // Incoming stock of a SKU: its open transfer lines.
  await db.schema
    .createIndex('stock_transfer_lines_sku_idx')
    .on('stock_transfer_lines')
    .columns(['sku', 'transfer_id'])
    .execute();
}
