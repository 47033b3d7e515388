/**
 * @module Conversations, their messages and attachments, the addresses a customer wrote from, and the raw
 * inbound store that keeps every provider delivery until it has been processed.
 */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const t = columnTypes(dialect);
  // Attachment bytes and raw inbound payloads: bytea on PostgreSQL, blob on SQLite; both hand back a Buffer.
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';

  await db.schema
    .createTable('conversations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    // 'customer' for the one continuous conversation, the channel id when threading is per channel, and null
    // for a conversation split off later: the unique index below allows many nulls on both databases.
    .addColumn('thread_key', t.text)
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('snoozed_until', t.time)
    .addColumn('priority', t.text, (c) => c.notNull())
    .addColumn('labels', t.json, (c) => c.notNull())
    .addColumn('assignee_id', t.id)
    .addColumn('team_id', t.id)
    .addColumn('reply_token', t.text, (c) => c.notNull())
    .addColumn('last_inbound_channel_id', t.id)
    .addColumn('first_inbound_at', t.time)
    .addColumn('last_inbound_at', t.time)
    .addColumn('first_response_at', t.time)
    .addColumn('last_response_at', t.time)
    // Since when the customer waits for an answer (null: nobody waits); SLA timers read this.
    .addColumn('waiting_since', t.time)
    .addColumn('last_message_at', t.time, (c) => c.notNull())
    .addColumn('resolved_at', t.time)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversations_thread_uq')
    .unique()
    .on('conversations')
    .columns(['customer_id', 'thread_key'])
    .execute();
  await db.schema
    .createIndex('conversations_reply_token_uq')
    .unique()
    .on('conversations')
    .column('reply_token')
    .execute();
  await db.schema
    .createIndex('conversations_status_idx')
    .on('conversations')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createIndex('conversations_assignee_idx')
    .on('conversations')
    .columns(['assignee_id', 'status', 'id'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id)
    .addColumn('direction', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('channel_id', t.id)
    .addColumn('channel_kind', t.text)
    .addColumn('provider_message_id', t.text)
    .addColumn('author_type', t.text, (c) => c.notNull())
    .addColumn('author_id', t.text)
    // The customer's address on this message (from on inbound, to on outbound), e.g. an email or E.164 number.
    .addColumn('address', t.text)
    .addColumn('subject', t.text)
    .addColumn('text', t.text)
    .addColumn('html', t.text)
    .addColumn('attachments', t.json, (c) => c.notNull())
    .addColumn('meta', t.json, (c) => c.notNull())
    .addColumn('delivery_status', t.text, (c) => c.notNull())
    .addColumn('delivery_error', t.text)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('messages_provider_uq')
    .unique()
    .on('messages')
    .columns(['channel_id', 'provider_message_id'])
    .execute();
  await db.schema
    .createIndex('messages_conversation_idx')
    .on('messages')
    .columns(['conversation_id', 'id'])
    .execute();
  await db.schema.createIndex('messages_customer_idx').on('messages').column('customer_id').execute();

  await db.schema
    .createTable('message_attachments')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('message_id', t.id, (c) => c.notNull())
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id)
    .addColumn('filename', t.text, (c) => c.notNull())
    .addColumn('content_type', t.text, (c) => c.notNull())
    .addColumn('size', t.integer, (c) => c.notNull())
    .addColumn('content', bytes, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_attachments_message_idx')
    .on('message_attachments')
    .column('message_id')
    .execute();
  await db.schema
    .createIndex('message_attachments_customer_idx')
    .on('message_attachments')
    .column('customer_id')
    .execute();

  await db.schema
    .createTable('conversation_contacts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id, (c) => c.notNull())
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('channel_kind', t.text, (c) => c.notNull())
    .addColumn('address', t.text, (c) => c.notNull())
    .addColumn('first_inbound_at', t.time, (c) => c.notNull())
    .addColumn('last_inbound_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('conversation_contacts_uq')
    .unique()
    .on('conversation_contacts')
    .columns(['conversation_id', 'channel_id', 'address'])
    .execute();
  await db.schema
    .createIndex('conversation_contacts_customer_idx')
    .on('conversation_contacts')
    .column('customer_id')
    .execute();

  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('channel_kind', t.text, (c) => c.notNull())
    .addColumn('provider_message_id', t.text)
    .addColumn('payload', bytes, (c) => c.notNull())
    // pending → processing → processed; a failure goes back to failed with a later next_attempt_at.
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('attempts', t.integer, (c) => c.notNull())
    .addColumn('last_error', t.text)
    .addColumn('next_attempt_at', t.time, (c) => c.notNull())
    .addColumn('claimed_until', t.time)
    .addColumn('customer_id', t.id)
    .addColumn('message_id', t.id)
    .addColumn('received_at', t.time, (c) => c.notNull())
    .addColumn('processed_at', t.time)
    .execute();
  await db.schema
    .createIndex('inbound_messages_provider_uq')
    .unique()
    .on('inbound_messages')
    .columns(['channel_id', 'provider_message_id'])
    .execute();
  await db.schema
    .createIndex('inbound_messages_due_idx')
    .on('inbound_messages')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('inbound_messages_customer_idx')
    .on('inbound_messages')
    .column('customer_id')
    .execute();
}
