/**
 * Inventory in a real browser against a real server started from the CLI with demo data (three stores and a
 * warehouse): a stock controller receives a SKU at Madrid and Barcelona, finds it in the grid, is told exactly
 * which field is wrong when she writes off zero units, adjusts and counts a shelf, sees the locations on the
 * offline map and gives one a same-day service, checks availability near Madrid with distances and the sourcing
 * plan, reserves units and confirms them, transfers units between the stores and receives them, gives the warehouse
 * a transfer lane to Madrid, and reads it all back in the ledger with its chart.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Level {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  incoming: number;
  available: number;
}
interface Location {
  id: string;
  code: string;
  same_day_cutoff: string | null;
  same_day_radius_km: number | null;
  capabilities: string[];
}

describe('inventory', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let madrid: Location;
  let barcelona: Location;
  let webChannelId = '';
  const SKU = 'E2E-TEE-BLUE-M';

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

  const levelAt = async (location: Location): Promise<Level> => {
    const { data } = await api<{ data: Level[] }>('GET', `/v1/stock?sku=${SKU}&location_id=${location.id}`);
    expect(data).toHaveLength(1);
    return data[0]!;
  };

  /** Opens a Mantine Select by its test id and clicks the option with this text. */
  async function pick(testId: string, option: string | RegExp): Promise<void> {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option }).first().click();
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const locations = await api<{ data: Location[] }>('GET', '/v1/locations?limit=200');
    madrid = locations.data.find((l) => l.code === 'MAD01')!;
    barcelona = locations.data.find((l) => l.code === 'BCN01')!;
    expect(madrid && barcelona).toBeTruthy();
    const channels = await api<{ data: Array<{ id: string; kind: string; name: string }> }>(
      'GET',
      '/v1/channels?kind=web',
    );
    // The demo has two web shops (EUR and the UK's GBP one): this story is about the Spanish one.
    webChannelId = channels.data.find((c) => c.name === 'Web shop')!.id;
    // The web shop sells from every location (set through the API; e2e/allocations.test.ts drives the editor).
    await api('PUT', `/v1/stock/allocations/${webChannelId}`, {
      locations: locations.data.map((l, i) => ({ location_id: l.id, priority: i + 1 })),
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('signs in and opens the inventory grid', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('nav-inventory').click();
    await page.waitForURL(/\/inventory$/);
    await page.locator('[data-testid="stock-grid"], [data-testid="list-empty"]').first().waitFor();
    await screenshot(page, 'inventory-grid-start');
  });

  it('receives stock of a SKU at two locations and finds it in the grid', async () => {
    await page.getByTestId('stock-receive').click();
    await page.getByTestId('receive-sku-0').fill(SKU);
    await pick('receive-location-0', /MAD01/);
    await page.getByTestId('receive-quantity-0').fill('12');
    await page.getByTestId('receive-add-line').click();
    await expect.poll(() => page.getByTestId('receive-sku-1').inputValue()).toBe(SKU);
    await pick('receive-location-1', /BCN01/);
    await page.getByTestId('receive-quantity-1').fill('5');
    await page.getByTestId('receive-reason').fill('Delivery note DN-778');
    await screenshot(page, 'inventory-receive');
    await page.getByTestId('receive-submit').click();
    await page.getByTestId('receive-form').waitFor({ state: 'detached' });

    await page.getByTestId('stock-search').fill('e2e-tee');
    const row = page.getByTestId(`stock-row-${SKU}`);
    await row.waitFor();
    await expect.poll(() => page.getByTestId(`stock-cell-${SKU}-${madrid.id}`).innerText()).toMatch(/^12\b/);
    expect(await page.getByTestId(`stock-cell-${SKU}-${barcelona.id}`).innerText()).toMatch(/^5\b/);
    await screenshot(page, 'inventory-grid');
    expect((await levelAt(madrid)).on_hand).toBe(12);
  });

  it('names the wrong field when writing off zero units, then adjusts with a reason', async () => {
    await page.getByTestId(`stock-cell-${SKU}-${madrid.id}`).click();
    const modal = page.getByTestId('stock-correction-form');
    await modal.waitFor();
    await page.getByTestId('stock-action').getByText('Write off damage').click();
    await page.getByTestId('stock-quantity').fill('0');
    await page.getByTestId('stock-reason').fill('Torn seam');
    await page.getByTestId('stock-correction-submit').click();
    const error = page.getByTestId('stock-correction-error');
    await error.waitFor();
    // The server's problem+json names body.lines.0.quantity; the form puts it under the units field.
    await expect
      .poll(() => modal.locator('.mantine-InputWrapper-error').first().innerText())
      .toMatch(/at least 1|must be/i);
    await screenshot(page, 'inventory-adjust-field-error');
    expect((await levelAt(madrid)).on_hand).toBe(12);

    // A reason is required before anything is sent.
    await page.getByTestId('stock-action').getByText('Adjust').click();
    await page.getByTestId('stock-quantity').fill('-2');
    await page.getByTestId('stock-reason').fill('');
    await page.getByTestId('stock-correction-submit').click();
    await modal.getByText('A reason is required').waitFor();
    await page.getByTestId('stock-reason').fill('Two shown as samples');
    await page.getByTestId('stock-correction-submit').click();
    await modal.waitFor({ state: 'detached' });
    await expect.poll(async () => (await levelAt(madrid)).on_hand).toBe(10);
  });

  it('counts the Barcelona shelf and records the variance', async () => {
    await page.getByTestId(`stock-cell-${SKU}-${barcelona.id}`).click();
    await page.getByTestId('stock-action').getByText('Cycle count').click();
    await page.getByTestId('stock-quantity').fill('4');
    await page.getByTestId('stock-reason').fill('Weekly count');
    await screenshot(page, 'inventory-count');
    await page.getByTestId('stock-correction-submit').click();
    await page.getByTestId('stock-correction-form').waitFor({ state: 'detached' });
    await expect.poll(async () => (await levelAt(barcelona)).on_hand).toBe(4);
  });

  it('shows the locations on the offline map and edits same-day service', async () => {
    await page.getByTestId('inventory-tab-locations').click();
    await page.waitForURL(/\/inventory\/locations$/);
    await page.getByTestId('location-map').waitFor();
    for (const code of ['MAD01', 'BCN01', 'VLC01', 'WH-GTF'])
      await page.getByTestId(`map-marker-${code}`).waitFor();
    expect(await page.getByTestId('map-scale').textContent()).toMatch(/\d+ km/);
    await page.getByTestId('map-marker-BCN01').click();
    await screenshot(page, 'inventory-locations');

    await page.getByTestId('location-edit-MAD01').click();
    await page.getByTestId('capability-same_day').check();
    await page.getByTestId('location-cutoff').fill('14:00');
    await page.getByTestId('location-radius').fill('');
    await page.getByTestId('location-preparation').fill('30');
    await page.getByTestId('location-save').click();
    // Same day without a radius: the server refuses and names the radius field.
    await page.getByTestId('location-form-error').waitFor();
    await screenshot(page, 'inventory-location-editor-error');
    await page.getByTestId('location-radius').fill('15');
    await page.getByTestId('location-save').click();
    await page.getByTestId('location-form').waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await api<Location>('GET', `/v1/locations/${madrid.id}`)).same_day_radius_km)
      .toBe(15);
    await page.getByTestId('location-row-MAD01').getByText(/14:00/).waitFor();
    await screenshot(page, 'inventory-locations-same-day');
  });

  it('checks availability near Madrid with distances, promises and the sourcing plan', async () => {
    await page.getByTestId('inventory-tab-availability').click();
    await page.getByTestId('availability-intro').waitFor();
    await page.getByTestId('availability-skus').fill(SKU);
    await pick('availability-channel', 'Web shop');
    await pick('availability-city', 'Madrid');
    await page.getByTestId('availability-radius').fill('800');
    await page.getByTestId('availability-mode').getByText('Pickup').click();
    const answered = page.waitForResponse((r) => r.url().includes('/v1/availability?'));
    await page.getByTestId('availability-submit').click();
    const response = await answered;
    expect(response.status(), await response.text()).toBe(200);
    const madridRow = page.getByTestId(`availability-row-${SKU}-MAD01`);
    await madridRow.waitFor().catch(async (error: unknown) => {
      await screenshot(page, 'inventory-availability-failed');
      throw error;
    });
    const madridKm = await madridRow.getByTestId('availability-distance').innerText();
    const barcelonaKm = await page
      .getByTestId(`availability-row-${SKU}-BCN01`)
      .getByTestId('availability-distance')
      .innerText();
    // Fuencarral 45 is under a kilometre from the Puerta del Sol; Barcelona about 500 km away.
    expect(madridKm).toMatch(/^\d+ m$|^0\.\d km$/);
    expect(Number(barcelonaKm.replace(/[^\d]/g, ''))).toBeGreaterThan(450);
    expect(Number(barcelonaKm.replace(/[^\d]/g, ''))).toBeLessThan(550);
    await page.getByTestId('sourcing-plan').waitFor();
    await page.getByTestId('plan-shipment-MAD01').waitFor();
    expect(await page.getByTestId('plan-why-MAD01').innerText()).toMatch(/has everything|fewest/i);
    await screenshot(page, 'inventory-availability');
  });

  it('reserves units, sees the reservation counting down and confirms it', async () => {
    await page.getByTestId('inventory-tab-reservations').click();
    await page.locator('[data-testid="reservations-table"], [data-testid="list-empty"]').first().waitFor();
    await page.getByTestId('reservation-new').click();
    await pick('reserve-channel', 'Web shop');
    await page.getByTestId('reserve-reference').fill('PHONE-1042');
    await page.getByTestId('reserve-sku').fill(SKU);
    await page.getByTestId('reserve-quantity').fill('50');
    await pick('reserve-location', /MAD01/);
    await page.getByTestId('reserve-submit').click();
    // 50 is more than Madrid has: a 409 saying how many there are, on the quantity field.
    await page.getByTestId('reserve-error').waitFor();
    expect(await page.getByTestId('reserve-error').innerText()).toMatch(/10/);
    await screenshot(page, 'inventory-reserve-refused');
    await page.getByTestId('reserve-quantity').fill('3');
    await page.getByTestId('reserve-submit').click();
    await page.getByTestId('reserve-form').waitFor({ state: 'detached' });

    const row = page.getByTestId(`reservation-row-${SKU}`).first();
    await row.waitFor();
    expect(await row.getByTestId('reservation-status').textContent()).toBe('Active');
    const first = await row.getByTestId('reservation-ttl').innerText();
    expect(first).toMatch(/^1[45]:\d\d$/);
    await page.waitForTimeout(1500);
    expect(await row.getByTestId('reservation-ttl').innerText()).not.toBe(first);
    await screenshot(page, 'inventory-reservations');
    expect((await levelAt(madrid)).reserved).toBe(3);

    await row.getByTestId('reservation-confirm').click();
    await expect.poll(() => row.getByTestId('reservation-status').textContent()).toBe('Confirmed');
  });

  it('transfers units from Madrid to Barcelona and receives them', async () => {
    await page.getByTestId('inventory-tab-transfers').click();
    await page.locator('[data-testid="transfers-table"], [data-testid="list-empty"]').first().waitFor();
    await screenshot(page, 'inventory-transfers-empty');
    await page.getByTestId('transfer-new').click();
    await pick('transfer-from', /MAD01/);
    await pick('transfer-to', /BCN01/);
    await page.getByTestId('transfer-sku-0').fill(SKU);
    await page.getByTestId('transfer-quantity-0').fill('2');
    await page.getByTestId('transfer-reason').fill('Rebalance for the weekend');
    await page.getByTestId('transfer-submit').click();
    await page.getByTestId('transfer-form').waitFor({ state: 'detached' });
    const status = page.getByTestId('transfer-status').first();
    await expect.poll(() => status.textContent()).toBe('In transit');
    expect((await levelAt(barcelona)).incoming).toBe(2);
    expect((await levelAt(madrid)).on_hand).toBe(8);
    await screenshot(page, 'inventory-transfers');

    await page.getByTestId('transfer-receive').first().click();
    await expect.poll(() => status.textContent()).toBe('Received');
    const atBarcelona = await levelAt(barcelona);
    expect([atBarcelona.on_hand, atBarcelona.incoming]).toEqual([6, 0]);
  });

  it('gives the warehouse a next-day lane to Madrid, slows it down and removes it', async () => {
    await page.getByTestId('inventory-tab-lanes').click();
    await page.getByTestId('list-empty').waitFor();
    await screenshot(page, 'inventory-lanes-empty');
    await page.getByTestId('lane-new').click();
    await pick('lane-from', /WH-GTF/);
    await pick('lane-to', /WH-GTF/);
    await page.getByTestId('lane-submit').click();
    // The server refuses a lane from a location to itself and the form shows it on the field.
    await page.getByTestId('lane-error').waitFor();
    expect(await page.getByTestId('lane-form').innerText()).toContain('must differ from from_location_id');
    await pick('lane-to', /MAD01/);
    await page.getByTestId('lane-hours-input').fill('24');
    await page.getByTestId('lane-form').getByText('Thu', { exact: true }).click();
    await page.getByTestId('lane-submit').click();
    await page.getByTestId('lane-form').waitFor({ state: 'detached' });
    const hours = page.getByTestId('lane-hours').first();
    await expect.poll(() => hours.textContent()).toContain('24 h');
    await screenshot(page, 'inventory-lanes');

    await page.getByTestId('lane-edit').first().click();
    await page.getByTestId('lane-hours-input').fill('72');
    await page.getByTestId('lane-submit').click();
    await page.getByTestId('lane-form').waitFor({ state: 'detached' });
    await expect.poll(() => hours.textContent()).toContain('72 h');
    const { data } = await api<{
      data: Array<{ to_location_id: string; lead_hours: number; departure_days: string[] }>;
    }>('GET', '/v1/transfer-lanes');
    expect(data).toEqual([
      expect.objectContaining({ to_location_id: madrid.id, lead_hours: 72, departure_days: ['thu'] }),
    ]);

    await page.getByTestId('lane-delete').first().click();
    await page.getByTestId('confirm-submit').click();
    await page.getByTestId('list-empty').waitFor();
    expect((await api<{ data: unknown[] }>('GET', '/v1/transfer-lanes')).data).toEqual([]);
  });

  it('shows the ledger of the SKU at Madrid with every movement and the on-hand chart', async () => {
    await page.goto(`${server.url}/inventory/ledger?sku=${SKU}&location_id=${madrid.id}`);
    await page.getByTestId('ledger-table').waitFor();
    for (const kind of ['receipt', 'adjustment', 'reservation', 'transfer_out'])
      await page.getByTestId(`ledger-row-${kind}`).first().waitFor();
    expect(await page.getByTestId('ledger-row-adjustment').innerText()).toContain('Two shown as samples');
    expect(await page.getByTestId('ledger-row-receipt').innerText()).toContain('Delivery note DN-778');
    await page.getByTestId('ledger-chart').locator('svg.recharts-surface').first().waitFor();
    await screenshot(page, 'inventory-ledger');
  });

  it('reads in Spanish and Russian', async () => {
    await page.getByTestId('inventory-tab-locations').click();
    for (const [language, tab] of [
      ['es', 'Ubicaciones'],
      ['ru', 'Точки'],
    ] as const) {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId(`language-option-${language}`).click();
      await page.getByTestId('inventory-tab-locations').getByText(tab).waitFor();
      await page.getByTestId('map-marker-MAD01').waitFor();
      await screenshot(page, `inventory-locations-${language}`);
    }
    await page.getByTestId('language-switcher').click();
    await page.getByTestId('language-option-en').click();
  });
});
