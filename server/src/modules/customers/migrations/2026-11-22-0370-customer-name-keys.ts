/**
 * @module Accent- and case-insensitive name search on both dialects: two stored, indexed search keys per profile
 * ("first last" and "last first", folded by foldForSearch), backfilled here for existing profiles, and the
 * lower(name) indexes of 0350 dropped, since no query uses them any more. The folding runs in JavaScript
 * because SQLite's lower() folds ASCII only and neither database strips accents out of the box; if the folding
 * ever changes, a new migration must backfill again.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../../platform/db/columns';
import { nameSearchColumns } from '../customer.repository';

/** Profiles read and rewritten per statement (3 bound values each: well under both dialects' limits). */
const BATCH = 1_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('search_name', 'text').execute();
  await db.schema.alterTable('customers').addColumn('search_name_reversed', 'text').execute();

  // Keyset pages by id; each page is one UPDATE … FROM (VALUES …), a form SQLite (3.33+) and PostgreSQL share
  // (both name the VALUES columns column1, column2, …).
  let after = '';
  for (;;) {
    const rows: Array<{ id: string; first_name: string | null; last_name: string | null }> = await db
      .selectFrom('customers')
      .select(['id', 'first_name', 'last_name'])
      .where('id', '>', after)
      .where((eb) => eb.or([eb('first_name', 'is not', null), eb('last_name', 'is not', null)]))
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const values = rows.map((r) => {
      const keys = nameSearchColumns(r.first_name, r.last_name);
      return sql`(${r.id}, ${keys.search_name}, ${keys.search_name_reversed})`;
    });
    await sql`update customers set search_name = v.column2, search_name_reversed = v.column3
      from (values ${sql.join(values)}) as v where customers.id = v.column1`.execute(db);
  }

  await db.schema.dropIndex('customers_lower_first_name_idx').execute();
  await db.schema.dropIndex('customers_lower_last_name_idx').execute();
  // PostgreSQL: text_pattern_ops lets `LIKE 'pre%'` use the index whatever the database collation.
  // SQLite: the search is a range in BINARY order, which a plain index serves.
  const ops = dialectOf(db) === 'postgres' ? sql` text_pattern_ops` : sql``;
  for (const column of ['search_name', 'search_name_reversed']) {
    await db.schema
      .createIndex(`customers_${column}_idx`)
      .on('customers')
      .expression(sql`${sql.ref(column)}${ops}`)
      .execute();
  }
}
