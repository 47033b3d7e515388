/**
 * POS and returns desk in a real browser against a real server with demo data. An associate at Madrid picks her
 * till's store once, scans a barcode, finds a customer by loyalty card and pulls up the cart she left on the web
 * (completed here, so the basket's total is what the sale charges), pays by card terminal and cash with change.
 * The first answer is lost on the way back; she presses again and the same sale comes back (one order, checked
 * through the API). The receipt prints in the customer's language. A gift card pays part of another sale; an
 * item Madrid lacks is sold for delivery (endless aisle). At the returns desk the handed-over sale comes back:
 * one unit restocked, one written off, refunded to the card and cash; the last unit as store credit; a final-sale
 * item is refused by policy and taken with an override reason. Ledger and refunds are checked through the API.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Level {
  sku: string;
  location_id: string;
  available: number;
}
interface Money {
  amount: number;
  currency: string;
}
interface OrderLine {
  id: string;
  sku: string;
  quantity: number;
}
interface Order {
  id: string;
  number: number;
  display_number: string;
  status: string;
  totals: { total: Money; shipping: Money };
  lines: OrderLine[];
}

const euros = (text: string) => Number(text.replace(/[^\d,.-]/g, '').replace(',', '.'));

describe('pos', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let madridId = '';
  let storeChannelId = '';
  let webChannelId = '';
  let gtin = '';
  let sku = '';
  let otherSku = '';
  let giftSku = '';
  let aisleSku = '';
  let giftCode = '';
  let sold: Order | null = null;
  const customer = { id: '', card: '' };
  // The shop's outbound relay: emailed receipts arrive here (raw RFC 5322 text).
  const mails: string[] = [];
  const relay = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        mails.push(data);
        callback();
      });
    },
  });

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${server.apiKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const posOrdersOf = async (customerId: string) =>
    (
      await api<{ data: Array<{ id: string; source: string }> }>(
        'GET',
        `/v1/orders?customer_id=${customerId}&channel_id=${storeChannelId}&limit=50`,
      )
    ).data.filter((o) => o.source === 'pos');

  const ledger = async (s: string) =>
    (
      await api<{ data: Array<{ kind: string; quantity: number }> }>(
        'GET',
        `/v1/stock/movements?sku=${encodeURIComponent(s)}&location_id=${madridId}&limit=20`,
      )
    ).data;

  beforeAll(async () => {
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    process.env.OMNIS_EMAIL_RELAY_URL = `smtp://127.0.0.1:${(relay.server.address() as AddressInfo).port}`;
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    delete process.env.OMNIS_EMAIL_RELAY_URL;
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const locations = await api<{
      data: Array<{ id: string; code: string; kind: string; channel_id: string | null }>;
    }>('GET', '/v1/locations?limit=200');
    madridId = locations.data.find((l) => l.code === 'MAD01')!.id;
    storeChannelId = locations.data.find((l) => l.code === 'MAD01')!.channel_id!;
    const web = await api<{ data: Array<{ id: string }> }>('GET', '/v1/channels?kind=web');
    webChannelId = web.data[0]!.id;
    // The demo's store channel sells only Madrid's shelf; endless aisle needs it to sell from the other locations
    // too (Madrid first, so what is handed over here still comes from here).
    const others = locations.data.filter((l) => l.id !== madridId);
    await api('PUT', `/v1/stock/allocations/${storeChannelId}`, {
      locations: [madridId, ...others.map((l) => l.id)].map((id, i) => ({
        location_id: id,
        priority: i + 1,
      })),
    });

    // SKUs on Madrid's shelf: one scanned by its barcode, one left in the customer's web cart, one for a gift card
    // sale; and one Madrid has none of but another location has (the endless aisle).
    const stock = await api<{ data: Level[] }>('GET', `/v1/stock?location_id=${madridId}&limit=200`);
    const onShelf = stock.data.filter((l) => l.available > 3);
    [sku, otherSku, giftSku] = [onShelf[0]!.sku, onShelf[1]!.sku, onShelf[2]!.sku];
    const found = await api<{ variant: { gtin: string | null } }>('GET', `/v1/variants/by-code/${sku}`);
    gtin = found.variant.gtin ?? sku;
    // Endless aisle: a SKU another location holds, emptied from Madrid's shelf (damaged) so the store truly lacks it.
    for (const level of onShelf.slice(3)) {
      const where = await api<{ data: Level[] }>('GET', `/v1/stock?sku=${encodeURIComponent(level.sku)}`);
      if (!where.data.some((l) => l.location_id !== madridId && l.available > 2)) continue;
      aisleSku = level.sku;
      await api('POST', '/v1/stock/movements', {
        location_id: madridId,
        kind: 'damage',
        lines: [{ sku: aisleSku, quantity: level.available }],
        reason: 'e2e: the store has none left',
      });
      break;
    }
    expect(aisleSku).not.toBe('');

    const people = await api<{
      data: Array<{ id: string; identifiers: Array<{ type: string; value: string }> }>;
    }>('GET', '/v1/customers?limit=200');
    const person = people.data.find((p) => p.identifiers.some((i) => i.type === 'loyalty_card'))!;
    customer.id = person.id;
    customer.card = person.identifiers.find((i) => i.type === 'loyalty_card')!.value;
    await api('POST', '/v1/carts', {
      channel_id: webChannelId,
      customer_id: customer.id,
      lines: [{ sku: otherSku, quantity: 1 }],
    });
    const gift = await api<{ code: string }>('POST', '/v1/gift-cards', {
      amount: { amount: 1000, currency: 'EUR' },
    });
    giftCode = gift.code;
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
    await new Promise<void>((resolve) => relay.close(() => resolve()));
  });

  it('asks for the store once, then remembers it', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('nav-pos').click();
    await page.waitForURL(/\/pos$/);
    await page.getByTestId('pos-pick-store').waitFor();
    await screenshot(page, 'pos-pick-store');
    await page.getByTestId('pos-store').click();
    await page.getByRole('option', { name: /MAD01/ }).click();
    await page.getByTestId('pos-basket-empty').waitFor();
    await expect.poll(() => page.getByTestId('pos-channel').inputValue()).toMatch(/Madrid/);
    await page.reload();
    await page.getByTestId('pos-basket-empty').waitFor();
  });

  it('scans a barcode into the basket and adds one more', async () => {
    await page.getByTestId('pos-scan').fill(gtin);
    await page.getByTestId('pos-scan').press('Enter');
    await page.getByTestId(`pos-line-${sku}`).waitFor();
    await page.getByTestId(`pos-more-${sku}`).click();
    await expect.poll(() => page.getByTestId(`pos-qty-${sku}`).innerText()).toBe('2');
    await page.getByTestId(`pos-shelf-${sku}`).waitFor();
    expect(await page.getByTestId(`pos-shelf-${sku}`).innerText()).toMatch(/on the shelf/i);
    await screenshot(page, 'pos-basket');
  });

  it('finds the customer by loyalty card and completes her web cart here', async () => {
    await page.getByTestId('pos-customer-search').fill(customer.card);
    await page.getByTestId(`pos-customer-${customer.id}`).click();
    await page.getByTestId('pos-consent').waitFor();
    // Choosing her gives her the till's basket, merged into the cart she left on the web…
    await page.getByTestId(`pos-line-${otherSku}`).waitFor();
    await page.getByTestId(`pos-line-${sku}`).waitFor();
    // …and every line becomes a pickup here, priced as the sale will price it (no delivery charge).
    await expect.poll(() => page.getByTestId('pos-pay-open').isEnabled()).toBe(true);
    const carts = await api<{
      data: Array<{ channel_ids: string[]; lines: Array<{ delivery_mode: string; location_id: string }> }>;
    }>('GET', `/v1/carts?customer_id=${customer.id}&status=open`);
    expect(carts.data).toHaveLength(1);
    expect(carts.data[0]!.channel_ids).toEqual(expect.arrayContaining([webChannelId, storeChannelId]));
    for (const line of carts.data[0]!.lines)
      expect(line).toMatchObject({ delivery_mode: 'pickup', location_id: madridId });
    await screenshot(page, 'pos-customer-cart');
  });

  it('pays by card and cash with change; a lost answer retried is still one sale', async () => {
    const shown = euros((await page.getByTestId('pos-total').innerText()).split(':').pop()!);
    await page.getByTestId('pos-pay-open').click();
    await page.getByTestId('pos-pay').waitFor();
    // Before any tender, the till shows the server's preview of the sale: the total it will charge.
    expect(euros(await page.getByTestId('pos-preview-total').innerText())).toBe(shown);
    await page.getByTestId('pos-tender-provider').getByText('Card terminal').click();
    await page.getByTestId('pos-tender-amount').fill('10');
    await page.getByTestId('pos-card-approval').fill('A1B2C3');
    await page.getByTestId('pos-card-last4').fill('4242');
    await page.getByTestId('pos-tender-add').click();
    await page.getByTestId('pos-tender-0').waitFor();
    await page.getByTestId('pos-tender-provider').getByText('Cash').click();
    await page.getByTestId('pos-cash-given').fill('500');
    await page.getByTestId('pos-tender-add').click();
    await page.getByTestId('pos-change').waitFor();
    expect(await page.getByTestId('pos-remaining').innerText()).toMatch(/0[.,]00/);
    await screenshot(page, 'pos-pay');

    // The server sells, but its answer never reaches the till (a dropped connection).
    const keys: string[] = [];
    const expected: unknown[] = [];
    let first: Order | null = null;
    await page.route('**/v1/pos/sales', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      expected.push((route.request().postDataJSON() as { expected_total?: unknown }).expected_total);
      if (keys.length > 1) return route.continue();
      const response = await route.fetch();
      first = ((await response.json()) as { order: Order }).order;
      await route.abort('connectionreset');
    });
    await page.getByTestId('pos-complete').click();
    await page.getByTestId('pos-sale-error').waitFor();
    await screenshot(page, 'pos-sale-lost-answer');
    await page.getByTestId('pos-complete').click();
    await page.getByTestId('pos-sale-done').waitFor();
    await page.unroute('**/v1/pos/sales');
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    // The sale carried the previewed total, so a price changed meanwhile would have charged nothing.
    expect(expected).toEqual([
      { amount: Math.round(shown * 100), currency: 'EUR' },
      { amount: Math.round(shown * 100), currency: 'EUR' },
    ]);
    expect(await page.getByTestId('pos-done-change').innerText()).toMatch(/\d/);
    await screenshot(page, 'pos-sale-done');

    const orders = await posOrdersOf(customer.id);
    expect(orders).toHaveLength(1);
    expect(orders[0]!.id).toBe(first!.id);
    sold = await api<Order>('GET', `/v1/orders/${first!.id}`);
    expect(sold.status).toBe('completed');
    // What the basket showed before paying is what the sale charged.
    expect(sold.totals.total.amount).toBe(Math.round(shown * 100));
  });

  it("prints the receipt in the customer's language", async () => {
    const receipt = await api<{
      locale: string;
      labels: Record<string, string>;
      totals: { total: { text: string } };
    }>('GET', `/v1/orders/${sold!.id}/receipt`);
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByTestId('pos-receipt-link').click(),
    ]);
    await tab.getByTestId('pos-receipt').waitFor();
    expect(await tab.getByTestId('pos-receipt-total').innerText()).toBe(receipt.totals.total.text);
    expect(await tab.getByTestId('pos-receipt').innerText()).toContain(receipt.labels.change);
    expect(await tab.getByTestId('pos-receipt-payments').innerText()).toContain('4242');
    await screenshot(tab, `pos-receipt-${receipt.locale}`);

    // "Email receipt": prefilled with the customer's address, editable; the mail reaches the shop's relay.
    const who = await api<{ emails: string[] }>('GET', `/v1/customers/${customer.id}`);
    await tab.getByTestId('pos-receipt-email').click();
    const to = tab.getByTestId('pos-receipt-to');
    if (who.emails[0]) expect(await to.inputValue()).toBe(who.emails[0]);
    const address = `receipt-${Date.now()}@example.com`;
    await to.fill(address);
    await tab.getByTestId('pos-receipt-send-submit').click();
    await tab.locator('[data-testid="pos-receipt-outcome"][data-status="sent"]').waitFor();
    expect(await tab.getByTestId('pos-receipt-outcome').innerText()).toContain(address);
    await vi.waitFor(() => expect(mails.some((m) => m.includes(`To: ${address}`))).toBe(true));
    const mail = mails.find((m) => m.includes(`To: ${address}`))!;
    expect(mail).toContain(sold!.display_number);
    await screenshot(tab, 'pos-receipt-emailed');
    await tab.close();
    await page.getByTestId('pos-next-sale').click();
    await page.getByTestId('pos-basket-empty').waitFor();
  });

  it('takes a gift card for part of a sale, the rest in cash', async () => {
    await page.getByTestId('pos-scan').fill(giftSku);
    await page.getByTestId('pos-scan').press('Enter');
    await page.getByTestId(`pos-line-${giftSku}`).waitFor();
    await expect.poll(() => page.getByTestId('pos-pay-open').isEnabled()).toBe(true);
    await page.getByTestId('pos-pay-open').click();
    await page.getByTestId('pos-tender-provider').getByText('Gift card').click();
    await page.getByTestId('pos-tender-amount').fill('5');
    await page.getByTestId('pos-gift-code').fill(giftCode);
    await page.getByTestId('pos-gift-check').click();
    await expect.poll(() => page.getByTestId('pos-gift-balance').innerText()).toMatch(/10[.,]00/);
    await page.getByTestId('pos-tender-add').click();
    await page.getByTestId('pos-tender-provider').getByText('Cash').click();
    await page.getByTestId('pos-cash-given').fill('500');
    await page.getByTestId('pos-tender-add').click();
    await screenshot(page, 'pos-pay-gift-card');
    await page.getByTestId('pos-complete').click();
    await page.getByTestId('pos-sale-done').waitFor();
    const cards = await api<{ data: Array<{ balance: Money }> }>(
      'GET',
      `/v1/gift-cards?last4=${giftCode.replace(/[\s-]/g, '').slice(-4)}`,
    );
    expect(cards.data[0]!.balance.amount).toBe(500);
    await page.getByTestId('pos-next-sale').click();
  });

  it('sells what Madrid lacks for delivery from elsewhere (endless aisle)', async () => {
    await page.getByTestId('pos-customer-search').fill(customer.card);
    await page.getByTestId(`pos-customer-${customer.id}`).click();
    await page.getByTestId('pos-scan').fill(aisleSku);
    await page.getByTestId('pos-scan').press('Enter');
    await page.getByTestId(`pos-elsewhere-${aisleSku}`).click();
    await page.getByTestId('pos-aisle').waitFor();
    await page.getByTestId('pos-aisle-line1').fill('Calle Mayor 1');
    await page.getByTestId('pos-aisle-postal_code').fill('28013');
    await page.getByTestId('pos-aisle-city').fill('Madrid');
    await page.getByTestId('pos-aisle-country').fill('ES');
    await page.getByTestId('pos-aisle-quote').click();
    await page.getByTestId('pos-aisle-total').waitFor();
    await page.getByTestId('pos-tender-provider').getByText('Card terminal').click();
    await page.getByTestId('pos-card-approval').fill('Z9Y8');
    await page.getByTestId('pos-card-last4').fill('1111');
    await page.getByTestId('pos-tender-add').click();
    await screenshot(page, 'pos-endless-aisle');
    await page.getByTestId('pos-complete').click();
    await page.locator('[data-testid="pos-aisle-done"], [data-testid="pos-sale-error"]').first().waitFor();
    if (await page.getByTestId('pos-sale-error').isVisible())
      throw new Error(await page.getByTestId('pos-sale-error').innerText());
    await screenshot(page, 'pos-endless-aisle-done');
    const orders = await posOrdersOf(customer.id);
    expect(orders).toHaveLength(2);
    const aisle = await api<Order & { lines: Array<{ delivery: { mode: string; location_id: string } }> }>(
      'GET',
      `/v1/orders/${orders.find((o) => o.id !== sold!.id)!.id}`,
    );
    expect(aisle.status).toBe('paid');
    expect(aisle.lines[0]!.delivery.mode).toBe('ship');
    expect(aisle.lines[0]!.delivery.location_id).not.toBe(madridId);
    await page.getByTestId('pos-aisle-close').click();
  });

  it('takes the sale back at the returns desk: one unit restocked, one written off, refunded to the payments', async () => {
    const before = { sku: await ledger(sku), other: await ledger(otherSku) };
    await page.getByTestId('pos-tab-returns').click();
    await page.waitForURL(/\/pos\/returns$/);
    await page.getByTestId('returns-order-number').fill(sold!.display_number);
    await page.getByTestId(`returns-order-${sold!.number}`).click();
    const lineOf = (s: string) => sold!.lines.findIndex((l) => l.sku === s);
    for (const [s, reason] of [
      [sku, 'Wrong size'],
      [otherSku, 'Damaged'],
    ] as const) {
      await page.getByTestId(`returns-reason-${lineOf(s)}`).click();
      await page.getByRole('option', { name: reason }).click();
    }
    await screenshot(page, 'returns-desk-lines');
    await page.getByTestId('returns-open').click();
    await page.getByTestId('returns-receive').click();
    await page.getByTestId('returns-inspect').waitFor();
    // The returned lines in order: restock the first, write off the damaged one.
    const progress = page.getByTestId('returns-progress');
    const rows = await progress.locator('tr').allInnerTexts();
    const damagedRow = rows.findIndex((r) => r.includes(otherSku));
    await page.getByTestId(`returns-outcome-${damagedRow}`).getByText('Write off').click();
    await screenshot(page, 'returns-inspect');
    await page.getByTestId('returns-inspect').click();
    await page.getByTestId('returns-refund').click();
    await page.getByTestId('returns-refunded').waitFor();
    await screenshot(page, 'returns-refunded');

    const returns = await api<{ data: Array<{ id: string; refunded: Money; refund_method: string }> }>(
      'GET',
      `/v1/returns?order_id=${sold!.id}`,
    );
    expect(returns.data[0]).toMatchObject({ refund_method: 'original_payment' });
    const payments = await api<{ data: Array<{ amount_refunded: Money }> }>(
      'GET',
      `/v1/payments?order_id=${sold!.id}`,
    );
    const refunded = payments.data.reduce((n, p) => n + p.amount_refunded.amount, 0);
    expect(refunded).toBe(returns.data[0]!.refunded.amount);
    expect(refunded).toBeGreaterThan(0);
    const after = { sku: await ledger(sku), other: await ledger(otherSku) };
    const fresh = (all: Array<{ kind: string }>, old: unknown[]) =>
      all.slice(0, all.length - old.length).map((m) => m.kind);
    expect(fresh(after.sku, before.sku)).toEqual(['return_restock']);
    expect(fresh(after.other, before.other).sort()).toEqual(['damage', 'return_restock']);
    await page.getByTestId('returns-next').click();
  });

  it('refunds the last unit as store credit', async () => {
    await page.getByTestId('returns-order-number').fill(sold!.display_number);
    await page.getByTestId(`returns-order-${sold!.number}`).click();
    const i = sold!.lines.findIndex((l) => l.sku === sku);
    await page.getByTestId(`returns-reason-${i}`).click();
    await page.getByRole('option', { name: 'Changed mind' }).click();
    await page.getByTestId('returns-open').click();
    await page.getByTestId('returns-receive').click();
    await page.getByTestId('returns-inspect').click();
    await page.getByTestId('returns-refund-method').getByText('Store credit').click();
    await page.getByTestId('returns-refund').click();
    await page.getByTestId('returns-refunded').waitFor();
    await screenshot(page, 'returns-store-credit');
    const credit = await api<{ balances: Money[] }>('GET', `/v1/customers/${customer.id}/store-credit`);
    expect(credit.balances.find((b) => b.currency === 'EUR')!.amount).toBeGreaterThan(0);
    await page.getByTestId('returns-next').click();
  });

  it('refuses a final-sale item by policy and takes it with an override reason', async () => {
    const variant = await api<{ product: { id: string; category_ids: string[]; tags: string[] } }>(
      'GET',
      `/v1/variants/by-code/${giftSku}`,
    );
    await api('POST', '/v1/return-policies', {
      name: 'Final sale (e2e)',
      ...(variant.product.tags[0]
        ? { tag: variant.product.tags[0] }
        : { category_id: variant.product.category_ids[0] }),
      final_sale: true,
    });
    const giftSale = (
      await api<{ data: Array<{ id: string; customer_id: string | null }> }>(
        'GET',
        `/v1/orders?channel_id=${storeChannelId}&limit=50`,
      )
    ).data.find((o) => o.customer_id === null)!;
    const order = await api<Order>('GET', `/v1/orders/${giftSale.id}`);
    expect(order.lines[0]!.sku).toBe(giftSku);
    await page.getByTestId('returns-order-number').fill(order.display_number);
    await page.getByTestId(`returns-order-${order.number}`).click();
    await page.getByTestId('returns-reason-0').click();
    await page.getByRole('option', { name: 'Changed mind' }).click();
    await page.getByTestId('returns-open').click();
    await page.getByTestId('returns-verdict').waitFor();
    await screenshot(page, 'returns-policy-refused');
    await page.getByTestId('returns-override-reason').fill('Manager approved: gift, unopened');
    await page.getByTestId('returns-override').click();
    await page.getByTestId('returns-overridden').waitFor();
    await screenshot(page, 'returns-overridden');
    const opened = await api<{ data: Array<{ override: { reason: string } | null }> }>(
      'GET',
      `/v1/returns?order_id=${order.id}`,
    );
    expect(opened.data[0]!.override?.reason).toBe('Manager approved: gift, unopened');
  });

  it('reads in Spanish and Russian', async () => {
    const language = async (code: 'es' | 'ru') => {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId(`language-option-${code}`).click();
    };
    // The return just taken, in each language.
    await language('es');
    await expect.poll(() => page.getByTestId('returns-status').innerText()).toMatch(/solicitada/i);
    await screenshot(page, 'returns-progress-es');
    await language('ru');
    await expect.poll(() => page.getByTestId('returns-status').innerText()).toMatch(/оформлен/i);
    await screenshot(page, 'returns-progress-ru');
    for (const code of ['ru', 'es'] as const) {
      await language(code);
      await page.getByTestId('pos-tab-till').click();
      await page.getByTestId('pos-scan').waitFor();
      await screenshot(page, `pos-till-${code}`);
      await page.getByTestId('pos-tab-returns').click();
      await page.getByTestId('returns-finder').waitFor();
      await screenshot(page, `returns-desk-${code}`);
    }
  });
});
