/**
 * @module The inbox's second round: @mentions in private notes (who was mentioned, read or not), merged
 * conversations (a pointer to the survivor plus a log of what moved, so a merge can be traced and undone by
 * hand), and canned responses kept on the server (per-locale bodies with {{variables}}, optionally per team).
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  // A merged conversation keeps its row (read-only, status 'merged') and points at the one it went into.
  await db.schema.alterTable('conversations').addColumn('merged_into_id', t.id).execute();
  await db.schema.alterTable('conversations').addColumn('merged_at', t.time).execute();

  await db.schema
    .createTable('conversation_mentions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('message_id', t.id, (c) => c.notNull())
    .addColumn('user_id', t.id, (c) => c.notNull())
    .addColumn('mentioned_by', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    // Null until the mentioned agent opens the conversation.
    .addColumn('read_at', t.time)
    .execute();
  await db.schema
    .createIndex('conversation_mentions_message_user_uq')
    .unique()
    .on('conversation_mentions')
    .columns(['message_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('conversation_mentions_user_idx')
    .on('conversation_mentions')
    .columns(['user_id', 'conversation_id'])
    .execute();

  await db.schema
    .createTable('conversation_merges')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // 'merge' (source went into target) or 'split' (messages of source started target).
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('source_id', t.id, (c) => c.notNull())
    .addColumn('target_id', t.id, (c) => c.notNull())
    // What moved: message ids, and the source's state before (status, assignee, team, labels, thread key).
    .addColumn('moved', t.json, (c) => c.notNull())
    .addColumn('actor_id', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_merges_source_idx')
    .on('conversation_merges')
    .column('source_id')
    .execute();

  await db.schema
    .createTable('canned_responses')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // What an agent types after "/" in the composer; unique across the business.
    .addColumn('shortcut', t.text, (c) => c.notNull())
    .addColumn('title', t.text, (c) => c.notNull())
    // { en?: string, es?: string, ru?: string } with {{variables}}; en is required.
    .addColumn('body', t.json, (c) => c.notNull())
    // Null: everyone's; a team id: shown to that team's members only (and to admins).
    .addColumn('team_id', t.id)
    .addColumn('created_by', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('canned_responses_shortcut_uq')
    .unique()
    .on('canned_responses')
    .column('shortcut')
    .execute();
}
