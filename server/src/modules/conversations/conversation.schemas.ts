/** @module TypeBox schemas of the conversations API: what a conversation and a message look like on the wire. */
import { Type } from 'typebox';
import { IsoTime, Nullable, NullableIsoTime } from '../../platform/http/schemas';
import { conversationStatuses, priorities } from './conversation.repository';
import { authorTypes, deliveryStatuses, messageDirections, messageKinds } from './message.repository';

const enumOf = <T extends readonly string[]>(values: T) => Type.Enum([...values]);

export const ContactSchema = Type.Object({
  channel_id: Type.String(),
  channel_kind: Type.String(),
  address: Type.String(),
  first_inbound_at: IsoTime,
  last_inbound_at: IsoTime,
});

export const ConversationSchema = Type.Object(
  {
    id: Type.String(),
    customer_id: Type.String(),
    status: enumOf(conversationStatuses),
    snoozed_until: NullableIsoTime,
    priority: enumOf(priorities),
    labels: Type.Array(Type.String()),
    assignee_id: Nullable(Type.String()),
    team_id: Nullable(Type.String()),
    last_inbound_channel_id: Nullable(Type.String()),
    first_inbound_at: NullableIsoTime,
    last_inbound_at: NullableIsoTime,
    first_response_at: NullableIsoTime,
    last_response_at: NullableIsoTime,
    waiting_since: NullableIsoTime,
    last_message_at: IsoTime,
    resolved_at: NullableIsoTime,
    merged_into_id: Nullable(Type.String({ description: 'the conversation this one was merged into' })),
    merged_at: NullableIsoTime,
    created_at: IsoTime,
    updated_at: IsoTime,
    unread_mentions: Type.Optional(
      Type.Integer({ description: 'mentions view: the asking agent’s mentions not yet opened' }),
    ),
  },
  { title: 'Conversation' },
);

export const ConversationDetailSchema = Type.Object(
  { ...ConversationSchema.properties, contacts: Type.Array(ContactSchema) },
  { title: 'ConversationDetail' },
);

export const MessageSchema = Type.Object(
  {
    id: Type.String(),
    conversation_id: Type.String(),
    customer_id: Nullable(Type.String()),
    direction: enumOf(messageDirections),
    kind: enumOf(messageKinds),
    channel_id: Nullable(Type.String()),
    channel_kind: Nullable(Type.String()),
    provider_message_id: Nullable(Type.String()),
    author: Type.Object({ type: enumOf(authorTypes), id: Nullable(Type.String()) }),
    address: Nullable(Type.String()),
    subject: Nullable(Type.String()),
    text: Nullable(Type.String()),
    html: Nullable(Type.String({ description: 'sanitized' })),
    attachments: Type.Array(
      Type.Object({
        id: Type.String(),
        filename: Type.String(),
        content_type: Type.String(),
        size: Type.Integer(),
      }),
    ),
    mentions: Type.Array(Type.String(), { description: 'staff user ids a note mentions' }),
    delivery_status: enumOf(deliveryStatuses),
    delivery_error: Nullable(Type.String()),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Message' },
);

export const InboundAckSchema = Type.Object({
  inbound_id: Type.String(),
  duplicate: Type.Boolean(),
  status: Type.Enum(['processed', 'failed', 'pending']),
  message_id: Nullable(Type.String()),
  conversation_id: Nullable(Type.String()),
});

export const ViewCountsSchema = Type.Object(
  {
    views: Type.Object({
      mine: Type.Integer(),
      unassigned: Type.Integer(),
      all: Type.Integer(),
      sla_at_risk: Type.Integer(),
      mentions: Type.Integer({ description: 'conversations with mentions of me I have not opened' }),
      my_teams: Type.Integer(),
    }),
    teams: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), count: Type.Integer() })),
  },
  { title: 'ViewCounts', description: 'Active (not resolved, not merged) conversations per view' },
);

export const MentionableSchema = Type.Object(
  { id: Type.String(), name: Type.String() },
  { title: 'Mentionable', description: 'A staff user who can read conversations' },
);

export const MergeResultSchema = Type.Object(
  {
    conversation: ConversationSchema,
    moved_message_ids: Type.Array(Type.String()),
    merge_id: Type.String({
      description: 'the log entry; POST /v1/conversation-merges/{merge_id}/undo undoes it',
    }),
  },
  { title: 'MergeResult' },
);

export const ConversationMergeSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Enum(['merge', 'split']),
    source_id: Type.String({
      description: 'merge: the conversation that went into target_id; split: the one messages left',
    }),
    target_id: Type.String({ description: 'merge: the survivor; split: the conversation the split started' }),
    message_ids: Type.Array(Type.String(), { description: 'the messages and notes that moved' }),
    actor_id: Nullable(Type.String()),
    created_at: IsoTime,
    undone_at: NullableIsoTime,
    undone_by: Nullable(Type.String()),
  },
  { title: 'ConversationMerge', description: 'A merge or split, as logged' },
);

export const UndoMergeResultSchema = Type.Object(
  {
    merge: ConversationMergeSchema,
    source: ConversationSchema,
    target: ConversationSchema,
  },
  { title: 'UndoMergeResult' },
);
