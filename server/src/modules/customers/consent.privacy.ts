/**
 * @module Privacy handler for consent and preferences. Export gives every consent record with its evidence.
 * Erasure keeps the consent history as the record of what was allowed and when (by id, purpose, channel,
 * status) but removes what identifies the person in it — ip, user agent, page URL and any of their values in
 * the wording — and deletes preferences and pending double opt-in requests.
 */
import { decodeJson, encodeJson, toIso, toIsoRequired } from '../../platform/db/codecs';
import { scrubJson, type PrivacyHandler } from '../../platform/privacy/privacy';
import type { ConsentEvidence } from './consent.repository';

const none = (ids: string[]) => (ids.length ? ids : ['']);

export const consentPrivacyHandler: PrivacyHandler = {
  name: 'consent',
  tables: ['consent_events', 'consents', 'consent_confirmations', 'customer_preferences'],

  async export(db, subject) {
    const ids = none(subject.customerIds);
    const history = await db
      .selectFrom('consent_events')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('id')
      .execute();
    const preferences = await db
      .selectFrom('customer_preferences')
      .selectAll()
      .where('customer_id', 'in', ids)
      .execute();
    return {
      consent_history: history.map((r) => ({
        customer_id: r.customer_id,
        purpose: r.purpose,
        channel: r.channel,
        status: r.status,
        source_type: r.source_type,
        source_channel_id: r.source_channel_id,
        legal_basis: r.legal_basis,
        evidence: decodeJson(r.evidence),
        occurred_at: toIsoRequired(r.occurred_at),
        recorded_at: toIsoRequired(r.recorded_at),
      })),
      preferences: preferences.map((p) => ({
        customer_id: p.customer_id,
        preferred_channel: p.preferred_channel,
        quiet_hours_start: p.quiet_hours_start,
        quiet_hours_end: p.quiet_hours_end,
        quiet_hours_timezone: p.quiet_hours_timezone,
        updated_at: toIso(p.updated_at),
      })),
    };
  },

  async erase(trx, subject) {
    const ids = none(subject.customerIds);
    const history = await trx
      .selectFrom('consent_events')
      .select(['id', 'evidence'])
      .where('customer_id', 'in', ids)
      .execute();
    for (const row of history) {
      const { wording, version, note } = decodeJson<ConsentEvidence>(row.evidence) ?? {};
      const kept = scrubJson({ wording, version, note }, subject.values);
      await trx
        .updateTable('consent_events')
        .set({ evidence: encodeJson(JSON.parse(JSON.stringify(kept))) })
        .where('id', '=', row.id)
        .execute();
    }
    await trx.deleteFrom('consent_confirmations').where('customer_id', 'in', ids).execute();
    await trx.deleteFrom('customer_preferences').where('customer_id', 'in', ids).execute();
  },
};
