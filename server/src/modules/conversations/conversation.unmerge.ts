/**
 * @module Undoing a merge or a split from its `conversation_merges` entry. Undoing a merge of B into A moves
 * exactly the logged messages (with their attachments and mentions) back to B, gives B back its status, assignee,
 * team, labels, thread key and waiting time, and takes from A what it only had through B (labels, addresses, the
 * times its thread state drew from B's messages). Undoing a split moves the logged messages back and retires the
 * conversation the split started as merged into the original, so its reply address still leads somewhere.
 *
 * An undo is refused (409) when it cannot be exact: already undone, a conversation involved has since been merged
 * elsewhere, some logged messages have since moved on (a later split), or the split-off conversation has messages
 * of its own since. It locks both conversations with guarded UPDATEs in id order, like a merge, then marks the log
 * entry undone with a guarded UPDATE: of two undos at once exactly one wins, the other is refused.
 */
import type { Selectable } from 'kysely';
import { decodeJson, encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import { newId } from '../../platform/ids';
import { retireAsMerged, threadState, type Msg } from './conversation.merge';
import {
  conversationFromRow,
  findConversationRow,
  findThread,
  touchContact,
  updateConversationRow,
  type Conversation,
} from './conversation.repository';
import type { ConversationRow } from './conversation.table';
import {
  findMergeRow,
  listMergeRows,
  markMergeUndone,
  mergeFromRow,
  movedOf,
  moveMessagesById,
  chunksOf,
  type ConversationMerge,
  type MergeRow,
} from './merge.repository';

export interface UnmergeDeps {
  db: Db;
  events: EventBus;
  /** Whether a staff user id names an active user: B gets its assignee back only if she still is one. */
  userExists: (id: string) => Promise<boolean>;
}

export interface UndoResult {
  merge: ConversationMerge;
  /** merge: B, active again; split: the original conversation, its messages back. */
  source: Conversation;
  /** merge: A, without B's messages; split: the split-off conversation, now merged into the original. */
  target: Conversation;
}

type Row = Selectable<ConversationRow>;
type ThreadMsg = Msg & { address: string | null; channel_kind: string | null; customer_id: string | null };

const conflict = (message: string, details: Record<string, unknown> = {}) =>
  new AppError('conflict', message, { errors: [{ field: 'params.id', message }], ...details });

const contactKey = (m: { channel_id: string | null; address: string | null }) =>
  `${m.channel_id}\n${m.address}`;

export function createUnmerge(deps: UnmergeDeps) {
  const { db, events } = deps;

  /**
   * Locks a conversation for this transaction by a guarded UPDATE — active (`mergedInto` null) or merged into the
   * given one — and reads it. `held` is false when the guard did not match (the row shows what it is instead).
   */
  async function lock(trx: Trx, id: string, mergedInto: string | null, now: number) {
    const result = await trx
      .updateTable('conversations')
      .set({ updated_at: now })
      .where('id', '=', id)
      .$call((q) =>
        mergedInto === null
          ? q.where('merged_into_id', 'is', null)
          : q.where('merged_into_id', '=', mergedInto),
      )
      .executeTakeFirst();
    const row = await findConversationRow(trx, id);
    if (!row) throw conflict(`Conversation ${id} of this merge no longer exists.`);
    return { row, held: Number(result.numUpdatedRows) === 1 };
  }

  /** Locks the record's two conversations in id order (as merges do, so neither deadlocks the other). */
  async function lockBoth(trx: Trx, guards: Array<[id: string, mergedInto: string | null]>, now: number) {
    const locked = new Map<string, Awaited<ReturnType<typeof lock>>>();
    for (const [id, mergedInto] of [...guards].sort((x, y) => (x[0] < y[0] ? -1 : 1)))
      locked.set(id, await lock(trx, id, mergedInto, now));
    return guards.map(([id]) => locked.get(id)!);
  }

  /** Marks the entry undone; refuses when another undo got there first. */
  async function claim(trx: Trx, record: MergeRow, actor: Actor, now: number) {
    if (await markMergeUndone(trx, record.id, actor.id, now)) return;
    const current = await findMergeRow(trx, record.id);
    throw conflict(`This ${record.kind} was already undone.`, { undone_at: current?.undone_at ?? null });
  }

  async function threadOf(trx: Trx, conversationId: string): Promise<ThreadMsg[]> {
    return trx
      .selectFrom('messages')
      .select([
        'id',
        'direction',
        'kind',
        'author_type',
        'channel_id',
        'created_at',
        'address',
        'channel_kind',
        'customer_id',
      ])
      .where('conversation_id', '=', conversationId)
      .orderBy('id')
      .execute();
  }

  /** Refuses unless every logged message that still exists is in `holder` (a later split may have moved some). */
  async function checkMessagesIn(trx: Trx, ids: string[], holder: string) {
    const away = new Set<string>();
    for (const chunk of chunksOf(ids)) {
      const rows = await trx
        .selectFrom('messages')
        .select(['conversation_id'])
        .where('id', 'in', chunk)
        .where('conversation_id', '!=', holder)
        .execute();
      for (const r of rows) away.add(r.conversation_id);
    }
    if (away.size)
      throw conflict(
        `Some of its messages have since moved to ${[...away].join(', ')} (a later split or merge): undo that first.`,
        { conversation_ids: [...away] },
      );
  }

  /** A conversation's times, channel and waiting state recomputed from the messages it holds now. */
  function stateFrom(row: Row, messages: ThreadMsg[]) {
    const state = threadState(messages);
    return {
      first_inbound_at: state.first_inbound_at,
      last_inbound_at: state.last_inbound_at,
      last_inbound_channel_id: state.last_inbound_channel_id ?? row.last_inbound_channel_id,
      first_response_at: state.first_response_at,
      last_response_at: state.last_response_at,
      last_message_at: state.last_message_at ?? row.created_at,
      waiting_since: row.status === 'resolved' ? null : state.waiting_since,
    };
  }

  /** The addresses the customer wrote from in these messages, per channel, with first and last times. */
  function contactsIn(messages: ThreadMsg[]) {
    const found = new Map<string, ThreadMsg & { first: number; last: number }>();
    for (const m of messages) {
      if (m.direction !== 'in' || m.kind !== 'message' || !m.channel_id || !m.address || !m.channel_kind)
        continue;
      const seen = found.get(contactKey(m));
      if (seen) seen.last = Math.max(seen.last, m.created_at);
      else found.set(contactKey(m), { ...m, first: m.created_at, last: m.created_at });
    }
    return found;
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

  /** B goes back out of A. */
  async function undoMergeIn(trx: Trx, record: MergeRow, actor: Actor, assigneeActive: boolean) {
    const now = Date.now();
    const log = movedOf(record);
    const before = log.source_before;
    const [target, source] = await lockBoth(
      trx,
      [
        [record.target_id, null],
        [record.source_id, record.target_id],
      ],
      now,
    );
    await claim(trx, record, actor, now);
    if (!target!.held)
      throw conflict(
        `Conversation ${record.target_id}, which it went into, has since been merged into ${target!.row.merged_into_id}: undo that merge first.`,
        { merged_into_id: target!.row.merged_into_id },
      );
    if (!source!.held || !before)
      throw conflict(`Conversation ${record.source_id} is no longer merged into ${record.target_id}.`);
    const a = target!.row;
    const b = source!.row;

    await checkMessagesIn(trx, log.message_ids, a.id);
    await moveMessagesById(trx, log.message_ids, a.id, b.id);
    const aThread = await threadOf(trx, a.id);
    const bThread = await threadOf(trx, b.id);

    // B's addresses come back from its messages; A keeps an address only while a message of its own came from it.
    const bContacts = contactsIn(bThread);
    const aContacts = contactsIn(aThread);
    for (const c of bContacts.values()) {
      await touchContact(trx, {
        id: newId('cct'),
        conversation_id: b.id,
        customer_id: c.customer_id ?? b.customer_id,
        channel_id: c.channel_id!,
        channel_kind: c.channel_kind!,
        address: c.address!,
        first_inbound_at: c.first,
        last_inbound_at: c.last,
      });
      const kept = aContacts.get(contactKey(c));
      if (kept)
        await trx
          .updateTable('conversation_contacts')
          .set({ first_inbound_at: kept.first, last_inbound_at: kept.last })
          .where('conversation_id', '=', a.id)
          .where('channel_id', '=', c.channel_id!)
          .where('address', '=', c.address!)
          .execute();
      else
        await trx
          .deleteFrom('conversation_contacts')
          .where('conversation_id', '=', a.id)
          .where('channel_id', '=', c.channel_id!)
          .where('address', '=', c.address!)
          .execute();
    }

    // A took B's thread key when it had none (the merge logs A's key before; older entries: same customer, same key).
    const key = before.thread_key;
    const aTookKey =
      key !== null &&
      a.thread_key === key &&
      (log.target_thread_key_before !== undefined
        ? log.target_thread_key_before !== key
        : a.customer_id === b.customer_id);
    const onlyFromB = new Set(before.labels.filter((l) => !(log.target_labels_before ?? []).includes(l)));
    const aLabels = decodeJson<string[]>(a.labels) ?? [];
    const labels = aLabels.filter((l) => !onlyFromB.has(l));
    await updateConversationRow(trx, a.id, {
      ...stateFrom(a, aThread),
      labels: encodeJson(labels),
      ...(aTookKey ? { thread_key: log.target_thread_key_before ?? null } : {}),
      updated_at: now,
    });
    // Its key back unless a newer conversation of the customer took it meanwhile (a merge frees B's key).
    const keyHolder = key === null ? undefined : await findThread(trx, b.customer_id, key);
    const snoozeOver = before.status === 'snoozed' && (before.snoozed_until ?? 0) <= now;
    const status = snoozeOver ? 'open' : before.status;
    await updateConversationRow(trx, b.id, {
      status,
      snoozed_until: status === 'snoozed' ? before.snoozed_until : null,
      assignee_id: assigneeActive ? before.assignee_id : null,
      team_id: before.team_id,
      labels: encodeJson(before.labels),
      thread_key: keyHolder ? null : key,
      waiting_since: status === 'resolved' ? null : before.waiting_since,
      merged_into_id: null,
      merged_at: null,
      updated_at: now,
    });

    // B's status change opens its assignment again through the routing consumer.
    await append(trx, b, actor, 'conversation.status_changed', { from: 'merged', to: status });
    await append(trx, b, actor, 'conversation.unmerged', {
      from: a.id,
      messages: log.message_ids.length,
      merge_id: record.id,
    });
    await append(trx, a, actor, 'conversation.updated', {
      fields: labels.length === aLabels.length ? ['messages'] : ['messages', 'labels'],
      unmerged: b.id,
      merge_id: record.id,
    });
  }

  /** The split-off conversation's messages go back to the original; it is retired, merged into it. */
  async function undoSplitIn(trx: Trx, record: MergeRow, actor: Actor) {
    const now = Date.now();
    const log = movedOf(record);
    const [original, splitOff] = await lockBoth(
      trx,
      [
        [record.source_id, null],
        [record.target_id, null],
      ],
      now,
    );
    await claim(trx, record, actor, now);
    for (const side of [original!, splitOff!])
      if (!side.held)
        throw conflict(
          `Conversation ${side.row.id} has since been merged into ${side.row.merged_into_id}: undo that merge first.`,
          { merged_into_id: side.row.merged_into_id },
        );
    const a = original!.row;
    const c = splitOff!.row;

    await checkMessagesIn(trx, log.message_ids, c.id);
    const logged = new Set(log.message_ids);
    const since = (await threadOf(trx, c.id)).filter((m) => !logged.has(m.id));
    if (since.length)
      throw conflict(
        `Conversation ${c.id} has ${since.length} message(s) since the split: merge it into ${a.id} instead.`,
        { messages_since: since.length },
      );
    await moveMessagesById(trx, log.message_ids, c.id, a.id);
    await trx.deleteFrom('conversation_contacts').where('conversation_id', '=', c.id).execute();
    await retireAsMerged(trx, c.id, a.id, now);
    // As a merge would: the customer waiting in the split-off conversation opens a resolved original again.
    const reopen = a.status === 'resolved' && c.waiting_since !== null;
    const labels = [
      ...new Set([...(decodeJson<string[]>(a.labels) ?? []), ...(decodeJson<string[]>(c.labels) ?? [])]),
    ].sort();
    await updateConversationRow(trx, a.id, {
      ...stateFrom(reopen ? { ...a, status: 'open' } : a, await threadOf(trx, a.id)),
      labels: encodeJson(labels),
      ...(reopen ? { status: 'open', resolved_at: null } : {}),
      updated_at: now,
    });

    await append(trx, c, actor, 'conversation.status_changed', { from: c.status, to: 'merged' });
    await append(trx, c, actor, 'conversation.merged', {
      into: a.id,
      messages: log.message_ids.length,
      merge_id: record.id,
    });
    await append(trx, a, actor, 'conversation.updated', {
      fields: ['messages', 'labels'],
      merged_from: c.id,
      merge_id: record.id,
    });
    if (reopen) await append(trx, a, actor, 'conversation.status_changed', { from: a.status, to: 'open' });
  }

  return {
    /**
     * The merges and splits a conversation took part in, on either side, newest first.
     * @example await conversations.listMerges('cnv_01…')
     */
    async listMerges(conversationId: string): Promise<ConversationMerge[]> {
      if (!(await findConversationRow(db, conversationId))) throw notFound('conversation', conversationId);
      return (await listMergeRows(db, conversationId)).map(mergeFromRow);
    },

    /**
     * Undoes a merge or a split by its log entry (the `merge_id` a merge or split answered with).
     * @example await conversations.undoMerge('cmg_01…', actor)
     */
    async undoMerge(mergeId: string, actor: Actor): Promise<UndoResult> {
      const record = await findMergeRow(db, mergeId);
      if (!record) throw notFound('merge', mergeId);
      if (record.undone_at !== null) throw conflict(`This ${record.kind} was already undone.`);
      // Read before the transaction: on SQLite a read through another service inside it would wait for the one
      // connection. Checked once: a deactivation in between leaves her assigned, as any assignment made just before.
      const assignee = record.kind === 'merge' ? movedOf(record).source_before?.assignee_id : null;
      const assigneeActive = assignee ? await deps.userExists(assignee) : false;
      return inTransaction(db, async (trx) => {
        if (record.kind === 'merge') await undoMergeIn(trx, record, actor, assigneeActive);
        else await undoSplitIn(trx, record, actor);
        const source = await findConversationRow(trx, record.source_id);
        const target = await findConversationRow(trx, record.target_id);
        const merge = await findMergeRow(trx, record.id);
        return {
          merge: mergeFromRow(merge!),
          source: conversationFromRow(source!),
          target: conversationFromRow(target!),
        };
      });
    },
  };
}
