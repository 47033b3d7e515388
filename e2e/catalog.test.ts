/**
 * Catalog in a real browser against a real server started from the CLI: a merchandiser creates a store price
 * list, creates a linen shirt with two variants (a wrong GTIN check digit is refused next to the field), gives
 * it a base price and a store-only price, attaches a size chart, publishes it to the web shop and gives
 * Instagram its own title — then finds it by full-text search and by scanning its barcode, and sets up a
 * promotion whose redemptions show in a chart.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

describe('catalog', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const channels: Record<string, string> = {};
  let productId = '';

  const GOOD_GTIN = '4006381333931';
  const SECOND_GTIN = '5901234123457';
  const BAD_GTIN = '5901234123458';

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

  /** Picks an option in a Mantine Select or MultiSelect. */
  async function choose(testId: string, option: string) {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const existing = await api<{ data: Array<{ id: string; kind: string; name: string }> }>(
      'GET',
      '/v1/channels?limit=100',
    );
    for (const [kind, name] of [
      ['web', 'Web shop'],
      ['store', 'Madrid store'],
      ['instagram', 'Instagram'],
    ] as const) {
      const found = existing.data.find((c) => c.kind === kind);
      channels[kind] = found
        ? found.id
        : (await api<{ id: string }>('POST', '/v1/channels', { kind, name })).id;
    }
    await api('POST', '/v1/size-charts', {
      name: 'Shirts (unisex)',
      unit: 'cm',
      columns: [
        { key: 'chest', label: { en: 'Chest', es: 'Pecho', ru: 'Грудь' } },
        { key: 'length', label: { en: 'Length', es: 'Largo', ru: 'Длина' } },
      ],
      rows: [
        { size: 'S', values: { chest: [88, 94], length: 70 } },
        { size: 'M', values: { chest: [96, 102], length: 72 } },
      ],
      fit_notes: { en: 'Relaxed fit: take your usual size.' },
    });
    // Other products, so the list has facets to show.
    await api('POST', '/v1/products/bulk', {
      products: [
        { title: { en: 'Cotton tee' }, brand: 'Basics', tags: ['summer'], status: 'active' },
        { title: { en: 'Wool scarf' }, brand: 'Nordic', tags: ['winter'], status: 'active' },
        { title: { en: 'Denim jacket' }, brand: 'Basics', tags: ['denim'] },
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('signs in and shows the products with facets', async () => {
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(server.email);
    await page.getByTestId('signin-password').fill(server.password);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(/\/customers$/);
    await page.getByTestId('nav-catalog').click();
    await page.getByTestId('products-table').waitFor();
    expect(await page.getByTestId('product-row').count()).toBe(3);
    await expect.poll(() => page.getByTestId('facet-brand').count()).toBe(2);
    await screenshot(page, 'catalog-products');
  });

  it('creates a store-only price list', async () => {
    await page.getByTestId('catalog-tab-price-lists').click();
    await page.getByTestId('list-empty').waitFor();
    await screenshot(page, 'catalog-price-lists-empty');
    await page.getByTestId('price-list-create').first().click();
    await page.getByTestId('price-list-name').fill('Madrid store prices');
    await choose('price-list-channels', 'Madrid store');
    await page.keyboard.press('Escape');
    await screenshot(page, 'catalog-price-list-form');
    await page.getByTestId('price-list-save').click();
    await page.getByTestId('price-list-row').waitFor();
    expect(await page.getByTestId('price-lists-table').innerText()).toContain('Madrid store prices');
    await screenshot(page, 'catalog-price-lists');
  });

  it('creates a product with two variants; a wrong GTIN is refused next to its field', async () => {
    await page.getByTestId('catalog-tab-products').click();
    await page.getByTestId('product-create').click();
    await page.getByTestId('product-title-en').fill('Linen shirt');
    await page.getByTestId('product-description-en').fill('Breathable linen for hot days.');
    await page.getByTestId('locale-tab-es').click();
    await page.getByTestId('product-title-es').fill('Camisa de lino');
    await page.getByTestId('locale-tab-ru').click();
    await page.getByTestId('product-title-ru').fill('Льняная рубашка');
    await page.getByTestId('product-brand').fill('Lino');
    await page.getByTestId('product-status').click();
    await page.getByRole('option', { name: 'Active', exact: true }).click();
    await page.getByTestId('product-tags').fill('summer');
    await page.keyboard.press('Enter');
    await page.getByTestId('option-add').click();
    await page.getByTestId('option-name').fill('size');
    await page.getByTestId('option-values').fill('S');
    await page.keyboard.press('Enter');
    await page.getByTestId('option-values').fill('M');
    await page.keyboard.press('Enter');
    await screenshot(page, 'catalog-product-new');
    await page.getByTestId('product-save').click();
    await page.waitForURL(/\/catalog\/products\/prd_/);
    productId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByTestId('variants-empty').waitFor();

    await page.getByTestId('variant-add').click();
    await page.getByTestId('variant-sku').fill('LIN-S');
    await page.getByTestId('variant-gtin').fill(GOOD_GTIN);
    await choose('variant-option-size', 'S');
    await page.getByTestId('variant-save').click();
    await page.locator('[data-testid="variant-row"][data-sku="LIN-S"]').waitFor();

    await page.getByTestId('variant-add').click();
    await page.getByTestId('variant-sku').fill('LIN-M');
    await page.getByTestId('variant-gtin').fill(BAD_GTIN);
    await choose('variant-option-size', 'M');
    await page.getByTestId('variant-save').click();
    const gtinError = page.getByTestId('variant-form').getByText(/wrong check digit/);
    await gtinError.waitFor();
    await screenshot(page, 'catalog-variant-bad-gtin');
    await page.getByTestId('variant-gtin').fill(SECOND_GTIN);
    await page.getByTestId('variant-save').click();
    await page.locator('[data-testid="variant-row"][data-sku="LIN-M"]').waitFor();
    expect(await page.getByTestId('variant-row').count()).toBe(2);
  });

  it('prices the variants, with a store exception the editor explains', async () => {
    const rows = page.getByTestId('price-row');
    for (const sku of ['LIN-S', 'LIN-M']) {
      const row = page.locator(`[data-testid="price-row"][data-sku="${sku}"]`);
      await row.getByTestId('base-price-input').fill('29.99');
      await row.getByTestId('base-price-save').click();
      await expect.poll(() => row.getByTestId('base-price-save').isDisabled()).toBe(true);
    }
    expect(await rows.count()).toBe(2);
    await choose('list-price-list', 'Madrid store prices');
    await page.getByTestId('list-price-amount').fill('24.99');
    await page.getByTestId('list-price-add').click();
    await page.getByTestId('list-price').waitFor();
    expect(await page.getByTestId('list-price').innerText()).toContain('€24.99');

    const differs = page.locator('[data-testid="channel-price-row"][data-differs="true"]');
    await differs.first().waitFor();
    expect(await differs.count()).toBe(1);
    expect(await differs.innerText()).toContain('Madrid store');
    expect(await differs.innerText()).toContain('€24.99');

    await choose('explain-channel', 'Madrid store');
    await expect.poll(() => page.getByTestId('explain-price').innerText()).toBe('€24.99');
    expect(await page.getByTestId('explain-reason').innerText()).toMatch(/Madrid store prices/);
    await page.getByTestId('prices-panel').scrollIntoViewIfNeeded();
    await screenshot(page, 'catalog-product-prices');
  });

  it('attaches a size chart, publishes to the web shop and gives Instagram its own title', async () => {
    await choose('size-chart-select', 'Shirts (unisex)');
    await page.getByTestId('size-chart-table').waitFor();
    expect(await page.getByTestId('size-chart-source').innerText()).toMatch(/^attached$/i);
    expect(await page.getByTestId('size-chart-table').innerText()).toContain('88–94');

    const web = page.locator('[data-testid="publication-row"][data-channel="Web shop"]');
    await web.getByTestId('publication-toggle').click();
    await expect.poll(() => web.getByTestId('publication-state').innerText()).toMatch(/^published$/i);

    const instagram = page.locator('[data-testid="publication-row"][data-channel="Instagram"]');
    await instagram.getByTestId('override-edit').click();
    await page.getByTestId('override-title-en').fill('Linen shirt — summer drop');
    await screenshot(page, 'catalog-channel-override');
    await page.getByTestId('override-save').click();
    await instagram.getByTestId('publication-differs').waitFor();
    expect(await instagram.getByTestId('publication-differs').innerText()).toBe('Title differs on Instagram');

    const product = await api<{ channels: Array<{ channel_id: string; published: boolean }> }>(
      'GET',
      `/v1/products/${productId}`,
    );
    expect(product.channels.find((c) => c.channel_id === channels.web)?.published).toBe(true);
    await screenshot(page, 'catalog-product-editor');
  });

  it('finds the product by search and by barcode', async () => {
    await page.goto(`${server.url}/catalog`);
    const answered = page.waitForResponse(
      (r) => r.url().includes('/v1/products?') && new URL(r.url()).searchParams.get('q') === 'lino',
    );
    await page.getByTestId('product-search').fill('lino');
    await answered;
    await expect.poll(() => page.getByTestId('product-row').count()).toBe(1);
    expect(await page.getByTestId('product-row-link').innerText()).toBe('Linen shirt');
    await screenshot(page, 'catalog-products-search');

    await page.getByTestId('product-search').fill('');
    await page.getByTestId('barcode-lookup').fill('999999999999');
    await page.getByTestId('barcode-lookup').press('Enter');
    await page.getByText('No variant has the code 999999999999').waitFor();
    await page.getByTestId('barcode-lookup').fill(SECOND_GTIN);
    await page.getByTestId('barcode-lookup').press('Enter');
    await page.waitForURL(new RegExp(`/catalog/products/${productId}$`));
    await page.getByTestId('product-heading').waitFor();
    expect(await page.getByTestId('product-heading').innerText()).toBe('Linen shirt');
  });

  it('creates a promotion and shows its redemptions', async () => {
    await page.goto(`${server.url}/catalog/promotions`);
    await page.getByTestId('list-empty').waitFor();
    await page.getByTestId('promotion-create').first().click();
    await page.getByTestId('promotion-name').fill('Summer 10');
    await page.getByTestId('promotion-code').fill('SUMMER10');
    await page.getByTestId('promotion-percent').fill('10');
    await page.getByTestId('promotion-usage-limit').fill('100');
    await screenshot(page, 'catalog-promotion-form');
    await page.getByTestId('promotion-save').click();
    await page.getByTestId('promotion-row').waitFor();

    for (const reference of ['order-1', 'order-2', 'order-3']) {
      await api('POST', '/v1/promotions/redeem', {
        reference,
        channel_id: channels.web,
        codes: ['SUMMER10'],
      });
    }
    await page.reload();
    await page.getByTestId('promotion-row').waitFor();
    expect(await page.getByTestId('promotion-usage').innerText()).toContain('3 of 100 used');
    await screenshot(page, 'catalog-promotions');
    await page.getByTestId('promotion-row').click();
    await page.getByTestId('redemptions-chart').locator('.recharts-surface').waitFor();
    await screenshot(page, 'catalog-promotion-redemptions');
  });
});
