/**
 * @module Privacy handler for raw tracking events: they hold traits, context (ip, device) and the person's ids,
 * so an export lists them and an erasure deletes them — behaviour data without a person is worth nothing to keep.
 */
import { decodeJson } from '../../platform/db/codecs';
import type { PrivacyHandler } from '../../platform/privacy/privacy';

const none = (values: string[]) => (values.length ? values : ['']);

export const trackingPrivacyHandler: PrivacyHandler = {
  name: 'tracking',
  tables: ['tracking_events'],

  async export(db, subject) {
    const rows = await db
      .selectFrom('tracking_events')
      .selectAll()
      .where('customer_id', 'in', none(subject.customerIds))
      .orderBy('timestamp')
      .execute();
    return {
      tracking_events: rows.map((r) => ({
        ...r,
        properties: decodeJson(r.properties),
        context: decodeJson(r.context),
        traits: decodeJson(r.traits),
      })),
    };
  },

  async erase(trx, subject) {
    const values = none(subject.values);
    // Also events that name the person by id but landed elsewhere (e.g. a refused merge kept them apart).
    await trx
      .deleteFrom('tracking_events')
      .where((eb) =>
        eb.or([
          eb('customer_id', 'in', none(subject.customerIds)),
          eb('user_id', 'in', values),
          eb('anonymous_id', 'in', values),
        ]),
      )
      .execute();
  },
};
