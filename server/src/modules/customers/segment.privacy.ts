/**
 * @module Privacy handler for segments. Membership is personal data (it says what a person did and allowed):
 * export lists the person's segments, erasure removes them from all. A rule could name a person (an
 * identifier value, a trait value): erasure scrubs their values from every rule, so the segment keeps its
 * shape but no longer points at anyone.
 */
import { decodeJson, encodeJson, toIsoRequired } from '../../platform/db/codecs';
import { scrubJson, type PrivacyHandler } from '../../platform/privacy/privacy';

const none = (ids: string[]) => (ids.length ? ids : ['']);

export const segmentsPrivacyHandler: PrivacyHandler = {
  name: 'segments',
  tables: ['segment_members', 'segments'],

  async export(db, subject) {
    const rows = await db
      .selectFrom('segment_members as m')
      .innerJoin('segments as s', 's.id', 'm.segment_id')
      .select(['m.segment_id', 's.name', 'm.customer_id', 'm.since'])
      .where('m.customer_id', 'in', none(subject.customerIds))
      .orderBy('m.since')
      .execute();
    return { segment_members: rows.map((r) => ({ ...r, since: toIsoRequired(r.since) })) };
  },

  async erase(trx, subject) {
    await trx.deleteFrom('segment_members').where('customer_id', 'in', none(subject.customerIds)).execute();
    if (subject.values.length === 0) return;
    for (const row of await trx.selectFrom('segments').select(['id', 'rule', 'description']).execute()) {
      const rule = decodeJson<unknown>(row.rule);
      const scrubbed = scrubJson(rule, subject.values);
      const description = row.description && scrubJson(row.description, subject.values);
      if (JSON.stringify(scrubbed) !== JSON.stringify(rule) || description !== row.description)
        await trx
          .updateTable('segments')
          .set({ rule: encodeJson(scrubbed), description })
          .where('id', '=', row.id)
          .execute();
    }
  },
};
