/**
 * Reserve and try in store, in a real browser against a real server with demo data: a shopper bags two items
 * Madrid has, reserves them at Madrid from checkout (nothing paid) and sees until when they are held; the Madrid
 * pickup desk lists the order under "Reserved to try" and sells only the item she keeps — the server agrees.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToBag,
  apiClient,
  demoCredentials,
  launchBrowser,
  screenshot,
  shopPicksAt,
  signIn,
  startServer,
  type Api,
  type RunningServer,
  type ShopPick,
} from './support';

describe('reserve and try in store', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: Api;
  let picks: ShopPick[];
  let orderId: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    api = apiClient(server);
    picks = await shopPicksAt(apiClient(server, demoCredentials(server).webShopKey), 'MAD01', 2);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a shopper reserves her bag at Madrid from checkout and sees until when it is held', async () => {
    await page.goto(`${server.url}/shop?key=${demoCredentials(server).webShopKey}`);
    for (const pick of picks) await addToBag(page, server, pick);
    await page.getByTestId('shop-added-view-bag').click();
    await page.getByTestId('shop-go-checkout').click();
    await page.getByTestId('shop-checkout').waitFor();
    await page.getByTestId('shop-checkout-email').fill('rita.tries@example.com');
    await page.getByTestId('shop-address-name').fill('Rita Gómez');
    await page.getByTestId('shop-address-line1').fill('Calle Mayor 10');
    await page.getByTestId('shop-address-postal-code').fill('28013');
    await page.getByTestId('shop-address-city').fill('Madrid');
    await page.getByTestId('shop-checkout-save').click();
    await page.getByTestId('shop-checkout-not-ready').waitFor({ state: 'detached' });
    await page.getByTestId('shop-reserve-city').click();
    await page.getByRole('option', { name: 'Madrid' }).click();
    await page.getByTestId('shop-reserve-store').waitFor();
    await screenshot(page, 'shop-reserve-in-store');
    await page.getByTestId('shop-reserve-submit').click();
    await page.getByTestId('shop-order-reserved').waitFor();
    await screenshot(page, 'shop-order-reserved');
    orderId = page.url().split('/').pop()!;
    const order = await api<{ status: string; fulfilments: Array<{ mode: string; status: string }> }>(
      'GET',
      `/v1/orders/${orderId}`,
    );
    expect(order.status).toBe('pending_payment');
    expect(order.fulfilments).toEqual([
      expect.objectContaining({ mode: 'reserve_in_store', status: 'held' }),
    ]);
  });

  it('the Madrid desk sells the item she keeps and releases the other', async () => {
    const before = await api<{ number: number; lines: Array<{ sku: string; total: { amount: number } }> }>(
      'GET',
      `/v1/orders/${orderId}`,
    );
    await signIn(page, server);
    await page.goto(`${server.url}/orders/pickup`);
    await page.getByTestId('my-location').click();
    await page.getByRole('option', { name: /MAD01/ }).first().click();
    const row = page.getByTestId('desk-reserved').getByTestId(`reserved-row-${before.number}`);
    await row.waitFor();
    await screenshot(page, 'pickup-desk-reserved');
    await row.getByTestId('reserve-sell').click();
    await page.getByTestId(`reserve-keep-${picks[1]!.sku}`).click();
    // The till's split tender: the card terminal pays what remains (the amount field defaults to it).
    await page.getByTestId('pos-tender-provider').getByText('Card terminal').click();
    await page.getByTestId('pos-card-approval').fill('T9K2QX');
    await page.getByTestId('pos-card-last4').fill('4242');
    await page.getByTestId('pos-tender-add').click();
    await page.getByTestId('pos-tender-0').waitFor();
    await screenshot(page, 'pickup-desk-reserved-sell');
    await page.getByTestId('reserve-charge').click();
    await page.getByTestId('desk-reserved').getByTestId('desk-empty').waitFor();
    const after = await api<{ status: string; totals: { total: { amount: number } }; lines: unknown[] }>(
      'GET',
      `/v1/orders/${orderId}`,
    );
    const kept = before.lines.find((l) => l.sku === picks[0]!.sku)!;
    expect(after.status).toBe('completed');
    expect(after.lines).toHaveLength(1);
    expect(after.totals.total.amount).toBe(kept.total.amount);
  });
});
