/**
 * @module Undoing a merge or a split: the log row says when it was undone and by whom. The guarded
 * `UPDATE … SET undone_at … WHERE undone_at IS NULL` is what lets exactly one of two simultaneous undos win.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema.alterTable('conversation_merges').addColumn('undone_at', t.time).execute();
  await db.schema.alterTable('conversation_merges').addColumn('undone_by', t.id).execute();
  // The conversation's merge history reads by either side.
  await db.schema
    .createIndex('conversation_merges_target_idx')
    .on('conversation_merges')
    .column('target_id')
    .execute();
}
