/**
 * Orders in a real browser against a real server with demo data. Orders arrive the way they do in a shop: a
 * phone agent takes one for delivery plus click-and-collect at Madrid and it is paid on the card terminal,
 * another for same-day delivery paid in cash, a marketplace order is imported already paid, and one phone order
 * is never paid. A manager finds them in the list (with the per-day chart), filters them, refunds part of a
 * payment and cancels the unpaid order; the Madrid packing bench picks, packs and ships the parcels with a
 * tracking number and sends the same-day one out and delivered; the pickup desk marks the collect order ready,
 * refuses a wrong code next to the field, and hands it over with the right one — and the server agrees.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Location {
  id: string;
  code: string;
}
interface Level {
  sku: string;
  available: number;
}
interface OrderBody {
  id: string;
  number: number;
  display_number: string;
  status: string;
  totals: { total: { amount: number; currency: string } };
  fulfilments: Array<{ id: string; mode: string; status: string; tracking_number: string | null }>;
  payments: { captured: { amount: number }; refunded: { amount: number } };
}

describe('orders console', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let madrid: Location;
  let webId = '';
  let appId = '';
  let skus: string[] = [];
  /** Delivery + click-and-collect, paid on the card terminal. */
  let mixed: OrderBody;
  /** Same-day, paid in cash. */
  let sameDay: OrderBody;
  /** Imported from a marketplace, paid there. */
  let imported: OrderBody;
  /** Never paid: the one cancelled. */
  let unpaid: OrderBody;

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
  const order = (id: string) => api<OrderBody>('GET', `/v1/orders/${id}`);
  const line = (sku: string, mode: string) => ({
    sku,
    quantity: 1,
    unit_price: 2500,
    delivery: { mode, location_id: madrid.id },
  });
  const phoneOrder = async (body: Record<string, unknown>) =>
    (await api<{ order: OrderBody }>('POST', '/v1/orders', { source: 'phone', ...body })).order;

  /** Opens a Mantine Select by its test id and clicks the option with this text. */
  async function pick(testId: string, option: string | RegExp): Promise<void> {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option }).first().click();
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    const locations = await api<{ data: Location[] }>('GET', '/v1/locations?limit=200');
    madrid = locations.data.find((l) => l.code === 'MAD01')!;
    const channels = await api<{ data: Array<{ id: string; name: string; kind: string }> }>(
      'GET',
      '/v1/channels?limit=200',
    );
    webId = channels.data.find((c) => c.name === 'Web shop')!.id;
    appId = channels.data.find((c) => c.kind === 'app')!.id;
    // Two demo SKUs Madrid stocks, topped up so the store's walk-in holdback never gets in the way.
    const levels = await api<{ data: Level[] }>('GET', `/v1/stock?location_id=${madrid.id}&limit=200`);
    skus = levels.data.slice(0, 2).map((l) => l.sku);
    expect(skus).toHaveLength(2);
    await api('POST', '/v1/stock/receipts', {
      reason: 'Orders e2e stock',
      lines: skus.map((sku) => ({ sku, location_id: madrid.id, quantity: 10 })),
    });

    mixed = await phoneOrder({
      channel_id: webId,
      email: 'lena.orders@example.com',
      phone: '+34 600 111 222',
      lines: [line(skus[0]!, 'ship'), line(skus[1]!, 'pickup')],
      shipping: 495,
      shipping_address: {
        name: 'Lena Ortiz',
        line1: 'Calle Mayor 1',
        postal_code: '28013',
        city: 'Madrid',
        country: 'ES',
      },
    });
    await api('POST', '/v1/payments', {
      channel_id: webId,
      order_id: mixed.id,
      provider: 'card_terminal',
      amount: mixed.totals.total,
      method: { approval_code: 'A1B2C3', last4: '4242', brand: 'visa' },
    });
    sameDay = await phoneOrder({
      channel_id: appId,
      email: 'pablo.orders@example.com',
      lines: [line(skus[0]!, 'same_day')],
    });
    await api('POST', '/v1/payments', {
      channel_id: appId,
      order_id: sameDay.id,
      provider: 'cash',
      amount: sameDay.totals.total,
      method: { tendered: 5000 },
    });
    imported = (
      await api<{ order: OrderBody }>('POST', '/v1/orders/import', {
        channel_id: webId,
        external_id: 'MKT-E2E-1001',
        email: 'mkt.buyer@example.com',
        lines: [line(skus[1]!, 'ship')],
      })
    ).order;
    unpaid = await phoneOrder({
      channel_id: webId,
      email: 'late.payer@example.com',
      lines: [line(skus[1]!, 'ship')],
    });
    expect((await order(mixed.id)).status).toBe('paid');
    expect((await order(sameDay.id)).status).toBe('paid');
    expect((await order(imported.id)).status).toBe('paid');
    expect(unpaid.status).toBe('pending_payment');
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('lists the orders of every channel with their statuses and the per-day chart', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('nav-orders').click();
    await page.waitForURL(/\/orders$/);
    for (const o of [mixed, sameDay, imported, unpaid])
      await page.getByTestId(`order-row-${o.number}`).waitFor();
    expect(
      await page.getByTestId(`order-row-${unpaid.number}`).getByTestId('order-status').textContent(),
    ).toBe('Pending payment');
    expect(await page.getByTestId(`order-row-${imported.number}`).innerText()).toContain('Marketplace');
    await page.getByTestId('orders-chart').locator('path.recharts-rectangle').first().waitFor();
    // The chart's figures are the server's (GET /v1/orders/stats, counted in SQL): the four orders' revenue.
    const revenue = [mixed, sameDay, imported, unpaid].reduce((n, o) => n + o.totals.total.amount, 0);
    expect(await page.getByTestId('orders-chart-revenue').innerText()).toContain(
      `€${(revenue / 100).toFixed(2)}`,
    );
    await screenshot(page, 'orders-list');
  });

  it('filters by status and finds an order by its number', async () => {
    await pick('orders-status', 'Pending payment');
    await expect.poll(() => page.getByTestId('orders-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId(`order-row-${unpaid.number}`).waitFor();
    await page.getByTestId('orders-clear').click();
    await page.getByTestId('orders-number').fill(`#${mixed.number}`);
    await expect.poll(() => page.getByTestId('orders-table').locator('tbody tr').count()).toBe(1);
    await page.getByTestId(`order-row-${mixed.number}`).waitFor();
    await page.getByTestId('orders-number').fill('12a');
    await page.getByText('Digits only, e.g. 1042').waitFor();
    await page.getByTestId('orders-clear').click();
  });

  it('opens an order with its lines, fulfilments and card payment', async () => {
    await page.getByTestId(`order-row-${mixed.number}`).getByTestId('order-link').click();
    await page.waitForURL(new RegExp(`/orders/${mixed.id}$`));
    await page.getByTestId('order-number').getByText(mixed.display_number).waitFor();
    await page.getByTestId(`order-line-${skus[0]}`).waitFor();
    await page.getByTestId('fulfilment-ship').waitFor();
    await page.getByTestId('fulfilment-pickup').waitFor();
    await page.getByTestId('payment-row-card_terminal').waitFor();
    expect(await page.getByTestId('order-total').innerText()).toBe('€54.95');
    await expect.poll(() => page.getByTestId('payments-captured').innerText()).toBe('€54.95');
    await screenshot(page, 'orders-detail-paid');
  });

  it('cancels the order that was never paid', async () => {
    await page.goto(`${server.url}/orders/${unpaid.id}`);
    await page.getByTestId('order-cancel').click();
    await page.getByTestId('cancel-reason').fill('Customer changed their mind');
    await page.getByTestId('cancel-confirm').click();
    await expect.poll(() => page.getByTestId('order-status').first().textContent()).toBe('Cancelled');
    await page.getByTestId('order-timeline').getByText('Order cancelled').waitFor();
    expect(await page.getByTestId('order-cancel').count()).toBe(0);
    expect((await order(unpaid.id)).status).toBe('cancelled');
    await screenshot(page, 'orders-detail-cancelled');
  });

  it('picks, packs and ships the parcels at the Madrid bench', async () => {
    await page.getByTestId('nav-orders').click();
    await page.getByTestId('orders-tab-fulfilment').click();
    await page.waitForURL(/\/orders\/fulfilment$/);
    await page.getByTestId('pick-location-first').waitFor();
    await pick('my-location', /MAD01/);
    const pending = page.getByTestId('queue-column-pending');
    for (const o of [mixed, imported]) await pending.getByTestId(`queue-card-${o.number}`).waitFor();
    await screenshot(page, 'orders-fulfilment-queue');

    const card = (status: string) =>
      page.getByTestId(`queue-column-${status}`).getByTestId(`queue-card-${mixed.number}`);
    await card('pending').getByTestId('fulfilment-pick').click();
    await card('picked').getByTestId('fulfilment-pack').click();
    await card('packed').getByTestId('fulfilment-ship').click();
    await page.getByTestId('ship-carrier').fill('SEUR');
    await page.getByTestId('ship-tracking').fill('SEUR-E2E-778899');
    await page.getByTestId('ship-submit').click();
    await page.getByTestId('ship-form').waitFor({ state: 'detached' });
    await expect.poll(() => card('packed').count()).toBe(0);
    const shipped = (await order(mixed.id)).fulfilments.find((f) => f.mode === 'ship')!;
    expect(shipped).toMatchObject({ status: 'shipped', tracking_number: 'SEUR-E2E-778899' });
  });

  it('sends the same-day order out and marks it delivered', async () => {
    await page.getByTestId('queue-mode').getByText('Same-day delivery').click();
    const card = (status: string) =>
      page.getByTestId(`queue-column-${status}`).getByTestId(`queue-card-${sameDay.number}`);
    await card('pending').getByTestId('fulfilment-out-for-delivery').click();
    await card('out_for_delivery').waitFor();
    await screenshot(page, 'orders-fulfilment-same-day');
    await card('out_for_delivery').getByTestId('fulfilment-deliver').click();
    await expect.poll(() => card('out_for_delivery').count()).toBe(0);
    expect((await order(sameDay.id)).status).toBe('completed');
  });

  it('marks the click-and-collect ready, refuses a wrong code next to the field and hands it over', async () => {
    await page.getByTestId('orders-tab-pickup').click();
    await page.waitForURL(/\/orders\/pickup$/);
    // The store chosen at the bench is remembered on this device.
    await expect.poll(() => page.getByTestId('my-location').inputValue()).toMatch(/MAD01/);
    const prepare = page.getByTestId('desk-prepare').getByTestId(`desk-row-${mixed.number}`);
    await prepare.waitFor();
    await prepare.getByTestId('fulfilment-ready-for-pickup').click();
    const code = (await page.getByTestId('pickup-code').innerText()).trim();
    expect(code).toMatch(/^\d{6}$/);
    await screenshot(page, 'orders-pickup-code');
    await page.getByTestId('pickup-code-done').click();

    const ready = page.getByTestId('desk-ready').getByTestId(`desk-row-${mixed.number}`);
    await ready.waitFor();
    const wrong = code === '000000' ? '111111' : '000000';
    await ready.getByTestId('collect-code').fill(wrong);
    await ready.getByTestId('collect-submit').click();
    await expect
      .poll(() => ready.locator('.mantine-InputWrapper-error').first().innerText())
      .toBe('This is not the pickup code of this order.');
    await ready.getByTestId('desk-attempts').getByText('1 wrong code').waitFor();
    await screenshot(page, 'orders-pickup-desk');

    await ready.getByTestId('collect-code').fill(code);
    await ready.getByTestId('collect-submit').click();
    await expect.poll(() => ready.count()).toBe(0);
    const done = await order(mixed.id);
    expect(done.fulfilments.find((f) => f.mode === 'pickup')!.status).toBe('collected');
    expect(done.status).toBe('completed');
    await page.getByTestId('desk-ready').getByTestId('desk-empty').waitFor();
  });

  it('refunds part of the card payment of the completed order, never more than was captured', async () => {
    await page.goto(`${server.url}/orders/${mixed.id}`);
    await page.getByTestId('payment-row-card_terminal').waitFor();

    await page.getByTestId('payment-refund-open').click();
    // More than was captured: the server refuses it and says why under the amount.
    await page.getByTestId('refund-amount').fill('60');
    await page.getByTestId('refund-reason').fill('Goodwill: late courier');
    await page.getByTestId('refund-submit').click();
    await page.getByTestId('refund-form').locator('.mantine-InputWrapper-error').first().waitFor();
    expect((await order(mixed.id)).payments.refunded.amount).toBe(0);
    await page.getByTestId('refund-amount').fill('5');
    await page.getByTestId('refund-submit').click();
    await page.getByTestId('refund-form').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('payments-refunded').innerText()).toBe('€5.00');
    await page.getByTestId('payment-refund').waitFor();
    await page.getByTestId('order-timeline').getByText('Refund of €5.00: Goodwill: late courier').waitFor();
    const after = await order(mixed.id);
    expect(after.payments).toMatchObject({ captured: { amount: 5495 }, refunded: { amount: 500 } });
    // The refund button was far down the page: a full-page shot starts from the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'orders-detail');
  });

  it('reads in Spanish and Russian', async () => {
    for (const [language, heading] of [
      ['es', 'Pedidos por día y canal'],
      ['ru', 'Заказы по дням и каналам'],
    ] as const) {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId(`language-option-${language}`).click();
      await page.goto(`${server.url}/orders`);
      await page.getByTestId('orders-chart').getByText(heading).waitFor();
      await page.getByTestId(`order-row-${mixed.number}`).waitFor();
      await screenshot(page, `orders-list-${language}`);
      await page.goto(`${server.url}/orders/${mixed.id}`);
      await page.getByTestId('order-timeline').waitFor();
      await page.getByTestId('payment-refund').waitFor();
      await screenshot(page, `orders-detail-${language}`);
    }
  });
});
