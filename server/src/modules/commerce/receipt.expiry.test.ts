/**
 * Expired SMS receipt links are deleted: a link that stopped opening more than 30 days ago goes, in batches, while
 * a link expired more recently and a live one stay; two processes purging at once delete every such link once.
 */
import { expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import { newId } from '../../platform/ids';
import { insertReceiptLink } from './notification.repository';
import { mintReceiptToken } from './receipt.page';
import { purgeExpiredReceiptLinks, RECEIPT_LINK_GRACE_DAYS } from './receipt.expiry';

const DAY = 86_400_000;

/** A receipt link (as the SMS receipt writes it) that expires at `expiresAt`. */
async function aLink(t: TestContext, expiresAt: number): Promise<string> {
  const id = newId('rcl');
  await insertReceiptLink(t.omnis.database.db, {
    id,
    token_hash: mintReceiptToken().tokenHash,
    order_id: newId('ord'),
    notification_id: newId('ntf'),
    locale: 'es',
    expires_at: expiresAt,
    read_count: 0,
    last_read_at: null,
    created_at: expiresAt - 90 * DAY,
  });
  return id;
}

const linkIds = async (t: TestContext) =>
  (await t.omnis.database.db.selectFrom('receipt_links').select('id').execute()).map((r) => r.id).sort();

describeEachDialect('receipt link expiry', (t) => {
  it('links expired over 30 days ago are deleted in batches; recently expired and live links stay', async () => {
    const now = Date.now();
    expect(RECEIPT_LINK_GRACE_DAYS).toBe(30);
    const old: string[] = [];
    for (let i = 0; i < 5; i++) old.push(await aLink(t(), now - (31 + i) * DAY));
    const kept = [await aLink(t(), now - 29 * DAY), await aLink(t(), now + 60 * DAY)];

    // Two per statement: five old links take three batches (and one empty one that ends the run).
    expect(await purgeExpiredReceiptLinks(t().omnis.database.db, now, 30, 2)).toBe(5);
    expect(await linkIds(t())).toEqual([...kept].sort());
    // Nothing more to do.
    expect(await purgeExpiredReceiptLinks(t().omnis.database.db, now)).toBe(0);
    // Two days on, the link that expired 29 days ago has passed its grace too.
    expect(await purgeExpiredReceiptLinks(t().omnis.database.db, now + 2 * DAY)).toBe(1);
    expect(await linkIds(t())).toEqual([kept[1]]);
  });

  it('two processes purging at once delete every long-expired link exactly once', async () => {
    const now = Date.now();
    const before = await linkIds(t());
    for (let i = 0; i < 12; i++) await aLink(t(), now - (40 + (i % 3)) * DAY);
    const [a, b] = await Promise.all([
      purgeExpiredReceiptLinks(t().omnis.database.db, now, 30, 3),
      purgeExpiredReceiptLinks(t().omnis.database.db, now, 30, 3),
    ]);
    expect(a + b).toBe(12);
    expect(await linkIds(t())).toEqual(before);
  });
});
