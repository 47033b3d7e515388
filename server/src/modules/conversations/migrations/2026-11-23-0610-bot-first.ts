/**
 * @module The bot goes before routing: per conversation, when the bot last answered (it is in the conversation)
 * and when it let people have it without a handoff (it had nothing to say, or it failed). Routing leaves an open,
 * unassigned conversation to an enabled bot until one of those — or a handoff — says otherwise.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));
  await db.schema.alterTable('bot_states').addColumn('answered_at', t.time).execute();
  await db.schema.alterTable('bot_states').addColumn('released_at', t.time).execute();
  // The routing job asks "does the bot still have work for this conversation?" per conversation.
  await db.schema
    .createIndex('bot_tasks_conversation_idx')
    .on('bot_tasks')
    .column('conversation_id')
    .execute();
}
