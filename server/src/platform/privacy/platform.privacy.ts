/**
 * @module The platform's own tables that can hold a customer's data: the outbox (event payloads), webhook
 * deliveries (copies of events), the audit log (targets and search terms) and stored idempotent responses.
 * Events and audit entries stay — they are the record of what happened, amounts included — but lose the person.
 */
import { decodeJson, encodeJson } from '../db/codecs';
import type { DbOrTrx, Trx } from '../db/transaction';
import { scrubJson, type NoCustomerData, type PrivacyHandler, type PrivacySubject } from './privacy';

async function subjectEvents(db: DbOrTrx, subject: PrivacySubject) {
  if (subject.customerIds.length === 0) return [];
  return db
    .selectFrom('outbox_events')
    .selectAll()
    .where((eb) =>
      eb.or([eb('customer_id', 'in', subject.customerIds), eb('aggregate_id', 'in', subject.customerIds)]),
    )
    .orderBy('position')
    .execute();
}

/**
 * LIKE patterns that find rows mentioning a value. `_` or `%` inside a value only widen the search (LIKE has no
 * common escape on both dialects); scrubJson then replaces exact occurrences only.
 */
function mentioning(values: string[]) {
  return values.filter((v) => v.length >= 3).map((v) => `%${v.toLowerCase()}%`);
}

export const platformPrivacyHandler: PrivacyHandler = {
  name: 'platform',
  tables: ['outbox_events', 'webhook_deliveries', 'audit_log', 'idempotency_keys'],

  async export(db, subject) {
    const events = await subjectEvents(db, subject);
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', 'in', subject.customerIds.length ? subject.customerIds : [''])
      .orderBy('id')
      .execute();
    return {
      events: events.map((e) => ({
        id: e.id,
        type: e.type,
        occurred_at: new Date(e.occurred_at).toISOString(),
        channel_id: e.channel_id,
        data: decodeJson(e.data),
      })),
      access_log: audit.map((a) => ({
        action: a.action,
        actor_type: a.actor_type,
        occurred_at: new Date(a.occurred_at).toISOString(),
      })),
    };
  },

  async erase(trx: Trx, subject) {
    const events = await subjectEvents(trx, subject);
    for (const event of events) {
      await trx
        .updateTable('outbox_events')
        .set({ data: encodeJson(scrubJson(decodeJson(event.data), subject.values)) })
        .where('position', '=', event.position)
        .execute();
    }
    const eventIds = events.map((e) => e.id);
    const patterns = mentioning(subject.values);
    // Webhook deliveries hold copies of events: the subject's own, and any other that mentions them.
    const deliveries = await trx
      .selectFrom('webhook_deliveries')
      .select(['id', 'payload'])
      .where((eb) =>
        eb.or([
          eb('event_id', 'in', eventIds.length ? eventIds : ['']),
          ...patterns.map((p) => eb(eb.fn('lower', [eb.cast('payload', 'text')]), 'like', p)),
        ]),
      )
      .execute();
    for (const d of deliveries) {
      await trx
        .updateTable('webhook_deliveries')
        .set({ payload: encodeJson(scrubJson(decodeJson(d.payload), subject.values)) })
        .where('id', '=', d.id)
        .execute();
    }
    // The audit log keeps who did what to whom (by id), not the person's details (e.g. a search for their email).
    const entries = await trx
      .selectFrom('audit_log')
      .select(['id', 'data'])
      .where((eb) =>
        eb.or([
          eb('target_id', 'in', subject.customerIds.length ? subject.customerIds : ['']),
          ...patterns.map((p) => eb(eb.fn('lower', [eb.cast('data', 'text')]), 'like', p)),
        ]),
      )
      .execute();
    for (const entry of entries) {
      await trx
        .updateTable('audit_log')
        .set({ data: encodeJson(scrubJson(decodeJson(entry.data), subject.values)) })
        .where('id', '=', entry.id)
        .execute();
    }
    // A stored response would replay the person's data: forget it (the request can no longer be replayed).
    if (patterns.length) {
      await trx
        .deleteFrom('idempotency_keys')
        .where((eb) => eb.or(patterns.map((p) => eb(eb.fn('lower', ['response_body']), 'like', p))))
        .execute();
    }
  },
};

export const platformNoCustomerData: NoCustomerData = {
  staff_users: 'staff accounts, not customers',
  sessions: 'staff sessions',
  api_keys: 'integration credentials',
  login_attempts: 'staff sign-in attempts',
  event_consumers: 'dispatcher offsets',
  webhook_endpoints: 'integration endpoints',
  webhook_attempts: 'HTTP status and the receiver’s reply, not our payloads',
  omnis_migrations: 'schema versions',
  omnis_migrations_lock: 'schema migration lock',
};
