/**
 * @module Bots and CSAT: the auto-reply rules, the business's bot settings (one row), the durable work queue the
 * bot worker drains, the bot's per-conversation memory (failed matches, handoff) and the satisfaction surveys.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('bot_rules')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('position', t.integer, (c) => c.notNull())
    .addColumn('active', t.bool, (c) => c.notNull())
    // Empty arrays mean "any": languages (en, es, ru), channel kinds (sms, whatsapp, email, …).
    .addColumn('languages', t.json, (c) => c.notNull())
    .addColumn('channel_kinds', t.json, (c) => c.notNull())
    .addColumn('keywords', t.json, (c) => c.notNull())
    .addColumn('pattern', t.text)
    // { en?: string, es?: string, ru?: string } with {{variables}}.
    .addColumn('answer', t.json, (c) => c.notNull())
    .addColumn('handoff', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bot_rules_position_idx').on('bot_rules').columns(['position', 'id']).execute();

  await db.schema
    .createTable('bot_settings')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('settings', t.json, (c) => c.notNull())
    // The external bot's signing secret: written, never read back through the API.
    .addColumn('external_secret', t.text)
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('bot_tasks')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // 'message' (a customer's message to answer) or 'csat' (a resolved conversation to survey).
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('subject_id', t.id, (c) => c.notNull())
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('attempts', t.integer, (c) => c.notNull())
    .addColumn('last_error', t.text)
    .addColumn('next_attempt_at', t.time, (c) => c.notNull())
    .addColumn('claimed_until', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  // The dispatcher delivers at least once: a second delivery of the same event finds the task already queued.
  await db.schema
    .createIndex('bot_tasks_subject_uq')
    .unique()
    .on('bot_tasks')
    .columns(['kind', 'subject_id'])
    .execute();
  await db.schema
    .createIndex('bot_tasks_due_idx')
    .on('bot_tasks')
    .columns(['status', 'next_attempt_at'])
    .execute();

  await db.schema
    .createTable('bot_states')
    .addColumn('conversation_id', t.id, (c) => c.primaryKey())
    .addColumn('failed_matches', t.integer, (c) => c.notNull())
    .addColumn('handed_off_at', t.time)
    .addColumn('out_of_hours_sent_at', t.time)
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('csat_surveys')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('channel_kind', t.text, (c) => c.notNull())
    .addColumn('agent_id', t.id)
    .addColumn('team_id', t.id)
    .addColumn('locale', t.text, (c) => c.notNull())
    // sha256 of the token in the email link; the token itself is only in the email.
    .addColumn('token_hash', t.text, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('rating', t.integer)
    .addColumn('comment', t.text)
    .addColumn('answer_message_id', t.id)
    .addColumn('resolved_at', t.time, (c) => c.notNull())
    .addColumn('sent_at', t.time, (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addColumn('answered_at', t.time)
    .execute();
  await db.schema
    .createIndex('csat_surveys_token_uq')
    .unique()
    .on('csat_surveys')
    .column('token_hash')
    .execute();
  await db.schema
    .createIndex('csat_surveys_conversation_idx')
    .on('csat_surveys')
    .columns(['conversation_id', 'status'])
    .execute();
  await db.schema.createIndex('csat_surveys_customer_idx').on('csat_surveys').column('customer_id').execute();
  await db.schema.createIndex('csat_surveys_answered_idx').on('csat_surveys').column('answered_at').execute();
}
