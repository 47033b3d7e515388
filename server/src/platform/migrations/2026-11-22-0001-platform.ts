/** @module Platform tables: staff users, sessions, API keys, login attempts, audit log, idempotency, outbox, webhooks. */
import type { Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  const t = columnTypes(dialect);

  await db.schema
    .createTable('staff_users')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('email', t.text, (c) => c.notNull().unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('role', t.text, (c) => c.notNull())
    .addColumn('password_hash', t.text, (c) => c.notNull())
    .addColumn('locale', t.text, (c) => c.notNull())
    .addColumn('active', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addColumn('last_login_at', t.time)
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('ip', t.text)
    .addColumn('user_agent', t.text)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('last_used_at', t.time, (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('role', t.text)
    .addColumn('channel_id', t.id)
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('display', t.text, (c) => c.notNull())
    .addColumn('created_by', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('last_used_at', t.time)
    .addColumn('revoked_at', t.time)
    .execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('email', t.text, (c) => c.notNull())
    .addColumn('ip', t.text, (c) => c.notNull())
    .addColumn('succeeded', t.bool, (c) => c.notNull())
    .addColumn('attempted_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('login_attempts_email_idx')
    .on('login_attempts')
    .columns(['email', 'attempted_at'])
    .execute();
  await db.schema
    .createIndex('login_attempts_ip_idx')
    .on('login_attempts')
    .columns(['ip', 'attempted_at'])
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.id)
    .addColumn('actor_label', t.text, (c) => c.notNull())
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('target_type', t.text)
    .addColumn('target_id', t.text)
    .addColumn('ip', t.text)
    .addColumn('request_id', t.text)
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('occurred_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_actor_idx').on('audit_log').columns(['actor_id', 'id']).execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('principal_id', t.id, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('request_hash', t.text, (c) => c.notNull())
    .addColumn('state', t.text, (c) => c.notNull())
    .addColumn('response_status', t.integer)
    .addColumn('response_headers', t.json)
    .addColumn('response_body', t.text)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('expires_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['principal_id', 'key'])
    .execute();

  // The outbox: `position` orders delivery. On SQLite an INTEGER PRIMARY KEY AUTOINCREMENT never reuses values.
  await db.schema
    .createTable('outbox_events')
    .addColumn('position', t.serial, (c) =>
      dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('id', t.id, (c) => c.notNull().unique())
    .addColumn('type', t.text, (c) => c.notNull())
    .addColumn('aggregate_type', t.text, (c) => c.notNull())
    .addColumn('aggregate_id', t.text, (c) => c.notNull())
    .addColumn('customer_id', t.id)
    .addColumn('channel_id', t.id)
    .addColumn('actor', t.json, (c) => c.notNull())
    .addColumn('data', t.json, (c) => c.notNull())
    .addColumn('occurred_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('outbox_events_customer_idx')
    .on('outbox_events')
    .columns(['customer_id', 'position'])
    .execute();

  await db.schema
    .createTable('event_consumers')
    .addColumn('name', t.text, (c) => c.primaryKey())
    .addColumn('position', t.integer, (c) => c.notNull())
    .addColumn('lease_owner', t.text)
    .addColumn('lease_expires_at', t.time)
    .addColumn('last_error', t.text)
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('url', t.text, (c) => c.notNull())
    .addColumn('description', t.text, (c) => c.notNull())
    .addColumn('event_types', t.json, (c) => c.notNull())
    .addColumn('secret', t.text, (c) => c.notNull())
    .addColumn('active', t.bool, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('endpoint_id', t.id, (c) => c.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('event_id', t.id, (c) => c.notNull())
    .addColumn('event_type', t.text, (c) => c.notNull())
    .addColumn('payload', t.json, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('attempts', t.integer, (c) => c.notNull())
    .addColumn('next_attempt_at', t.time)
    .addColumn('locked_until', t.time)
    .addColumn('last_status_code', t.integer)
    .addColumn('last_error', t.text)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_event_uq', ['endpoint_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due_idx')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint_idx')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('delivery_id', t.id, (c) =>
      c.notNull().references('webhook_deliveries.id').onDelete('cascade'),
    )
    .addColumn('attempted_at', t.time, (c) => c.notNull())
    .addColumn('status_code', t.integer)
    .addColumn('duration_ms', t.integer, (c) => c.notNull())
    .addColumn('error', t.text)
    .addColumn('response_body', t.text)
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery_idx')
    .on('webhook_attempts')
    .columns(['delivery_id', 'id'])
    .execute();
}
