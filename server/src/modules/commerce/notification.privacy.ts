/**
 * @module Privacy of notifications: the rows hold the address each message went to. Export lists them (the
 * rendered body never leaves the table); erasure deletes them — the person's rows and the rows of guest orders
 * sent to one of their addresses. What was sent stays in the events as ids and outcomes.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database } from '../../platform/db/schema';
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
  tables: ['notifications'],
  async export(db, subject) {
    const where = mine(subject);
    if (!where) return { notifications: [] };
    const rows = await db.selectFrom('notifications').selectAll().where(where).orderBy('id').execute();
    return { notifications: rows.map(notificationFromRow) };
  },
  async erase(trx, subject) {
    const where = mine(subject);
    if (where) await trx.deleteFrom('notifications').where(where).execute();
  },
};
