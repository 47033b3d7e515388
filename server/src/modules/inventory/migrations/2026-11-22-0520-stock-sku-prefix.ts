/**
 * @module The console's SKU search ("starts with, whatever the case") as an index range scan: an index on the
 * SKU folded to upper case, which `listLevelRows` reads with `folded >= prefix AND folded < next prefix` instead
 * of comparing a substring of every level.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'sqlite')
    // SQLite compares text byte by byte (BINARY) unless told otherwise: the range is exact as it is.
    await sql`create index stock_levels_sku_upper_idx on stock_levels (upper(sku))`.execute(db);
  // PostgreSQL orders text by the database's locale, where a range need not hold exactly the strings with a
  // prefix (punctuation is ignored at first); in "C" it is byte order, as on SQLite.
  else
    await sql`create index stock_levels_sku_upper_idx on stock_levels ((upper(sku) collate "C"))`.execute(db);
}
