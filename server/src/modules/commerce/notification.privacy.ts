/**
 * @module Privacy of notifications: the rows hold the address each message went to. Export lists them (the
 * rendered body never leaves the table); erasure deletes them — the person's rows and the rows of guest orders
 * sent to one of their addresses. What was sent stays in the events as ids and outcomes. The public links of SMS
 * receipts go with the SMS that carried them: once erased, the receipt page of her purchase no longer opens.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../platform/db/schema';
import { toIso, toIsoRequired } from '../../platform/db/codecs';
import type { PrivacyHandler, PrivacySubject } from '../../platform/privacy/privacy';
import { notificationFromRow } from './notification.repository';

/** The person's rows, or null when the subject names nothing to match. */
function mine(subject: PrivacySubject) {
  const addresses = [...new Set([...subject.values, ...subject.values.map((v) => v.toLowerCase())])];
  if (!subject.customerIds.length && !addresses.length) return null;
  return (eb: ExpressionBuilder<Database, 'notifications'>) =>
    eb.or([
      ...(subject.customerIds.length ? [eb('customer_id', 'in', subject.customerIds)] : []),
      ...(addresses.length ? [eb('address', 'in', addresses)] : []),
    ]);
}

export const notificationPrivacyHandler: PrivacyHandler = {
  name: 'notifications',
  tables: ['notifications', 'receipt_links'],
  async export(db, subject) {
    const where = mine(subject);
    if (!where) return { notifications: [], receipt_links: [] };
    const rows = await db.selectFrom('notifications').selectAll().where(where).orderBy('id').execute();
    const links = rows.length
      ? await db
          .selectFrom('receipt_links')
          .selectAll()
          .where(
            'notification_id',
            'in',
            rows.map((r) => r.id),
          )
          .orderBy('id')
          .execute()
      : [];
    return {
      notifications: rows.map(notificationFromRow),
      // The token is not kept (only its hash, useless to anyone): when the link was made, until when it opens and
      // how often it was opened.
      receipt_links: links.map((l) => ({
        id: l.id,
        order_id: l.order_id,
        notification_id: l.notification_id,
        expires_at: toIsoRequired(Number(l.expires_at)),
        read_count: Number(l.read_count),
        last_read_at: toIso(l.last_read_at === null ? null : Number(l.last_read_at)),
        created_at: toIsoRequired(Number(l.created_at)),
      })),
    };
  },
  async erase(trx, subject) {
    const where = mine(subject);
    if (!where) return;
    const erased = trx.selectFrom('notifications').select('id').where(where);
    await trx.deleteFrom('receipt_links').where('notification_id', 'in', erased).execute();
    await trx.deleteFrom('notifications').where(where).execute();
  },
};
