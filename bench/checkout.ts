/**
 * @module Checkout benchmark: concurrent shoppers take carts of 3 lines each through
 * `POST /store/v1/carts/:id/checkout` (publishable key + cart secret, gift card tender) to placed orders — orders
 * per second, p50/p99, and oversell (must be 0): one of the three SKUs is short, so the last checkouts race the
 * refusals. Next to it, in the same run on the same database, the inventory benchmark's hot-SKU reservation rate
 * (what one of checkout's steps costs alone). SQLite, or PostgreSQL with --database-url.
 */
import { randomBytes } from 'node:crypto';
import { systemActor } from '../server/src/platform/auth/principal';
import type { HttpBenchOptions } from './http';
import {
  machineHeader,
  measureHotHttp,
  num,
  percentile,
  startOmnis,
  stockHotSkus,
  table,
  withDatabase,
  type Omnis,
  type Row,
} from './inventory';

const CARTS = 600;
/** Units of the short SKU: the last checkouts find it sold out and must be refused (409), never oversold. */
const SHORT_UNITS = 500;
const WARMUP_CARTS = 30;

interface Shop {
  channelId: string;
  key: string;
  skus: string[];
  shortSku: string;
}

async function openShop(target: Omnis): Promise<Shop> {
  const s = target.omnis.services;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const channel = await s.channels.createChannel(
    { kind: 'web', name: `Bench shop ${tag}`, config: { currency: 'EUR', country: 'ES' } },
    systemActor,
  );
  const warehouse = await s.locations.createLocation(
    {
      kind: 'warehouse',
      name: `Bench DC ${tag}`,
      code: `DC${tag}`,
      address: { line1: 'Calle 1', postal_code: '28901', city: 'Getafe', country: 'ES' },
      latitude: 40.3054,
      longitude: -3.7326,
      timezone: 'Europe/Madrid',
    },
    systemActor,
  );
  await s.allocations.updateAllocation(
    channel.id,
    { locations: [{ location_id: warehouse.id, priority: 1 }] },
    systemActor,
  );
  const skus: string[] = [];
  for (let i = 0; i < 20; i++) {
    const sku = `CHK-${tag}-${i}`;
    const product = await s.catalog.products.createProduct(
      { title: { en: `Bench tee ${i}` }, status: 'active', variants: [{ sku }] },
      systemActor,
    );
    await s.prices.createPrice(
      { variant_id: product.variants[0]!.id, currency: 'EUR', amount: 1000 + i * 100 },
      systemActor,
    );
    await s.catalog.publication.publish(product.id, [channel.id], systemActor);
    skus.push(sku);
  }
  const shortSku = skus[0]!;
  await s.stock.receiveStock(
    {
      lines: skus.map((sku) => ({
        sku,
        location_id: warehouse.id,
        quantity: sku === shortSku ? SHORT_UNITS + WARMUP_CARTS : 100_000,
      })),
      reason: 'bench',
    },
    systemActor,
  );
  await s.commerce.cartsModule.shipping.createShippingRate(
    { name: 'Bench standard', method: 'standard', countries: ['ES'], currency: 'EUR', amount: 500 },
    systemActor,
  );
  const key = await s.apiKeys.createApiKey(
    { kind: 'publishable', name: `bench shop ${tag}`, channel_id: channel.id },
    systemActor,
  );
  return { channelId: channel.id, key: key.key, skus, shortSku };
}

interface ReadyCart {
  id: string;
  secret: string;
  total: number;
  giftCode: string;
}

/** Carts of 3 lines (the short SKU and two others), each with a gift card that pays it. */
async function fillCarts(target: Omnis, shop: Shop, n: number): Promise<ReadyCart[]> {
  const { commerce } = target.omnis.services;
  const out: ReadyCart[] = [];
  for (let i = 0; i < n; i++) {
    const lines = [shop.shortSku, shop.skus[1 + (i % 19)]!, shop.skus[1 + ((i + 7) % 19)]!].map((sku) => ({
      sku,
      quantity: 1,
    }));
    const { cart } = await commerce.carts.createCart(
      {
        email: `shopper${i}@bench.example`,
        shipping_address: { line1: 'Calle Sol 2', postal_code: '28004', city: 'Madrid', country: 'ES' },
        lines,
      },
      { channelId: shop.channelId, actor: systemActor },
    );
    const pricing = await commerce.pricing.priceCart(cart, { channelId: shop.channelId });
    const gift = await commerce.giftCards.issueGiftCard(
      { amount: pricing.grand_total, channel_id: shop.channelId },
      systemActor,
    );
    out.push({
      id: cart.id,
      secret: await commerce.cartsModule.signer.cartSecret(cart.id),
      total: pricing.grand_total.amount,
      giftCode: gift.code,
    });
  }
  return out;
}

/** `connections` shoppers press Pay on the carts, one after another each. */
async function checkoutAll(target: Omnis, shop: Shop, carts: ReadyCart[], connections: number) {
  const latencies: number[] = [];
  const codes: Record<number, number> = {};
  let next = 0;
  const shopper = async () => {
    for (let i = next++; i < carts.length; i = next++) {
      const c = carts[i]!;
      const started = performance.now();
      const res = await fetch(`${target.base}/store/v1/carts/${c.id}/checkout`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${shop.key}`,
          'x-cart-secret': c.secret,
          'content-type': 'application/json',
          'idempotency-key': `bench-${c.id}`,
        },
        body: JSON.stringify({
          expected_total: { amount: c.total, currency: 'EUR' },
          payments: [{ provider: 'gift_card', method: { code: c.giftCode } }],
        }),
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      codes[res.status] = (codes[res.status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, shopper));
  return { seconds: (performance.now() - started) / 1000, latencies: latencies.sort((a, b) => a - b), codes };
}

async function measureCheckout(target: Omnis, connections: number): Promise<Row> {
  const shop = await openShop(target);
  process.stdout.write(`  preparing ${num(CARTS + WARMUP_CARTS)} carts of 3 lines with their gift cards …\n`);
  const carts = await fillCarts(target, shop, CARTS + WARMUP_CARTS);
  await checkoutAll(target, shop, carts.slice(0, WARMUP_CARTS), connections);
  process.stdout.write(`  measuring ${connections} shoppers checking out ${num(CARTS)} carts …\n`);
  const run = await checkoutAll(target, shop, carts.slice(WARMUP_CARTS), connections);
  const placed = run.codes[201] ?? 0;
  const refused = run.codes[409] ?? 0;
  if (placed + refused !== CARTS)
    throw new Error(`checkout: answers ${JSON.stringify(run.codes)}: the run is not valid.`);
  const { db } = target.omnis.database;
  const levels = await db.selectFrom('stock_levels').selectAll().where('sku', 'in', shop.skus).execute();
  const oversell = levels.reduce((n, l) => n + Math.max(0, Number(l.reserved) - Number(l.on_hand)), 0);
  const sold = levels.find((l) => l.sku === shop.shortSku)!;
  const orders = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel_id', '=', shop.channelId)
    .where('status', '=', 'paid')
    .executeTakeFirstOrThrow();
  const unattached = await db
    .selectFrom('payments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel_id', '=', shop.channelId)
    .where('order_id', 'is', null)
    .where('amount_captured', '>', 0)
    .executeTakeFirstOrThrow();
  const consistent =
    Number(orders.n) === placed + WARMUP_CARTS &&
    Number(sold.reserved) === Math.min(SHORT_UNITS + WARMUP_CARTS, placed + WARMUP_CARTS) &&
    Number(unattached.n) === 0;
  return {
    label: 'Omnis POST /store/v1/carts/:id/checkout (3 lines, gift card)',
    perSecond: placed / run.seconds,
    p50Ms: percentile(run.latencies, 50),
    p99Ms: percentile(run.latencies, 99),
    count: placed,
    note: `oversell ${oversell}; ${refused} refused (409); orders, stock and payments ${consistent ? 'agree' : 'DISAGREE'}`,
  };
}

async function measure(databaseUrl: string | undefined, connections: number): Promise<Row[]> {
  return withDatabase(databaseUrl, async (database, dataDir) => {
    process.stdout.write(`  database  ${database.description}\n`);
    const target = await startOmnis(database.handle, dataDir, databaseUrl);
    try {
      const rows = [await measureCheckout(target, connections)];
      process.stdout.write('  measuring the inventory hot-SKU reservation rate on the same database …\n');
      const setup = await stockHotSkus(target.omnis);
      rows.push(
        await measureHotHttp(target, setup, 64, 'Omnis POST /v1/reservations, coalesced (inventory bench)'),
      );
      return rows;
    } finally {
      await target.close();
    }
  });
}

export const checkoutBenchmark = {
  description: 'carts of 3 lines through storefront checkout to paid orders, next to the reservation rate',
  defaultConnections: 16,
  async run(options: HttpBenchOptions): Promise<void> {
    const pgUrl = options.databaseUrl;
    process.stdout.write(
      `${machineHeader('Checkout benchmark', [
        `  load      ${options.connections} shoppers check out ${num(CARTS)} carts of 3 lines (1 SKU short: ${num(SHORT_UNITS)} units), loopback`,
        `  database  ${pgUrl ? 'PostgreSQL' : 'SQLite'} (give --database-url for PostgreSQL)`,
      ])}\n\n`,
    );
    const rows = await measure(pgUrl, options.connections);
    process.stdout.write(`\n${table(rows)}\n\n`);
    const [chk, res] = [rows[0]!, rows[1]!];
    process.stdout.write(
      `Checkout places ${num(chk.perSecond)} orders/s (p99 ${num(chk.p99Ms, 1)} ms, 3 reservations each); ` +
        `bare reservations run at ${num(res.perSecond)}/s in the same run.\n`,
    );
  },
};
