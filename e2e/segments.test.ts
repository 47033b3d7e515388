/**
 * Segments in a real browser against a real server started from the CLI with demo data: a marketer's view of the
 * issue's example audience — "bought in a store in the last 90 days, email marketing consent, never ordered
 * online" — built condition by condition in the builder while the live count follows, saved, and read back;
 * a member's Customer 360 lists the segment; a consent recorded from the consent matrix (with a staff note)
 * appears in the history and brings another customer into the segment; preferences are edited.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

const DAY = 86_400_000;

describe('segments', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const people: Record<string, string> = {};
  let segmentId = '';

  async function api<T>(method: string, path: string, body?: unknown, auth?: string): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Authorization: auth ?? `Bearer ${server.apiKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The Segment-compatible write key of the first channel of a kind (a till, the web shop, the app). */
  async function writeKey(kind: string): Promise<string> {
    const channels = await api<{ data: Array<{ id: string; kind: string }> }>(
      'GET',
      '/v1/channels?limit=100',
    );
    const channel = channels.data.find((c) => c.kind === kind)!;
    const key = await api<{ key: string }>('POST', '/v1/api-keys', {
      kind: 'publishable',
      name: `${kind} tracking`,
      channel_id: channel.id,
    });
    return `Basic ${Buffer.from(`${key.key}:`).toString('base64')}`;
  }

  /** Waits until the live count shows `count` for the rule on screen (it is debounced, then asked). */
  async function liveCount(count: number): Promise<void> {
    await page
      .locator(`[data-testid="segment-live-count"][data-count="${count}"][data-fetching="false"]`)
      .waitFor({ timeout: 15_000 });
  }

  /** A full-page screenshot from the top (a scrolled page would show the sticky header mid-page). */
  async function shot(name: string): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, name);
  }

  /** Picks an option of a Mantine Select. */
  async function choose(select: ReturnType<Page['getByTestId']>, option: string): Promise<void> {
    await select.click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

    // Five shoppers, their purchases sent as a till, the web shop and the app send them.
    const [store, web, app] = [await writeKey('store'), await writeKey('web'), await writeKey('app')];
    const tag = Date.now().toString(36);
    const shoppers: Array<[string, string]> = [
      ['Lena', 'Store'], // store order 10 days ago, email marketing allowed: the audience
      ['Marc', 'Online'], // the same, but once ordered on the web shop
      ['Nora', 'Lapsed'], // her store order is 120 days old
      ['Olga', 'Quiet'], // store order, no consent yet — until staff records it below
      ['Pau', 'App'], // store order and an app order
    ];
    for (const [first, last] of shoppers) {
      const { customer } = await api<{ customer: { id: string } }>('POST', '/v1/customers', {
        identifiers: [
          { type: 'external_id', value: `shop-${first.toLowerCase()}-${tag}`, verified: true },
          { type: 'email', value: `${first.toLowerCase()}.${tag}@example.com`, verified: true },
        ],
        first_name: first,
        last_name: last,
      });
      people[first] = customer.id;
    }
    const order = (first: string, daysAgo: number) => ({
      type: 'track',
      userId: `shop-${first.toLowerCase()}-${tag}`,
      event: 'Order Completed',
      properties: { total: 59.9, currency: 'EUR' },
      timestamp: new Date(Date.now() - daysAgo * DAY).toISOString(),
    });
    await api(
      'POST',
      '/v1/batch',
      {
        batch: [order('Lena', 10), order('Marc', 12), order('Nora', 120), order('Olga', 5), order('Pau', 20)],
      },
      store,
    );
    await api('POST', '/v1/batch', { batch: [order('Marc', 200)] }, web);
    await api('POST', '/v1/batch', { batch: [order('Pau', 3)] }, app);
    for (const first of ['Lena', 'Marc', 'Nora', 'Pau'])
      await api('POST', `/v1/customers/${people[first]}/consents`, {
        consents: [
          { purpose: 'marketing', channel: 'email', status: 'granted', source: { type: 'customer' } },
        ],
      });
    // A second, broader segment, so the list has sizes to compare.
    await api('POST', '/v1/segments', {
      name: 'Email marketing allowed',
      rule: { type: 'consent', purpose: 'marketing', channel: 'email', status: 'granted' },
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('signs in and opens the segments area', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('nav-segments').click();
    await page.waitForURL(/\/segments$/);
    await page.getByTestId('segments-table').waitFor();
    await expect.poll(() => page.getByTestId('segment-row').count()).toBe(1);
  });

  it('builds the issue’s audience condition by condition while the count follows', async () => {
    await page.getByTestId('segment-create-button').click();
    await page.waitForURL(/\/segments\/new$/);
    await page.getByTestId('segment-live-empty').waitFor();
    await shot('segment-builder-empty');
    await page.getByTestId('segment-name').fill('Store buyers to win online');
    await page
      .getByTestId('segment-description')
      .fill('Bought in a store in the last 90 days, email marketing consent, never ordered online');

    // 1. Bought in a store in the last 90 days.
    await page.getByTestId('add-condition').last().click();
    const first = page.getByTestId('segment-condition').nth(0);
    await expect(first.getByTestId('condition-event-name').inputValue()).resolves.toBe('Order Completed');
    await liveCount(5); // everyone who ever completed an order
    await choose(first.getByTestId('condition-channel'), 'Physical store');
    await liveCount(5); // all five bought in a store at some point
    await choose(first.getByTestId('condition-when'), 'In the last…');
    await first.getByTestId('condition-window-days').fill('90');
    await liveCount(4); // Nora's purchase is 120 days old

    // 2. Email marketing consent.
    await page.getByTestId('segment-root-group').getByTestId('add-condition').last().click();
    const second = page.getByTestId('segment-condition').nth(1);
    await choose(second.getByTestId('condition-type'), 'Consent');
    await expect(second.getByTestId('condition-consent-status').inputValue()).resolves.toBe('Granted');
    await liveCount(3); // Olga never allowed it

    // 3. Never ordered online: none of (an order on the web shop, an order in the app).
    await page.getByTestId('add-group').click();
    const group = page.getByTestId('segment-group');
    await expect(group.getAttribute('data-mode')).resolves.toBe('not_any');
    await liveCount(0); // "no order anywhere, ever" — until the channel is chosen
    await choose(group.getByTestId('segment-condition').nth(0).getByTestId('condition-channel'), 'Web store');
    await liveCount(2); // Marc ordered on the web
    await group.getByTestId('add-condition').click();
    await choose(
      group.getByTestId('segment-condition').nth(1).getByTestId('condition-channel'),
      'Mobile app',
    );
    await liveCount(1); // Pau ordered in the app: only Lena is left

    const sample = page.getByTestId('segment-sample-customer');
    await expect(sample.getAttribute('data-customer-id')).resolves.toBe(people.Lena);
    await page.locator('[data-testid="segment-sample-customer"]:text-is("Lena Store")').waitFor();
    // The narrowing chart: 4 → 3 → 1, one bar per top-level condition.
    await page.getByTestId('segment-steps').waitFor();
    await expect.poll(() => page.getByTestId('segment-step').count()).toBe(3);
    await expect(page.getByTestId('segment-steps').textContent()).resolves.toMatch(/4.*3.*1/s);
    await shot('segment-builder');

    // The same rule, as JSON for power users.
    await page.getByTestId('segment-tab-json').click();
    const json = JSON.parse(await page.getByTestId('segment-json').inputValue()) as { all: unknown[] };
    expect(json.all).toEqual([
      { type: 'event', name: 'Order Completed', channel_kind: 'store', window_days: 90 },
      { type: 'consent', purpose: 'marketing', channel: 'email', status: 'granted' },
      {
        not: {
          any: [
            { type: 'event', name: 'Order Completed', channel_kind: 'web' },
            { type: 'event', name: 'Order Completed', channel_kind: 'app' },
          ],
        },
      },
    ]);
    await shot('segment-builder-json');
    await page.getByTestId('segment-tab-builder').click();
  });

  it('points at the condition the server refuses', async () => {
    // A domain event type must look like noun.past_verb: the server says so, on that condition.
    await page.getByTestId('segment-root-group').getByTestId('add-condition').last().click();
    const extra = page.getByTestId('segment-condition').nth(4);
    await extra.getByText('Omnis events', { exact: true }).click();
    await extra.getByTestId('condition-event-name').fill('Order Completed');
    await extra.getByTestId('condition-error').waitFor({ timeout: 15_000 });
    expect(await extra.getByTestId('condition-error').textContent()).toContain('domain event type');
    await shot('segment-builder-error');
    await extra.getByTestId('condition-remove').click();
    await liveCount(1);
  });

  it('saves it and lists its members', async () => {
    await page.getByTestId('segment-save').click();
    await page.waitForURL(/\/segments\/seg_[^/]+$/);
    segmentId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('segment-members').waitFor();
    await expect(page.getByTestId('segment-member-count').textContent()).resolves.toContain('1');
    await expect(page.getByTestId('segment-member').getAttribute('data-customer-id')).resolves.toBe(
      people.Lena,
    );
    expect(await page.getByTestId('segment-rule-summary').textContent()).toContain('Physical store');
    await shot('segment-detail');

    await page.getByTestId('segment-back').click();
    await page.locator(`[data-testid="segment-row"][data-segment-id="${segmentId}"]`).waitFor();
    await page.getByTestId('segments-chart').waitFor();
    await shot('segments-list');
  });

  it('shows the segment on a member’s Customer 360', async () => {
    await page.locator(`[data-testid="segment-row"][data-segment-id="${segmentId}"]`).click();
    await page.getByTestId('segment-member-link').click();
    await page.waitForURL(new RegExp(`/customers/${people.Lena}$`));
    await page.getByTestId('customer-tab-segments').click();
    await page.locator(`[data-testid="customer-segment"][data-segment-id="${segmentId}"]`).waitFor();
    await expect.poll(() => page.getByTestId('customer-segment').count()).toBe(2);
    await shot('customer-segments');
  });

  it('records a consent from the matrix, shows it in the history, and the customer joins the segment', async () => {
    await page.goto(`${server.url}/customers/${people.Olga}?tab=consent`);
    await page.getByTestId('consent-matrix').waitFor();
    await page.getByTestId('customer-tab-segments').click();
    await page.getByTestId('list-empty').waitFor();
    await page.getByTestId('customer-tab-consent').click();
    const cell = page.locator(
      '[data-testid="consent-cell-edit"][data-purpose="marketing"][data-channel="email"]',
    );
    await cell.click();
    const modal = page.getByTestId('consent-edit-modal');
    await expect(modal.getByTestId('consent-edit-purpose').inputValue()).resolves.toBe('Marketing');
    await expect(modal.getByTestId('consent-edit-channel').inputValue()).resolves.toBe('Email');
    await modal.getByTestId('consent-edit-note').fill('Asked at the Madrid till for offers by email');
    await modal.getByTestId('consent-edit-wording').fill('Yes, send me offers by email');
    await shot('customer-consent-edit');
    await modal.getByTestId('consent-edit-submit').click();
    await modal.waitFor({ state: 'detached' });
    await page
      .locator(
        '[data-testid="consent-cell"][data-purpose="marketing"][data-channel="email"][data-status="granted"]',
      )
      .waitFor();

    await page.getByTestId('consent-history-button').click();
    const record = page.getByTestId('consent-history-record').first();
    await record.waitFor();
    const text = await record.textContent();
    expect(text).toContain('Asked at the Madrid till for offers by email');
    expect(text).toContain('Staff');
    await shot('customer-consent-edit-history');
    await page.keyboard.press('Escape');
    await page.getByTestId('consent-history').waitFor({ state: 'detached' });

    // The consent event reaches the segments consumer: Olga now belongs to the audience.
    await page.getByTestId('customer-tab-segments').click();
    const olgaIn = page.locator(`[data-testid="customer-segment"][data-segment-id="${segmentId}"]`);
    for (let attempt = 0; attempt < 30 && !(await olgaIn.count()); attempt++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByTestId('customer-name').waitFor();
    }
    await olgaIn.waitFor();
    await expect(api<{ member_count: number }>('GET', `/v1/segments/${segmentId}`)).resolves.toMatchObject({
      member_count: 2,
    });
  });

  it('edits the preferred channel and quiet hours', async () => {
    await page.getByTestId('customer-tab-consent').click();
    await page.getByTestId('preferences-edit-button').click();
    const modal = page.getByTestId('preferences-modal');
    await choose(modal.getByTestId('preferences-channel'), 'SMS');
    await modal.getByTestId('preferences-quiet').check();
    await modal.getByTestId('preferences-start').fill('21:30');
    await modal.getByTestId('preferences-end').fill('08:00');
    // The profile has no time zone, so one must be chosen: the form says so before asking the server.
    await modal.getByTestId('preferences-submit').click();
    await modal.getByText('The profile has no time zone: choose one.').waitFor();
    await modal.getByTestId('preferences-timezone').fill('Europe/Madrid');
    await page.getByRole('option', { name: 'Europe/Madrid', exact: true }).click();
    await shot('customer-preferences-edit');
    await modal.getByTestId('preferences-submit').click();
    await modal.waitFor({ state: 'detached' });
    await expect(page.getByTestId('consent-preferred-channel').textContent()).resolves.toBe('SMS');
    await expect(page.getByTestId('consent-quiet-hours').textContent()).resolves.toBe(
      '21:30–08:00 (Europe/Madrid)',
    );
    await shot('customer-consent-after-edit');
  });

  it('edits and deletes a segment, and speaks Spanish and Russian', async () => {
    await page.goto(`${server.url}/segments/${segmentId}/edit`);
    await page.getByTestId('segment-condition').first().waitFor();
    await liveCount(2);
    for (const language of ['es', 'ru'] as const) {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId(`language-option-${language}`).click();
      await page.getByTestId('segment-steps').waitFor();
      await shot(`segment-builder-${language}`);
    }
    await page.getByTestId('language-switcher').click();
    await page.getByTestId('language-option-en').click();

    // Power users may write the rule as JSON: the server checks it before it replaces the tree.
    await page.getByTestId('segment-tab-json').click();
    await page.getByTestId('segment-json').fill('{ "all": [');
    await page.getByTestId('segment-json-apply').click();
    await page.getByTestId('segment-json-error').waitFor();
    await page
      .getByTestId('segment-json')
      .fill(
        '{ "all": [{ "type": "consent", "purpose": "marketing", "channel": "email", "status": "granted" }] }',
      );
    await page.getByTestId('segment-json-apply').click();
    await page.getByTestId('segment-root-group').waitFor();
    await expect.poll(() => page.getByTestId('segment-condition').count()).toBe(1);
    await liveCount(5); // all five shoppers allow email marketing now (the demo customers gave no consent)

    await page.getByTestId('segment-name').fill('Store buyers, online next');
    await page.getByTestId('segment-save').click();
    await page.waitForURL(new RegExp(`/segments/${segmentId}$`));
    await expect(page.getByTestId('segment-title').textContent()).resolves.toBe('Store buyers, online next');
    await expect.poll(() => page.getByTestId('segment-member').count()).toBe(5);

    await page.getByTestId('segment-delete-button').click();
    await page.getByTestId('confirm-submit').click();
    await page.waitForURL(/\/segments$/);
    await page.getByTestId('segments-table').waitFor();
    await expect(
      page.locator(`[data-testid="segment-row"][data-segment-id="${segmentId}"]`).count(),
    ).resolves.toBe(0);
  });
});
