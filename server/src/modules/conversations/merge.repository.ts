/**
 * @module The merge and split log (`conversation_merges`): one row per merge or split with what moved and the
 * source's state before, read back to show a conversation's history and to undo one.
 */
import type { Selectable } from 'kysely';
import { decodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx, Trx } from '../../platform/db/transaction';
import type { ConversationMergeRow } from './conversation.table';

/** A merge's source as it was before: what undoing the merge restores. */
export interface SourceBefore {
  status: string;
  assignee_id: string | null;
  team_id: string | null;
  labels: string[];
  thread_key: string | null;
  waiting_since: number | null;
  snoozed_until: number | null;
}

/** What the `moved` JSON holds. Merges logged before undo existed lack `target_thread_key_before`. */
export interface MovedLog {
  message_ids: string[];
  contacts?: Array<{ channel_id: string; address: string }>;
  source_before?: SourceBefore;
  target_labels_before?: string[];
  target_thread_key_before?: string | null;
}

export type MergeKind = 'merge' | 'split';

/** A merge or split as the API shows it: ids and times only. */
export interface ConversationMerge {
  id: string;
  kind: MergeKind;
  /** merge: the conversation that went into `target_id`; split: the conversation messages left. */
  source_id: string;
  /** merge: the survivor; split: the conversation the split started. */
  target_id: string;
  message_ids: string[];
  actor_id: string | null;
  created_at: string;
  undone_at: string | null;
  undone_by: string | null;
}

export type MergeRow = Selectable<ConversationMergeRow>;

export const movedOf = (row: MergeRow): MovedLog => decodeJson<MovedLog>(row.moved);

export function mergeFromRow(row: MergeRow): ConversationMerge {
  return {
    id: row.id,
    kind: row.kind as MergeKind,
    source_id: row.source_id,
    target_id: row.target_id,
    message_ids: movedOf(row).message_ids,
    actor_id: row.actor_id,
    created_at: toIsoRequired(row.created_at),
    undone_at: toIso(row.undone_at),
    undone_by: row.undone_by,
  };
}

export async function findMergeRow(db: DbOrTrx, id: string): Promise<MergeRow | undefined> {
  return db.selectFrom('conversation_merges').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every merge and split a conversation took part in (either side), newest first. */
export async function listMergeRows(db: DbOrTrx, conversationId: string): Promise<MergeRow[]> {
  return db
    .selectFrom('conversation_merges')
    .selectAll()
    .where((eb) => eb.or([eb('source_id', '=', conversationId), eb('target_id', '=', conversationId)]))
    .orderBy('id', 'desc')
    .execute();
}

/**
 * Marks a merge undone unless it already is; true when this call did it. The guard makes it the one place two
 * simultaneous undos are told apart (on PostgreSQL the second waits for the first's row lock, then finds it set).
 */
export async function markMergeUndone(
  db: DbOrTrx,
  id: string,
  actorId: string | null,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('conversation_merges')
    .set({ undone_at: now, undone_by: actorId })
    .where('id', '=', id)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ids per statement: well under SQLite's and PostgreSQL's bound-parameter limits for any merge. */
const CHUNK = 500;
export const chunksOf = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** Moves these messages of `from`, with their attachments and mentions, to `to` (a split, an undo). */
export async function moveMessagesById(trx: Trx, ids: string[], from: string, to: string): Promise<void> {
  for (const chunk of chunksOf(ids)) {
    await trx
      .updateTable('messages')
      .set({ conversation_id: to })
      .where('id', 'in', chunk)
      .where('conversation_id', '=', from)
      .execute();
    await trx
      .updateTable('message_attachments')
      .set({ conversation_id: to })
      .where('message_id', 'in', chunk)
      .execute();
    await trx
      .updateTable('conversation_mentions')
      .set({ conversation_id: to })
      .where('message_id', 'in', chunk)
      .execute();
  }
}
