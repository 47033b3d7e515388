/**
 * @module Privacy handler for self-service. Export lists the person's access links (when made, how sent, used,
 * revoked — never a token or hash) and their erasure requests. Erasure deletes every access token, so no link
 * opens anything again, and closes a pending erasure request as completed in the same transaction as the
 * erasure itself; requests are kept as the record that a request was made and answered (ids and times only).
 */
import { toIso, toIsoRequired } from '../../platform/db/codecs';
import type { PrivacyHandler } from '../../platform/privacy/privacy';

const none = (ids: string[]) => (ids.length ? ids : ['']);

export const selfServicePrivacyHandler: PrivacyHandler = {
  name: 'self_service',
  tables: ['customer_access_tokens', 'customer_erasure_requests'],

  async export(db, subject) {
    const ids = none(subject.customerIds);
    const tokens = await db
      .selectFrom('customer_access_tokens')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('id')
      .execute();
    const requests = await db
      .selectFrom('customer_erasure_requests')
      .selectAll()
      .where('customer_id', 'in', ids)
      .orderBy('id')
      .execute();
    return {
      access_links: tokens.map((r) => ({
        id: r.id,
        customer_id: r.customer_id,
        source: r.source,
        channel_id: r.channel_id,
        sent_via: r.sent_via,
        created_at: toIsoRequired(r.created_at),
        issued_at: toIso(r.issued_at),
        expires_at: toIsoRequired(r.expires_at),
        revoked_at: toIso(r.revoked_at),
        last_used_at: toIso(r.last_used_at),
      })),
      erasure_requests: requests.map((r) => ({
        id: r.id,
        customer_id: r.customer_id,
        status: r.status,
        requested_at: toIsoRequired(r.requested_at),
        due_at: toIsoRequired(r.due_at),
        decided_at: toIso(r.decided_at),
        reason: r.reason,
      })),
    };
  },

  async erase(trx, subject) {
    const ids = none(subject.customerIds);
    await trx.deleteFrom('customer_access_tokens').where('customer_id', 'in', ids).execute();
    // Whoever erased (staff through a request, or directly) answered any open request.
    await trx
      .updateTable('customer_erasure_requests')
      .set({ status: 'completed', decided_at: Date.now() })
      .where('customer_id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
    await trx
      .updateTable('customer_erasure_requests')
      .set({ token_id: null })
      .where('customer_id', 'in', ids)
      .execute();
  },
};
