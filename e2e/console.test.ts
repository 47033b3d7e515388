/**
 * The console in a real browser against a real server started from the CLI: an owner signs in, registers a
 * webhook endpoint and a channel, and watches the signed delivery arrive in the endpoint's delivery log; the
 * console speaks English, Spanish and Russian.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  screenshot,
  startServer,
  startWebhookReceiver,
  type RunningServer,
  type WebhookReceiver,
} from './support';

describe('console', () => {
  let server: RunningServer;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The test's webhook receiver listens on loopback, which Omnis refuses unless the operator allows it.
    const configDir = mkdtempSync(path.join(tmpdir(), 'omnis-e2e-config-'));
    const configFile = path.join(configDir, 'omnis.config.json');
    writeFileSync(configFile, JSON.stringify({ webhookAllowPrivateTargets: true }));
    [server, receiver, browser] = await Promise.all([
      startServer(['--config', configFile]),
      startWebhookReceiver(),
      launchBrowser(),
    ]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.close();
    if (server) expect(await server.stop()).toBe(0); // SIGTERM ends the server cleanly
  });

  it('signs the owner in with the first-run credentials', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-form').waitFor();
    await screenshot(page, 'signin');
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill('not the password');
    await page.getByTestId('signin-submit').click();
    await expect(page.getByTestId('signin-error').textContent()).resolves.toBeTruthy();
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    expect(await page.getByTestId('user-role').textContent()).toMatch(/owner/i);
    await screenshot(page, 'customers-empty-area');
  });

  let secret = '';

  it('creates a webhook endpoint and shows its signing secret once', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-tab-webhooks').click();
    await page.getByTestId('webhook-create-button').click();
    const modal = page.getByTestId('webhook-modal');
    await modal.getByTestId('webhook-url-input').fill(receiver.url);
    await modal.getByTestId('webhook-description-input').fill('ERP order sync');
    await modal.getByTestId('webhook-all-events').check();
    await modal.getByTestId('webhook-submit').click();
    secret = (await page.getByTestId('secret-reveal-value').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    await screenshot(page, 'webhook-secret-once');
    await page.getByTestId('secret-reveal-done').click();
    await page.getByTestId('secret-reveal-modal').waitFor({ state: 'detached' });
    await page.getByTestId('webhook-row').first().waitFor();
    expect(await page.getByTestId('webhook-row').count()).toBe(1);
    expect(await page.content()).not.toContain(secret);
  });

  it('registers a channel with a write-only secret', async () => {
    await page.getByTestId('settings-tab-channels').click();
    await page.getByTestId('channel-create-button').click();
    const modal = page.getByTestId('channel-modal');
    await modal.getByTestId('channel-kind-select').selectOption('store');
    await modal.getByTestId('channel-name-input').fill('Madrid flagship');
    await modal.getByTestId('channel-secret-add').click();
    await modal.getByTestId('channel-secret-new-name-0').fill('pos_token');
    await modal.getByTestId('channel-secret-new-value-0').fill('pos-terminal-secret-42');
    await modal.getByTestId('channel-submit').click();
    await modal.waitFor({ state: 'detached' });
    const row = page.getByTestId('channel-row').filter({ hasText: 'Madrid flagship' });
    await row.waitFor();
    expect(await page.content()).not.toContain('pos-terminal-secret-42');
    await screenshot(page, 'channels');
  });

  it('shows the signed delivery of channel.created in the endpoint’s delivery log', async () => {
    await page.getByTestId('settings-tab-webhooks').click();
    await page.getByTestId('webhook-row-deliveries').first().click();
    await page.getByTestId('webhook-detail').waitFor();
    const delivered = page
      .locator('[data-testid="delivery-row"][data-status="succeeded"]')
      .filter({ hasText: 'channel.created' });
    await delivered.first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'webhook-delivery-log');
    await delivered.first().click();
    await page.getByTestId('delivery-drawer').waitFor();
    await page.getByTestId('delivery-attempt').first().waitFor();
    expect(await page.getByTestId('delivery-payload').textContent()).toContain('Madrid flagship');
    await screenshot(page, 'webhook-delivery-detail');
    await page.keyboard.press('Escape');
    await page.getByTestId('delivery-drawer').waitFor({ state: 'detached' });

    // What the receiver got is what the log shows, and it verifies with the secret shown at creation.
    const request = receiver.received.find((r) => r.body.includes('"channel.created"'));
    expect(request).toBeDefined();
    const headers = Object.fromEntries(Object.entries(request!.headers).map(([k, v]) => [k, String(v)]));
    const payload = new Webhook(secret).verify(request!.body, headers) as {
      type: string;
      data: { data: { name: string } };
    };
    expect(payload.type).toBe('channel.created');
    expect(payload.data.data.name).toBe('Madrid flagship');
  });

  it('switches the whole console to Spanish and Russian', async () => {
    await page.getByTestId('language-switcher').click();
    await page.getByTestId('language-option-es').click();
    await expect(page.getByTestId('nav-customers').textContent()).resolves.toContain('Clientes');
    await screenshot(page, 'webhook-delivery-log-es');
    await page.getByTestId('language-switcher').click();
    await page.getByTestId('language-option-ru').click();
    await expect(page.getByTestId('nav-customers').textContent()).resolves.toContain('Клиенты');
    await page.getByTestId('settings-tab-channels').click();
    await page.getByTestId('channel-row').first().waitFor();
    await screenshot(page, 'channels-ru');
    // The choice is kept in the profile: a reload stays in Russian.
    await page.reload();
    await expect(page.getByTestId('nav-customers').textContent()).resolves.toContain('Клиенты');
  });
});
