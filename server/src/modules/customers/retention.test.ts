/** Retention as configured: old raw tracking events and long-gone anonymous visitors are removed; people stay. */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';

const day = 86_400_000;

describeEachDialect('retention', (t) => {
  it('erases anonymous profiles not seen for the retention time and keeps identified and recent ones', async () => {
    const { identity, customers } = t().omnis.services;
    const now = Date.now();
    const resolve = (identifiers: Array<{ type: string; value: string }>, seenAt: number) =>
      identity.resolve({ identifiers, seenAt, actor: systemActor, reason: 'test' });
    const oldAnonymous = await resolve(
      [{ type: 'anonymous_id', value: 'anon-retention-old' }],
      now - 400 * day,
    );
    const recentAnonymous = await resolve(
      [{ type: 'anonymous_id', value: 'anon-retention-new' }],
      now - 5 * day,
    );
    const oldPerson = await resolve(
      [
        { type: 'email', value: 'still.a.customer@retention.example' },
        { type: 'device_id', value: 'dev-retention' },
      ],
      now - 400 * day,
    );

    const { db } = t().omnis.database;
    const trackingRow = (id: string, timestamp: number) => ({
      id,
      message_id: id,
      type: 'track',
      event: 'Product Viewed',
      customer_id: recentAnonymous.customerId,
      anonymous_id: 'anon-retention-new',
      user_id: null,
      channel_id: 'cha_web',
      properties: '{}',
      context: '{}',
      traits: '{}',
      timestamp,
      original_timestamp: timestamp,
      sent_at: timestamp,
      received_at: timestamp,
    });
    await db
      .insertInto('tracking_events')
      .values([
        trackingRow('tev_retention_old', now - 500 * day),
        trackingRow('tev_retention_new', now - day),
      ])
      .execute();

    const result = await t().omnis.retention.purgeExpired(now);
    expect(result.anonymousProfiles).toBeGreaterThanOrEqual(1);
    expect(result.trackingEvents).toBeGreaterThanOrEqual(1);

    await expect(customers.retrieveCustomer(oldAnonymous.customerId)).rejects.toThrow(/erased/);
    expect((await customers.retrieveCustomer(recentAnonymous.customerId)).id).toBe(
      recentAnonymous.customerId,
    );
    expect((await customers.retrieveCustomer(oldPerson.customerId)).emails).toEqual([
      'still.a.customer@retention.example',
    ]);
    const left = await db
      .selectFrom('tracking_events')
      .select('id')
      .where('id', 'in', ['tev_retention_old', 'tev_retention_new'])
      .execute();
    expect(left.map((r) => r.id)).toEqual(['tev_retention_new']);
  });
});
