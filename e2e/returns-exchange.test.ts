/**
 * An exchange at the returns desk, in a real browser against a real server with demo data. A customer bought a
 * size at the Madrid till; she brings it back for the next size, which Madrid sells dearer (a store price list).
 * The associate opens the return, receives it, and swaps the line for the other size offered beside it; the
 * server's preview shows the store price and what she pays on top. Meanwhile the price goes up again: the confirm
 * is refused naming the line's price (nothing charged), the preview shows the new price, she adds the rest in cash
 * and the exchange goes through. The new size, taken now, is handed over by the exchange itself (as a POS sale hands
 * over its lines): the desk shows it handed over and the shelf counts one fewer with nothing held. The return closes
 * with nothing to refund. Everything is checked through the API: the return, the replacement order, its payment,
 * the stock, and that the refused attempt left no order behind.
 *
 * Then another customer who started a mail return (opened through the API) walks in: the desk, which first showed
 * no open returns, finds hers by her email and continues it — received here.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Money {
  amount: number;
  currency: string;
}
interface Order {
  id: string;
  number: number;
  display_number: string;
  customer_id: string | null;
  source: string;
  totals: { total: Money };
  lines: Array<{ id: string; sku: string; quantity: number; unit_price: Money; total: Money }>;
  fulfilments: Array<{ mode: string; status: string }>;
  payments: { captured: Money };
}
interface Return {
  id: string;
  status: string;
  refund_total: Money;
  refunded: Money;
  exchange_order_id: string | null;
  lines: Array<{ id: string; sku: string; exchanged: boolean; amount: Money }>;
}

const euros = (text: string) => Number(text.replace(/[^\d,.-]/g, '').replace(',', '.'));

describe('returns desk exchange', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let madridId = '';
  let storeChannelId = '';
  let customerId = '';
  let sold: Order | null = null;
  let sku = '';
  let sibling = { id: '', sku: '' };
  let priceId = '';
  let storePrice = 0;

  async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${server.apiKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Madrid's shelf of a SKU: on hand and held. */
  const shelf = async (of: string) => {
    const [level] = (
      await api<{ data: Array<{ on_hand: number; reserved: number }> }>(
        'GET',
        `/v1/stock?location_id=${madridId}&sku=${encodeURIComponent(of)}`,
      )
    ).data;
    return { on_hand: Number(level!.on_hand), reserved: Number(level!.reserved) };
  };

  /** The return of the sale, with its lines (the list answers returns without them). */
  const theReturn = async () => {
    const [found] = (await api<{ data: Return[] }>('GET', `/v1/returns?order_id=${sold!.id}`)).data;
    return api<Return>('GET', `/v1/returns/${found!.id}`);
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const locations = await api<{ data: Array<{ id: string; code: string; channel_id: string | null }> }>(
      'GET',
      '/v1/locations?limit=200',
    );
    const madrid = locations.data.find((l) => l.code === 'MAD01')!;
    [madridId, storeChannelId] = [madrid.id, madrid.channel_id!];

    // A SKU on Madrid's shelf whose other size is on the shelf too: the one she bought, the one she wants.
    const stock = await api<{ data: Array<{ sku: string; available: number }> }>(
      'GET',
      `/v1/stock?location_id=${madridId}&limit=200`,
    );
    const onShelf = new Map(stock.data.filter((l) => l.available > 2).map((l) => [l.sku, l.available]));
    for (const candidate of onShelf.keys()) {
      const found = await api<{ product: { variants: Array<{ id: string; sku: string }> } }>(
        'GET',
        `/v1/variants/by-code/${encodeURIComponent(candidate)}`,
      );
      const other = found.product.variants.find((v) => v.sku !== candidate && onShelf.has(v.sku));
      if (!other) continue;
      [sku, sibling] = [candidate, other];
      break;
    }
    expect(sibling.sku).not.toBe('');

    const people = await api<{ data: Array<{ id: string }> }>('GET', '/v1/customers?limit=5');
    customerId = people.data[0]!.id;
    const sale = await api<{ order: Order }>(
      'POST',
      '/v1/pos/sales',
      {
        location_id: madridId,
        customer_id: customerId,
        lines: [{ sku, quantity: 1 }],
        tenders: [{ provider: 'cash', method: { tendered: 100_000 } }],
      },
      { 'Idempotency-Key': `e2e-exchange-sale-${Date.now()}` },
    );
    sold = sale.order;

    // Madrid sells the other size 5.00 dearer than she paid for hers.
    storePrice = sold.lines[0]!.unit_price.amount + 500;
    const list = await api<{ id: string }>('POST', '/v1/price-lists', {
      name: 'Madrid: larger sizes',
      type: 'override',
      status: 'active',
      channel_ids: [storeChannelId],
      prices: [{ variant_id: sibling.id, currency: 'EUR', amount: storePrice }],
    });
    const prices = await api<{ data: Array<{ id: string }> }>('GET', `/v1/prices?price_list_id=${list.id}`);
    priceId = prices.data[0]!.id;
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('opens the return of the sale at the desk and receives it here', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    await page.goto(`${server.url}/pos/returns`);
    await page.getByTestId('pos-store').click();
    await page.getByRole('option', { name: /MAD01/ }).click();
    // Nothing is being returned yet: the desk's list says so and what will appear there.
    await page.getByTestId('returns-list').getByTestId('list-empty').waitFor();
    await screenshot(page, 'returns-desk-empty');
    await page.getByTestId('returns-order-number').fill(sold!.display_number);
    await page.getByTestId(`returns-order-${sold!.number}`).click();
    await page.getByTestId('returns-reason-0').click();
    await page.getByRole('option', { name: 'Wrong size' }).click();
    await page.getByTestId('returns-open').click();
    await page.getByTestId('returns-receive').click();
    await page.getByTestId('returns-inspect').waitFor();
    expect(await theReturn()).toMatchObject({ status: 'received', exchange_order_id: null });
  });

  it('swaps the line for the other size: the preview shows the store price and what she pays on top', async () => {
    await page.getByTestId('exchange-start').click();
    await page.getByTestId('exchange-panel').waitFor();
    // Nothing chosen yet: the desk says what to do.
    await page.getByTestId('exchange-choose').waitFor();
    // A search that finds nothing says so.
    await page.getByTestId('exchange-line-0-replacement-find').fill('no such thing zzz');
    await page.getByTestId('exchange-line-0-replacement-find').press('Enter');
    await page.getByTestId('exchange-line-0-replacement-nothing').waitFor();
    await screenshot(page, 'returns-exchange-find');
    // The other sizes of the returned item are offered beside it.
    await page.getByTestId(`exchange-line-0-replacement-sibling-${sibling.sku}`).click();
    await page.getByTestId('exchange-line-0-replacement-chosen').waitFor();
    expect(await page.getByTestId('exchange-line-0-replacement-chosen').innerText()).toContain(sibling.sku);
    await page.getByTestId('exchange-line-0-shelf').waitFor();
    await page.getByTestId('exchange-preview').waitFor();
    expect(euros(await page.getByTestId('exchange-preview-price-0').innerText())).toBe(storePrice / 100);
    expect(await page.getByTestId('exchange-difference').innerText()).toMatch(/pays \D*5[.,]00/);
    await expect.poll(() => page.getByTestId('exchange-confirm').isDisabled()).toBe(true);
    // She pays the 5.00 in cash, handing over a 50 note.
    await page.getByTestId('pos-cash-given').fill('50');
    await page.getByTestId('pos-tender-add').click();
    await page.getByTestId('pos-change').waitFor();
    await expect.poll(() => page.getByTestId('exchange-confirm').isEnabled()).toBe(true);
    await screenshot(page, 'returns-exchange-preview');
  });

  it('a price raised meanwhile is refused on the line, nothing charged; with the rest paid it goes through', async () => {
    const ordersOfHers = async () =>
      (await api<{ data: Array<{ id: string }> }>('GET', `/v1/orders?customer_id=${customerId}&limit=200`))
        .data;
    const before = (await ordersOfHers()).map((o) => o.id);
    const shelfBefore = await shelf(sibling.sku);
    await api('PATCH', `/v1/prices/${priceId}`, { amount: storePrice + 100 });
    await page.getByTestId('exchange-confirm').click();
    await page.getByTestId('exchange-price-error-0').waitFor();
    expect(await page.getByTestId('exchange-price-error-0').innerText()).toContain(String(storePrice + 100));
    // The preview was asked again: the new price, 6.00 to pay, 1.00 still to tender.
    await expect
      .poll(async () => euros(await page.getByTestId('exchange-preview-price-0').innerText()))
      .toBe((storePrice + 100) / 100);
    expect(await page.getByTestId('exchange-difference').innerText()).toMatch(/pays \D*6[.,]00/);
    await screenshot(page, 'returns-exchange-price-moved');
    expect(await theReturn()).toMatchObject({
      exchange_order_id: null,
      refund_total: sold!.lines[0]!.total,
    });
    expect((await ordersOfHers()).map((o) => o.id)).toEqual(before);

    await page.getByTestId('pos-tender-add').click();
    await expect.poll(() => page.getByTestId('exchange-confirm').isEnabled()).toBe(true);
    await page.getByTestId('exchange-confirm').click();
    await page.getByTestId('exchange-result').waitFor();
    await screenshot(page, 'returns-exchange-done');

    const ret = await theReturn();
    expect(ret).toMatchObject({ refund_total: { amount: 0 }, lines: [{ exchanged: true }] });
    const replacement = await api<Order>('GET', `/v1/orders/${ret.exchange_order_id}`);
    expect(await page.getByTestId('exchange-order').innerText()).toContain(replacement.display_number);
    expect(replacement).toMatchObject({
      customer_id: customerId,
      source: 'pos',
      lines: [{ sku: sibling.sku, quantity: 1, unit_price: { amount: storePrice + 100 } }],
      fulfilments: [{ mode: 'handover', status: 'handed_over' }],
    });
    // She takes it now: handed over by the exchange itself, so the desk shows it gone and offers no hand-over,
    // and the shelf counts one fewer with nothing left held for it.
    expect(
      await page.getByTestId('exchange-fulfilment-handover').getByTestId('fulfilment-status').innerText(),
    ).toMatch(/handed over/i);
    expect(await page.getByTestId('fulfilment-hand-over').count()).toBe(0);
    expect(await shelf(sibling.sku)).toEqual({
      on_hand: shelfBefore.on_hand - 1,
      reserved: shelfBefore.reserved,
    });
    // Paid in full: the returned value as store credit plus 6.00 in cash.
    expect(replacement.payments.captured).toEqual(replacement.totals.total);
    expect(replacement.totals.total.amount - sold!.lines[0]!.total.amount).toBe(600);
    // One order more than before the refused attempt: the replacement.
    expect((await ordersOfHers()).filter((o) => !before.includes(o.id)).map((o) => o.id)).toEqual([
      replacement.id,
    ]);
  });

  it('closes the return with nothing to refund', async () => {
    await page.getByTestId('returns-inspect').click();
    await expect.poll(() => page.getByTestId('returns-refund').innerText()).toMatch(/Close the return/);
    await page.getByTestId('returns-refund').click();
    await page.getByTestId('returns-refunded').waitFor();
    const ret = await theReturn();
    expect(ret).toMatchObject({ status: 'completed', refunded: { amount: 0 } });
  });

  it('finds a mail return opened through the API by the customer’s email, and continues it here', async () => {
    // Another customer bought at the till and started a return by mail; she brings the parcel to Madrid instead.
    const people = await api<{ data: Array<{ id: string; emails: string[] }> }>(
      'GET',
      '/v1/customers?limit=50',
    );
    const her = people.data.find((c) => c.id !== customerId && c.emails.length > 0)!;
    const bought = await api<{ order: Order }>(
      'POST',
      '/v1/pos/sales',
      {
        location_id: madridId,
        customer_id: her.id,
        lines: [{ sku, quantity: 1 }],
        tenders: [{ provider: 'cash', method: { tendered: 100_000 } }],
      },
      { 'Idempotency-Key': `e2e-mail-return-sale-${Date.now()}` },
    );
    const rma = await api<Return>('POST', '/v1/returns', {
      order_id: bought.order.id,
      method: 'mail',
      lines: [{ order_line_id: bought.order.lines[0]!.id, quantity: 1, reason: 'changed_mind' }],
    });

    await page.getByTestId('returns-next').click();
    // A search naming nobody says so.
    await page.getByTestId('returns-search').fill('nobody.here@example.com');
    await page.getByTestId('returns-list').getByTestId('list-empty').waitFor();
    expect(await page.getByTestId('returns-list').innerText()).toContain('nobody.here@example.com');
    await screenshot(page, 'returns-desk-none-found');
    // Her email, typed as she spells it out.
    await page.getByTestId('returns-search').fill(her.emails[0]!.toUpperCase());
    await page.getByTestId(`returns-found-${rma.id}`).waitFor();
    expect(await page.getByTestId(`returns-found-${rma.id}`).innerText()).toContain(
      bought.order.display_number,
    );
    await screenshot(page, 'returns-desk-found');
    await page.getByTestId(`returns-found-${rma.id}`).click();
    await page.getByTestId('returns-progress').waitFor();
    expect(await page.getByTestId('returns-status').innerText()).toMatch(/requested/i);
    await page.getByTestId('returns-receive').click();
    await page.getByTestId('returns-inspect').waitFor();
    expect(await api<Return & { location_id: string }>('GET', `/v1/returns/${rma.id}`)).toMatchObject({
      status: 'received',
      location_id: madridId,
    });
  });
});
