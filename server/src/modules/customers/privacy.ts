/**
 * @module Privacy rights for a customer: export everything Omnis holds about them (every module's handler),
 * erase it everywhere in one transaction, and restrict processing. Also the handler for this module's own
 * profile tables.
 */
import { AppError, notFound } from '../../platform/errors';
import { decodeBool, decodeJson, encodeBool, encodeJson, toIsoRequired } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import {
  ERASED,
  eraseSubject,
  exportSubject,
  scrubJson,
  type PrivacyHandler,
  type PrivacySubject,
} from '../../platform/privacy/privacy';
import {
  findCustomerRow,
  identifiersOf,
  mergedFamily,
  nameSearchColumns,
  survivorOf,
} from './customer.repository';
import type { CustomerExport } from './privacy.archive';
import { suppressIdentifiers } from './suppression';

const none = (ids: string[]) => (ids.length ? ids : ['']);

export const profilePrivacyHandler: PrivacyHandler = {
  name: 'customers',
  tables: ['customers', 'customer_identifiers', 'identity_log'],
  // privacy_suppressions holds only salted hashes, unreadable by design; installation_secrets holds the salt.

  async export(db, subject) {
    const ids = none(subject.customerIds);
    const profiles = await db.selectFrom('customers').selectAll().where('id', 'in', ids).execute();
    const identifiers = await db
      .selectFrom('customer_identifiers')
      .selectAll()
      .where('customer_id', 'in', ids)
      .execute();
    const log = await db
      .selectFrom('identity_log')
      .selectAll()
      .where((eb) => eb.or([eb('customer_id', 'in', ids), eb('other_customer_id', 'in', ids)]))
      .orderBy('id')
      .execute();
    // Decoded as the API shows them (booleans, ISO times), so the JSON and its CSVs read the same on every
    // dialect. The name search keys are left out: they are the names again, folded for the index.
    return {
      profiles: profiles.map((p) => ({
        id: p.id,
        status: p.status,
        merged_into: p.merged_into,
        first_name: p.first_name,
        last_name: p.last_name,
        locale: p.locale,
        timezone: p.timezone,
        addresses: decodeJson(p.addresses),
        traits: decodeJson(p.traits),
        channels: decodeJson(p.channels),
        restricted: decodeBool(p.restricted),
        first_seen_at: toIsoRequired(p.first_seen_at),
        last_seen_at: toIsoRequired(p.last_seen_at),
        created_at: toIsoRequired(p.created_at),
        updated_at: toIsoRequired(p.updated_at),
      })),
      identifiers: identifiers.map((i) => ({
        customer_id: i.customer_id,
        type: i.type,
        value: i.value,
        verified: decodeBool(i.verified),
        source_channel_id: i.source_channel_id,
        first_seen_at: toIsoRequired(i.first_seen_at),
        last_seen_at: toIsoRequired(i.last_seen_at),
      })),
      identity_log: log.map((l) => ({
        kind: l.kind,
        customer_id: l.customer_id,
        other_customer_id: l.other_customer_id,
        reason: l.reason,
        occurred_at: toIsoRequired(l.occurred_at),
      })),
    };
  },

  async erase(trx, subject) {
    const ids = none(subject.customerIds);
    await trx.deleteFrom('customer_identifiers').where('customer_id', 'in', ids).execute();
    await trx
      .updateTable('customers')
      .set({
        status: 'erased',
        first_name: null,
        last_name: null,
        ...nameSearchColumns(null, null),
        locale: null,
        timezone: null,
        addresses: encodeJson([]),
        traits: encodeJson({}),
        updated_at: Date.now(),
      })
      .where('id', 'in', ids)
      .execute();
    const entries = await trx
      .selectFrom('identity_log')
      .select(['id', 'data', 'reason'])
      .where((eb) => eb.or([eb('customer_id', 'in', ids), eb('other_customer_id', 'in', ids)]))
      .execute();
    for (const e of entries) {
      await trx
        .updateTable('identity_log')
        .set({ data: encodeJson(scrubJson(decodeJson(e.data), subject.values)) })
        .where('id', '=', e.id)
        .execute();
    }
  },
};

export function createCustomerPrivacyService(deps: {
  db: Db;
  events: EventBus;
  handlers: () => PrivacyHandler[];
}) {
  const { db, events } = deps;

  /** The person behind an id: the survivor, its merged family, and the personal values to scrub. */
  async function subjectOf(id: string): Promise<PrivacySubject & { survivorId: string }> {
    const survivor = await survivorOf(db, id);
    if (!survivor) throw notFound('customer', id);
    if (survivor.status === 'erased')
      throw new AppError('conflict', `Customer ${id} has already been erased.`);
    const family = await mergedFamily(db, survivor.id);
    const values = new Set<string>();
    for (const identifier of await identifiersOf(db, family)) values.add(identifier.value);
    for (const memberId of family) {
      const row = await findCustomerRow(db, memberId);
      if (row?.first_name) values.add(row.first_name);
      if (row?.last_name) values.add(row.last_name);
      if (row?.first_name && row.last_name) values.add(`${row.first_name} ${row.last_name}`);
    }
    // Longest first, so "Ana García" is replaced whole before "Ana" alone.
    return {
      survivorId: survivor.id,
      customerIds: family,
      values: [...values].sort((a, b) => b.length - a.length),
    };
  }

  return {
    /**
     * Everything about a person across all modules, as one JSON document (sections per module, rows per table).
     * @example const archive = await privacy.exportCustomer('cus_01…')
     */
    async exportCustomer(id: string): Promise<CustomerExport> {
      const subject = await subjectOf(id);
      return {
        customer_id: subject.survivorId,
        merged_profiles: subject.customerIds.filter((c) => c !== subject.survivorId),
        exported_at: new Date().toISOString(),
        data: await exportSubject(db, deps.handlers(), subject),
      };
    },

    /** Erases the person everywhere: profile anonymized, identifiers deleted, personal values scrubbed. */
    async eraseCustomer(
      id: string,
      actor: Actor,
      options: { suppress?: boolean } = {},
    ): Promise<{ customer_id: string; profiles: string[] }> {
      const subject = await subjectOf(id);
      await inTransaction(db, async (trx) => {
        if (options.suppress) {
          const identifiers = await trx
            .selectFrom('customer_identifiers')
            .select(['type', 'value'])
            .where('customer_id', 'in', subject.customerIds)
            .execute();
          await suppressIdentifiers(trx, identifiers);
        }
        // Re-checked inside the transaction: two erasures at once erase once.
        const current = await trx
          .selectFrom('customers')
          .select('status')
          .where('id', '=', subject.survivorId)
          .executeTakeFirst();
        if (current?.status === 'erased')
          throw new AppError('conflict', `Customer ${id} has already been erased.`);
        await eraseSubject(trx, deps.handlers(), subject);
        await events.append(trx, {
          type: 'customer.erased',
          aggregate: { type: 'customer', id: subject.survivorId },
          customerId: subject.survivorId,
          actor,
          data: { id: subject.survivorId, profiles: subject.customerIds.length },
        });
      });
      return { customer_id: subject.survivorId, profiles: subject.customerIds };
    },

    /** Restricts (or lifts the restriction of) processing: the profile stays, senders must not use it. */
    async restrictCustomer(id: string, restricted: boolean, actor: Actor): Promise<void> {
      const subject = await subjectOf(id);
      await inTransaction(db, async (trx) => {
        await trx
          .updateTable('customers')
          .set({ restricted: encodeBool(restricted), updated_at: Date.now() })
          .where('id', 'in', subject.customerIds)
          .execute();
        await events.append(trx, {
          type: restricted ? 'customer.restricted' : 'customer.unrestricted',
          aggregate: { type: 'customer', id: subject.survivorId },
          customerId: subject.survivorId,
          actor,
          data: { id: subject.survivorId },
        });
      });
    },
  };
}

export type CustomerPrivacyService = ReturnType<typeof createCustomerPrivacyService>;
export { ERASED };
