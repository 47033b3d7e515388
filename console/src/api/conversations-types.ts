/** @module Wire types of the conversations API (`/v1/conversations…`), as conversation.schemas.ts declares them. */

/** What an agent can set; `merged` is set by a merge only (read-only, pointing at the survivor). */
export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number] | 'merged';
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
/**
 * The views the server answers (`?view=`, conversation.repository's `conversationViews`); `team` also takes a
 * `team_id` and is listed once per team the agent belongs to.
 */
export const CONVERSATION_VIEWS = [
  'mine',
  'unassigned',
  'all',
  'mentions',
  'my_teams',
  'sla_at_risk',
] as const;
export type ConversationView = (typeof CONVERSATION_VIEWS)[number] | 'team';

/** `GET /v1/conversations/counts`: active conversations per view, unread mentions, one count per team. */
export interface ViewCounts {
  views: Record<(typeof CONVERSATION_VIEWS)[number], number>;
  teams: Array<{ id: string; name: string; count: number }>;
}

export interface Conversation {
  id: string;
  customer_id: string;
  status: ConversationStatus;
  snoozed_until: string | null;
  priority: Priority;
  labels: string[];
  assignee_id: string | null;
  team_id: string | null;
  last_inbound_channel_id: string | null;
  first_inbound_at: string | null;
  last_inbound_at: string | null;
  first_response_at: string | null;
  last_response_at: string | null;
  /** Since when the customer waits for an answer (null once answered or resolved). */
  waiting_since: string | null;
  last_message_at: string;
  resolved_at: string | null;
  /** Set once merged into another conversation (status `merged`). */
  merged_into_id: string | null;
  merged_at: string | null;
  created_at: string;
  updated_at: string;
  /** Mentions view only: my mentions here that I have not opened. */
  unread_mentions?: number;
}

/** An address the customer wrote from: where a reply on that channel goes. */
export interface ConversationContact {
  channel_id: string;
  channel_kind: string;
  address: string;
  first_inbound_at: string;
  last_inbound_at: string;
}

export interface ConversationDetail extends Conversation {
  contacts: ConversationContact[];
}

export type DeliveryStatus =
  'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered' | 'none';

export interface MessageAttachment {
  id: string;
  filename: string;
  content_type: string;
  size: number;
}

export interface Message {
  id: string;
  conversation_id: string;
  customer_id: string | null;
  direction: 'in' | 'out';
  kind: 'message' | 'note' | 'event';
  channel_id: string | null;
  channel_kind: string | null;
  provider_message_id: string | null;
  author: { type: 'customer' | 'staff' | 'bot' | 'system'; id: string | null };
  address: string | null;
  subject: string | null;
  text: string | null;
  /** Sanitized by the server. */
  html: string | null;
  attachments: MessageAttachment[];
  /** Staff user ids a note mentions. */
  mentions: string[];
  delivery_status: DeliveryStatus;
  delivery_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutgoingAttachment {
  filename: string;
  content_type: string;
  content_base64: string;
}

export interface ReplyInput {
  text: string;
  channel_id?: string | undefined;
  attachments?: OutgoingAttachment[] | undefined;
}

export const REPORT_GROUPS = ['channel', 'agent', 'team', 'day'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export interface ReportDuration {
  count: number;
  median_ms: number | null;
  p90_ms: number | null;
}

/** One group's figures (a channel id, agent id, team id or `YYYY-MM-DD`; null: none). */
export interface ReportRow {
  key: string | null;
  conversations: number;
  inbound_messages: number;
  first_response: ReportDuration;
  resolution: ReportDuration;
  sla: { met: number; breached: number; hit_rate: number | null };
  csat: { count: number; average: number | null };
}

/** `GET /v1/reports/conversations?from&to&group_by&business_hours`, as report.routes.ts declares it. */
export interface ConversationReport {
  group_by: ReportGroup;
  business_hours: boolean;
  data: ReportRow[];
}

export const SLA_STATUSES = ['met', 'running', 'at_risk', 'breached', 'paused'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

/** `GET /v1/conversations/:id/sla`: the conversation's worst status and its timers. */
export interface ConversationSla {
  conversation_id: string;
  /** Null without a policy; else breached beats at_risk beats running; paused or met otherwise. */
  status: SlaStatus | null;
  timers: Array<{
    id: string;
    policy_id: string;
    metric: string;
    status: string;
    started_at: string;
    due_at: string | null;
    at_risk_at: string | null;
    stopped_at: string | null;
    breached_at: string | null;
  }>;
}

export interface Team {
  id: string;
  name: string;
  channel_kinds: string[];
  strategy: string;
  members: Array<{ user_id: string; skills: string[]; languages: string[] }>;
}

export const PRESENCES = ['online', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

/** An agent's presence and load (`/v1/agents/:id`, `PUT /v1/me/presence`). */
export interface AgentState {
  user_id: string;
  presence: Presence;
  presence_at: string;
  capacity: Record<string, number>;
  active: Record<string, number>;
}

export interface TransferInput {
  assignee_id?: string | undefined;
  team_id?: string | undefined;
  note?: string | undefined;
}

/** Someone a note can @mention. */
export interface Mentionable {
  id: string;
  name: string;
}

export interface MergeResult {
  conversation: Conversation;
  moved_message_ids: string[];
  /** The log entry that undoes it (`POST /v1/conversation-merges/{merge_id}/undo`). */
  merge_id: string;
}

/** A merge or split as `GET /v1/conversations/{id}/merges` lists it. */
export interface ConversationMerge {
  id: string;
  kind: 'merge' | 'split';
  /** merge: the conversation that went into `target_id`; split: the one messages left. */
  source_id: string;
  target_id: string;
  message_ids: string[];
  actor_id: string | null;
  created_at: string;
  undone_at: string | null;
  undone_by: string | null;
}

export interface UndoMergeResult {
  merge: ConversationMerge;
  source: Conversation;
  target: Conversation;
}

export const CANNED_LOCALES = ['en', 'es', 'ru'] as const;
export type CannedLocale = (typeof CANNED_LOCALES)[number];

/** A canned response as `/v1/canned-responses` returns it. */
export interface CannedResponse {
  id: string;
  shortcut: string;
  title: string;
  body: { en: string; es?: string; ru?: string };
  team_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface CannedInput {
  shortcut: string;
  title: string;
  body: { en: string; es?: string; ru?: string };
  team_id: string | null;
}

/** A canned response rendered for one conversation, in the customer's language when it has one. */
export interface RenderedCanned {
  id: string;
  shortcut: string;
  locale: CannedLocale;
  text: string;
  missing: string[];
}
