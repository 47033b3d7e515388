/**
 * A merchandiser prices the range: base prices per currency, price lists for a store, for members and for a
 * sale week. Every channel computes the price the same way, so a shopper sees the same price online and in the
 * shop unless a list makes a channel an explicit, visible exception; bad input is refused naming the field and
 * leaves nothing behind.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { priceFixtures } from './price.fixtures';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describeEachDialect('prices and price lists', (t) => {
  const f = priceFixtures(t);
  const db = () => t().omnis.database.db;
  const compute = async (
    variantIds: string[],
    channelId: string,
    extra: { customer_id?: string; at?: string; currency?: string } = {},
  ) => {
    const q = new URLSearchParams({ currency: extra.currency ?? 'EUR', channel_id: channelId });
    for (const id of variantIds) q.append('variant_ids', id);
    if (extra.customer_id) q.set('customer_id', extra.customer_id);
    if (extra.at) q.set('at', extra.at);
    return f.api('GET', `/v1/prices/compute?${q}`);
  };
  const priceOf = async (variantId: string, channelId: string, extra: Parameters<typeof compute>[2] = {}) => {
    const res = await compute([variantId], channelId, extra);
    expect(res.statusCode).toBe(200);
    return res.json().data[0];
  };
  const count = async (table: 'catalog_prices' | 'catalog_price_lists') =>
    Number(
      (await db()
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst())!.n,
    );

  it('shows the base price in every channel, and says that no list applies', async () => {
    const variant = await f.variant();
    await f.basePrice(variant, 2999);
    const web = await f.channel('web');
    const store = await f.channel('store');
    for (const channel of [web, store]) {
      const price = await priceOf(variant, channel);
      expect(price).toMatchObject({
        base: { amount: 2999, currency: 'EUR' },
        price: { amount: 2999, currency: 'EUR' },
        compare_at: null,
        tax_inclusive: true,
        source: { type: 'base', price_list_id: null },
        channel_exception: false,
        reason: 'Base price: no price list applies',
      });
    }
    // No price in another currency: said plainly, not invented.
    const usd = await priceOf(variant, web, { currency: 'USD' });
    expect(usd).toMatchObject({ price: null, base: null, source: { type: 'none' } });
  });

  it('makes a store price an explicit channel exception, visible next to the web price', async () => {
    const variant = await f.variant();
    await f.basePrice(variant, 2999);
    const web = await f.channel('web', 'Web shop');
    const store = await f.channel('store', 'Madrid store');
    const list = await f.priceList({
      name: 'Madrid store prices',
      channel_ids: [store],
      prices: [{ variant_id: variant, currency: 'EUR', amount: 2499 }],
    });

    expect(await priceOf(variant, store)).toMatchObject({
      price: { amount: 2499 },
      base: { amount: 2999 },
      source: {
        type: 'price_list',
        price_list_id: list,
        name: 'Madrid store prices',
        channel_specific: true,
      },
      channel_exception: true,
    });
    expect((await priceOf(variant, store)).reason).toContain('a channel exception');
    expect(await priceOf(variant, web)).toMatchObject({ price: { amount: 2999 }, channel_exception: false });
    const considered = (await priceOf(variant, web)).considered;
    expect(considered).toEqual([expect.objectContaining({ price_list_id: list, outcome: 'other_channel' })]);

    const q = new URLSearchParams({ currency: 'EUR', variant_ids: variant });
    const comparison = (await f.api('GET', `/v1/prices/channels?${q}`)).json().data[0];
    expect(comparison.default.price).toEqual({ amount: 2999, currency: 'EUR' });
    const row = (id: string) => comparison.channels.find((c: { channel_id: string }) => c.channel_id === id);
    expect(row(store)).toMatchObject({
      channel_name: 'Madrid store',
      differs: true,
      price: { amount: 2499 },
      source: { name: 'Madrid store prices' },
    });
    expect(row(web)).toMatchObject({ differs: false, price: { amount: 2999 } });
  });

  it('resolves sale over list over base, by priority then specificity, and ignores a sale that is not lower', async () => {
    const [a, b, c] = (await f.product({ sizes: ['S', 'M', 'L'] })).variants as [string, string, string];
    const web = await f.channel('web');
    for (const v of [a, b, c]) await f.basePrice(v, 3000);
    const low = await f.priceList({
      name: 'Low priority',
      priority: 1,
      prices: [{ variant_id: a, currency: 'EUR', amount: 2800 }],
    });
    const high = await f.priceList({
      name: 'High priority',
      priority: 10,
      prices: [
        { variant_id: a, currency: 'EUR', amount: 2700 },
        { variant_id: b, currency: 'EUR', amount: 2900 },
      ],
    });
    const sale = await f.priceList({
      name: 'Winter sale',
      type: 'sale',
      prices: [
        { variant_id: a, currency: 'EUR', amount: 2500 },
        // Above the list price of b: a "sale" that would raise the price never applies.
        { variant_id: b, currency: 'EUR', amount: 2950 },
      ],
    });
    // Same priority as `high`, but it names a channel: the more specific list wins the tie.
    const webOnly = await f.priceList({
      name: 'Web tie-break',
      priority: 10,
      channel_ids: [web],
      prices: [{ variant_id: c, currency: 'EUR', amount: 2600 }],
    });
    await f.priceList({
      name: 'Generic tie',
      priority: 10,
      prices: [{ variant_id: c, currency: 'EUR', amount: 2650 }],
    });

    const pa = await priceOf(a, web);
    expect(pa).toMatchObject({
      price: { amount: 2500 },
      compare_at: { amount: 2700 },
      base: { amount: 3000 },
      source: { type: 'sale', price_list_id: sale },
    });
    const outcome = (p: { considered: Array<{ price_list_id: string; outcome: string }> }, id: string) =>
      p.considered.find((x) => x.price_list_id === id)?.outcome;
    expect(outcome(pa, high)).toBe('applied');
    expect(outcome(pa, low)).toBe('outranked');
    expect(outcome(pa, sale)).toBe('applied');
    expect(pa.reason).toBe('Sale “Winter sale”, lower than the price of “High priority”');

    const pb = await priceOf(b, web);
    expect(pb).toMatchObject({ price: { amount: 2900 }, compare_at: null, source: { price_list_id: high } });
    expect(outcome(pb, sale)).toBe('not_lower');

    expect(await priceOf(c, web)).toMatchObject({
      price: { amount: 2600 },
      source: { price_list_id: webOnly },
    });
  });

  it('gives members their segment price and everyone else the base price', async () => {
    const variant = await f.variant();
    await f.basePrice(variant, 5000);
    const web = await f.channel('web');
    const member = await f.customer();
    const stranger = await f.customer();
    const gold = await f.segmentOf([member.email]);
    const list = await f.priceList({
      name: 'Gold members',
      segment_ids: [gold],
      prices: [{ variant_id: variant, currency: 'EUR', amount: 4000 }],
    });

    expect(await priceOf(variant, web, { customer_id: member.id })).toMatchObject({
      price: { amount: 4000 },
      source: { price_list_id: list, segment_specific: true },
      channel_exception: false,
    });
    const other = await priceOf(variant, web, { customer_id: stranger.id });
    expect(other).toMatchObject({ price: { amount: 5000 }, source: { type: 'base' } });
    expect(other.considered[0].outcome).toBe('not_in_segment');
    expect(await priceOf(variant, web)).toMatchObject({ price: { amount: 5000 } });
  });

  it('applies a sale only inside its window: from its start, until (not at) its end', async () => {
    const variant = await f.variant();
    await f.basePrice(variant, 1000);
    const web = await f.channel('web');
    const start = Date.UTC(2027, 0, 10);
    const end = start + 7 * DAY;
    await f.priceList({
      type: 'sale',
      starts_at: iso(start),
      ends_at: iso(end),
      prices: [{ variant_id: variant, currency: 'EUR', amount: 700 }],
    });
    const at = async (ms: number) => (await priceOf(variant, web, { at: iso(ms) })).price.amount;
    expect(await at(start - 1)).toBe(1000);
    expect(await at(start)).toBe(700);
    expect(await at(end - 1)).toBe(700);
    expect(await at(end)).toBe(1000);
    const before = await priceOf(variant, web, { at: iso(start - 1) });
    expect(before.considered[0].outcome).toBe('not_started');
    expect((await priceOf(variant, web, { at: iso(end) })).considered[0].outcome).toBe('ended');
  });

  it('prices the same cart the same in every channel when no list names a channel', async () => {
    const variants = (await f.product({ sizes: ['S', 'M', 'L', 'XL'] })).variants;
    const amounts = [1999, 2499, 2999, 3499];
    for (const [i, v] of variants.entries()) await f.basePrice(v, amounts[i]!);
    const member = await f.customer();
    const vip = await f.segmentOf([member.email]);
    await f.priceList({
      segment_ids: [vip],
      prices: [{ variant_id: variants[0]!, currency: 'EUR', amount: 1799 }],
    });
    await f.priceList({
      type: 'sale',
      prices: [{ variant_id: variants[2]!, currency: 'EUR', amount: 2599 }],
    });
    const channels = [await f.channel('web'), await f.channel('store'), await f.channel('app')];
    for (const customer of [undefined, member.id]) {
      const seen = [];
      for (const channel of channels) {
        const res = await compute(variants, channel, customer ? { customer_id: customer } : {});
        seen.push(res.json().data.map((p: { price: { amount: number } }) => p.price.amount));
      }
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[2]).toEqual(seen[0]);
      expect(seen[0]).toEqual(customer ? [1799, 2499, 2599, 3499] : [1999, 2499, 2599, 3499]);
    }
  });

  it('refuses bad prices naming the field, and writes nothing', async () => {
    const variant = await f.variant();
    const before = { prices: await count('catalog_prices'), lists: await count('catalog_price_lists') };
    const post = (body: object) => f.api('POST', '/v1/prices', body);
    const fields = async (res: Awaited<ReturnType<typeof post>>) => {
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.json().errors.map((e: { field: string }) => e.field);
    };

    const negative = await post({ variant_id: variant, currency: 'EUR', amount: -1 });
    expect(negative.statusCode).toBe(400);
    expect(await fields(negative)).toEqual(['body.amount']);
    const fractional = await post({ variant_id: variant, currency: 'EUR', amount: 19.99 });
    expect(await fields(fractional)).toEqual(['body.amount']);
    const unknownCurrency = await post({ variant_id: variant, currency: 'XYZ', amount: 100 });
    expect(unknownCurrency.statusCode).toBe(400);
    expect(unknownCurrency.json().errors).toEqual([
      { field: 'body.currency', message: 'is not an ISO-4217 currency code' },
    ]);
    expect(await fields(await post({ variant_id: variant, currency: 'eur', amount: 100 }))).toEqual([
      'body.currency',
    ]);
    const unknownVariant = await post({ variant_id: 'var_nope', currency: 'EUR', amount: 100 });
    expect(unknownVariant.json().errors).toEqual([
      { field: 'body.variant_id', message: 'is not a known variant' },
    ]);

    const backwards = await f.api('POST', '/v1/price-lists', {
      name: 'Backwards',
      starts_at: '2027-02-01T00:00:00Z',
      ends_at: '2027-01-01T00:00:00Z',
      prices: [{ variant_id: variant, currency: 'EUR', amount: 100 }],
    });
    expect(backwards.statusCode).toBe(400);
    expect(await fields(backwards)).toEqual(['body.ends_at']);
    // One bad price among good ones: neither the list nor any price is written.
    const oneBad = await f.api('POST', '/v1/price-lists', {
      name: 'One bad',
      channel_ids: ['cha_unknown'],
      prices: [
        { variant_id: variant, currency: 'EUR', amount: 100 },
        { variant_id: variant, currency: 'USD', amount: 100 },
        { variant_id: 'var_unknown', currency: 'SEK', amount: 100 },
      ],
    });
    expect(oneBad.statusCode).toBe(400);
    expect(await fields(oneBad)).toEqual(['body.channel_ids.0', 'body.prices.2.variant_id']);
    const batch = await f.api('POST', '/v1/prices/batch', {
      prices: [
        { variant_id: variant, currency: 'EUR', amount: 100 },
        { variant_id: variant, currency: 'ABC', amount: 100 },
      ],
    });
    expect(await fields(batch)).toEqual(['body.prices.1.currency']);
    expect({ prices: await count('catalog_prices'), lists: await count('catalog_price_lists') }).toEqual(
      before,
    );

    // A second base price is a conflict; a different tax flag from the variant's other prices is refused.
    await f.basePrice(variant, 1000);
    const duplicate = await post({ variant_id: variant, currency: 'EUR', amount: 1200 });
    expect(duplicate.statusCode).toBe(409);
    expect(await fields(duplicate)).toEqual(['body.variant_id']);
    const mixed = await f.api('POST', '/v1/price-lists', {
      name: 'Net prices',
      prices: [{ variant_id: variant, currency: 'EUR', amount: 800, tax_inclusive: false }],
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().errors[0]).toMatchObject({ field: 'body.prices.0.tax_inclusive' });
  });

  it('sets many prices at once, then changes them, with an event per price', async () => {
    const [s, m] = (await f.product({ sizes: ['S', 'M'] })).variants as [string, string];
    const first = await f.api('POST', '/v1/prices/batch', {
      prices: [
        { variant_id: s, currency: 'EUR', amount: 1000 },
        { variant_id: m, currency: 'EUR', amount: 1100 },
        { variant_id: s, currency: 'GBP', amount: 900, tax_inclusive: false },
      ],
    });
    expect(first.statusCode).toBe(200);
    const again = await f.api('POST', '/v1/prices/batch', {
      prices: [{ variant_id: s, currency: 'EUR', amount: 950 }],
    });
    expect(again.json().data[0]).toMatchObject({
      id: first.json().data[0].id,
      amount: 950,
      tax_inclusive: true,
    });
    const listed = await f.api('GET', `/v1/prices?variant_id=${s}&base=true`);
    expect(
      listed
        .json()
        .data.map((p: { currency: string; amount: number }) => [p.currency, p.amount])
        .sort(),
    ).toEqual([
      ['EUR', 950],
      ['GBP', 900],
    ]);
    const events = await db()
      .selectFrom('outbox_events')
      .select('type')
      .where('aggregate_id', '=', first.json().data[0].id)
      .orderBy('position')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['price.created', 'price.updated']);

    const id = first.json().data[1].id;
    expect((await f.api('PATCH', `/v1/prices/${id}`, { amount: 1050 })).json().amount).toBe(1050);
    expect((await f.api('DELETE', `/v1/prices/${id}`)).statusCode).toBe(204);
    expect((await f.api('GET', `/v1/prices/${id}`)).statusCode).toBe(404);
  });

  it('changes, lists and deletes price lists; only catalog writers may', async () => {
    const variant = await f.variant();
    const id = await f.priceList({
      name: 'Outlet',
      prices: [{ variant_id: variant, currency: 'EUR', amount: 500 }],
    });
    const changed = await f.api(
      'PATCH',
      `/v1/price-lists/${id}`,
      { status: 'draft', priority: 5 },
      'marketer',
    );
    expect(changed.json()).toMatchObject({ status: 'draft', priority: 5, price_count: 1 });
    expect((await f.api('PATCH', `/v1/price-lists/${id}`, { priority: 6 }, 'agent')).statusCode).toBe(403);
    expect((await f.api('GET', `/v1/price-lists/${id}`, undefined, 'analyst')).statusCode).toBe(200);
    const drafts = (await f.api('GET', '/v1/price-lists?status=draft')).json().data;
    expect(drafts.map((l: { id: string }) => l.id)).toContain(id);
    expect((await f.api('DELETE', `/v1/price-lists/${id}`)).statusCode).toBe(204);
    expect((await f.api('GET', `/v1/prices?price_list_id=${id}`)).json().data).toEqual([]);
    const types = await db()
      .selectFrom('outbox_events')
      .select('type')
      .where('aggregate_id', '=', id)
      .orderBy('position')
      .execute();
    expect(types.map((e) => e.type)).toEqual([
      'price_list.created',
      'price_list.updated',
      'price_list.deleted',
    ]);
  });

  it('names unknown variants, channels and customers in a compute request', async () => {
    const variant = await f.variant();
    const q = new URLSearchParams({ currency: 'EUR', channel_id: 'cha_missing', customer_id: 'cus_missing' });
    q.append('variant_ids', variant);
    q.append('variant_ids', 'var_missing');
    const res = await f.api('GET', `/v1/prices/compute?${q}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'query.variant_ids.1',
      'query.channel_id',
      'query.customer_id',
    ]);
  });
});
