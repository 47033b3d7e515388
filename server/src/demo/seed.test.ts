/**
 * Someone trying Omnis loads the demo retailer and finds its three stores and its warehouse as locations, about
 * 2,000 SKUs of apparel and shoes with size charts, prices, a sale and a store exception, and stock everywhere.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../test/harness';
import { checkGtin } from '../modules/catalog';
import { demoGtin, gbpPricePoint } from './demo-catalog';
import { seedDemo } from './seed';

describeEachDialect('demo data', (t) => {
  // Meeting 2,000 people through identity resolution takes a while, on PostgreSQL most of all.
  it(
    'registers the three stores, linked to their store channels, and the central warehouse',
    { timeout: 180_000 },
    async () => {
      const lines: string[] = [];
      const result = await seedDemo(t().omnis.services, (line) => lines.push(line));
      expect(result.locations).toBe(4);
      expect(lines.filter((l) => l.startsWith('locations '))).toHaveLength(4);
      expect(lines).toContain('locations 4/4: WH-GTF Alba central warehouse — Getafe');

      const { data: locations } = await t().omnis.services.locations.listLocations({});
      const stores = locations.filter((l) => l.kind === 'store');
      expect(stores.map((s) => s.code).sort()).toEqual(['BCN01', 'MAD01', 'VLC01']);
      for (const store of stores) {
        const channel = await t().omnis.services.channels.retrieveChannel(store.channel_id!);
        expect(channel.kind).toBe('store');
        expect(channel.config.store_code).toBe(store.code);
        expect(channel.config.coordinates).toEqual({ lat: store.latitude, lng: store.longitude });
        expect(store.opening_hours.mon).toEqual([['10:00', '21:00']]);
        expect(store.opening_hours.sun).toEqual([]);
      }

      const warehouses = locations.filter((l) => l.kind === 'warehouse');
      expect(warehouses).toHaveLength(1);
      expect(warehouses[0]).toMatchObject({
        code: 'WH-GTF',
        channel_id: null,
        address: { city: 'Getafe', country: 'ES' },
        timezone: 'Europe/Madrid',
      });
      expect(warehouses[0]!.opening_hours.fri).toEqual([['06:00', '22:00']]);
      expect(warehouses[0]!.opening_hours.sat).toEqual([]);

      // About 2,000 people, some met twice and merged by identity resolution, and the one household it refuses.
      expect(result.customers.people).toBe(2000);
      expect(result.customers.merges).toBeGreaterThan(100);
      expect(result.customers.profiles).toBeGreaterThan(1900);
      const household = await t().omnis.services.customers.listCustomers({ q: 'casa.moreno@gmail.example' });
      expect(household.data).toHaveLength(1);
      const carmen = await t().omnis.services.customers.listCustomers({ q: '+34 611 000 222' });
      expect(carmen.data).toHaveLength(1);
      expect(carmen.data[0]!.id).not.toBe(household.data[0]!.id);
      const log = await t().omnis.services.customers.identityLog(carmen.data[0]!.id, {});
      expect(log.data.map((e) => e.kind)).toContain('conflict');

      await checkCatalogAndStock(t(), lines, result.catalog);
      await checkSecondShop(t(), result);
      await checkContactCentre(t(), lines);
    },
  );
});

async function checkCatalogAndStock(
  ctx: TestContext,
  lines: string[],
  catalog: Awaited<ReturnType<typeof seedDemo>>['catalog'],
): Promise<void> {
  const { db } = ctx.omnis.database;
  const services = ctx.omnis.services;
  // Progress reaches the terminal as the catalog loads, not only at the end.
  expect(lines).toContain(`products ${catalog.products}/${catalog.products}`);
  expect(lines.some((l) => l.startsWith('stock WH-GTF: '))).toBe(true);

  const count = async (table: 'catalog_products' | 'catalog_variants' | 'catalog_size_charts') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  expect(await count('catalog_products')).toBe(catalog.products);
  expect(await count('catalog_variants')).toBe(catalog.skus);
  expect(catalog.skus).toBeGreaterThanOrEqual(2000);
  expect(catalog.skus).toBeLessThan(2100);
  expect(await count('catalog_size_charts')).toBe(4);

  // Every barcode is a valid EAN-13, and every SKU has stock somewhere.
  const variants = await db.selectFrom('catalog_variants').select(['sku', 'gtin']).execute();
  expect(variants.filter((v) => !v.gtin || !checkGtin(v.gtin).ok)).toEqual([]);
  const stocked = await db
    .selectFrom('stock_levels')
    .select('sku')
    .where('on_hand', '>', 0)
    .groupBy('sku')
    .execute();
  expect(new Set(stocked.map((r) => r.sku))).toEqual(new Set(variants.map((v) => v.sku)));

  // A cashier scans the first demo barcode and finds a shirt with its size chart.
  const scanned = await services.catalog.variants.retrieveVariantByCode(demoGtin(0));
  expect(scanned.variant.sku).toBe('SHI-001-WHT-XS');
  expect(scanned.product.size_chart?.rows.map((r) => r.size)).toEqual(['XS', 'S', 'M', 'L', 'XL', 'XXL']);
  // Web, UK shop, app and the three stores.
  expect(scanned.product.channels.filter((c) => c.published)).toHaveLength(6);

  // A shopper near Puerta del Sol asks the web shop where to collect a pair of boots today.
  const { data: channels } = await services.channels.listChannels({});
  const web = channels.find((c) => c.kind === 'web' && c.config.currency === 'EUR')!;
  const madridStore = channels.find((c) => c.config.store_code === 'MAD01')!;
  const boots = await db
    .selectFrom('stock_levels')
    .innerJoin('locations', 'locations.id', 'stock_levels.location_id')
    .select('sku')
    .where('locations.code', '=', 'MAD01')
    .where('sku', 'like', 'BOT-%')
    .where('on_hand', '>=', 4)
    .orderBy('sku')
    .executeTakeFirstOrThrow();
  const availability = await services.availability.checkAvailability({
    channel_id: web.id,
    skus: [boots.sku],
    near: { latitude: 40.4168, longitude: -3.7038 },
    radius_km: 10,
    mode: 'pickup',
  });
  const here = availability.skus[0]!;
  const where = here.locations;
  expect(where.map((l) => l.code)).toEqual(['MAD01']);
  expect(where[0]!.distance_km).toBeLessThan(2);
  expect(here.available).toBeGreaterThan(0);
  expect(here.promise).not.toBeNull();

  // The sale and the Madrid store price are visible as what they are.
  const shoe = await db
    .selectFrom('catalog_prices')
    .innerJoin('catalog_price_lists', 'catalog_price_lists.id', 'catalog_prices.price_list_id')
    .select('catalog_prices.variant_id')
    .where('catalog_price_lists.name', '=', 'Madrid Fuencarral store prices')
    .executeTakeFirstOrThrow();
  const [inMadrid, online] = await Promise.all(
    [madridStore.id, web.id].map((channelId) =>
      services.prices.priceFor({ variantIds: [shoe.variant_id], currency: 'EUR', channelId }),
    ),
  );
  expect(inMadrid!.data[0]!.channel_exception).toBe(true);
  expect(inMadrid!.data[0]!.price!.amount).toBeLessThan(online!.data[0]!.price!.amount);
  const promotions = await services.promotions.listPromotions({});
  expect(promotions.data.map((p) => p.code)).toContain('BIENVENIDA10');
  expect(promotions.data.some((p) => p.code === null)).toBe(true);
}

/**
 * A shopper opens the UK shop with its own publishable key: it says it sells in GBP and in English, and the same
 * shirt costs a UK price point there (a sale price where the Spanish shop has one), while the web shop stays EUR.
 */
async function checkSecondShop(
  ctx: TestContext,
  result: Awaited<ReturnType<typeof seedDemo>>,
): Promise<void> {
  const { app } = ctx.omnis;
  expect(result.shops.map((s) => [s.name, s.currency])).toEqual([
    ['Web shop', 'EUR'],
    ['UK online shop', 'GBP'],
  ]);
  expect(result.webPublishableKey).toBe(result.shops[0]!.key);
  const get = async (key: string, url: string) => {
    const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const [eur, gbp] = result.shops.map((s) => s.key) as [string, string];
  expect(await get(gbp, '/store/v1/channel')).toMatchObject({
    name: 'UK online shop',
    currency: 'GBP',
    default_locale: 'en',
  });
  expect(await get(eur, '/store/v1/channel')).toMatchObject({ currency: 'EUR', default_locale: 'es' });

  const shirt = (await get(gbp, '/store/v1/products?limit=1')).data[0];
  const variant = shirt.variants[0].id as string;
  const priced = async (key: string, currency: string) =>
    (await get(key, `/store/v1/prices?variant_ids=${variant}&currency=${currency}`)).data[0];
  const [inEur, inGbp] = await Promise.all([priced(eur, 'EUR'), priced(gbp, 'GBP')]);
  expect(inGbp.base).toEqual({ amount: gbpPricePoint(inEur.base.amount), currency: 'GBP' });
  expect(inGbp.base.amount % 100).toBe(99);
  expect(inGbp.source.type).toBe(inEur.source.type);
  if (inEur.source.type === 'sale') expect(inGbp.price.amount % 100).toBe(95);
  // It ships from the warehouse: no Spanish store shows up for it.
  const where = await get(gbp, `/store/v1/availability?skus=${shirt.variants[0].sku}`);
  const kinds = where.skus[0].locations.map((l: { kind: string }) => l.kind);
  expect(kinds.filter((k: string) => k !== 'warehouse')).toEqual([]);
}

/**
 * The demo's contact centre is ready to answer: both web shops open the web chat, the customer care team (the
 * agent and the admin) works Madrid hours, SLA policies apply, and the email and Twilio channels have the
 * credentials their webhooks are checked with.
 */
async function checkContactCentre(ctx: TestContext, lines: string[]): Promise<void> {
  const services = ctx.omnis.services;
  expect(lines).toContain('contact centre: team Customer care (2 agents), 2 SLA policies');
  const { data: channels } = await services.channels.listChannels({});
  const chat = channels.find((c) => c.kind === 'webchat')!;
  const shops = channels.filter((c) => c.kind === 'web');
  expect(shops.map((c) => c.config.webchat_channel_id)).toEqual([chat.id, chat.id]);

  const [team] = await services.conversations.teams.listTeams();
  expect(team).toMatchObject({ name: 'Customer care', timezone: 'Europe/Madrid' });
  expect(team!.members).toHaveLength(2);
  // Wednesday 1 July 2026 at 10:00 in Madrid is open; 21:00 is not; Christmas Day is closed all day.
  expect((await services.conversations.teams.isOpen(team!.id, Date.parse('2026-07-01T08:00:00Z'))).open).toBe(
    true,
  );
  expect((await services.conversations.teams.isOpen(team!.id, Date.parse('2026-07-01T19:00:00Z'))).open).toBe(
    false,
  );
  const policies = await services.conversations.sla.listSlaPolicies();
  expect(policies.map((p) => p.name).sort()).toEqual(['Standard', 'Web chat']);

  for (const kind of ['sms', 'whatsapp'] as const) {
    const channel = channels.find((c) => c.kind === kind)!;
    expect(Object.keys(await services.channels.channelSecrets(channel.id))).toEqual(['auth_token']);
  }
  const email = channels.find((c) => c.kind === 'email')!;
  expect(Object.keys(await services.channels.channelSecrets(email.id))).toEqual(['hook_token']);
}
