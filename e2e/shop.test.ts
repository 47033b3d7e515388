/**
 * The `/shop` storefront in a real browser against a real server started from the CLI with demo data, using only
 * the public /store/v1 API with the demo's publishable keys: a shopper without a key is told how to get one, then
 * opens the link the CLI prints, browses departments and bestsellers, searches (facets, and a search that finds
 * nothing), opens a category and a product on sale, picks a colour and size, reads the size chart, sees which
 * stores near Madrid have her size and when she could pick it up, reads the shop in Spanish and Russian, switches
 * to the UK shop and sees pounds, and meets a product that does not exist.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

interface Product {
  id: string;
  handle: string;
  title: string;
  variants: Array<{ id: string; sku: string; options: Record<string, string> }>;
}
interface Price {
  variant_id: string;
  price: { amount: number; currency: string } | null;
  source: { type: string };
}
interface Availability {
  skus: Array<{ sku: string; locations: Array<{ code: string; kind: string; available: number }> }>;
}

/** Puerta del Sol, Madrid: where the shopper's browser says she is. */
const MADRID = { latitude: 40.4168, longitude: -3.7038 };

describe('shop', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let eurKey = '';
  let gbpKey = '';
  /** A product on sale on the web shop, and one of its variants stocked in the Madrid store. */
  let sale: { product: Product; sku: string; options: Record<string, string> };

  async function store<T>(key: string, path: string): Promise<T> {
    const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  /** A product the web shop sells at a sale price, with a size the Madrid store has for pickup. */
  async function findSaleProductInMadrid() {
    let cursor: string | null = null;
    do {
      const page: { data: Product[]; next_cursor: string | null } = await store(
        eurKey,
        `/store/v1/products?limit=100&locale=en${cursor ? `&cursor=${cursor}` : ''}`,
      );
      const ids = page.data.map((p) => `variant_ids=${p.variants[0]!.id}`).join('&');
      const prices = await store<{ data: Price[] }>(eurKey, `/store/v1/prices?${ids}&currency=EUR`);
      for (const product of page.data) {
        const price = prices.data.find((p) => p.variant_id === product.variants[0]!.id);
        if (price?.source.type !== 'sale') continue;
        const skus = product.variants.map((v) => v.sku).join(',');
        const where = await store<Availability>(
          eurKey,
          `/store/v1/availability?skus=${skus}&latitude=${MADRID.latitude}&longitude=${MADRID.longitude}&mode=pickup`,
        );
        const inMadrid = where.skus.find((s) =>
          s.locations.some((l) => l.code === 'MAD01' && l.available > 0),
        );
        if (!inMadrid) continue;
        const variant = product.variants.find((v) => v.sku === inMadrid.sku)!;
        return { product, sku: variant.sku, options: variant.options };
      }
      cursor = page.next_cursor;
    } while (cursor);
    throw new Error('the demo has no sale product stocked in Madrid');
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    eurKey = /web shop publishable key (pk_\S+)/.exec(server.output())![1]!;
    gbpKey = /UK online shop \(GBP\) publishable key (pk_\S+)/.exec(server.output())![1]!;
    sale = await findSaleProductInMadrid();
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

  it('tells a shopper without a key how to open the shop, and refuses a key the server does not know', async () => {
    // The CLI prints the storefront link with both demo keys.
    expect(server.output()).toContain(`/shop?key=${eurKey}&key=${gbpKey}`);
    await page.goto(`${server.url}/shop`);
    await page.getByTestId('shop-no-key').waitFor();
    await page.getByTestId('shop-key-input').fill('sk_not-a-publishable-key');
    await page.getByTestId('shop-key-submit').click();
    await page.getByText('A publishable key starts with pk_').waitFor();
    await screenshot(page, 'shop-no-key');

    await page.getByTestId('shop-key-input').fill('pk_unknownunknownunknownunknown');
    await page.getByTestId('shop-key-submit').click();
    await page.getByTestId('shop-bad-key').waitFor();
    await screenshot(page, 'shop-bad-key');
  });

  it('opens from the printed link on a home page with departments and priced bestsellers', async () => {
    await page.goto(`${server.url}/shop?key=${eurKey}&key=${gbpKey}`);
    await page.getByTestId('shop-home').waitFor();
    // The keys leave the address bar; the shop is remembered on this device.
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => page.getByTestId('shop-category-chip').count()).toBe(10);
    await expect.poll(() => page.getByTestId('shop-product-card').count()).toBe(8);
    await expect.poll(() => page.getByTestId('shop-grid').innerText()).toMatch(/€\d+\.\d{2}/);
    await expect.poll(() => page.getByTestId('shop-header-shop-name').innerText()).toBe('Web shop');
    await screenshot(page, 'shop-home');
  });

  it('searches with facets, narrows by brand, and says so when nothing matches', async () => {
    await page.getByTestId('shop-search-input').fill('linen');
    await page.getByTestId('shop-search-input').press('Enter');
    await page.waitForURL(/\/shop\/search\?q=linen/);
    await expect.poll(() => page.getByTestId('shop-listing-title').innerText()).toBe('Results for “linen”');
    await expect.poll(() => page.getByTestId('shop-product-card').count()).toBeGreaterThan(0);
    const before = Number((await page.getByTestId('shop-result-count').innerText()).split(' ')[0]);
    // Facet values re-sort by count once one is chosen: hold on to the brand itself, not to a position.
    const facet = page.getByTestId('shop-facet-brand');
    const value = await facet.getByRole('checkbox').first().getAttribute('data-facet-value');
    const brand = facet.locator(`input[data-facet-value="${value}"]`);
    // The filter lives in the address, and react-router applies it in a transition: the box is ticked once the
    // address has changed, not on the click itself (which is what Playwright's check() insists on).
    await brand.click();
    await page.waitForURL(/brand=/);
    await expect.poll(() => brand.isChecked()).toBe(true);
    await expect
      .poll(async () => Number((await page.getByTestId('shop-result-count').innerText()).split(' ')[0]))
      .toBeLessThan(before);
    await screenshot(page, 'shop-search');

    await page.getByTestId('shop-search-input').fill('zzqxv');
    await page.getByTestId('shop-search-input').press('Enter');
    await page.getByTestId('shop-no-results').waitFor();
    await expect
      .poll(() => page.getByTestId('shop-no-results').innerText())
      .toContain('Nothing matches “zzqxv”');
    await screenshot(page, 'shop-search-empty');
  });

  it('browses a category', async () => {
    await page.getByTestId('shop-home-link').click();
    await page.getByTestId('shop-category-chip').filter({ hasText: 'Boots' }).click();
    await page.waitForURL(/\/shop\/c\/boots$/);
    await expect.poll(() => page.getByTestId('shop-listing-title').innerText()).toBe('Boots');
    await expect.poll(() => page.getByTestId('shop-product-card').count()).toBeGreaterThan(3);
    await screenshot(page, 'shop-category');
  });

  it('opens a product on sale, picks the variant, reads the size chart and finds it in stores near Madrid', async () => {
    await page.goto(`${server.url}/shop/p/${sale.product.handle}`);
    await page.getByTestId('shop-product').waitFor();
    await expect.poll(() => page.getByTestId('shop-product-title').innerText()).toBe(sale.product.title);
    await page.locator(`[data-testid="shop-colour"][data-value="${sale.options.colour}"]`).click();
    await page.locator(`[data-testid="shop-size"][data-value="${sale.options.size}"]`).click();
    await expect.poll(() => page.getByTestId('shop-variant-sku').innerText()).toBe(`Ref. ${sale.sku}`);
    // The sale price, with the base price struck through and the saving.
    const price = page.getByTestId('shop-product-price');
    await expect.poll(() => price.getAttribute('data-sale')).toBe('true');
    await expect.poll(() => price.innerText()).toMatch(/€\d+\.95[\s\S]*€\d+\.95[\s\S]*−\d+ %/);

    // The browser may tell where she is: the Madrid store comes first, a short walk away, with a pickup time.
    const first = page.getByTestId('shop-store').first();
    await expect.poll(() => first.getAttribute('data-code')).toBe('MAD01');
    await expect
      .poll(() => first.getByTestId('shop-store-distance').innerText())
      .toMatch(/^(\d+ m|\d\.\d km)$/);
    await expect.poll(() => first.getByTestId('shop-store-promise').innerText()).toMatch(/^Pick up from /);
    await screenshot(page, 'shop-product');

    // Another city: stores listed from there.
    await page.getByTestId('shop-city').click();
    await page.getByRole('option', { name: 'Barcelona' }).click();
    await expect
      .poll(async () => {
        const codes = await page
          .getByTestId('shop-store')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
        return codes.length === 0 || codes[0] !== 'MAD01' || codes.length === 1;
      })
      .toBe(true);

    await page.getByTestId('shop-size-guide').click();
    const chart = page.getByTestId('shop-size-chart');
    await chart.waitFor();
    await expect.poll(() => chart.getByRole('row').count()).toBeGreaterThan(3);
    await expect.poll(() => chart.innerText()).toContain(sale.options.size!);
    await screenshot(page, 'shop-size-chart');
    await page.keyboard.press('Escape');
    await chart.waitFor({ state: 'detached' });
  });

  it('reads the shop in Spanish and Russian, with the catalog’s own titles', async () => {
    const [es, ru] = await Promise.all(
      ['es', 'ru'].map((locale) =>
        store<Product>(eurKey, `/store/v1/products/${sale.product.handle}?locale=${locale}`),
      ),
    );
    await page.getByTestId('shop-language').getByText('ES', { exact: true }).click();
    await expect.poll(() => page.getByTestId('shop-product-title').innerText()).toBe(es!.title);
    await expect.poll(() => page.getByTestId('shop-size-guide').innerText()).toBe('Guía de tallas');
    // Spanish writes euros after the amount with a decimal comma.
    await expect.poll(() => page.getByTestId('shop-product-price').innerText()).toMatch(/\d+,95\s€/);
    await screenshot(page, 'shop-product-es');

    await page.getByTestId('shop-language').getByText('RU', { exact: true }).click();
    await expect.poll(() => page.getByTestId('shop-product-title').innerText()).toBe(ru!.title);
    await expect.poll(() => page.getByTestId('shop-store-finder').innerText()).toContain('Есть в магазинах');
    await screenshot(page, 'shop-product-ru');

    // The choice survives a reload.
    await page.reload();
    await expect.poll(() => page.getByTestId('shop-product-title').innerText()).toBe(ru!.title);
    await page.getByTestId('shop-language').getByText('EN', { exact: true }).click();
    await expect.poll(() => page.getByTestId('shop-product-title').innerText()).toBe(sale.product.title);
  });

  it('switches to the UK shop and shows prices in pounds', async () => {
    await page.getByTestId('shop-switcher').click();
    await page.getByRole('option', { name: 'UK online shop · GBP' }).click();
    await expect.poll(() => page.getByTestId('shop-header-shop-name').innerText()).toBe('UK online shop');
    await expect.poll(() => page.getByTestId('shop-product-price').innerText()).toMatch(/£\d+\.\d{2}/);
    const priced = await store<{ data: Price[] }>(
      gbpKey,
      `/store/v1/prices?variant_ids=${sale.product.variants[0]!.id}&currency=GBP`,
    );
    expect(priced.data[0]!.price!.currency).toBe('GBP');
    await screenshot(page, 'shop-product-gbp');

    await page.getByTestId('shop-home-link').click();
    await expect.poll(() => page.getByTestId('shop-grid').innerText()).toMatch(/£\d+\.\d{2}/);
    await expect.poll(() => page.getByTestId('shop-grid').innerText()).not.toContain('€');
    await screenshot(page, 'shop-home-gbp');
  });

  it('says a product that does not exist is not found, and links to the preference centre', async () => {
    await page.goto(`${server.url}/shop/p/no-such-product`);
    await page.getByTestId('shop-product-missing').waitFor();
    await expect
      .poll(() => page.getByTestId('shop-preferences-link').getAttribute('href'))
      .toBe('/preferences');
    await screenshot(page, 'shop-product-missing');
  });
});
