/**
 * Checkout counts promotion uses: a flash-sale code limited to 10 uses is never used an 11th time, however many
 * tills and browsers redeem it at once; a once-per-customer code is used once; retries for the same order count
 * once; a cancelled order gives its use back. On SQLite and PostgreSQL alike.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { priceFixtures } from './price.fixtures';

describeEachDialect('promotion redemption', (t) => {
  const f = priceFixtures(t);
  const db = () => t().omnis.database.db;
  const redeem = (body: Record<string, unknown>) => f.api('POST', '/v1/promotions/redeem', body, 'associate');
  const release = (body: Record<string, unknown>) =>
    f.api('POST', '/v1/promotions/release', body, 'associate');
  const timesUsed = async (id: string) =>
    Number(
      (
        await db()
          .selectFrom('catalog_promotions')
          .select('times_used')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).times_used,
    );
  const redemptions = async (id: string, status = 'redeemed') =>
    db()
      .selectFrom('catalog_promotion_redemptions')
      .selectAll()
      .where('promotion_id', '=', id)
      .where('status', '=', status)
      .execute();
  const redeemedEvents = async (id: string) =>
    (
      await db()
        .selectFrom('outbox_events')
        .select('id')
        .where('type', '=', 'promotion.redeemed')
        .where('aggregate_id', '=', id)
        .execute()
    ).length;

  it('lets exactly 10 of 50 simultaneous checkouts use a code limited to 10', async () => {
    const web = await f.channel('web');
    const code = f.code('FLASH');
    const promo = await f.promotion({ code, kind: 'percentage', percent: 30, usage_limit: 10 });
    // Warm the session cache so the race is between redemptions, not sign-ins.
    await t().as('associate');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        redeem({ reference: `ord_flash_${i}`, channel_id: web, codes: [code] }),
      ),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(40);
    const refused = results.find((r) => r.statusCode === 409)!;
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'conflict',
      reason: 'usage_limit_reached',
      promotion_id: promo.id,
      errors: [{ field: 'body.codes.0', message: 'the promotion has no uses left' }],
    });
    expect(await timesUsed(promo.id)).toBe(10);
    expect(await redemptions(promo.id)).toHaveLength(10);
    expect(await redeemedEvents(promo.id)).toBe(10);
  });

  it('lets one customer use a once-per-customer code once, even 50 times at once', async () => {
    const web = await f.channel('web');
    const shopper = await f.customer();
    const code = f.code('ONCE');
    const promo = await f.promotion({
      code,
      kind: 'fixed_amount',
      amount_off: { amount: 500, currency: 'EUR' },
      usage_limit_per_customer: 1,
    });
    await t().as('associate');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        redeem({
          reference: `cart_once_${i}`,
          channel_id: web,
          customer_id: shopper.id,
          codes: [code.toLowerCase()],
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    const refusals = results.filter((r) => r.statusCode === 409);
    expect(refusals).toHaveLength(49);
    expect(refusals[0]!.json().errors[0]).toEqual({
      field: 'body.codes.0',
      message: 'the customer has no uses left',
    });
    expect(await timesUsed(promo.id)).toBe(1);
    const usage = await db()
      .selectFrom('catalog_promotion_customer_usage')
      .select('times_used')
      .where('promotion_id', '=', promo.id)
      .execute();
    expect(usage.map((u) => Number(u.times_used))).toEqual([1]);
  });

  it('holds both limits at once: 50 checkouts by 5 customers, 1 use each, 3 in total', async () => {
    const web = await f.channel('web');
    const shoppers = await Promise.all(Array.from({ length: 5 }, () => f.customer()));
    const code = f.code('BOTH');
    const promo = await f.promotion({
      code,
      kind: 'free_shipping',
      usage_limit: 3,
      usage_limit_per_customer: 1,
    });
    await t().as('associate');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        redeem({
          reference: `ord_both_${i}`,
          channel_id: web,
          customer_id: shoppers[i % 5]!.id,
          codes: [code],
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(3);
    const winners = (await redemptions(promo.id)).map((r) => r.customer_id);
    expect(new Set(winners).size).toBe(3);
    expect(await timesUsed(promo.id)).toBe(3);
  });

  it('counts a retried order once, gives the use back on release, once', async () => {
    const web = await f.channel('web');
    const code = f.code('RETRY');
    const promo = await f.promotion({ code, kind: 'percentage', percent: 10, usage_limit: 5 });
    await t().as('associate');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => redeem({ reference: 'ord_retry', channel_id: web, codes: [code] })),
    );
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const fresh = results.filter((r) => r.json().redemptions[0].replayed === false);
    expect(fresh).toHaveLength(1);
    const ids = new Set(results.map((r) => r.json().redemptions[0].id));
    expect(ids.size).toBe(1);
    expect(await timesUsed(promo.id)).toBe(1);

    const released = await Promise.all([
      release({ reference: 'ord_retry' }),
      release({ reference: 'ord_retry' }),
    ]);
    expect(released.map((r) => r.json().released.length).sort()).toEqual([0, 1]);
    expect(await timesUsed(promo.id)).toBe(0);
    expect((await release({ reference: 'ord_retry' })).json().released).toEqual([]);
    expect(await timesUsed(promo.id)).toBe(0);

    // The order is placed again after all: the same redemption is used again and counted again.
    const again = await redeem({ reference: 'ord_retry', channel_id: web, codes: [code] });
    expect(again.json().redemptions[0]).toMatchObject({
      id: [...ids][0],
      status: 'redeemed',
      replayed: false,
    });
    expect(await timesUsed(promo.id)).toBe(1);
    const types = await db()
      .selectFrom('outbox_events')
      .select('type')
      .where('aggregate_id', '=', promo.id)
      .where('type', 'like', 'promotion.re%')
      .orderBy('position')
      .execute();
    expect(types.map((e) => e.type)).toEqual([
      'promotion.redeemed',
      'promotion.released',
      'promotion.redeemed',
    ]);
  });

  it('redeems several promotions all or nothing', async () => {
    const web = await f.channel('web');
    const open = await f.promotion({ code: f.code('OPEN'), kind: 'percentage', percent: 5 });
    const spent = await f.promotion({
      code: f.code('SPENT'),
      kind: 'percentage',
      percent: 5,
      usage_limit: 1,
    });
    expect(
      (await redeem({ reference: 'ord_first', channel_id: web, promotion_ids: [spent.id] })).statusCode,
    ).toBe(200);
    const both = await redeem({
      reference: 'ord_second',
      channel_id: web,
      promotion_ids: [open.id, spent.id],
    });
    expect(both.statusCode).toBe(409);
    expect(both.json().errors[0].field).toBe('body.promotion_ids.1');
    expect(await timesUsed(open.id)).toBe(0);
    expect(await redemptions(open.id)).toHaveLength(0);
  });

  it('refuses what no concurrency can change: unknown codes, other channels, ended offers, missing customers', async () => {
    const web = await f.channel('web');
    const store = await f.channel('store');
    const storeOnly = await f.promotion({
      code: f.code('STORE'),
      kind: 'percentage',
      percent: 5,
      conditions: { channel_ids: [store] },
    });
    const ended = await f.promotion({
      code: f.code('OLD'),
      kind: 'percentage',
      percent: 5,
      ends_at: '2020-01-01T00:00:00Z',
    });
    const perCustomer = await f.promotion({
      code: f.code('MINE'),
      kind: 'percentage',
      percent: 5,
      usage_limit_per_customer: 2,
    });

    const unknown = await redeem({ reference: 'r1', channel_id: web, codes: ['NO-SUCH-CODE'] });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([
      { field: 'body.codes.0', message: 'is not a known promotion code' },
    ]);
    const elsewhere = await redeem({ reference: 'r2', channel_id: web, codes: [storeOnly.code] });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().errors[0].message).toContain('channel_not_eligible');
    const late = await redeem({ reference: 'r3', channel_id: web, codes: [ended.code] });
    expect(late.statusCode).toBe(422);
    expect(late.json()).toMatchObject({
      errors: [{ field: 'body.codes.0', message: 'the promotion has ended' }],
    });
    const anonymous = await redeem({ reference: 'r4', channel_id: web, codes: [perCustomer.code] });
    expect(anonymous.statusCode).toBe(422);
    expect(anonymous.json().errors[0].message).toContain('customer_required');
    expect(await timesUsed(ended.id)).toBe(0);
    expect((await redemptions(ended.id)).length + (await redemptions(storeOnly.id)).length).toBe(0);
    // Redeeming is checkout's act: a marketer may define offers but not count their use.
    expect(
      (
        await f.api(
          'POST',
          '/v1/promotions/redeem',
          { reference: 'r5', channel_id: web, codes: [perCustomer.code] },
          'marketer',
        )
      ).statusCode,
    ).toBe(403);
  });

  it('exports a customer’s redemptions and unlinks them on erasure', async () => {
    const web = await f.channel('web');
    const shopper = await f.customer();
    const code = f.code('PRIV');
    const promo = await f.promotion({ code, kind: 'percentage', percent: 5, usage_limit_per_customer: 3 });
    expect(
      (await redeem({ reference: 'ord_priv', channel_id: web, customer_id: shopper.id, codes: [code] }))
        .statusCode,
    ).toBe(200);
    const exported = await f.api('GET', `/v1/customers/${shopper.id}/export`);
    expect(exported.statusCode).toBe(200);
    expect(JSON.stringify(exported.json())).toContain('ord_priv');

    const erased = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/customers/${shopper.id}/erase`,
      headers: await t().as('owner'),
      payload: { confirm: true },
    });
    expect(erased.statusCode).toBe(200);
    const rows = await redemptions(promo.id);
    expect(rows.map((r) => r.customer_id)).toEqual([null]);
    const usage = await db()
      .selectFrom('catalog_promotion_customer_usage')
      .select('customer_id')
      .where('promotion_id', '=', promo.id)
      .execute();
    expect(usage).toEqual([]);
    // The total still counts the use: the promotion's limit is about offers given, not people.
    expect(await timesUsed(promo.id)).toBe(1);
  });
});
