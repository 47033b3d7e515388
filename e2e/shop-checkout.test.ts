/**
 * The `/shop` bag, checkout and order status in a real browser against a real server started from the CLI with
 * demo data, through the public /store/v1 API only: a shopper in Madrid adds two items, collects one at the Madrid
 * store and has the other delivered, enters her details, tries a card the bank declines (she is told, and nothing
 * is ordered), pays with the test Visa token and lands on her order's status page; she reads it in Spanish; her
 * next order's card needs her bank (3-D Secure): she approves it on the processor's page, comes back to the shop
 * and the order is placed; and the UK shop prices its own bag in pounds.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Product {
  handle: string;
  title: string;
  variants: Array<{ sku: string; options: Record<string, string> }>;
}
interface Availability {
  skus: Array<{ sku: string; locations: Array<{ code: string; kind: string; available: number }> }>;
}
interface Pick {
  product: Product;
  sku: string;
  options: Record<string, string>;
}

const MADRID = { latitude: 40.4168, longitude: -3.7038 };

describe('shop checkout', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let eurKey = '';
  let gbpKey = '';
  let collect: Pick;
  let deliver: Pick;

  async function store<T>(key: string, path: string, init: RequestInit = {}): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** Two products of different shapes: one with a size the Madrid store has now, one the warehouse ships. */
  async function findProducts(): Promise<[Pick, Pick]> {
    const list = await store<{ data: Product[] }>(eurKey, '/store/v1/products?limit=60&locale=en');
    let atStore: Pick | null = null;
    let shipped: Pick | null = null;
    for (const product of list.data) {
      const skus = product.variants.map((v) => v.sku).join(',');
      const where = await store<Availability>(eurKey, `/store/v1/availability?skus=${skus}`);
      const pick = (code: string) =>
        where.skus.find((s) => s.locations.some((l) => l.code === code && l.available >= 2));
      const variantOf = (sku: string) => product.variants.find((v) => v.sku === sku)!;
      if (!atStore && pick('MAD01')) {
        const sku = pick('MAD01')!.sku;
        atStore = { product, sku, options: variantOf(sku).options };
      } else if (!shipped && pick('WH-GTF')) {
        const sku = pick('WH-GTF')!.sku;
        shipped = { product, sku, options: variantOf(sku).options };
      }
      if (atStore && shipped) return [atStore, shipped];
    }
    throw new Error('the demo has no product stocked in Madrid and another in the warehouse');
  }

  async function addToBag(pick: Pick) {
    await page.goto(`${server.url}/shop/p/${pick.product.handle}`);
    await page.getByTestId('shop-product').waitFor();
    for (const [name, value] of Object.entries(pick.options)) {
      const testId = name === 'colour' ? 'shop-colour' : 'shop-size';
      await page.locator(`[data-testid="${testId}"][data-value="${value}"]`).click();
    }
    await expect.poll(() => page.getByTestId('shop-variant-sku').innerText()).toBe(`Ref. ${pick.sku}`);
    await page.getByTestId('shop-add-to-bag').click();
    await page.getByTestId('shop-added').waitFor();
  }

  const line = (sku: string) => page.locator(`[data-testid="shop-bag-line"][data-sku="${sku}"]`);
  const cartInBrowser = () =>
    page.evaluate(
      (key) => JSON.parse(localStorage.getItem(`omnis.shop.cart.${key}`) ?? 'null'),
      eurKey,
    ) as Promise<{
      id: string;
      secret: string;
    } | null>;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    eurKey = /web shop publishable key (pk_\S+)/.exec(server.output())![1]!;
    gbpKey = /UK online shop \(GBP\) publishable key (pk_\S+)/.exec(server.output())![1]!;
    [collect, deliver] = await findProducts();
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'en-US',
      geolocation: MADRID,
      permissions: ['geolocation'],
    });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('starts with an empty bag that says so', async () => {
    await page.goto(`${server.url}/shop/cart?key=${eurKey}&key=${gbpKey}`);
    await page.getByTestId('shop-bag-empty').waitFor();
    await expect.poll(() => page.getByTestId('shop-mini-bag').getAttribute('data-count')).toBe('0');
    await screenshot(page, 'shop-bag-empty');
  });

  it('adds two items from their product pages; the mini-bag counts them', async () => {
    await addToBag(collect);
    await expect.poll(() => page.getByTestId('shop-mini-bag').getAttribute('data-count')).toBe('1');
    await screenshot(page, 'shop-product-added');
    await addToBag(deliver);
    await expect.poll(() => page.getByTestId('shop-mini-bag').getAttribute('data-count')).toBe('2');
    await page.getByTestId('shop-mini-bag').hover();
    await page.getByTestId('shop-mini-bag-panel').waitFor();
    await expect
      .poll(() => page.getByTestId('shop-mini-bag-panel').innerText())
      .toContain(collect.product.title);
    await screenshot(page, 'shop-mini-bag');
  });

  it('collects one item at the Madrid store and has the other delivered', async () => {
    await page.getByTestId('shop-added-view-bag').click();
    await page.waitForURL(/\/shop\/cart$/);
    await page.getByTestId('shop-bag').waitFor();
    await expect.poll(() => page.getByTestId('shop-bag-line').count()).toBe(2);
    await expect
      .poll(() => line(collect.sku).getByTestId('shop-bag-line-title').innerText())
      .toBe(collect.product.title);
    await expect.poll(() => page.getByTestId('shop-total').innerText()).toMatch(/€\d+\.\d{2}/);

    await line(collect.sku).getByTestId('shop-bag-mode').getByText('Pick up in store').click();
    const finder = line(collect.sku).getByTestId('shop-bag-store-finder');
    const madrid = finder.locator('[data-testid="shop-store"][data-code="MAD01"]');
    await madrid.getByTestId('shop-store-pick').click();
    await expect.poll(() => line(collect.sku).getAttribute('data-mode')).toBe('pickup');
    await madrid.getByTestId('shop-store-picked').waitFor();
    expect(await line(deliver.sku).getAttribute('data-mode')).toBe('ship');
    await screenshot(page, 'shop-bag');
  });

  it('refuses a declined card clearly and orders nothing', async () => {
    await page.getByTestId('shop-go-checkout').click();
    await page.getByTestId('shop-checkout').waitFor();
    await page.getByTestId('shop-test-tokens-help').waitFor();
    await page.getByTestId('shop-checkout-email').fill('lucia.shopper@example.com');
    await page.getByTestId('shop-address-name').fill('Lucía Martín');
    await page.getByTestId('shop-address-line1').fill('Calle Mayor 10');
    await page.getByTestId('shop-address-postal-code').fill('28013');
    await page.getByTestId('shop-address-city').fill('Madrid');
    await page.getByTestId('shop-checkout-save').click();
    // Delivered to Spain: Spanish VAT is now in the breakdown; nothing is left to fill in.
    await page.getByTestId('shop-checkout-not-ready').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('shop-tax').innerText()).toMatch(/€[1-9]\d*\.\d{2}/);

    await page.locator('[data-token="tok_declined"]').check();
    await page.getByTestId('shop-place-order').click();
    await page.getByTestId('shop-payment-declined').waitFor();
    await expect
      .poll(() => page.getByTestId('shop-payment-declined').innerText())
      .toContain('Your payment was declined');
    expect(page.url()).toMatch(/\/shop\/checkout$/);
    // Nothing was ordered: the cart is still open, with both lines.
    const known = (await cartInBrowser())!;
    const cart = await store<{ status: string; lines: unknown[] }>(eurKey, `/store/v1/carts/${known.id}`, {
      headers: { 'X-Cart-Secret': known.secret },
    });
    expect(cart.status).toBe('open');
    expect(cart.lines).toHaveLength(2);
    // The header is sticky: back to the top, so the full-page picture shows it once, above the form.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'shop-checkout-declined');
  });

  it('pays with the test Visa token and shows the order status page', async () => {
    await page.locator('[data-token="tok_visa"]').check();
    await screenshot(page, 'shop-checkout');
    await page.getByTestId('shop-place-order').click();
    await page.waitForURL(/\/shop\/orders\/ord_/);
    await page.getByTestId('shop-order').waitFor();
    await expect.poll(() => page.getByTestId('shop-order').getAttribute('data-status')).toBe('paid');
    await expect.poll(() => page.getByTestId('shop-order-status').textContent()).toBe('Paid');
    await expect.poll(() => page.getByTestId('shop-order-line').count()).toBe(2);
    const pickupLine = page.locator('[data-testid="shop-order-line"][data-mode="pickup"]');
    await expect.poll(() => pickupLine.innerText()).toContain('Alba Madrid');
    await expect
      .poll(() => page.locator('[data-testid="shop-order-line"][data-mode="ship"]').count())
      .toBe(1);
    await expect
      .poll(() => page.getByTestId('shop-order-preferences').getAttribute('href'))
      .toBe('/preferences');
    // The bag is done: a new one starts next time.
    await expect.poll(() => page.getByTestId('shop-mini-bag').getAttribute('data-count')).toBe('0');
    expect(await cartInBrowser()).toBeNull();
    await screenshot(page, 'shop-order');

    await page.getByTestId('shop-language').getByText('ES', { exact: true }).click();
    await expect.poll(() => page.getByTestId('shop-order-status').textContent()).toBe('Pagado');
    await screenshot(page, 'shop-order-es');
    await page.getByTestId('shop-language').getByText('RU', { exact: true }).click();
    await expect.poll(() => page.getByTestId('shop-order-status').textContent()).toBe('Оплачен');
    await page.getByTestId('shop-language').getByText('EN', { exact: true }).click();
  });

  it('approves a 3-D Secure card on the bank page, comes back to the shop and the order is placed', async () => {
    await addToBag(deliver);
    await page.getByTestId('shop-added-view-bag').click();
    await page.getByTestId('shop-go-checkout').click();
    await page.getByTestId('shop-checkout').waitFor();
    await page.getByTestId('shop-checkout-email').fill('lucia.shopper@example.com');
    await page.getByTestId('shop-address-name').fill('Lucía Martín');
    await page.getByTestId('shop-address-line1').fill('Calle Mayor 10');
    await page.getByTestId('shop-address-postal-code').fill('28013');
    await page.getByTestId('shop-address-city').fill('Madrid');
    await page.getByTestId('shop-checkout-save').click();
    await page.getByTestId('shop-checkout-not-ready').waitFor({ state: 'detached' });
    await page.locator('[data-token="tok_async"]').check();
    await page.getByTestId('shop-place-order').click();
    // The test processor's own approval page, on its own origin.
    await page.getByTestId('processor-approval').waitFor();
    expect(page.url()).toMatch(/\/v1\/payment_intents\/pi_\w+\/authenticate$/);
    await screenshot(page, 'shop-bank-approval');
    await page.getByTestId('processor-approve').click();
    await page.waitForURL(/\/shop\/orders\/ord_/);
    await expect.poll(() => page.getByTestId('shop-order').getAttribute('data-status')).toBe('paid');
    expect(await cartInBrowser()).toBeNull();
  });

  it('keeps a separate bag in the UK shop, priced in pounds', async () => {
    await page.getByTestId('shop-switcher').click();
    await page.getByRole('option', { name: 'UK online shop · GBP' }).click();
    await addToBag(deliver);
    await page.getByTestId('shop-added-view-bag').click();
    await page.getByTestId('shop-bag').waitFor();
    await expect.poll(() => page.getByTestId('shop-total').innerText()).toMatch(/£\d+\.\d{2}/);
    await expect.poll(() => page.getByTestId('shop-price-breakdown').innerText()).not.toContain('€');
    await screenshot(page, 'shop-bag-gbp');
  });
});
