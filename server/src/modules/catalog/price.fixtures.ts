/**
 * @module Test data for the price and promotion tests: products with variants, channels, customers and segments,
 * made through the same HTTP API a merchant uses. Each call makes new, unique things (no shared fixtures).
 */
import type { TestContext } from '../../../test/harness';

let serial = 0;
const next = () => `${Date.now().toString(36)}${(++serial).toString(36)}`.toUpperCase();

type Ctx = () => TestContext;

export function priceFixtures(t: Ctx) {
  const api = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    role: 'admin' | 'agent' | 'associate' | 'marketer' | 'analyst' = 'admin',
  ) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as(role),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  /** A product with one variant per size; returns the product id and the variant ids in size order. */
  async function product(
    options: { sizes?: string[]; category_ids?: string[] } = {},
  ): Promise<{ id: string; variants: string[] }> {
    const n = next();
    const sizes = options.sizes ?? ['S', 'M'];
    const res = await api('POST', '/v1/products', {
      title: { en: `Tee ${n}` },
      status: 'active',
      options: [{ name: 'size', values: sizes }],
      ...(options.category_ids ? { category_ids: options.category_ids } : {}),
      variants: sizes.map((size) => ({ sku: `TEE-${n}-${size}`, options: { size } })),
    });
    if (res.statusCode !== 201) throw new Error(`product: ${res.statusCode} ${res.body}`);
    const body = res.json() as { id: string; variants: Array<{ id: string }> };
    return { id: body.id, variants: body.variants.map((v) => v.id) };
  }

  /** One variant of a new product: the usual unit of a price test. */
  const variant = async () => (await product({ sizes: ['M'] })).variants[0]!;

  async function category(parentId?: string): Promise<string> {
    const n = next().toLowerCase();
    const res = await api('POST', '/v1/categories', {
      handle: `cat-${n}`,
      name: { en: `Category ${n}` },
      ...(parentId ? { parent_id: parentId } : {}),
    });
    if (res.statusCode !== 201) throw new Error(`category: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }

  async function channel(kind: 'web' | 'store' | 'app' = 'web', name = `Channel ${next()}`): Promise<string> {
    const created = await t().omnis.services.channels.createChannel(
      { kind, name },
      { type: 'system', id: null, label: 'test' },
    );
    return created.id;
  }

  async function customer(): Promise<{ id: string; email: string }> {
    const email = `shopper-${next().toLowerCase()}@prices.example`;
    const res = await api('POST', '/v1/customers', { identifiers: [{ type: 'email', value: email }] });
    if (res.statusCode !== 200) throw new Error(`customer: ${res.statusCode} ${res.body}`);
    return { id: (res.json() as { customer: { id: string } }).customer.id, email };
  }

  /** A segment holding exactly these customers (by email), filled when saved. */
  async function segmentOf(emails: string[]): Promise<string> {
    const res = await api('POST', '/v1/segments', {
      name: `Members ${next()}`,
      rule: { any: emails.map((value) => ({ type: 'identifier', identifier_type: 'email', value })) },
    });
    if (res.statusCode !== 201) throw new Error(`segment: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }

  async function basePrice(variantId: string, amount: number, currency = 'EUR') {
    const res = await api('POST', '/v1/prices', { variant_id: variantId, currency, amount });
    if (res.statusCode !== 201) throw new Error(`price: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }

  async function priceList(body: Record<string, unknown>): Promise<string> {
    const res = await api('POST', '/v1/price-lists', { name: `List ${next()}`, ...body });
    if (res.statusCode !== 201) throw new Error(`price list: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: string }).id;
  }

  async function promotion(body: Record<string, unknown>): Promise<{ id: string; code: string | null }> {
    const res = await api('POST', '/v1/promotions', { name: `Offer ${next()}`, ...body });
    if (res.statusCode !== 201) throw new Error(`promotion: ${res.statusCode} ${res.body}`);
    return res.json() as { id: string; code: string | null };
  }

  /** A fresh promotion code. */
  const code = (prefix = 'CODE') => `${prefix}${next()}`;

  return {
    api,
    product,
    variant,
    category,
    channel,
    customer,
    segmentOf,
    basePrice,
    priceList,
    promotion,
    code,
  };
}
