/**
 * Channel allocation in a real browser against a real server with demo data: a merchandiser decides the web shop
 * sells only from the Getafe warehouse and the Madrid store, with Madrid keeping 2 units of every SKU for walk-in
 * customers — and the web shop's availability follows at once: Barcelona's and Valencia's units are no longer
 * offered online, and Madrid offers 2 fewer.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Location {
  id: string;
  code: string;
}
interface Availability {
  skus: Array<{ sku: string; available: number; locations: Array<{ code: string; available: number }> }>;
}

describe('channel allocation', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let locations: Location[] = [];
  let webChannelId = '';
  const SKU = 'E2E-ALLOC-CAP';

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
  const idOf = (code: string) => locations.find((l) => l.code === code)!.id;
  const webAvailability = async () =>
    (await api<Availability>('GET', `/v1/availability?channel_id=${webChannelId}&skus=${SKU}`)).skus[0]!;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    locations = (await api<{ data: Location[] }>('GET', '/v1/locations?limit=200')).data;
    const channels = await api<{ data: Array<{ id: string; name: string }> }>('GET', '/v1/channels?kind=web');
    // The demo has two web channels: the one the editor is opened on below.
    webChannelId = channels.data.find((c) => c.name === 'Web shop')!.id;
    // Start from a web shop that sells from every location and holds nothing back.
    await api('PUT', `/v1/stock/allocations/${webChannelId}`, {
      locations: locations.map((l, i) => ({ location_id: l.id, priority: i + 1, holdback: 0 })),
    });
    await api('POST', '/v1/stock/receipts', {
      reason: 'Allocation e2e stock',
      lines: [
        { sku: SKU, location_id: idOf('WH-GTF'), quantity: 6 },
        { sku: SKU, location_id: idOf('MAD01'), quantity: 5 },
        { sku: SKU, location_id: idOf('BCN01'), quantity: 4 },
        { sku: SKU, location_id: idOf('VLC01'), quantity: 3 },
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('sells from every location before the change', async () => {
    const before = await webAvailability();
    expect(before.available).toBe(6 + 5 + 4 + 3);
  });

  it('opens the allocation of the web shop', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('nav-inventory').click();
    await page.getByTestId('inventory-tab-allocations').click();
    await page.waitForURL(/\/inventory\/allocations$/);
    await page.getByTestId('allocations-channel').click();
    await page.getByRole('option', { name: 'Web shop' }).first().click();
    await page.getByTestId('allocations-editor').waitFor();
    for (const code of ['WH-GTF', 'MAD01', 'BCN01', 'VLC01'])
      await expect.poll(() => page.getByTestId(`allocation-selected-${code}`).isChecked()).toBe(true);
  });

  it('sells from Getafe first, then Madrid keeping 2 for walk-ins, and no other store', async () => {
    await page.getByTestId('allocation-selected-BCN01').uncheck();
    await page.getByTestId('allocation-selected-VLC01').uncheck();
    // Disabled fields for locations the channel does not sell from: nothing to set there.
    expect(await page.getByTestId('allocation-holdback-BCN01').isDisabled()).toBe(true);
    await page.getByTestId('allocation-priority-WH-GTF').fill('1');
    await page.getByTestId('allocation-priority-MAD01').fill('2');
    await page.getByTestId('allocation-holdback-MAD01').fill('2');
    await expect.poll(() => page.getByTestId('allocations-summary').innerText()).toMatch(/WH-GTF → MAD01$/);
    const saved = page.waitForResponse(
      (r) => r.url().includes('/v1/stock/allocations/') && r.request().method() === 'PUT',
    );
    await page.getByTestId('allocations-save').click();
    const response = await saved;
    expect(response.status(), await response.text()).toBe(200);
    // The editor reloads from the server: what it shows now is what was stored.
    await expect.poll(() => page.getByTestId('allocations-save').isDisabled()).toBe(true);
    expect(await page.getByTestId('allocation-selected-BCN01').isChecked()).toBe(false);
    expect(await page.getByTestId('allocation-holdback-MAD01').inputValue()).toMatch(/^2\b/);
    await screenshot(page, 'inventory-allocations');
  });

  it('shows the effect in the web shop availability: only Getafe and Madrid, Madrid 2 fewer', async () => {
    const after = await webAvailability();
    expect(after.available).toBe(6 + (5 - 2));
    expect(Object.fromEntries(after.locations.map((l) => [l.code, l.available]))).toEqual({
      'WH-GTF': 6,
      MAD01: 3,
    });
    const stored = await api<{ locations: Array<{ code: string; priority: number; holdback: number }> }>(
      'GET',
      `/v1/stock/allocations/${webChannelId}`,
    );
    expect(stored.locations.map((l) => [l.code, l.priority, l.holdback])).toEqual([
      ['WH-GTF', 1, 0],
      ['MAD01', 2, 2],
    ]);
  });

  it('reads in Spanish and Russian', async () => {
    for (const [language, heading] of [
      ['es', 'Vende desde'],
      ['ru', 'Продаёт'],
    ] as const) {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId(`language-option-${language}`).click();
      await page.getByRole('columnheader', { name: heading }).waitFor();
      await screenshot(page, `inventory-allocations-${language}`);
    }
  });
});
