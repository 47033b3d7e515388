/**
 * Privacy requests in a real browser against a real server: an owner mints a preference link on Pablo's Customer
 * 360 and copies it from the one-time reveal; Pablo and Marta each ask to be erased through the self-service API
 * with their own customer tokens; Pablo's 360 shows the pending request; the owner finds both in Privacy requests
 * with their due date and days left, rejects Marta's for a stated reason (which she then sees), and confirms
 * Pablo's behind a modal that says it cannot be undone — after which Pablo is gone. An agent sees the restrict
 * button but neither erasure nor the queue. The screen is also seen in Spanish and Russian.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Customer {
  id: string;
  identifiers: Array<{ id: string; type: string; value: string }>;
}

describe('privacy requests', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pablo: Customer;
  let marta: Customer;
  let pabloToken = '';
  let martaToken = '';
  const PABLO_EMAIL = 'pablo.ruiz@example.com';
  const MARTA_EMAIL = 'marta.vidal@example.com';
  const AGENT = { email: 'agent.lena@example.com', password: 'agent password 123' };

  async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as unknown };
  }
  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await call(method, path, { Authorization: `Bearer ${server.apiKey}` }, body);
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as T;
  }
  const asCustomer = (token: string) => ({ 'X-Customer-Token': token });
  const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';
  const row = (customerId: string) =>
    page.locator(`[data-testid="privacy-request-row"]:has-text("${customerId}")`);

  async function signIn(target: Page, email: string, password: string) {
    await target.goto(server.url);
    await target.getByTestId('signin-email').fill(email);
    await target.getByTestId('signin-password').fill(password);
    await target.getByTestId('signin-submit').click();
    await target.waitForURL(/\/customers$/);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const create = async (email: string, first: string, last: string, phone: string) =>
      (
        await api<{ customer: Customer }>('POST', '/v1/customers', {
          identifiers: [
            { type: 'email', value: email, verified: true },
            { type: 'phone', value: phone },
          ],
          first_name: first,
          last_name: last,
        })
      ).customer;
    pablo = await create(PABLO_EMAIL, 'Pablo', 'Ruiz', '+34611222333');
    marta = await create(MARTA_EMAIL, 'Marta', 'Vidal', '+34622333444');
    await api('POST', '/v1/users', { ...AGENT, name: 'Lena Agent', role: 'agent' });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('mints a preference link on Customer 360 and shows it once to copy', async () => {
    await signIn(page, server.email, server.password);
    await page.goto(`${server.url}/customers/${pablo.id}`);
    await page.getByTestId('customer-preference-link-button').click();
    const modal = page.getByTestId('preference-link-modal');
    await modal.getByTestId('preference-link-identifier').click();
    await page.getByRole('option', { name: `Email: ${PABLO_EMAIL}` }).click();
    await screenshot(page, 'customer-preference-link');
    const minted = page.waitForResponse(
      (r) =>
        r.request().method() === 'POST' && r.url().endsWith(`/v1/customers/${pablo.id}/preference-links`),
    );
    await modal.getByTestId('preference-link-create').click();
    expect((await minted).status()).toBe(201);
    const shown = (await page.getByTestId('secret-reveal-value').textContent()) ?? '';
    expect(shown).toMatch(/\/preferences\?token=ctk_/);
    await screenshot(page, 'customer-preference-link-created');
    pabloToken = tokenOf(shown);
    await page.getByTestId('secret-reveal-done').click();
    await page.getByTestId('secret-reveal-modal').waitFor({ state: 'detached' });
    // The link works: it opens Pablo's own preference centre, and it proves the email it was sent to.
    const me = await call('GET', '/store/v1/me', asCustomer(pabloToken));
    expect(me).toMatchObject({
      status: 200,
      body: { customer: { id: pablo.id }, link: { proves_email: true } },
    });
  });

  it('takes erasure requests from customers with their own tokens, and Customer 360 shows the pending one', async () => {
    const link = await api<{ url: string }>('POST', `/v1/customers/${marta.id}/preference-links`, {});
    martaToken = tokenOf(link.url);
    for (const token of [pabloToken, martaToken]) {
      const made = await call('POST', '/store/v1/me/erasure-request', asCustomer(token), { confirm: true });
      expect(made).toMatchObject({ status: 202, body: { status: 'pending' } });
    }
    await page.reload();
    await page.getByTestId('customer-erasure-banner').waitFor();
    expect(await page.getByTestId('customer-erasure-banner').textContent()).toMatch(/30 days left/);
    await screenshot(page, 'customer-360-erasure-banner');
  });

  it('lists the pending requests with their due date and days left', async () => {
    await page.getByTestId('customer-erasure-banner-open').click();
    await page.waitForURL(/\/customers\/privacy-requests$/);
    await row(pablo.id).waitFor();
    await row(marta.id).waitFor();
    await expect.poll(() => page.getByTestId('privacy-request-row').count()).toBe(2);
    for (const id of [pablo.id, marta.id]) {
      await expect(row(id).getByTestId('privacy-request-days-left').textContent()).resolves.toBe(
        '30 days left',
      );
      await expect(row(id).getByTestId('privacy-request-status').textContent()).resolves.toBe('Pending');
    }
    await screenshot(page, 'privacy-requests');
    // The customer link opens the 360, and the way back is the Customers page button.
    await row(marta.id).getByTestId('privacy-request-customer').click();
    await page.waitForURL(new RegExp(`/customers/${marta.id}$`));
    await page.getByTestId('customer-erasure-banner').waitFor();
    await page.getByTestId('customer-back').click();
    await page.getByTestId('customers-privacy-requests').click();
    await row(marta.id).waitFor();
  });

  it('rejects Marta’s request for a reason she then sees', async () => {
    await row(marta.id).getByTestId('privacy-request-reject').click();
    const modal = page.getByTestId('erasure-reject-modal');
    expect(await modal.getByTestId('erasure-reject-submit').isDisabled()).toBe(true);
    await modal.getByTestId('erasure-reject-reason').click();
    await page.getByRole('option', { name: 'An order or contract is still open' }).click();
    await screenshot(page, 'privacy-requests-reject');
    await modal.getByTestId('erasure-reject-submit').click();
    await modal.waitFor({ state: 'detached' });
    await row(marta.id).waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('privacy-request-row').count()).toBe(1);

    await page.getByTestId('privacy-requests-filter').getByText('Rejected').click();
    await page.waitForURL(/status=rejected/);
    await expect(row(marta.id).getByTestId('privacy-request-reason').textContent()).resolves.toBe(
      'An order or contract is still open',
    );
    await screenshot(page, 'privacy-requests-rejected');
    const me = await call('GET', '/store/v1/me', asCustomer(martaToken));
    expect(me.body).toMatchObject({ erasure_request: { status: 'rejected', reason: 'open_contract' } });
  });

  it('confirms Pablo’s request behind a modal that says it cannot be undone, and he is gone', async () => {
    await page.getByTestId('privacy-requests-filter').getByText('Pending').click();
    await row(pablo.id).getByTestId('privacy-request-confirm').click();
    const modal = page.getByTestId('erasure-confirm-modal');
    expect(await modal.textContent()).toContain('cannot be undone');
    await screenshot(page, 'privacy-requests-confirm');
    const confirmed = page.waitForResponse((r) => r.url().includes('/confirm'));
    await modal.getByTestId('erasure-confirm-submit').click();
    expect((await confirmed).status()).toBe(200);
    await modal.waitFor({ state: 'detached' });
    await page.getByTestId('list-empty').waitFor();
    expect(await page.getByTestId('list-empty').textContent()).toContain('No requests to decide');
    await screenshot(page, 'privacy-requests-empty');

    await page.getByTestId('privacy-requests-filter').getByText('Erased').click();
    await row(pablo.id).waitFor();
    await expect.poll(() => row(pablo.id).getByTestId('privacy-request-customer').count()).toBe(0);
    await screenshot(page, 'privacy-requests-completed');

    // Gone everywhere a person could look: the profile, search by his email and phone, and his own link.
    expect(
      (await call('GET', `/v1/customers/${pablo.id}`, { Authorization: `Bearer ${server.apiKey}` })).status,
    ).toBe(404);
    for (const q of [PABLO_EMAIL, '+34611222333']) {
      const found = await api<{ data: unknown[] }>('GET', `/v1/customers?q=${encodeURIComponent(q)}`);
      expect(found.data).toEqual([]);
    }
    expect((await call('GET', '/store/v1/me', asCustomer(pabloToken))).status).toBe(401);
    await page.goto(`${server.url}/customers/${pablo.id}`);
    await page.getByTestId('customer-error').waitFor();
    // Marta is untouched.
    expect((await api<{ id: string }>('GET', `/v1/customers/${marta.id}`)).id).toBe(marta.id);
  });

  it('speaks Spanish and Russian', async () => {
    await page.goto(`${server.url}/customers/privacy-requests?status=all`);
    await row(marta.id).waitFor();
    for (const [language, rejected] of [
      ['es', 'Rechazada'],
      ['ru', 'Отклонён'],
    ] as const) {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId(`language-option-${language}`).click();
      await expect(row(marta.id).getByTestId('privacy-request-status').textContent()).resolves.toBe(rejected);
      await screenshot(page, `privacy-requests-${language}`);
    }
    await page.getByTestId('language-switcher').click();
    await page.getByTestId('language-option-en').click();
  });

  it('lets an agent restrict processing but not erase or decide requests', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const agentPage = await context.newPage();
    try {
      await signIn(agentPage, AGENT.email, AGENT.password);
      await agentPage.getByTestId('customers-table').waitFor();
      await expect.poll(() => agentPage.getByTestId('customers-privacy-requests').count()).toBe(0);
      await agentPage.goto(`${server.url}/customers/${marta.id}`);
      await agentPage.getByTestId('customer-name').waitFor();
      await agentPage.getByTestId('customer-restrict-button').waitFor();
      await expect.poll(() => agentPage.getByTestId('customer-erase-button').count()).toBe(0);
      await screenshot(agentPage, 'customer-360-agent');
      await agentPage.getByTestId('customer-restrict-button').click();
      await agentPage.getByTestId('confirm-submit').click();
      await agentPage.getByTestId('customer-restricted-badge').waitFor();
      expect((await api<{ restricted: boolean }>('GET', `/v1/customers/${marta.id}`)).restricted).toBe(true);
      // The queue is not theirs: its address sends them back to the customers list.
      await agentPage.goto(`${server.url}/customers/privacy-requests`);
      await agentPage.waitForURL(/\/customers$/);
    } finally {
      await context.close();
    }
  });
});
