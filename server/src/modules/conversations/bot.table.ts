/** @module Row types of the bot and CSAT tables. */

export interface BotRuleRow {
  id: string;
  name: string;
  position: number;
  active: unknown;
  languages: unknown;
  channel_kinds: unknown;
  keywords: unknown;
  pattern: string | null;
  answer: unknown;
  handoff: unknown;
  created_at: number;
  updated_at: number;
}

export interface BotSettingsRow {
  id: string;
  settings: unknown;
  external_secret: string | null;
  updated_at: number;
}

export interface BotTaskRow {
  id: string;
  kind: string;
  subject_id: string;
  conversation_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: number;
  claimed_until: number | null;
  created_at: number;
}

export interface BotStateRow {
  conversation_id: string;
  failed_matches: number;
  handed_off_at: number | null;
  out_of_hours_sent_at: number | null;
  /** The bot answered since the conversation (re)opened: a later miss counts toward the handoff. */
  answered_at: number | null;
  /** The bot let people have it without a handoff (nothing to say, or its task failed): routing owns it. */
  released_at: number | null;
  updated_at: number;
}

export interface CsatSurveyRow {
  id: string;
  conversation_id: string;
  customer_id: string;
  channel_id: string;
  channel_kind: string;
  agent_id: string | null;
  team_id: string | null;
  locale: string;
  token_hash: string;
  status: string;
  rating: number | null;
  comment: string | null;
  answer_message_id: string | null;
  resolved_at: number;
  sent_at: number;
  expires_at: number;
  answered_at: number | null;
}

export interface BotTables {
  bot_rules: BotRuleRow;
  bot_settings: BotSettingsRow;
  bot_tasks: BotTaskRow;
  bot_states: BotStateRow;
  csat_surveys: CsatSurveyRow;
}
