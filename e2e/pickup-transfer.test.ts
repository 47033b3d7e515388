/**
 * Pickup at a store that does not have the item, in a real browser against a real server with demo data: Madrid
 * has none of a SKU the Getafe warehouse holds, the storefront offers Madrid "after transfer", a shopper checks out
 * for pickup there, and the Madrid pickup desk shows the order on its way; the associate receives the transfer
 * when it arrives and the order moves to "to prepare" — and the server agrees.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  demoCredentials,
  launchBrowser,
  screenshot,
  signIn,
  startServer,
  type Api,
  type RunningServer,
} from './support';

interface Location {
  id: string;
  code: string;
  kind: string;
}

describe('pickup after transfer', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let api: Api;
  let madrid: Location;
  let order: { id: string; number: number; fulfilments: Array<{ id: string; status: string }> };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
    api = apiClient(server);
    const shop = apiClient(server, demoCredentials(server).webShopKey);
    const locations = await api<{ data: Location[] }>('GET', '/v1/locations?limit=200');
    madrid = locations.data.find((l) => l.code === 'MAD01')!;
    const warehouse = locations.data.find((l) => l.kind === 'warehouse')!;
    // A SKU the warehouse has plenty of; Madrid's shelf is counted empty.
    const levels = await api<{ data: Array<{ sku: string; available: number }> }>(
      'GET',
      `/v1/stock?location_id=${warehouse.id}&limit=200`,
    );
    const sku = levels.data.find((l) => l.available >= 5)!.sku;
    await api('POST', '/v1/stock/counts', { location_id: madrid.id, lines: [{ sku, counted: 0 }] });

    const options = await shop<{ skus: Array<{ locations: Array<Record<string, unknown>> }> }>(
      'GET',
      `/store/v1/availability?skus=${sku}&mode=pickup`,
    );
    expect(options.skus[0]!.locations.find((l) => l.location_id === madrid.id)).toMatchObject({
      pickup: 'available_after_transfer',
    });

    const cart = await shop<{ id: string; secret: string; pricing: { grand_total: unknown } }>(
      'POST',
      '/store/v1/carts',
      {
        lines: [{ sku, quantity: 1, delivery_mode: 'pickup', location_id: madrid.id }],
        email: 'nora.transfer@example.com',
      },
    );
    const response = await fetch(`${server.url}/store/v1/carts/${cart.id}/checkout`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${demoCredentials(server).webShopKey}`,
        'X-Cart-Secret': cart.secret,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        expected_total: cart.pricing.grand_total,
        payments: [{ provider: 'test', method: { token: 'tok_visa' } }],
      }),
    });
    const placed = (await response.json()) as { order: { id: string } };
    expect(response.status, JSON.stringify(placed)).toBe(201);
    order = await api('GET', `/v1/orders/${placed.order.id}`);
    expect(order.fulfilments[0]!.status).toBe('in_transit');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the pickup desk shows the order on its way and receives the transfer', async () => {
    await signIn(page, server);
    await page.goto(`${server.url}/orders/pickup`);
    await page.getByTestId('my-location').click();
    await page.getByRole('option', { name: /MAD01/ }).first().click();
    const travelling = page.getByTestId('desk-in-transit').getByTestId(`desk-row-${order.number}`);
    await travelling.waitFor();
    await travelling.getByText('On its way to the store').waitFor();
    await screenshot(page, 'pickup-desk-in-transit');
    await travelling.getByTestId('fulfilment-receive-transfer').click();
    await page.getByTestId('desk-prepare').getByTestId(`desk-row-${order.number}`).waitFor();
    await page.getByTestId('desk-in-transit').getByTestId('desk-empty').waitFor();
    const after = await api<{ fulfilments: Array<{ status: string }> }>('GET', `/v1/orders/${order.id}`);
    expect(after.fulfilments[0]!.status).toBe('pending');
  });
});
