/**
 * @module Privacy handler for web chat: a person's visitor records (anonymous id, name, email, locale) and the
 * files she uploaded. Erasure deletes both; the messages themselves belong to the conversations handler.
 */
import type { PrivacyHandler } from '../../../platform/privacy/privacy';
import { toIsoRequired } from '../../../platform/db/codecs';

const none = (ids: string[]) => (ids.length ? ids : ['']);

export const webchatPrivacyHandler: PrivacyHandler = {
  name: 'webchat',
  tables: ['webchat_visitors', 'webchat_uploads'],

  async export(db, subject) {
    const visitors = await db
      .selectFrom('webchat_visitors')
      .selectAll()
      .where('customer_id', 'in', none(subject.customerIds))
      .orderBy('id')
      .execute();
    const uploads = await db
      .selectFrom('webchat_uploads')
      .select(['id', 'visitor_id', 'filename', 'content_type', 'size', 'created_at'])
      .where('visitor_id', 'in', none(visitors.map((v) => v.id)))
      .orderBy('id')
      .execute();
    return {
      webchat_visitors: visitors.map((v) => ({
        id: v.id,
        channel_id: v.channel_id,
        anonymous_id: v.anonymous_id,
        name: v.name,
        email: v.email,
        locale: v.locale,
        created_at: toIsoRequired(v.created_at),
        last_seen_at: toIsoRequired(v.last_seen_at),
      })),
      webchat_uploads: uploads.map((u) => ({ ...u, created_at: toIsoRequired(u.created_at) })),
    };
  },

  async erase(trx, subject) {
    const visitorIds = (
      await trx
        .selectFrom('webchat_visitors')
        .select('id')
        .where('customer_id', 'in', none(subject.customerIds))
        .execute()
    ).map((v) => v.id);
    await trx.deleteFrom('webchat_uploads').where('visitor_id', 'in', none(visitorIds)).execute();
    await trx.deleteFrom('webchat_visitors').where('id', 'in', none(visitorIds)).execute();
  },
};
