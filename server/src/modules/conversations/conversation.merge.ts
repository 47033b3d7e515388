/**
 * @module Merge and split. A merge moves everything of conversation B (messages, notes, attachments, mentions,
 * contacts, labels) into A and leaves B read-only with status `merged` pointing at A; B's assignment and SLA
 * timers close through the routing and SLA consumers reacting to its `conversation.status_changed` (to
 * `merged`), and later inbound that names B (its reply token, its thread key) lands in A. A split moves one
 * message and every later one into a new conversation of the same customer. Both lock the conversations they
 * touch with guarded UPDATEs in id order, so two agents merging at once neither corrupt nor deadlock: the
 * second finds the first's result and is refused. Every merge and split is logged in `conversation_merges` with
 * what moved and the source's state before, which is what undoing it needs (conversation.unmerge.ts).
 */
import type { Selectable } from 'kysely';
import { encodeJson, decodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { AppError, notFound } from '../../platform/errors';
import { newId } from '../../platform/ids';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { CustomersService } from '../customers';
import type { ConversationRow, MessageRow } from './conversation.table';
import {
  conversationFromRow,
  findConversationRow,
  insertConversation,
  touchContact,
  updateConversationRow,
  type Conversation,
} from './conversation.repository';
import { newReplyToken } from './inbound.service';
import { moveMessagesById, type MovedLog } from './merge.repository';

export interface MergeDeps {
  db: Db;
  events: EventBus;
  customers: Pick<CustomersService, 'retrieveCustomer'>;
}

export interface MergeResult {
  conversation: Conversation;
  moved_message_ids: string[];
  /** The log entry: `POST /v1/conversation-merges/{merge_id}/undo` undoes it. */
  merge_id: string;
}

type Row = Selectable<ConversationRow>;
export type Msg = Pick<
  Selectable<MessageRow>,
  'id' | 'direction' | 'kind' | 'author_type' | 'channel_id' | 'created_at'
>;

export const minOf = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b);
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * What a run of messages (oldest first) says about its conversation: inbound times, the channel last written on,
 * people's responses and since when the customer waits (her first message after the last person's reply).
 */
export function threadState(messages: Msg[]) {
  let waiting: number | null = null;
  const state = {
    first_inbound_at: null as number | null,
    last_inbound_at: null as number | null,
    last_inbound_channel_id: null as string | null,
    first_response_at: null as number | null,
    last_response_at: null as number | null,
    last_message_at: null as number | null,
  };
  for (const m of messages) {
    state.last_message_at = maxOf(state.last_message_at, m.created_at);
    if (m.kind !== 'message') continue;
    if (m.direction === 'in') {
      state.first_inbound_at = minOf(state.first_inbound_at, m.created_at);
      state.last_inbound_at = m.created_at;
      state.last_inbound_channel_id = m.channel_id;
      waiting ??= m.created_at;
    } else if (m.author_type === 'staff') {
      state.first_response_at = minOf(state.first_response_at, m.created_at);
      state.last_response_at = m.created_at;
      waiting = null;
    }
  }
  return { ...state, waiting_since: waiting };
}

/**
 * A conversation merged into another: read-only from now on, unassigned, not waiting, and without its thread key
 * (mail to its reply address finds the survivor through `merged_into_id`).
 */
export async function retireAsMerged(trx: Trx, id: string, intoId: string, now: number): Promise<void> {
  await updateConversationRow(trx, id, {
    status: 'merged',
    merged_into_id: intoId,
    merged_at: now,
    assignee_id: null,
    waiting_since: null,
    snoozed_until: null,
    thread_key: null,
    updated_at: now,
  });
}

export function createMerge(deps: MergeDeps) {
  const { db, events } = deps;

  /**
   * Locks an active (not merged) conversation for this transaction by a guarded UPDATE, and reads it. On
   * PostgreSQL a second merger waits here and then re-checks the guard on the committed row; SQLite has one writer.
   */
  async function lockActive(trx: Trx, id: string, field: string, now: number): Promise<Row> {
    const result = await trx
      .updateTable('conversations')
      .set({ updated_at: now })
      .where('id', '=', id)
      .where('merged_into_id', 'is', null)
      .executeTakeFirst();
    const row = await findConversationRow(trx, id);
    if (!row) throw notFound('conversation', id);
    if (Number(result.numUpdatedRows) !== 1)
      throw new AppError('conflict', `Conversation ${id} was already merged into ${row.merged_into_id}.`, {
        errors: [{ field, message: `was already merged into ${row.merged_into_id}` }],
        merged_into_id: row.merged_into_id,
      });
    return row;
  }

  /** The survivor profile id of a customer (a merged-away customer answers with the survivor). */
  async function survivorOf(customerId: string): Promise<string | null> {
    return deps.customers.retrieveCustomer(customerId).then(
      (c) => c.id,
      () => null,
    );
  }

  async function append(trx: Trx, row: Row, actor: Actor, type: string, data: Record<string, unknown>) {
    await events.append(trx, {
      type,
      aggregate: { type: 'conversation', id: row.id },
      customerId: row.customer_id,
      actor,
      data: { id: row.id, ...data },
    });
  }

  return {
    /**
     * Merges conversation `sourceId` into `targetId`. Both must be the same customer's — or two profiles the
     * customers module has already merged into one person; otherwise 409 naming `body.source_id`.
     * @example await conversations.mergeConversation('cnv_A…', 'cnv_B…', actor)
     */
    async mergeConversation(targetId: string, sourceId: string, actor: Actor): Promise<MergeResult> {
      if (targetId === sourceId)
        throw new AppError('validation_failed', 'A conversation cannot be merged into itself.', {
          errors: [{ field: 'body.source_id', message: 'is the conversation itself' }],
        });
      // Who the customers are is the customers module's answer, read before the transaction (on SQLite a read
      // through another service inside it would wait for the one connection).
      const [target, source] = await Promise.all([
        findConversationRow(db, targetId),
        findConversationRow(db, sourceId),
      ]);
      if (!target) throw notFound('conversation', targetId);
      if (!source)
        throw new AppError('validation_failed', `No conversation with id ${sourceId}.`, {
          errors: [{ field: 'body.source_id', message: 'is not a conversation' }],
        });
      const customers = [target.customer_id, source.customer_id];
      if (customers[0] !== customers[1]) {
        const [a, b] = await Promise.all(customers.map(survivorOf));
        if (!a || a !== b)
          throw new AppError(
            'conflict',
            'These conversations belong to two different customers. If they are one person, merge the customers first (POST /v1/customers/{id}/merge), then the conversations.',
            { errors: [{ field: 'body.source_id', message: 'belongs to another customer' }] },
          );
      }

      return inTransaction(db, async (trx) => {
        const now = Date.now();
        // Locks in id order: two opposite merges at once wait for each other instead of deadlocking.
        const locked = new Map<string, Row>();
        for (const id of [targetId, sourceId].sort())
          locked.set(id, await lockActive(trx, id, id === sourceId ? 'body.source_id' : 'id', now));
        const a = locked.get(targetId)!;
        const b = locked.get(sourceId)!;
        if (a.customer_id !== customers[0] || b.customer_id !== customers[1])
          throw new AppError('conflict', 'The conversations changed meanwhile; try again.');

        const moved = (
          await trx
            .selectFrom('messages')
            .select('id')
            .where('conversation_id', '=', sourceId)
            .orderBy('id')
            .execute()
        ).map((m) => m.id);
        await trx
          .updateTable('messages')
          .set({ conversation_id: targetId })
          .where('conversation_id', '=', sourceId)
          .execute();
        await trx
          .updateTable('message_attachments')
          .set({ conversation_id: targetId })
          .where('conversation_id', '=', sourceId)
          .execute();
        await trx
          .updateTable('conversation_mentions')
          .set({ conversation_id: targetId })
          .where('conversation_id', '=', sourceId)
          .execute();
        // The addresses she wrote from in B are where A's replies may go now.
        const contacts = await trx
          .selectFrom('conversation_contacts')
          .selectAll()
          .where('conversation_id', '=', sourceId)
          .execute();
        for (const c of contacts)
          await touchContact(trx, { ...c, id: newId('cct'), conversation_id: targetId });
        await trx.deleteFrom('conversation_contacts').where('conversation_id', '=', sourceId).execute();

        const sourceBefore = {
          status: b.status,
          assignee_id: b.assignee_id,
          team_id: b.team_id,
          labels: decodeJson<string[]>(b.labels) ?? [],
          thread_key: b.thread_key,
          waiting_since: b.waiting_since,
          snoozed_until: b.snoozed_until,
        };
        // Its thread key is freed first, so the survivor can take it below (unique per customer).
        await retireAsMerged(trx, sourceId, targetId, now);
        // The customer waiting in B makes A open again if it had been resolved.
        const reopen = a.status === 'resolved' && b.waiting_since !== null;
        const labels = [
          ...new Set([...(decodeJson<string[]>(a.labels) ?? []), ...sourceBefore.labels]),
        ].sort();
        const bIsLater = (b.last_inbound_at ?? 0) > (a.last_inbound_at ?? 0);
        await updateConversationRow(trx, targetId, {
          labels: encodeJson(labels),
          thread_key: a.thread_key ?? b.thread_key,
          first_inbound_at: minOf(a.first_inbound_at, b.first_inbound_at),
          last_inbound_at: maxOf(a.last_inbound_at, b.last_inbound_at),
          last_inbound_channel_id: bIsLater ? b.last_inbound_channel_id : a.last_inbound_channel_id,
          first_response_at: minOf(a.first_response_at, b.first_response_at),
          last_response_at: maxOf(a.last_response_at, b.last_response_at),
          waiting_since: minOf(a.waiting_since, b.waiting_since),
          last_message_at: Math.max(a.last_message_at, b.last_message_at),
          ...(reopen ? { status: 'open', resolved_at: null } : {}),
          updated_at: now,
        });
        const mergeId = newId('cmg');
        await trx
          .insertInto('conversation_merges')
          .values({
            id: mergeId,
            kind: 'merge',
            source_id: sourceId,
            target_id: targetId,
            moved: encodeJson({
              message_ids: moved,
              contacts: contacts.map((c) => ({ channel_id: c.channel_id, address: c.address })),
              source_before: sourceBefore,
              target_labels_before: decodeJson<string[]>(a.labels) ?? [],
              // An undo gives B's thread key back; A may have taken it.
              target_thread_key_before: a.thread_key,
            } satisfies MovedLog),
            actor_id: actor.id,
            created_at: now,
          })
          .execute();

        // B's status change closes its assignment (routing) and its SLA timers (SLA) through their consumers.
        await append(trx, b, actor, 'conversation.status_changed', { from: b.status, to: 'merged' });
        await append(trx, b, actor, 'conversation.merged', { into: targetId, messages: moved.length });
        await append(trx, a, actor, 'conversation.updated', {
          fields: ['messages', 'labels'],
          merged_from: sourceId,
        });
        if (reopen)
          await append(trx, a, actor, 'conversation.status_changed', { from: a.status, to: 'open' });
        return {
          conversation: conversationFromRow((await findConversationRow(trx, targetId))!),
          moved_message_ids: moved,
          merge_id: mergeId,
        };
      });
    },

    /**
     * Starts a new conversation for the same customer with `messageId` and every later message of conversation
     * `id` (a new topic). The earlier messages stay; at least one must.
     * @example await conversations.splitConversation('cnv_01…', 'msg_01…', actor)
     */
    async splitConversation(id: string, messageId: string, actor: Actor): Promise<MergeResult> {
      return inTransaction(db, async (trx) => {
        const now = Date.now();
        const source = await lockActive(trx, id, 'id', now);
        const columns = [
          'id',
          'direction',
          'kind',
          'author_type',
          'channel_id',
          'created_at',
          'address',
          'channel_kind',
        ] as const;
        const first = await trx
          .selectFrom('messages')
          .select('id')
          .where('conversation_id', '=', id)
          .where('id', '=', messageId)
          .executeTakeFirst();
        if (!first)
          throw new AppError('validation_failed', `Message ${messageId} is not in conversation ${id}.`, {
            errors: [{ field: 'body.message_id', message: 'is not a message of this conversation' }],
          });
        const all = await trx
          .selectFrom('messages')
          .select([...columns])
          .where('conversation_id', '=', id)
          .orderBy('id')
          .execute();
        const kept = all.filter((m) => m.id < messageId);
        const moving = all.filter((m) => m.id >= messageId);
        if (kept.length === 0)
          throw new AppError(
            'validation_failed',
            'Splitting from the first message would leave nothing behind.',
            {
              errors: [{ field: 'body.message_id', message: 'is the first message: pick a later one' }],
            },
          );
        const movedIds = moving.map((m) => m.id);

        const newIdValue = newId('cnv');
        const state = threadState(moving);
        await insertConversation(trx, {
          id: newIdValue,
          customer_id: source.customer_id,
          // Null: a conversation split off; the customer's continuous thread stays with the source.
          thread_key: null,
          status: 'open',
          snoozed_until: null,
          priority: source.priority,
          labels: encodeJson([]),
          assignee_id: null,
          team_id: source.team_id,
          reply_token: newReplyToken(),
          last_inbound_channel_id: state.last_inbound_channel_id,
          first_inbound_at: state.first_inbound_at,
          last_inbound_at: state.last_inbound_at,
          first_response_at: state.first_response_at,
          last_response_at: state.last_response_at,
          waiting_since: state.waiting_since,
          last_message_at: state.last_message_at ?? now,
          resolved_at: null,
          created_at: now,
          updated_at: now,
        });
        await moveMessagesById(trx, movedIds, id, newIdValue);
        for (const m of moving)
          if (m.direction === 'in' && m.kind === 'message' && m.channel_id && m.address && m.channel_kind)
            await touchContact(trx, {
              id: newId('cct'),
              conversation_id: newIdValue,
              customer_id: source.customer_id,
              channel_id: m.channel_id,
              channel_kind: m.channel_kind,
              address: m.address,
              first_inbound_at: m.created_at,
              last_inbound_at: m.created_at,
            });

        const left = threadState(kept);
        await updateConversationRow(trx, id, {
          last_inbound_channel_id: left.last_inbound_channel_id ?? source.last_inbound_channel_id,
          last_inbound_at: left.last_inbound_at,
          last_response_at: left.last_response_at,
          waiting_since: source.status === 'resolved' ? null : left.waiting_since,
          last_message_at: left.last_message_at ?? source.created_at,
          updated_at: now,
        });
        const mergeId = newId('cmg');
        await trx
          .insertInto('conversation_merges')
          .values({
            id: mergeId,
            kind: 'split',
            source_id: id,
            target_id: newIdValue,
            moved: encodeJson({ message_ids: movedIds }),
            actor_id: actor.id,
            created_at: now,
          })
          .execute();
        const created = (await findConversationRow(trx, newIdValue))!;
        await append(trx, created, actor, 'conversation.created', {
          customer_id: source.customer_id,
          channel_id: state.last_inbound_channel_id,
          split_from: id,
        });
        await append(trx, source, actor, 'conversation.split', {
          into: newIdValue,
          messages: movedIds.length,
        });
        return { conversation: conversationFromRow(created), moved_message_ids: movedIds, merge_id: mergeId };
      });
    },
  };
}
