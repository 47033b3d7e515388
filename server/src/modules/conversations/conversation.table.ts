/** @module Row types of the conversations module's tables. */
import type { BotTables } from './bot.table';
import type { RoutingTables } from './routing.table';

export interface ConversationRow {
  id: string;
  customer_id: string;
  thread_key: string | null;
  status: string;
  snoozed_until: number | null;
  priority: string;
  labels: unknown;
  assignee_id: string | null;
  team_id: string | null;
  reply_token: string;
  last_inbound_channel_id: string | null;
  first_inbound_at: number | null;
  last_inbound_at: number | null;
  first_response_at: number | null;
  last_response_at: number | null;
  waiting_since: number | null;
  last_message_at: number;
  resolved_at: number | null;
  // Only a merge sets them (insertConversation fills null).
  merged_into_id: string | null;
  merged_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  customer_id: string | null;
  direction: string;
  kind: string;
  channel_id: string | null;
  channel_kind: string | null;
  provider_message_id: string | null;
  author_type: string;
  author_id: string | null;
  address: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  attachments: unknown;
  meta: unknown;
  delivery_status: string;
  delivery_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface MessageAttachmentRow {
  id: string;
  message_id: string;
  conversation_id: string;
  customer_id: string | null;
  filename: string;
  content_type: string;
  size: number;
  content: Buffer;
  created_at: number;
}

export interface ConversationContactRow {
  id: string;
  conversation_id: string;
  customer_id: string;
  channel_id: string;
  channel_kind: string;
  address: string;
  first_inbound_at: number;
  last_inbound_at: number;
}

export interface InboundMessageRow {
  id: string;
  channel_id: string;
  channel_kind: string;
  provider_message_id: string | null;
  payload: Buffer;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number;
  claimed_until: number | null;
  customer_id: string | null;
  message_id: string | null;
  received_at: number;
  processed_at: number | null;
  /** Who sent it, read at the door (email, number, PSID…): erasure finds unprocessed rows by it. */
  sender: string | null;
}

export interface ConversationMentionRow {
  id: string;
  conversation_id: string;
  message_id: string;
  user_id: string;
  mentioned_by: string | null;
  created_at: number;
  read_at: number | null;
}

export interface ConversationMergeRow {
  id: string;
  kind: string;
  source_id: string;
  target_id: string;
  moved: unknown;
  actor_id: string | null;
  created_at: number;
  /** Set once when the merge or split is undone; a guarded update, so only one undo wins. */
  undone_at: number | null;
  undone_by: string | null;
}

export interface CannedResponseRow {
  id: string;
  shortcut: string;
  title: string;
  body: unknown;
  team_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ConversationsTables extends RoutingTables, BotTables {
  conversation_mentions: ConversationMentionRow;
  conversation_merges: ConversationMergeRow;
  canned_responses: CannedResponseRow;
  conversations: ConversationRow;
  messages: MessageRow;
  message_attachments: MessageAttachmentRow;
  conversation_contacts: ConversationContactRow;
  inbound_messages: InboundMessageRow;
}
