/** @module Erasure suppression list (salted hashes of erased identifiers) and the installation's salt. */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema
    .createTable('privacy_suppressions')
    .addColumn('hash', t.text, (c) => c.primaryKey())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('installation_secrets')
    .addColumn('name', t.text, (c) => c.primaryKey())
    .addColumn('value', t.text, (c) => c.notNull())
    .execute();
}
