/**
 * @module The agent's verbs on conversations: list by view, retrieve with its contacts, read messages, write
 * private notes, assign, change status, label and prioritize. Each change and its domain event commit together.
 * Replies (which leave through a channel) live in outbound.ts.
 */
import { AppError, notFound } from '../../platform/errors';
import { encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type Trx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import type { PageRequest } from '../../platform/http/pagination';
import { insertMention, markMentionsRead } from './mention.repository';
import {
  conversationFromRow,
  countViews,
  findConversationRow,
  listContacts,
  listConversationRows,
  updateConversationRow,
  writable,
  type Conversation,
  type ConversationContact,
  type ConversationFilter,
  type SettableStatus,
  type Priority,
} from './conversation.repository';
import {
  findAttachment,
  findMessageRow,
  insertMessage,
  listChannelMessagesAfter,
  listMessageRows,
  messageFromRow,
  type Message,
} from './message.repository';

export interface ConversationsDeps {
  db: Db;
  events: EventBus;
  /** Whether a staff user id names an active user (assignment). */
  userExists: (id: string) => Promise<boolean>;
  /** Active staff users who may read conversations: whom a note can mention (wired to the users service). */
  mentionable?: (() => Promise<Array<{ id: string; name: string }>>) | undefined;
}

export function createConversationsService(deps: ConversationsDeps) {
  const { db, events } = deps;

  async function load(trx: Db | Trx, id: string) {
    const row = await findConversationRow(trx, id);
    if (!row) throw notFound('conversation', id);
    return row;
  }

  async function listMentionable(): Promise<Array<{ id: string; name: string }>> {
    return deps.mentionable ? deps.mentionable() : [];
  }

  /** Checks that every mentioned id names someone who can see conversations; all bad ones are reported. */
  async function checkMentions(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const allowed = new Set((await listMentionable()).map((u) => u.id));
    const errors = ids
      .map((id, i) => ({ id, i }))
      .filter(({ id }) => !allowed.has(id))
      .map(({ id, i }) => ({
        field: `body.mention_ids.${i}`,
        message: `${id} is not an active staff user who can read conversations`,
      }));
    if (errors.length)
      throw new AppError('validation_failed', 'A mentioned user cannot see conversations.', { errors });
    return [...new Set(ids)];
  }

  /** Runs a change on one conversation and appends its event in the same transaction. */
  async function change(
    id: string,
    actor: Actor,
    fn: (
      trx: Trx,
      row: Awaited<ReturnType<typeof load>>,
    ) => Promise<{ type: string; data: Record<string, unknown> } | null>,
  ): Promise<Conversation> {
    return inTransaction(db, async (trx) => {
      const row = writable(await load(trx, id));
      const event = await fn(trx, row);
      if (event)
        await events.append(trx, {
          type: event.type,
          aggregate: { type: 'conversation', id },
          customerId: row.customer_id,
          actor,
          data: { id, ...event.data },
        });
      return conversationFromRow((await findConversationRow(trx, id))!);
    });
  }

  return {
    async listConversations(filter: ConversationFilter) {
      return listConversationRows(db, filter);
    },

    /**
     * One conversation with its contacts; when a staff user opens it, her mentions in it become read.
     * @example await conversations.retrieveConversation('cnv_01…', 'usr_01…')
     */
    async retrieveConversation(
      id: string,
      viewerId?: string | null,
    ): Promise<Conversation & { contacts: ConversationContact[] }> {
      const row = await load(db, id);
      if (viewerId) await markMentionsRead(db, id, viewerId, Date.now());
      return { ...conversationFromRow(row), contacts: await listContacts(db, id) };
    },

    /** Active conversations per view for one staff user, her unread mentions and her teams' counts. */
    async countViews(userId: string) {
      return countViews(db, userId);
    },

    /** Whom a note can mention: active staff users allowed to read conversations, by name. */
    async listMentionable() {
      return (await listMentionable()).sort((a, b) => a.name.localeCompare(b.name));
    },

    async listMessages(id: string, page: PageRequest) {
      await load(db, id);
      return listMessageRows(db, id, page);
    },

    /**
     * A customer's messages on one channel after `afterId`, oldest first (web chat resumes a reconnecting visitor).
     * @example await conversations.listChannelMessages('cus_01…', 'cha_01…', 'msg_01…')
     */
    async listChannelMessages(customerId: string, channelId: string, afterId: string | null, limit = 200) {
      return listChannelMessagesAfter(db, customerId, channelId, afterId, limit);
    },

    async retrieveAttachment(conversationId: string, attachmentId: string) {
      const row = await findAttachment(db, conversationId, attachmentId);
      if (!row) throw notFound('attachment', attachmentId);
      return row;
    },

    /**
     * A private note: seen by staff only, never sent, and no answer to the customer (waiting_since stays).
     * @example await conversations.addNote('cnv_01…', { text: 'Called her back, refund approved' }, actor)
     */
    async addNote(
      id: string,
      input: { text: string; mention_ids?: string[] | undefined },
      actor: Actor,
    ): Promise<Message> {
      const messageId = newId('msg');
      const mentions = await checkMentions(input.mention_ids ?? []);
      await inTransaction(db, async (trx) => {
        const row = writable(await load(trx, id));
        const now = Date.now();
        await insertMessage(trx, {
          id: messageId,
          conversation_id: id,
          customer_id: row.customer_id,
          direction: 'out',
          kind: 'note',
          channel_id: null,
          channel_kind: null,
          provider_message_id: null,
          author_type: actor.type === 'staff' ? 'staff' : 'system',
          author_id: actor.id,
          address: null,
          subject: null,
          text: input.text,
          html: null,
          attachments: encodeJson([]),
          meta: encodeJson(mentions.length ? { mentions } : {}),
          delivery_status: 'none',
          delivery_error: null,
          created_at: now,
          updated_at: now,
        });
        await updateConversationRow(trx, id, { updated_at: now });
        await events.append(trx, {
          type: 'message.note_added',
          aggregate: { type: 'conversation', id },
          customerId: row.customer_id,
          actor,
          data: { id: messageId, conversation_id: id, mentions },
        });
        for (const userId of mentions) {
          await insertMention(trx, {
            id: newId('mnt'),
            conversation_id: id,
            message_id: messageId,
            user_id: userId,
            mentioned_by: actor.id,
            created_at: now,
            read_at: null,
          });
          // The realtime hub shows it to the mentioned agent's console (data.user_id); webhooks may page her.
          await events.append(trx, {
            type: 'conversation.mentioned',
            aggregate: { type: 'conversation', id },
            customerId: row.customer_id,
            actor,
            data: { id, message_id: messageId, user_id: userId },
          });
        }
      });
      return messageFromRow((await findMessageRow(db, messageId))!);
    },

    /** Assigns to a staff user (null unassigns) and optionally a team. */
    async assignConversation(
      id: string,
      input: { assignee_id: string | null; team_id?: string | null | undefined },
      actor: Actor,
    ): Promise<Conversation> {
      if (input.assignee_id && !(await deps.userExists(input.assignee_id)))
        throw new AppError('validation_failed', `No active staff user ${input.assignee_id}.`, {
          errors: [{ field: 'body.assignee_id', message: 'is not an active staff user' }],
        });
      return change(id, actor, async (trx, row) => {
        const teamId = input.team_id === undefined ? row.team_id : input.team_id;
        if (row.assignee_id === input.assignee_id && row.team_id === teamId) return null;
        await updateConversationRow(trx, id, {
          assignee_id: input.assignee_id,
          team_id: teamId,
          updated_at: Date.now(),
        });
        return {
          type: input.assignee_id ? 'conversation.assigned' : 'conversation.unassigned',
          data: { assignee_id: input.assignee_id, previous_assignee_id: row.assignee_id, team_id: teamId },
        };
      });
    },

    /** open / pending / snoozed (until a future time) / resolved. */
    async updateStatus(
      id: string,
      input: { status: SettableStatus; snoozed_until?: number | undefined },
      actor: Actor,
    ): Promise<Conversation> {
      const now = Date.now();
      if (input.status === 'snoozed' && !(input.snoozed_until && input.snoozed_until > now))
        throw new AppError('validation_failed', 'A snoozed conversation needs a future snoozed_until.', {
          errors: [{ field: 'body.snoozed_until', message: 'must be a time in the future when snoozing' }],
        });
      if (input.status !== 'snoozed' && input.snoozed_until !== undefined)
        throw new AppError('validation_failed', 'snoozed_until is only for snoozing.', {
          errors: [{ field: 'body.snoozed_until', message: 'only goes with status snoozed' }],
        });
      return change(id, actor, async (trx, row) => {
        if (row.status === input.status && input.status !== 'snoozed') return null;
        await updateConversationRow(trx, id, {
          status: input.status,
          snoozed_until: input.status === 'snoozed' ? input.snoozed_until! : null,
          resolved_at: input.status === 'resolved' ? now : null,
          // Resolving answers whoever waited; SLA clocks stop.
          ...(input.status === 'resolved' ? { waiting_since: null } : {}),
          updated_at: now,
        });
        return { type: 'conversation.status_changed', data: { from: row.status, to: input.status } };
      });
    },

    /** Replaces labels and/or priority. */
    async updateConversation(
      id: string,
      patch: { labels?: string[] | undefined; priority?: Priority | undefined },
      actor: Actor,
    ): Promise<Conversation> {
      const labels = patch.labels && [...new Set(patch.labels.map((l) => l.trim().toLowerCase()))].sort();
      return change(id, actor, async (trx) => {
        await updateConversationRow(trx, id, {
          ...(labels ? { labels: encodeJson(labels) } : {}),
          ...(patch.priority ? { priority: patch.priority } : {}),
          updated_at: Date.now(),
        });
        return {
          type: 'conversation.updated',
          data: { fields: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined) },
        };
      });
    },
  };
}

export type ConversationsService = ReturnType<typeof createConversationsService>;
