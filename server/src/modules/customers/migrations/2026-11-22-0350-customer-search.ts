/**
 * @module Indexes for finding customers among millions: by any identifier value (whatever its type) and by
 * the start of a first or last name, case-insensitively.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('customer_identifiers_value_idx')
    .on('customer_identifiers')
    .column('value')
    .execute();
  // PostgreSQL: text_pattern_ops lets `lower(x) LIKE 'pre%'` use the index whatever the database collation.
  // SQLite: the search uses a range on lower(x), which a plain expression index serves.
  const ops = dialectOf(db) === 'postgres' ? sql` text_pattern_ops` : sql``;
  for (const column of ['first_name', 'last_name']) {
    await db.schema
      .createIndex(`customers_lower_${column}_idx`)
      .on('customers')
      .expression(sql`lower(${sql.ref(column)})${ops}`)
      .execute();
  }
}
