/**
 * What a cart costs: catalog prices, a promotion code, VAT by category (inclusive and exclusive) and shipping by
 * method and zone, to the cent as docs/api.md says it rounds — and the same cart costs the same through the web
 * store, the app and the staff API for a store, unless a price list makes a channel an explicit exception.
 */
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { cartFixtures } from './cart.test-support';
import { roundHalfUp } from '../catalog';
import { lineTax } from './pricing';

describe('tax rounding (per line, half up)', () => {
  it('exclusive and inclusive taxes round as documented', () => {
    expect(lineTax(1000, 2100, false)).toBe(210);
    expect(lineTax(1210, 2100, true)).toBe(210);
    // 9.99 × 21 % = 2.0979 → 2.10
    expect(lineTax(999, 2100, false)).toBe(210);
    // 0.50 × 21 % = 0.105 → 0.11 (half up, not to even)
    expect(lineTax(50, 2100, false)).toBe(11);
    // 0.03 at 20 % inclusive: net 0.025 rounds half up to 0.03, so the tax is 0 (half-even would say 0.01).
    expect(lineTax(3, 2000, true)).toBe(0);
    // 53.98 at 21 % inclusive: net 44.6115… → 44.61, tax 9.37
    expect(lineTax(5398, 2100, true)).toBe(937);
    expect(lineTax(1, 2100, true)).toBe(0);
    expect(lineTax(0, 2100, false)).toBe(0);
    expect(lineTax(1000, 0, false)).toBe(0);
    // Large amounts stay exact (BigInt, no float).
    expect(lineTax(999_999_999_999, 2100, false)).toBe(210_000_000_000);
    expect(roundHalfUp(5, 2)).toBe(3);
    expect(roundHalfUp(7, 2)).toBe(4);
  });
});

describeEachDialect('cart pricing', (t) => {
  const f = cartFixtures(t);
  const call = async (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => t().omnis.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const madrid = { line1: 'Calle Mayor 1', postal_code: '28013', city: 'Madrid', country: 'ES' };

  /** Spain: 21 % general, 4 % for books (and the categories under it); standard 4.95, free from 100 €. */
  async function spain(channels: string[]) {
    const books = await f.category();
    const novels = await f.category(books);
    await f.taxRate({ country: 'ES', rate_bp: 2100 }).catch(() => undefined); // one general ES rate per database
    await f.taxRate({ country: 'ES', category_id: books, rate_bp: 400 });
    const tee = await f.sellable(channels, 2999); // VAT included
    const novel = await f.sellable(channels, 1000, { category_ids: [novels], tax_inclusive: false });
    const code = f.code('TEN');
    await f.promotion({ code, kind: 'percentage', percent: 10 });
    return { tee, novel, code };
  }

  it('a cart with a code, VAT by category and shipping adds up to the cent', async () => {
    const web = await f.channel('web');
    const { tee, novel, code } = await spain([web]);
    await f.shippingRate({ method: 'standard', countries: ['ES', 'PT'], amount: 495, free_over: 10_000 });
    const key = await f.storeKey(web);
    const res = await call('POST', '/store/v1/carts', key, {
      shipping_address: madrid,
      promotion_codes: [code.toLowerCase()],
      lines: [
        { sku: tee.sku, quantity: 2 },
        { sku: novel.sku, quantity: 1 },
      ],
    });
    expect(res.statusCode).toBe(201);
    const p = res.json().pricing;
    // 10 % of 69.98 = 7.00, split 6.00 / 1.00 by largest remainder.
    expect(p.lines.map((l: { discount: { amount: number } }) => l.discount.amount)).toEqual([600, 100]);
    // Tee: 59.98 − 6.00 = 53.98 VAT included at 21 % → 9.37. Novel: 10.00 − 1.00 = 9.00 + 4 % → 0.36.
    expect(p.lines[0]).toMatchObject({
      tax: { amount: 937 },
      tax_rate_bp: 2100,
      tax_inclusive: true,
      total: { amount: 5398 },
    });
    expect(p.lines[1]).toMatchObject({
      tax: { amount: 36 },
      tax_rate_bp: 400,
      tax_inclusive: false,
      total: { amount: 936 },
    });
    // Standard shipping 4.95 with 21 % VAT included (0.86).
    expect(p.shipping).toMatchObject([
      { method: 'standard', amount: { amount: 495 }, tax: { amount: 86 }, total: { amount: 495 } },
    ]);
    expect(p).toMatchObject({
      currency: 'EUR',
      subtotal: { amount: 6998, currency: 'EUR' },
      discount_total: { amount: 700 },
      shipping_total: { amount: 495 },
      tax_total: { amount: 937 + 36 + 86 },
      grand_total: { amount: 5398 + 936 + 495 },
      applied_promotions: [{ code, amount: { amount: 700, currency: 'EUR' } }],
    });

    // Enough for free shipping: 100 € of goods before discounts.
    const more = await call(
      'POST',
      `/store/v1/carts/${res.json().id}/lines`,
      { ...key, 'x-cart-secret': res.json().secret },
      {
        lines: [{ sku: tee.sku, quantity: 2 }],
      },
    );
    expect(more.json().pricing.shipping).toMatchObject([{ amount: { amount: 0 }, free_over_reached: true }]);
  });

  it('the same cart costs the same on the web, in the app and at the store counter', async () => {
    const web = await f.channel('web');
    const app = await f.channel('app');
    const shop = await f.channel('store');
    const { tee, novel, code } = await spain([web, app, shop]);
    await f.shippingRate({ method: 'express', countries: ['ES'], amount: 995 });
    // A members' price list for all three channels: the same exception everywhere.
    await f.priceList({
      type: 'override',
      status: 'active',
      channel_ids: [web, app, shop],
      prices: [{ variant_id: tee.variant_id, currency: 'EUR', amount: 2499 }],
    });
    const webKey = await f.storeKey(web);
    const cart = (
      await call('POST', '/store/v1/carts', webKey, {
        shipping_address: madrid,
        shipping_method: 'express',
        promotion_codes: [code],
        lines: [
          { sku: tee.sku, quantity: 3 },
          { sku: novel.sku, quantity: 2 },
        ],
      })
    ).json();
    const viaWeb = cart.pricing;
    const viaApp = (
      await call('GET', `/store/v1/carts/${cart.id}`, {
        ...(await f.storeKey(app)),
        'x-cart-secret': cart.secret,
      })
    ).json().pricing;
    const viaStaff = (
      await call('GET', `/v1/carts/${cart.id}?channel_id=${shop}`, await t().as('associate'))
    ).json().pricing;
    const totals = (p: Record<string, unknown>) => ({
      lines: p.lines,
      shipping: p.shipping,
      grand_total: p.grand_total,
      tax_total: p.tax_total,
      discount_total: p.discount_total,
    });
    expect(viaWeb.lines[0].unit_price.amount).toBe(2499);
    expect(totals(viaApp)).toEqual(totals(viaWeb));
    expect(totals(viaStaff)).toEqual(totals(viaWeb));

    // A store-only list is an explicit exception: the counter shows its price, the web does not.
    await f.priceList({
      type: 'override',
      status: 'active',
      priority: 10,
      channel_ids: [shop],
      prices: [{ variant_id: tee.variant_id, currency: 'EUR', amount: 1999 }],
    });
    const atCounter = (
      await call('GET', `/v1/carts/${cart.id}?channel_id=${shop}`, await t().as('associate'))
    ).json().pricing;
    const onWeb = (
      await call('GET', `/store/v1/carts/${cart.id}`, { ...webKey, 'x-cart-secret': cart.secret })
    ).json().pricing;
    expect(atCounter.lines[0].unit_price.amount).toBe(1999);
    expect(onWeb.lines[0].unit_price.amount).toBe(2499);
  });

  it('a pickup line pays no shipping and is taxed where the store is', async () => {
    const web = await f.channel('web');
    const { tee } = await spain([web]);
    const store = await t().omnis.services.locations.createLocation(
      {
        kind: 'store',
        name: 'Lisboa Chiado',
        code: f.code('LIS'),
        address: { line1: 'Rua Garrett 1', postal_code: '1200', city: 'Lisboa', country: 'PT' },
        latitude: 38.71,
        longitude: -9.14,
        timezone: 'Europe/Lisbon',
      } as Parameters<ReturnType<typeof t>['omnis']['services']['locations']['createLocation']>[0],
      { type: 'system', id: null, label: 'test' },
    );
    await f.taxRate({ country: 'PT', rate_bp: 2300 });
    const res = await call('POST', '/store/v1/carts', await f.storeKey(web), {
      lines: [{ sku: tee.sku, quantity: 1, delivery_mode: 'pickup', location_id: store.id }],
    });
    const p = res.json().pricing;
    expect(p.shipping).toEqual([]);
    expect(p.issues).toEqual([]);
    // 29.99 with 23 % included: net 24.38, tax 5.61.
    expect(p.lines[0]).toMatchObject({ tax_rate_bp: 2300, tax: { amount: 561 }, total: { amount: 2999 } });
  });

  it('tax and shipping rates: bad input names the field, a second rate for the same scope is a conflict', async () => {
    const admin = await t().as('admin');
    const bad = await call('POST', '/v1/tax-rates', admin, { name: 'x', country: 'es', rate_bp: 20_000 });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.country', 'body.rate_bp']);
    const unknownCategory = await call('POST', '/v1/tax-rates', admin, {
      name: 'x',
      country: 'FR',
      category_id: 'cat_nope',
      rate_bp: 550,
    });
    expect(unknownCategory.json().errors).toEqual([
      { field: 'body.category_id', message: 'is not a known category' },
    ]);
    await f.taxRate({ country: 'IT', rate_bp: 2200 });
    const twice = await call('POST', '/v1/tax-rates', admin, { name: 'again', country: 'IT', rate_bp: 2000 });
    expect(twice.statusCode).toBe(409);
    const ship = await call('POST', '/v1/shipping-rates', admin, {
      name: 'x',
      method: 'teleport',
      countries: [],
      currency: 'EUR',
      amount: -1,
    });
    expect(ship.statusCode).toBe(400);
    expect(
      ship
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.amount', 'body.countries', 'body.method']);
    // Marketers change prices; analysts only look.
    expect(
      (
        await call('POST', '/v1/tax-rates', await t().as('analyst'), {
          name: 'x',
          country: 'DE',
          rate_bp: 1900,
        })
      ).statusCode,
    ).toBe(403);
  });
});
