/** @module Mentions of staff users in private notes: stored per (note, user), read when she opens the conversation. */
import type { Insertable } from 'kysely';
import type { DbOrTrx } from '../../platform/db/transaction';
import type { ConversationMentionRow } from './conversation.table';

export async function insertMention(db: DbOrTrx, row: Insertable<ConversationMentionRow>): Promise<void> {
  await db.insertInto('conversation_mentions').values(row).execute();
}

/** Marks a user's unread mentions in a conversation read; returns how many changed. */
export async function markMentionsRead(
  db: DbOrTrx,
  conversationId: string,
  userId: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('conversation_mentions')
    .set({ read_at: now })
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
