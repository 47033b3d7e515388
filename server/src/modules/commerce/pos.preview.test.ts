/**
 * The till shows the total the server will charge: an associate scans lines, the till asks `POST /v1/pos/preview`
 * and shows its lines, discount, tax and total, then sends that total as `expected_total` with the tenders. When a
 * price changed in between (a price list started), the sale answers 409 with the new totals and nothing is charged
 * or held; bad input names its field.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { eur, levelOf, posFixtures } from './checkout.test-support';
import { expectMoneyInvariant } from './payment.test-support';

describeEachDialect('POS price preview', (t) => {
  const f = posFixtures(t);
  const preview = async (payload: Record<string, unknown>) =>
    t().omnis.app.inject({
      method: 'POST',
      url: '/v1/pos/preview',
      headers: await t().as('associate'),
      payload,
    });

  it('the preview gives the exact totals the sale then charges', async () => {
    const shop = await f.aStore([2000, 3000]);
    const [tee, jeans] = [shop.products[0]!, shop.products[1]!];
    await f.taxRate({ country: 'ES', rate_bp: 2100 }).catch(() => undefined); // one general ES rate per database
    // A store-only 10 % promotion: the browser could not know it, the preview does.
    await f.promotion({
      name: 'Store week',
      kind: 'percentage',
      percent: 10,
      status: 'active',
      conditions: { channel_ids: [shop.channel] },
    });
    const lines = [
      { sku: tee.sku, quantity: 2 },
      { sku: jeans.sku, quantity: 1 },
    ];
    const res = await preview({ location_id: shop.store.id, lines });
    expect(res.statusCode, res.body).toBe(200);
    const priced = res.json();
    // 2 × 20 + 30 = 70, 10 % off = 63; prices include 21 % VAT: 63 − round(63 / 1.21) = 10.93.
    expect(priced).toMatchObject({
      channel_id: shop.channel,
      subtotal: eur(7000),
      discount_total: eur(700),
      grand_total: eur(6300),
      issues: [],
    });
    expect(priced.tax_total.amount).toBe(
      priced.lines.reduce((n: number, l: { tax: { amount: number } }) => n + l.tax.amount, 0),
    );
    expect(
      priced.lines.map((l: { sku: string; total: { amount: number } }) => [l.sku, l.total.amount]),
    ).toEqual([
      [tee.sku, 3600],
      [jeans.sku, 2700],
    ]);
    // Nothing was held by the preview.
    expect(Number((await levelOf(t(), tee.sku, shop.store.id)).reserved)).toBe(0);

    const sale = await f.sell({
      location_id: shop.store.id,
      lines,
      expected_total: priced.grand_total,
      tenders: [{ provider: 'cash', method: { tendered: 10000 } }],
    });
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json().order.totals).toMatchObject({
      total: eur(6300),
      discount: eur(700),
      tax: priced.tax_total,
    });
    expect(sale.json().change_due).toEqual(eur(3700));
    await expectMoneyInvariant(t());
  });

  it('a price changed after the preview answers 409 with the new totals and charges nothing', async () => {
    const shop = await f.aStore([2000]);
    const tee = shop.products[0]!;
    const lines = [{ sku: tee.sku, quantity: 1 }];
    const shown = (await preview({ location_id: shop.store.id, lines })).json().grand_total;
    expect(shown).toEqual(eur(2000));
    await f.priceList({
      type: 'override',
      status: 'active',
      channel_ids: [shop.channel],
      prices: [{ variant_id: tee.variant_id, currency: 'EUR', amount: 2400 }],
    });
    const before = await levelOf(t(), tee.sku, shop.store.id);
    const res = await f.sell({
      location_id: shop.store.id,
      lines,
      expected_total: shown,
      tenders: [{ provider: 'card_terminal', method: { approval_code: 'X1', last4: '4242', brand: 'visa' } }],
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({
      errors: [{ field: 'body.expected_total', message: 'is now 2400' }],
      pricing: { grand_total: eur(2400) },
    });
    expect(await f.count('orders', shop.channel)).toBe(0);
    expect(await f.count('payments', shop.channel)).toBe(0);
    const after = await levelOf(t(), tee.sku, shop.store.id);
    expect([Number(after.on_hand), Number(after.reserved)]).toEqual([Number(before.on_hand), 0]);
    // The till shows the new total; sent again with it, the sale goes through.
    const again = await f.sell({
      location_id: shop.store.id,
      lines,
      expected_total: res.json().pricing.grand_total,
      tenders: [{ provider: 'cash', method: { tendered: 2400 } }],
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().order.totals.total).toEqual(eur(2400));
  });

  it('a preview of an unknown SKU or location names the field and holds nothing', async () => {
    const shop = await f.aStore([2000]);
    const unknownSku = await preview({ location_id: shop.store.id, lines: [{ sku: 'NOPE-1', quantity: 1 }] });
    expect(unknownSku.statusCode).toBe(400);
    expect(unknownSku.json().errors).toEqual([{ field: 'body.lines.0.sku', message: 'is not a known SKU' }]);
    const unknownStore = await preview({
      location_id: 'loc_nope',
      lines: [{ sku: shop.products[0]!.sku, quantity: 1 }],
    });
    expect(unknownStore.statusCode).toBe(400);
    expect(unknownStore.json().errors[0].field).toBe('body.location_id');
    const withTenders = await preview({
      location_id: shop.store.id,
      lines: [{ sku: shop.products[0]!.sku, quantity: 1 }],
      tenders: [{ provider: 'cash' }],
    });
    expect(withTenders.statusCode).toBe(400);
    expect(withTenders.json().errors[0].field).toMatch(/tenders/);
  });
});
