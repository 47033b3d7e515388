/**
 * @module Privacy of orders: a customer's orders are exported with their lines and fulfilments; erasure keeps the
 * amounts (bookkeeping needs them) and removes the contact details and addresses.
 */
import { decodeJson } from '../../platform/db/codecs';
import type { PrivacyHandler } from '../../platform/privacy/privacy';

export const orderPrivacyHandler: PrivacyHandler = {
  name: 'orders',
  tables: ['orders', 'order_lines', 'fulfilments'],
  async export(db, subject) {
    if (subject.customerIds.length === 0) return { orders: [], order_lines: [], fulfilments: [] };
    const orders = await db
      .selectFrom('orders')
      .selectAll()
      .where('customer_id', 'in', subject.customerIds)
      .orderBy('id')
      .execute();
    const ids = orders.map((o) => o.id);
    const lines = ids.length
      ? await db.selectFrom('order_lines').selectAll().where('order_id', 'in', ids).orderBy('id').execute()
      : [];
    const fulfilments = ids.length
      ? await db
          .selectFrom('fulfilments')
          .select([
            'id',
            'order_id',
            'location_id',
            'mode',
            'status',
            'carrier',
            'tracking_number',
            'created_at',
          ])
          .where('order_id', 'in', ids)
          .orderBy('id')
          .execute()
      : [];
    return {
      // The status page secret is a hash of nothing the person can use: left out.
      orders: orders.map(({ access_secret_hash: _secret, ...o }) => ({
        ...o,
        shipping_address: decodeJson(o.shipping_address ?? null),
        billing_address: decodeJson(o.billing_address ?? null),
      })),
      order_lines: lines.map((l) => ({ ...l, reservation_ids: decodeJson(l.reservation_ids) })),
      fulfilments,
    };
  },
  async erase(trx, subject) {
    if (subject.customerIds.length === 0) return;
    // Amounts, lines and the customer id stay (the order happened; the id leads to an erased profile).
    await trx
      .updateTable('orders')
      .set({
        email: null,
        phone: null,
        shipping_address: null,
        billing_address: null,
        updated_at: Date.now(),
      })
      .where('customer_id', 'in', subject.customerIds)
      .execute();
  },
};
