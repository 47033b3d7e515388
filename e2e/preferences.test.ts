/**
 * A customer's preference centre in a real browser against a real server: staff mint a link for Lucía's next
 * email; she opens it (no sign-in, no storefront key), reads the page in English, switches to Spanish and then
 * Russian, turns off email offers, reloads and finds them off and the page still in Russian; the consent history
 * shows her change with the Russian wording she saw. She sets quiet hours in her time zone, downloads her data,
 * asks to be erased and withdraws the request. A dead link gets a clear page of its own.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

describe('preference centre', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let customerId = '';
  let linkPath = '';

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

  const answered = (method: string, path: string) =>
    page.waitForResponse(
      (r: Response) => r.request().method() === method && new URL(r.url()).pathname === path,
    );

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      acceptDownloads: true,
    });
    const created = await api<{ customer: { id: string; identifiers: Array<{ id: string; type: string }> } }>(
      'POST',
      '/v1/customers',
      {
        identifiers: [{ type: 'email', value: 'lucia.fernandez@example.com', verified: true }],
        first_name: 'Lucía',
        last_name: 'Fernández',
      },
    );
    customerId = created.customer.id;
    await api('POST', `/v1/customers/${customerId}/consents`, {
      consents: [
        { purpose: 'marketing', channel: 'email', status: 'granted', source: { type: 'staff' } },
        { purpose: 'marketing', channel: 'sms', status: 'withdrawn', source: { type: 'staff' } },
        { purpose: 'analytics', status: 'granted', source: { type: 'staff' } },
      ],
    });
    const emailId = created.customer.identifiers.find((i) => i.type === 'email')!.id;
    const link = await api<{ path: string; token: string }>(
      'POST',
      `/v1/customers/${customerId}/preference-links`,
      { identifier_id: emailId },
    );
    expect(link.path).toBe(`/preferences?token=${link.token}`);
    linkPath = link.path;
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('opens from the link alone, in the browser’s language, and takes the token out of the address bar', async () => {
    await page.goto(`${server.url}${linkPath}`);
    await expect.poll(() => page.getByTestId('preferences-title').textContent()).toBe('Hello, Lucía');
    expect(page.url()).toBe(`${server.url}/preferences`);
    expect(await page.getByTestId('consent-marketing-email').isChecked()).toBe(true);
    expect(await page.getByTestId('consent-marketing-sms').isChecked()).toBe(false);
    expect(await page.getByTestId('consent-analytics').isChecked()).toBe(true);
    await screenshot(page, 'preferences-en');
  });

  it('switches to Spanish and to Russian, and keeps the choice as the customer’s language', async () => {
    const savedEs = answered('PUT', '/store/v1/me/preferences');
    await page.getByTestId('preferences-language').getByText('Español').click();
    expect((await savedEs).status()).toBe(200);
    await expect.poll(() => page.getByTestId('preferences-title').textContent()).toBe('Hola, Lucía');
    await page.getByText('Ofertas y novedades por correo electrónico').waitFor();
    await screenshot(page, 'preferences-es');

    const savedRu = answered('PUT', '/store/v1/me/preferences');
    await page.getByTestId('preferences-language').getByText('Русский').click();
    expect((await savedRu).status()).toBe(200);
    await expect.poll(() => page.getByTestId('preferences-title').textContent()).toBe('Здравствуйте, Lucía');
    await screenshot(page, 'preferences-ru');
    const profile = await api<{ locale: string }>('GET', `/v1/customers/${customerId}`);
    expect(profile.locale).toBe('ru');
  });

  it('withdraws email offers; after a reload they are still off and the page still in Russian', async () => {
    const recorded = answered('POST', '/store/v1/me/consents');
    await page.getByTestId('consent-marketing-email').click({ force: true });
    expect((await recorded).status()).toBe(200);
    await expect
      .poll(() => page.getByTestId('consent-marketing-email').getAttribute('data-status'))
      .toBe('withdrawn');

    await page.reload();
    await expect.poll(() => page.getByTestId('preferences-title').textContent()).toBe('Здравствуйте, Lucía');
    expect(await page.getByTestId('consent-marketing-email').isChecked()).toBe(false);
    expect(await page.getByTestId('consent-marketing-email').getAttribute('data-status')).toBe('withdrawn');
    await screenshot(page, 'preferences-withdrawn');

    const can = await api<{ allowed: boolean; reason: string }>(
      'GET',
      `/v1/customers/${customerId}/consent/can?purpose=marketing&channel=email`,
    );
    expect(can).toMatchObject({ allowed: false, reason: 'withdrawn' });
    const history = await api<{
      data: Array<{
        status: string;
        source: { type: string };
        evidence: { wording: string; version: string };
      }>;
    }>('GET', `/v1/customers/${customerId}/consents/history`);
    expect(history.data[0]).toMatchObject({
      status: 'withdrawn',
      source: { type: 'customer' },
      evidence: { wording: 'Предложения и новости по электронной почте', version: 'omnis-preferences-1/ru' },
    });
  });

  it('keeps quiet hours in her time zone, and downloads her data as a file', async () => {
    await page.getByTestId('quiet-hours').click({ force: true });
    await page.getByTestId('quiet-start').fill('22:00');
    await page.getByTestId('quiet-end').fill('07:30');
    await page.getByTestId('timezone').fill('Europe/Madrid');
    await page.getByRole('option', { name: 'Europe/Madrid' }).click();
    const saved = answered('PUT', '/store/v1/me/preferences');
    await page.getByTestId('save-preferences').click();
    expect((await saved).status()).toBe(200);
    const consents = await api<{ preferences: { quiet_hours: unknown } }>(
      'GET',
      `/v1/customers/${customerId}/consents`,
    );
    expect(consents.preferences.quiet_hours).toEqual({ start: '22:00', end: '07:30', timezone: null });
    const profile = await api<{ timezone: string }>('GET', `/v1/customers/${customerId}`);
    expect(profile.timezone).toBe('Europe/Madrid');
    await screenshot(page, 'preferences-quiet-hours');

    const download = page.waitForEvent('download');
    await page.getByTestId('download-data').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`my-data-${customerId}.json`);
    const archive = readFileSync((await file.path())!, 'utf8');
    expect(JSON.parse(archive)).toMatchObject({ customer_id: customerId });
    expect(archive).toContain('lucia.fernandez@example.com');
  });

  it('asks for erasure behind a confirmation, shows it pending, and withdraws it', async () => {
    await page.getByTestId('erase-data').click();
    const requested = answered('POST', '/store/v1/me/erasure-request');
    await page.getByTestId('confirm-submit').click();
    expect((await requested).status()).toBe(202);
    await page.getByTestId('erasure-pending').waitFor();
    await screenshot(page, 'preferences-erasure-pending');
    const queue = await api<{ data: Array<{ customer_id: string; status: string }> }>(
      'GET',
      '/v1/erasure-requests?status=pending',
    );
    expect(queue.data.map((r) => r.customer_id)).toContain(customerId);

    const withdrawn = answered('DELETE', '/store/v1/me/erasure-request');
    await page.getByTestId('erasure-cancel').click();
    expect((await withdrawn).status()).toBe(200);
    await page.getByTestId('erase-data').waitFor();
  });

  it('says plainly when a link does not work', async () => {
    const other = await browser.newPage({ viewport: { width: 800, height: 700 }, locale: 'es-ES' });
    await other.goto(`${server.url}/preferences?token=ctk_this-link-is-not-valid`);
    await other.getByTestId('preferences-invalid').waitFor();
    expect(await other.getByTestId('preferences-invalid').textContent()).toContain(
      'Este enlace ya no funciona',
    );
    await screenshot(other, 'preferences-invalid');
    await other.close();
  });
});
