/**
 * @module Queries for the bot's tables: rules (mapped to clean objects here and nowhere else), the one settings
 * row, the durable task queue (claimed by guarded UPDATE so two workers never run the same task) and the
 * per-conversation bot memory.
 */
import { decodeBool, decodeJson, encodeBool, encodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { BusinessCalendar } from './business-hours';
import type { BotLocale } from './bot.intents';
import type { BotRuleRow } from './bot.table';

export interface BotRule {
  id: string;
  name: string;
  position: number;
  active: boolean;
  languages: BotLocale[];
  channel_kinds: string[];
  keywords: string[];
  pattern: string | null;
  answer: Partial<Record<BotLocale, string>>;
  handoff: boolean;
  created_at: string;
  updated_at: string;
}

export type BotRuleInput = Omit<BotRule, 'id' | 'created_at' | 'updated_at'>;

export function ruleFromRow(row: BotRuleRow): BotRule {
  return {
    id: row.id,
    name: row.name,
    position: Number(row.position),
    active: decodeBool(row.active),
    languages: decodeJson(row.languages),
    channel_kinds: decodeJson(row.channel_kinds),
    keywords: decodeJson(row.keywords),
    pattern: row.pattern,
    answer: decodeJson(row.answer),
    handoff: decodeBool(row.handoff),
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

export const ruleToRow = (input: BotRuleInput) => ({
  name: input.name,
  position: input.position,
  active: encodeBool(input.active),
  languages: encodeJson(input.languages),
  channel_kinds: encodeJson(input.channel_kinds),
  keywords: encodeJson(input.keywords),
  pattern: input.pattern,
  answer: encodeJson(input.answer),
  handoff: encodeBool(input.handoff),
});

export async function listRuleRows(db: DbOrTrx, activeOnly = false): Promise<BotRule[]> {
  let q = db.selectFrom('bot_rules').selectAll().orderBy('position').orderBy('id');
  if (activeOnly) q = q.where('active', '=', encodeBool(true) as never);
  return (await q.execute()).map(ruleFromRow);
}

export interface BotSettings {
  /** Whether the built-in bot (or the external one) answers customers at all. */
  enabled: boolean;
  /** Hand the conversation to a human after this many messages the bot did not understand (0: never). */
  handoff_after_failures: number;
  /** Reply once (per 12 hours) when a message arrives while closed. */
  out_of_hours_reply: boolean;
  /** Null: always open (until the routing calendar replaces this). */
  business_hours: BusinessCalendar | null;
  /** An external bot that receives every customer message, signed like the platform's webhooks. */
  external_url: string | null;
  /** Send a 1–5 survey after resolution. */
  csat_enabled: boolean;
  /** How long a survey accepts an answer. */
  csat_expires_hours: number;
}

export const defaultBotSettings: BotSettings = {
  enabled: false,
  handoff_after_failures: 2,
  out_of_hours_reply: true,
  business_hours: null,
  external_url: null,
  csat_enabled: false,
  csat_expires_hours: 72,
};

const SETTINGS_ID = 'default';

export async function readSettings(db: DbOrTrx): Promise<{ settings: BotSettings; secret: string | null }> {
  const row = await db
    .selectFrom('bot_settings')
    .selectAll()
    .where('id', '=', SETTINGS_ID)
    .executeTakeFirst();
  return {
    settings: { ...defaultBotSettings, ...(row ? decodeJson<Partial<BotSettings>>(row.settings) : {}) },
    secret: row?.external_secret ?? null,
  };
}

export async function writeSettings(
  db: DbOrTrx,
  settings: BotSettings,
  secret: string | null,
): Promise<void> {
  const values = { settings: encodeJson(settings), external_secret: secret, updated_at: Date.now() };
  await db
    .insertInto('bot_settings')
    .values({ id: SETTINGS_ID, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export type BotTaskKind = 'message' | 'csat';

/** Queues a task once per subject: a redelivered event finds it there and adds nothing. */
export async function enqueueTask(
  db: DbOrTrx,
  task: { kind: BotTaskKind; subject_id: string; conversation_id: string },
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('bot_tasks')
    .values({
      id: newId('btk'),
      ...task,
      status: 'pending',
      attempts: 0,
      last_error: null,
      next_attempt_at: now,
      claimed_until: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['kind', 'subject_id']).doNothing())
    .execute();
}

export async function dueTaskIds(db: DbOrTrx, now: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('bot_tasks')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', 'in', ['pending', 'failed']), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('status', '=', 'processing'), eb('claimed_until', '<', now)]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Takes one task for one attempt: a guarded UPDATE, checked by rows affected. */
export async function claimTask(db: DbOrTrx, id: string, now: number, claimMs: number): Promise<boolean> {
  const result = await db
    .updateTable('bot_tasks')
    .set({ status: 'processing', claimed_until: now + claimMs })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('status', 'in', ['pending', 'failed']),
        eb.and([eb('status', '=', 'processing'), eb('claimed_until', '<', now)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function retrieveState(db: DbOrTrx, conversationId: string) {
  const row = await db
    .selectFrom('bot_states')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  return {
    failed_matches: Number(row?.failed_matches ?? 0),
    handed_off_at: row?.handed_off_at == null ? null : Number(row.handed_off_at),
    out_of_hours_sent_at: row?.out_of_hours_sent_at == null ? null : Number(row.out_of_hours_sent_at),
    answered_at: row?.answered_at == null ? null : Number(row.answered_at),
    released_at: row?.released_at == null ? null : Number(row.released_at),
  };
}

export async function saveState(
  db: DbOrTrx,
  conversationId: string,
  patch: Partial<{
    failed_matches: number;
    handed_off_at: number | null;
    out_of_hours_sent_at: number;
    answered_at: number | null;
    released_at: number | null;
  }>,
): Promise<void> {
  const now = Date.now();
  await db
    .insertInto('bot_states')
    .values({
      conversation_id: conversationId,
      failed_matches: patch.failed_matches ?? 0,
      handed_off_at: patch.handed_off_at ?? null,
      out_of_hours_sent_at: patch.out_of_hours_sent_at ?? null,
      answered_at: patch.answered_at ?? null,
      released_at: patch.released_at ?? null,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ ...patch, updated_at: now }))
    .execute();
}

/**
 * Whether routing leaves this conversation to the bot for now: the bot is on and has neither handed it off nor
 * released it. Read in the routing consumer's transaction, from facts only the bot's own steps change, so the
 * two consumers agree whichever runs first.
 * @example if (!(await botHolds(trx, conversationId))) routeLater(trx, conversationId)
 */
export async function botHolds(
  db: DbOrTrx,
  conversationId: string,
  /** The settings when the caller has read them already (once for a batch of conversations). */
  known?: BotSettings,
): Promise<boolean> {
  const settings = known ?? (await readSettings(db)).settings;
  if (!settings.enabled) return false;
  const state = await retrieveState(db, conversationId);
  return state.handed_off_at === null && state.released_at === null;
}
