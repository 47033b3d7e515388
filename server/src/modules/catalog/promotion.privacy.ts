/**
 * @module Privacy handler for promotion redemptions: which offers a person used, for which orders, and how often.
 * Export lists them; erasure deletes the per-customer counters and unlinks the redemptions from the person. The
 * redemptions themselves stay (without a customer) so each promotion's total count still matches its records.
 */
import { toIso, toIsoRequired } from '../../platform/db/codecs';
import type { PrivacyHandler } from '../../platform/privacy/privacy';

const none = (ids: string[]) => (ids.length ? ids : ['']);

export const promotionsPrivacyHandler: PrivacyHandler = {
  name: 'promotions',
  tables: ['catalog_promotion_redemptions', 'catalog_promotion_customer_usage'],

  async export(db, subject) {
    const redemptions = await db
      .selectFrom('catalog_promotion_redemptions as r')
      .innerJoin('catalog_promotions as p', 'p.id', 'r.promotion_id')
      .select([
        'r.id',
        'r.promotion_id',
        'p.name',
        'p.code',
        'r.reference',
        'r.customer_id',
        'r.channel_id',
        'r.status',
        'r.redeemed_at',
        'r.released_at',
      ])
      .where('r.customer_id', 'in', none(subject.customerIds))
      .orderBy('r.id')
      .execute();
    const usage = await db
      .selectFrom('catalog_promotion_customer_usage')
      .selectAll()
      .where('customer_id', 'in', none(subject.customerIds))
      .orderBy('promotion_id')
      .execute();
    return {
      promotion_redemptions: redemptions.map((r) => ({
        ...r,
        redeemed_at: toIsoRequired(Number(r.redeemed_at)),
        released_at: toIso(r.released_at == null ? null : Number(r.released_at)),
      })),
      promotion_usage: usage.map((u) => ({ ...u, times_used: Number(u.times_used) })),
    };
  },

  async erase(trx, subject) {
    await trx
      .deleteFrom('catalog_promotion_customer_usage')
      .where('customer_id', 'in', none(subject.customerIds))
      .execute();
    await trx
      .updateTable('catalog_promotion_redemptions')
      .set({ customer_id: null })
      .where('customer_id', 'in', none(subject.customerIds))
      .execute();
  },
};
