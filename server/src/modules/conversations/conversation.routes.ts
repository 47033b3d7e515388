/**
 * @module Routes: the staff inbox API — list, read (audited), reply, note, assign, status, labels and priority,
 * merge, split and their undo.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { recordAudit } from '../../platform/audit/audit';
import { actorOf } from '../../platform/auth/principal';
import type { Db } from '../../platform/db/database';
import { IdParams, IsoTime, ListQuery, listOf, strictObject } from '../../platform/http/schemas';
import {
  conversationStatuses,
  conversationViews,
  priorities,
  settableStatuses,
} from './conversation.repository';
import type { ConversationsService } from './conversation.service';
import type { createMerge } from './conversation.merge';
import type { createUnmerge } from './conversation.unmerge';
import {
  ConversationDetailSchema,
  ConversationMergeSchema,
  ConversationSchema,
  MentionableSchema,
  MergeResultSchema,
  MessageSchema,
  UndoMergeResultSchema,
  ViewCountsSchema,
} from './conversation.schemas';
import type { OutboundService } from './outbound';

const tags = ['conversations'];

/** Messages are personal data: every read is in the audit log, like customer profiles. */
async function auditRead(db: Db, request: FastifyRequest, action: string, id: string) {
  await recordAudit(db, {
    actor: actorOf(request.principal),
    action,
    targetType: 'conversation',
    targetId: id,
    ip: request.ip,
    requestId: String(request.id),
  });
}

export function conversationsRoutes(deps: {
  db: Db;
  conversations: ConversationsService & ReturnType<typeof createMerge> & ReturnType<typeof createUnmerge>;
  outbound: OutboundService;
}): FastifyPluginAsyncTypebox {
  const { db, conversations, outbound } = deps;
  const staffId = (request: FastifyRequest) =>
    request.principal.kind === 'staff' ? request.principal.userId : null;
  return async (app) => {
    app.get(
      '/v1/conversations',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary:
            'List conversations, newest first: views mine, unassigned, all, sla_at_risk, mentions (unread first), my_teams, team (with team_id); filters status, channel, customer. Merged conversations show only with status=merged.',
          querystring: strictObject({
            ...ListQuery,
            view: Type.Optional(Type.Enum([...conversationViews], { default: 'all' })),
            team_id: Type.Optional(Type.String({ maxLength: 64, description: 'the team of view=team' })),
            status: Type.Optional(Type.Enum([...conversationStatuses])),
            channel_id: Type.Optional(Type.String({ maxLength: 64 })),
            customer_id: Type.Optional(Type.String({ maxLength: 64 })),
          }),
          response: { 200: listOf(ConversationSchema) },
        },
      },
      async (request) => {
        const p = request.principal;
        return conversations.listConversations({
          ...request.query,
          userId: p.kind === 'staff' ? p.userId : null,
        });
      },
    );

    app.get(
      '/v1/conversations/counts',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'How many active conversations each view holds for me, my unread mentions and my teams',
          response: { 200: ViewCountsSchema },
        },
      },
      async (request) => conversations.countViews(staffId(request) ?? ''),
    );

    app.get(
      '/v1/conversations/mentionable',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'Staff users a note can mention (@name): active, allowed to read conversations',
          response: { 200: Type.Object({ data: Type.Array(MentionableSchema) }) },
        },
      },
      async () => ({ data: await conversations.listMentionable() }),
    );

    app.get(
      '/v1/conversations/:id',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary:
            'A conversation with the addresses the customer wrote from; opening it marks my mentions in it read',
          params: IdParams,
          response: { 200: ConversationDetailSchema },
        },
      },
      async (request) => {
        const conversation = await conversations.retrieveConversation(request.params.id, staffId(request));
        await auditRead(db, request, 'conversation.read', conversation.id);
        return conversation;
      },
    );

    app.get(
      '/v1/conversations/:id/messages',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'Messages and notes of a conversation, newest first (cursor walks back)',
          params: IdParams,
          querystring: strictObject(ListQuery),
          response: { 200: listOf(MessageSchema) },
        },
      },
      async (request) => {
        const page = await conversations.listMessages(request.params.id, request.query);
        await auditRead(db, request, 'conversation.messages_read', request.params.id);
        return page;
      },
    );

    app.get(
      '/v1/conversations/:id/attachments/:attachment_id',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'The stored content of an attachment',
          params: strictObject({
            id: Type.String({ maxLength: 64 }),
            attachment_id: Type.String({ maxLength: 64 }),
          }),
        },
      },
      async (request, reply) => {
        const file = await conversations.retrieveAttachment(request.params.id, request.params.attachment_id);
        await auditRead(db, request, 'conversation.attachment_read', request.params.id);
        return reply
          .header('content-type', file.content_type)
          .header('content-disposition', `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`)
          .send(Buffer.from(file.content));
      },
    );

    app.post(
      '/v1/conversations/:id/messages',
      {
        bodyLimit: 16 * 1024 * 1024,
        config: { access: 'conversations:write', audit: 'conversation.reply' },
        schema: {
          tags,
          summary: 'Reply: goes out on the channel the customer last used unless channel_id names another',
          params: IdParams,
          body: strictObject({
            text: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
            html: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000 })),
            channel_id: Type.Optional(Type.String({ maxLength: 64 })),
            template: Type.Optional(
              strictObject({
                id: Type.String({ minLength: 1, maxLength: 64 }),
                variables: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 1000 }))),
              }),
            ),
            message_tag: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 40,
                description:
                  'Messenger / Instagram outside the 24-hour window: HUMAN_AGENT (a person, up to 7 days), or on Messenger ACCOUNT_UPDATE, POST_PURCHASE_UPDATE, CONFIRMED_EVENT_UPDATE',
              }),
            ),
            attachments: Type.Optional(
              Type.Array(
                strictObject({
                  filename: Type.String({ minLength: 1, maxLength: 255 }),
                  content_type: Type.String({ minLength: 3, maxLength: 255 }),
                  content_base64: Type.String({ maxLength: 15_000_000 }),
                }),
                { maxItems: 10 },
              ),
            ),
          }),
          response: { 201: MessageSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await outbound.replyToConversation(request.params.id, request.body, actorOf(request.principal)),
          ),
    );

    app.post(
      '/v1/conversations/:id/notes',
      {
        config: { access: 'conversations:write', audit: 'conversation.note' },
        schema: {
          tags,
          summary: 'A private note: staff only, never sent; mention_ids notify those agents (@mentions)',
          params: IdParams,
          body: strictObject({
            text: Type.String({ minLength: 1, maxLength: 20_000 }),
            mention_ids: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20 })),
          }),
          response: { 201: MessageSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await conversations.addNote(request.params.id, request.body, actorOf(request.principal))),
    );

    app.post(
      '/v1/conversations/:id/assign',
      {
        config: { access: 'conversations:write', audit: 'conversation.assign' },
        schema: {
          tags,
          summary: 'Assign to a staff user (null unassigns) and optionally a team',
          params: IdParams,
          body: strictObject({
            assignee_id: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
            team_id: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
          }),
          response: { 200: ConversationSchema },
        },
      },
      async (request) =>
        conversations.assignConversation(request.params.id, request.body, actorOf(request.principal)),
    );

    app.post(
      '/v1/conversations/:id/status',
      {
        config: { access: 'conversations:write', audit: 'conversation.status' },
        schema: {
          tags,
          summary: 'Open, pending, snoozed (until) or resolved',
          params: IdParams,
          body: strictObject({
            status: Type.Enum([...settableStatuses]),
            snoozed_until: Type.Optional(IsoTime),
          }),
          response: { 200: ConversationSchema },
        },
      },
      async (request) =>
        conversations.updateStatus(
          request.params.id,
          {
            status: request.body.status,
            ...(request.body.snoozed_until ? { snoozed_until: Date.parse(request.body.snoozed_until) } : {}),
          },
          actorOf(request.principal),
        ),
    );

    app.patch(
      '/v1/conversations/:id',
      {
        config: { access: 'conversations:write', audit: 'conversation.update' },
        schema: {
          tags,
          summary: 'Replace labels and/or set the priority',
          params: IdParams,
          body: strictObject({
            labels: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 50, pattern: '^[^\\s,][^,]*$' }), {
                maxItems: 50,
              }),
            ),
            priority: Type.Optional(Type.Enum([...priorities])),
          }),
          response: { 200: ConversationSchema },
        },
      },
      async (request) =>
        conversations.updateConversation(request.params.id, request.body, actorOf(request.principal)),
    );

    app.post(
      '/v1/conversations/:id/merge',
      {
        config: { access: 'conversations:write', audit: 'conversation.merge' },
        schema: {
          tags,
          summary:
            'Merge conversation source_id into this one: its messages, notes, attachments, labels and contacts move here; it becomes merged (read-only). Same customer, or customers already merged into one.',
          params: IdParams,
          body: strictObject({ source_id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: MergeResultSchema },
        },
      },
      async (request) =>
        conversations.mergeConversation(
          request.params.id,
          request.body.source_id,
          actorOf(request.principal),
        ),
    );

    app.post(
      '/v1/conversations/:id/split',
      {
        config: { access: 'conversations:write', audit: 'conversation.split' },
        schema: {
          tags,
          summary:
            'Split: message_id and every later message start a new conversation of the same customer (a new topic)',
          params: IdParams,
          body: strictObject({ message_id: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 201: MergeResultSchema },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(
            await conversations.splitConversation(
              request.params.id,
              request.body.message_id,
              actorOf(request.principal),
            ),
          ),
    );

    app.get(
      '/v1/conversations/:id/merges',
      {
        config: { access: 'conversations:read' },
        schema: {
          tags,
          summary: 'The merges and splits this conversation took part in (either side), newest first',
          params: IdParams,
          response: { 200: Type.Object({ data: Type.Array(ConversationMergeSchema) }) },
        },
      },
      async (request) => ({ data: await conversations.listMerges(request.params.id) }),
    );

    app.post(
      '/v1/conversation-merges/:id/undo',
      {
        config: { access: 'conversations:write', audit: 'conversation_merge.undo' },
        schema: {
          tags,
          summary:
            'Undo a merge (the merged conversation comes back with its messages and state) or a split (the messages go back; the split-off conversation is merged into the original). 409 when it cannot be undone exactly.',
          params: IdParams,
          response: { 200: UndoMergeResultSchema },
        },
      },
      async (request) => conversations.undoMerge(request.params.id, actorOf(request.principal)),
    );
  };
}
