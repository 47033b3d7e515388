/**
 * Customers in a real browser against a real server started from the CLI with demo data: an owner adds a
 * customer, finds her by her phone written another way, reads her 360 (identifiers, timeline, consent), merges
 * a duplicate through the server's preview (and sees the rules refuse a wrong one before trying), unmerges it from the identity log,
 * downloads her data export and erases her behind a typed confirmation. The 360 is also seen in Spanish and
 * Russian.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Customer {
  id: string;
  emails: string[];
  identifiers: Array<{ type: string; value: string }>;
}

describe('customers', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  const ANA_EMAIL = 'ana.garcia@example.com';
  const ANA_PHONE = '+34612345678';
  const DUPLICATE_EMAIL = 'ana.g@work.example';
  let anaId = '';
  let duplicateId = '';
  let strangerId = '';

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

  /** Types into the search box and waits for the list to answer that very query (the box is debounced). */
  async function search(q: string): Promise<Customer[]> {
    const answered = page.waitForResponse(
      (r) => r.url().includes('/v1/customers?') && new URL(r.url()).searchParams.get('q') === q,
    );
    await page.getByTestId('customer-search').fill(q);
    const body = (await (await answered).json()) as { data: Customer[] };
    await page.waitForTimeout(100); // let React render the answer
    return body.data;
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    page = await browser.newPage({
      viewport: { width: 1440, height: 900 },
      locale: 'en-US',
      acceptDownloads: true,
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('signs in and shows the customers list', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    await page.locator('[data-testid="customers-table"], [data-testid="list-empty"]').first().waitFor();
    await screenshot(page, 'customers-list');
  });

  it('adds a customer through identity resolution', async () => {
    await page.getByTestId('customer-create-button').click();
    const modal = page.getByTestId('customer-modal');
    await modal.getByTestId('customer-first-name').fill('Ana');
    await modal.getByTestId('customer-last-name').fill('García');
    await modal.getByTestId('customer-identifier-value-0').fill(ANA_EMAIL);
    await modal.getByTestId('customer-identifier-value-1').fill(ANA_PHONE);
    await screenshot(page, 'customer-create');
    await modal.getByTestId('customer-submit').click();
    await page.waitForURL(/\/customers\/[^/]+$/);
    anaId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await expect(page.getByTestId('customer-name').textContent()).resolves.toBe('Ana García');

    // The rest of her life arrives over the API: a duplicate profile from another system, another person who
    // must never be merged with it, web tracking through the Segment-compatible API, and consent.
    const duplicate = await api<{ customer: Customer }>('POST', '/v1/customers', {
      identifiers: [
        { type: 'email', value: DUPLICATE_EMAIL },
        { type: 'external_id', value: 'crm-77', verified: true },
        { type: 'loyalty_card', value: 'LC-20931' },
      ],
      first_name: 'Ana',
    });
    duplicateId = duplicate.customer.id;
    const stranger = await api<{ customer: Customer }>('POST', '/v1/customers', {
      identifiers: [
        { type: 'email', value: 'anna.petrova@example.org' },
        { type: 'external_id', value: 'crm-88', verified: true },
      ],
      first_name: 'Anna',
      last_name: 'Petrova',
    });
    strangerId = stranger.customer.id;

    const channels = await api<{ data: Array<{ id: string; kind: string }> }>(
      'GET',
      '/v1/channels?limit=100',
    );
    const web = channels.data.find((c) => c.kind === 'web') ?? channels.data[0]!;
    const writeKey = await api<{ key: string }>('POST', '/v1/api-keys', {
      kind: 'publishable',
      name: 'Web tracking',
      channel_id: web.id,
    });
    const basic = `Basic ${Buffer.from(`${writeKey.key}:`).toString('base64')}`;
    await api(
      'POST',
      '/v1/batch',
      {
        batch: [
          { type: 'identify', anonymousId: 'anon-ana-1', traits: { email: ANA_EMAIL } },
          { type: 'page', anonymousId: 'anon-ana-1', name: 'Sofas' },
          {
            type: 'track',
            anonymousId: 'anon-ana-1',
            event: 'Product Viewed',
            properties: { sku: 'SOFA-ALBA-3', price: 899 },
          },
        ],
      },
      basic,
    );
    await api('POST', `/v1/customers/${anaId}/consents`, {
      consents: [
        {
          purpose: 'marketing',
          channel: 'email',
          status: 'granted',
          source: { type: 'channel', channel_id: web.id },
          evidence: { wording: 'Send me offers and news by email', version: 'signup-v2' },
        },
        { purpose: 'marketing', channel: 'sms', status: 'granted', source: { type: 'staff' } },
        { purpose: 'analytics', status: 'denied', source: { type: 'customer' } },
      ],
    });
  });

  it('finds her by her phone written another way and opens her 360', async () => {
    await page.getByTestId('nav-customers').click();
    expect((await search('+34 612 34 56 78')).map((c) => c.id)).toEqual([anaId]);
    const row = page.locator(`[data-testid="customer-row"][data-customer-id="${anaId}"]`);
    await row.waitFor();
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(1);
    await screenshot(page, 'customers-search-phone');
    await row.getByTestId('customer-row-link').click();
    await page.waitForURL(new RegExp(`/customers/${anaId}$`));

    // What was cached from her creation shows at once; the refetch adds the web visitor id from tracking.
    for (const value of [ANA_EMAIL, ANA_PHONE, 'anon-ana-1'])
      await page.locator(`[data-testid="customer-identifier-value"]:text-is("${value}")`).waitFor();

    const entries = page.getByTestId('timeline-entry');
    await page.locator('[data-testid="timeline-entry"][data-kind="track"]').waitFor();
    const summaries = await page.getByTestId('timeline-entry-summary').allTextContents();
    expect(summaries).toContain('Product Viewed');
    // Each entry names its channel (or says it has none).
    expect(await page.getByTestId('customer-timeline').getByTestId('channel-badge').count()).toBe(
      await entries.count(),
    );
    await screenshot(page, 'customer-360');

    await page.getByTestId('timeline-kind-filter').click();
    await page.getByRole('option', { name: 'Page view' }).click();
    await page.locator('[data-testid="timeline-entry"][data-kind="track"]').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="timeline-entry"]:not([data-kind="page"])').count()).toBe(0);
    await page.getByTestId('timeline-kind-clear').click();
    await page.locator('[data-testid="timeline-entry"][data-kind="track"]').waitFor();
  });

  it('shows the consent matrix and its history', async () => {
    await page.getByTestId('customer-tab-consent').click();
    await page.getByTestId('consent-matrix').waitFor();
    const cell = (purpose: string, channel: string) =>
      page.locator(`[data-testid="consent-cell"][data-purpose="${purpose}"][data-channel="${channel}"]`);
    await expect(cell('marketing', 'sms').getAttribute('data-status')).resolves.toBe('granted');
    await expect(cell('analytics', '').getAttribute('data-status')).resolves.toBe('denied');
    // An unverified address goes through double opt-in first.
    await expect(cell('marketing', 'email').getAttribute('data-status')).resolves.toBe(
      'pending_confirmation',
    );
    await screenshot(page, 'customer-consent');
    await page.getByTestId('consent-history-button').click();
    await page.getByTestId('consent-history-record').first().waitFor();
    expect(await page.getByTestId('consent-history').textContent()).toContain('signup-v2');
    await screenshot(page, 'customer-consent-history');
    await page.keyboard.press('Escape');
    await page.getByTestId('consent-history').waitFor({ state: 'detached' });
  });

  it('refuses to merge a different person and shows why', async () => {
    // Ana first takes the duplicate's CRM id, so the stranger's different one is a conflict.
    await page.getByTestId('customer-merge-button').click();
    const modal = page.getByTestId('merge-modal');
    await modal.getByTestId('merge-search').fill('LC-20931');
    // The outcome is the server's dry run of the merge, not a guess made in the browser.
    const previewed = page.waitForResponse((r) =>
      r.url().includes(`/v1/customers/${anaId}/merge-preview?merge_id=${duplicateId}`),
    );
    await modal.locator(`[data-testid="merge-candidate"][data-customer-id="${duplicateId}"]`).click();
    const preview = (await (await previewed).json()) as {
      allowed: boolean;
      identifiers_moved: unknown[];
      result: { identifiers: unknown[] };
    };
    expect(preview).toMatchObject({ allowed: true });
    await modal.getByTestId('merge-outcome').waitFor();
    const outcome = await modal.getByTestId('merge-outcome').textContent();
    expect(outcome).toContain(DUPLICATE_EMAIL);
    expect(outcome).toContain(ANA_EMAIL);
    await expect
      .poll(() => modal.getByTestId('merge-outcome-identifier').count())
      .toBe(preview.result.identifiers.length);
    expect(preview.result.identifiers).toHaveLength(6); // 3 + 3
    await expect(modal.getByTestId('merge-outcome-moves').textContent()).resolves.toBe(
      '3 identifiers move to this customer',
    );
    await screenshot(page, 'customer-merge-preview');
    await modal.getByTestId('merge-confirm').click();
    await modal.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="customer-identifier-value"]:text-is("${DUPLICATE_EMAIL}")`).waitFor();

    await page.getByTestId('customer-merge-button').click();
    await modal.getByTestId('merge-search').fill('anna.petrova@example.org');
    await modal.locator(`[data-testid="merge-candidate"][data-customer-id="${strangerId}"]`).click();
    // The server's preview already knows the rules refuse it: the reason shows before any click.
    await modal.getByTestId('merge-refused').waitFor();
    expect(await modal.getByTestId('merge-refused').textContent()).toMatch(/different verified external_id/i);
    expect(await modal.getByTestId('merge-confirm').isDisabled()).toBe(true);
    await modal.getByTestId('merge-force').check();
    expect(await modal.getByTestId('merge-confirm').isDisabled()).toBe(false);
    await modal.getByTestId('merge-force').uncheck();
    await screenshot(page, 'customer-merge-refused');
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });
  });

  it('follows a merged-away id to the survivor', async () => {
    await page.goto(`${server.url}/customers/${duplicateId}`);
    await page.getByTestId('customer-merged-notice').waitFor();
    await expect(page.getByTestId('customer-id').textContent()).resolves.toBe(anaId);
    await screenshot(page, 'customer-merged-notice');
  });

  it('unmerges from the identity log', async () => {
    await page.getByTestId('customer-tab-identity').click();
    await page.getByTestId('identity-log-unmerge').click();
    await page.getByTestId('confirm-submit').click();
    await page.getByTestId('confirm-modal').waitFor({ state: 'detached' });
    await page.locator('[data-testid="identity-log-entry"][data-kind="unmerged"]').waitFor();
    await page
      .locator(`[data-testid="customer-identifier-value"]:text-is("${DUPLICATE_EMAIL}")`)
      .waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('identity-log-unmerge').count()).toBe(0);
    await screenshot(page, 'customer-identity-log');
    const restored = await api<{ id: string; merged_from: string | null }>(
      'GET',
      `/v1/customers/${duplicateId}`,
    );
    expect(restored).toMatchObject({ id: duplicateId, merged_from: null });
  });

  it('downloads her data as a JSON archive', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('customer-export-button').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${anaId}-export.json`);
    const archive = JSON.parse(readFileSync((await download.path())!, 'utf8')) as {
      customer_id: string;
    };
    expect(archive.customer_id).toBe(anaId);
    expect(JSON.stringify(archive)).toContain(ANA_EMAIL);
  });

  it('speaks Spanish and Russian', async () => {
    for (const language of ['es', 'ru'] as const) {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId(`language-option-${language}`).click();
      await page.getByTestId('customer-tab-timeline').click();
      await page.getByTestId('timeline-entry').first().waitFor();
      await screenshot(page, `customer-360-${language}`);
      await page.getByTestId('customer-tab-consent').click();
      await page.getByTestId('consent-matrix').waitFor();
      await screenshot(page, `customer-consent-${language}`);
      await page.getByTestId('customer-merge-button').click();
      await page.getByTestId('merge-search').fill('LC-20931');
      await page.getByTestId('merge-candidate').first().click();
      await page.getByTestId('merge-outcome').waitFor();
      await screenshot(page, `customer-merge-preview-${language}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('merge-modal').waitFor({ state: 'detached' });
      await page.getByTestId('customer-back').click();
      await page.getByTestId('customers-table').waitFor();
      await screenshot(page, `customers-list-${language}`);
      await page.goto(`${server.url}/customers/${anaId}`);
      await page.getByTestId('customer-name').waitFor();
    }
    expect(await page.getByTestId('customer-tab-consent').textContent()).toBe('Согласия');
    await page.getByTestId('language-switcher').click();
    await page.getByTestId('language-option-en').click();
    await expect(page.getByTestId('customer-tab-consent').textContent()).resolves.toBe('Consent');
  });

  it('erases her behind a typed confirmation', async () => {
    await page.getByTestId('customer-erase-button').click();
    const modal = page.getByTestId('erase-modal');
    await expect(modal.getByTestId('erase-expected').textContent()).resolves.toBe(ANA_EMAIL);
    expect(await modal.getByTestId('erase-submit').isDisabled()).toBe(true);
    await modal.getByTestId('erase-confirm-input').fill('ana');
    expect(await modal.getByTestId('erase-submit').isDisabled()).toBe(true);
    await modal.getByTestId('erase-confirm-input').fill(ANA_EMAIL);
    await screenshot(page, 'customer-erase');
    await modal.getByTestId('erase-submit').click();
    await page.waitForURL(/\/customers$/);

    for (const q of [ANA_EMAIL, '+34 612 34 56 78']) {
      expect(await search(q)).toEqual([]);
      await page.getByTestId('list-empty').waitFor();
    }
    await screenshot(page, 'customers-after-erase');
    await page.goto(`${server.url}/customers/${anaId}`);
    await page.getByTestId('customer-error').waitFor();
  });
});
