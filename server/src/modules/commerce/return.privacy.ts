/**
 * @module Returns and privacy: the event types of returns and exchanges; a customer's returns are exported with
 * their lines, and erasure keeps amounts and outcomes (bookkeeping and the stock ledger need them) but removes
 * the free-text notes. Policy rules and returned-unit counters hold no customer data.
 */
import type { EventTypeDefinition } from '../../platform/events/envelope';
import type { PrivacyHandler } from '../../platform/privacy/privacy';

const read = 'orders:read' as const;

export const returnEventTypes: EventTypeDefinition[] = [
  {
    type: 'return.requested',
    description:
      'A return was opened (data.method in_store or mail; data.override when staff set the policy aside)',
    permission: read,
  },
  {
    type: 'return.received',
    description: 'Returned goods arrived at a location (data.location_id)',
    permission: read,
  },
  {
    type: 'return.inspected',
    description: 'Lines of a return were inspected: restocked or written off (data.lines)',
    permission: read,
  },
  {
    type: 'return.refunded',
    description: 'A return was refunded (data.method original_payment or store_credit, data.amount)',
    permission: read,
  },
  { type: 'return.completed', description: 'A return is closed', permission: read },
  {
    type: 'exchange.created',
    description:
      'Return lines were exchanged for a replacement order (data.exchange_order_id); difference settled',
    permission: read,
  },
  {
    type: 'return_policy.changed',
    description: 'A return policy rule was created, updated or deleted (data.action)',
    permission: read,
  },
];

export const returnNoCustomerData: Record<string, string> = {
  return_policies: 'return rules per channel, category and product tag',
  return_quantities: 'units of an order line already returned, by order line id',
};

export const returnPrivacyHandler: PrivacyHandler = {
  name: 'returns',
  tables: ['returns', 'return_lines'],
  async export(db, subject) {
    if (subject.customerIds.length === 0) return { returns: [], return_lines: [] };
    const returns = await db
      .selectFrom('returns')
      .selectAll()
      .where('customer_id', 'in', subject.customerIds)
      .orderBy('id')
      .execute();
    const ids = returns.map((r) => r.id);
    const lines = ids.length
      ? await db.selectFrom('return_lines').selectAll().where('return_id', 'in', ids).orderBy('id').execute()
      : [];
    return { returns, return_lines: lines };
  },
  async erase(trx, subject) {
    if (subject.customerIds.length === 0) return;
    const ids = trx.selectFrom('returns').select('id').where('customer_id', 'in', subject.customerIds);
    await trx.updateTable('return_lines').set({ note: null }).where('return_id', 'in', ids).execute();
    await trx
      .updateTable('returns')
      .set({ note: null, updated_at: Date.now() })
      .where('customer_id', 'in', subject.customerIds)
      .execute();
  },
};
