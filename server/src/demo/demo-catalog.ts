/**
 * @module Seeds the demo retailer's catalog and stock through the services' bulk paths: about 2,000 SKUs of
 * apparel and shoes with size charts, EAN-13 barcodes, base prices in EUR (and in GBP for the UK shop), a sale,
 * a store price exception, two promotions, publication to the selling channels, channel allocations and stock in
 * three stores and the Getafe warehouse. Deterministic: the same seed gives the same assortment, prices and stock every time.
 */
import { systemActor } from '../platform/auth/principal';
import type { CatalogService, PricesService, ProductInput, PromotionsService } from '../modules/catalog';
import type { AllocationService, Location, StockService } from '../modules/inventory';
import {
  apparelSizes,
  demoCategories,
  demoCollections,
  demoColours,
  demoMaterials,
  demoModelNames,
  demoSizeCharts,
  demoTypes,
  optionLabels,
  shoeSizes,
  type DemoType,
} from './demo-catalog-data';
import { seededRandom } from './prng';

export interface DemoCatalogServices {
  catalog: CatalogService;
  prices: PricesService;
  promotions: PromotionsService;
  stock: StockService;
  allocations: AllocationService;
}

export interface DemoCatalogChannels {
  web: string;
  /** Web shops abroad that sell in GBP (the UK shop): same catalog, GBP prices, shipped from the warehouse. */
  abroad: string[];
  app: string;
  /** Store channel id → its location. */
  stores: Array<{ channelId: string; location: Location }>;
  warehouse: Location;
}

export interface DemoCatalogResult {
  products: number;
  skus: number;
  units: number;
  promotionCodes: string[];
}

/**
 * The fixed rate the demo's GBP prices are derived with (1 EUR = 0.85 GBP): a demo needs stable figures, not a
 * market rate, and a real retailer sets its UK prices itself rather than converting them.
 */
export const DEMO_GBP_PER_EUR = 0.85;

/**
 * A EUR price in pence at the demo rate, on a UK price point: the nearest pound less a penny.
 * @example gbpPricePoint(4995) // 4199 (49.95 EUR → 42.46 GBP → 41.99 GBP)
 */
export const gbpPricePoint = (eurCents: number): number =>
  Math.max(Math.round((eurCents * DEMO_GBP_PER_EUR) / 100) * 100 - 1, 99);

/** A sale price: 30 % off, rounded down to .95 (the same rule in either currency). */
const salePrice = (amount: number): number => Math.floor((amount * 0.7) / 100) * 100 - 5;

/** Products per createProducts call: well under its limit of 500, and short transactions. */
const PRODUCT_BATCH = 25;

/** The GS1 mod-10 check digit: from the right, weights 3, 1, 3, 1… */
export function ean13(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (body12.charCodeAt(11 - i) - 48) * (i % 2 === 0 ? 3 : 1);
  return `${body12}${(10 - (sum % 10)) % 10}`;
}

/**
 * GS1 prefix 20–29 is for numbers used only inside one company, so demo barcodes can never name a real product.
 * @example demoGtin(0) // '2000000000008'
 */
export const demoGtin = (n: number): string => ean13(`20${String(n).padStart(10, '0')}`);

interface PlannedProduct {
  input: ProductInput;
  type: DemoType;
  /** Base price of every variant, EUR cents. */
  price: number;
}

/** Builds the assortment: every type × material × brand gets model names until about `targetSkus` SKUs. */
export function planAssortment(
  random: () => number,
  ids: { categories: Map<string, string>; collections: Map<string, string> },
  targetSkus = 2000,
): PlannedProduct[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const combos = demoTypes.flatMap((type) =>
    type.materials.flatMap((material) => type.brands.map((brand) => ({ type, material, brand }))),
  );
  const planned: PlannedProduct[] = [];
  let skus = 0;
  let gtin = 0;
  for (let round = 0; skus < targetSkus; round++) {
    for (const { type, material: materialKey, brand } of combos) {
      if (skus >= targetSkus) break;
      const n = planned.length + 1;
      const model = demoModelNames[(n * 7 + round) % demoModelNames.length]!;
      const material = demoMaterials[materialKey]!;
      const sizes = type.kind === 'shoes' ? shoeSizes : apparelSizes;
      const colourCount = type.kind === 'shoes' ? 2 : 2 + Math.floor(random() * 2);
      const start = Math.floor(random() * demoColours.length);
      const colours = Array.from(
        { length: colourCount },
        (_, i) => demoColours[(start + i * 3) % demoColours.length]!,
      );
      const code = `${type.code}-${String(n).padStart(3, '0')}`;
      const [low, high] = type.price;
      // Prices step by 5 euros and end in .95, like a shop's.
      const price = low + Math.floor(random() * ((high - low) / 500 + 1)) * 500;
      const collections = [
        material.season === 'summer' ? 'spring-summer-26' : null,
        material.season === 'winter' || type.category === 'boots' ? 'autumn-winter-26' : null,
        random() < 0.2 ? 'essentials' : null,
      ].filter((c): c is string => c !== null);
      const title = {
        en: `${model} ${material.name.en!.toLowerCase()} ${type.noun.en}`.replace(/^./, (c) =>
          c.toUpperCase(),
        ),
        es: `${type.noun.es} ${material.name.es} ${model}`,
        ru: `${type.noun.ru} ${material.name.ru} «${model}»`,
      };
      planned.push({
        type,
        price,
        input: {
          handle: `${title.en
            .normalize('NFKD')
            .replace(/\p{M}+/gu, '')
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')}-${n}`,
          status: 'active',
          brand,
          title,
          description: {
            en: `${type.about.en} ${material.name.en} by ${brand}.`,
            es: `${type.about.es} Material: ${material.fabric.es}. ${brand}.`,
            ru: `${type.about.ru} Материал: ${material.fabric.ru}. ${brand}.`,
          },
          options: [
            { name: 'size', label: optionLabels.size, values: sizes },
            { name: 'colour', label: optionLabels.colour, values: colours.map((c) => c.value) },
          ],
          category_ids: [ids.categories.get(type.category)!],
          collection_ids: collections.map((c) => ids.collections.get(c)!),
          tags: [material.season === 'all' ? pick(['new', 'bestseller', 'classic']) : material.season],
          attributes: [
            { key: 'material', type: 'text', value: materialKey },
            { key: 'gender', type: 'text', value: type.gender },
            { key: 'age_group', type: 'text', value: 'adult' },
          ],
          variants: colours.flatMap((colour) =>
            sizes.map((size) => ({
              sku: `${code}-${colour.code}-${size}`,
              gtin: demoGtin(gtin++),
              options: { size, colour: colour.value },
            })),
          ),
        },
      });
      skus += sizes.length * colours.length;
    }
  }
  return planned;
}

/**
 * Loads the catalog and stock of the demo retailer. `progress` gets one line per step.
 * @example await seedDemoCatalog(services, { web, app, stores, warehouse }, 2000, console.log)
 */
export async function seedDemoCatalog(
  services: DemoCatalogServices,
  channels: DemoCatalogChannels,
  targetSkus: number,
  progress: (line: string) => void,
): Promise<DemoCatalogResult> {
  const random = seededRandom(20261122);
  const { catalog, prices, promotions, stock, allocations } = services;
  const actor = systemActor;

  const categories = new Map<string, string>();
  for (const c of demoCategories) {
    const created = await catalog.categories.createCategory(
      { handle: c.handle, name: c.name, parent_id: c.parent ? categories.get(c.parent)! : null },
      actor,
    );
    categories.set(c.handle, created.id);
  }
  const collections = new Map<string, string>();
  for (const c of demoCollections)
    collections.set(c.handle, (await catalog.collections.createCollection(c, actor)).id);
  for (const chart of demoSizeCharts)
    await catalog.sizeCharts.createSizeChart(
      { ...chart, unit: 'cm', category_id: categories.get(chart.category)! },
      actor,
    );
  progress(
    `catalog: ${demoCategories.length} categories, ${demoCollections.length} collections, ${demoSizeCharts.length} size charts`,
  );

  const planned = planAssortment(random, { categories, collections }, targetSkus);
  const totalSkus = planned.reduce((n, p) => n + p.input.variants!.length, 0);
  const productIds: string[] = [];
  for (let i = 0; i < planned.length; i += PRODUCT_BATCH) {
    const batch = planned.slice(i, i + PRODUCT_BATCH);
    productIds.push(
      ...(
        await catalog.products.createProducts(
          batch.map((p) => p.input),
          actor,
        )
      ).ids,
    );
    progress(`products ${productIds.length}/${planned.length}`);
  }
  const selling = [
    channels.web,
    ...channels.abroad,
    channels.app,
    ...channels.stores.map((s) => s.channelId),
  ];
  for (const [i, id] of productIds.entries()) {
    await catalog.publication.publish(id, selling, actor);
    if ((i + 1) % 50 === 0 || i + 1 === productIds.length)
      progress(`published ${i + 1}/${productIds.length} to ${selling.length} channels`);
  }

  // Variant ids by SKU, read back once for prices.
  const skuToVariant = new Map<string, string>();
  for (let i = 0; i < productIds.length; i += 100)
    for (const p of await catalog.products.retrieveProducts(productIds.slice(i, i + 100)))
      for (const v of p.variants) skuToVariant.set(v.sku, v.id);
  const variantOf = (sku: string) => skuToVariant.get(sku)!;

  const basePrices = planned.flatMap((p) =>
    p.input.variants!.flatMap((v) => [
      { variant_id: variantOf(v.sku), currency: 'EUR', amount: p.price },
      { variant_id: variantOf(v.sku), currency: 'GBP', amount: gbpPricePoint(p.price) },
    ]),
  );
  for (let i = 0; i < basePrices.length; i += 1000)
    await prices.upsertPrices(basePrices.slice(i, i + 1000), actor);
  progress(`prices: ${basePrices.length} base prices in EUR and GBP`);

  const day = 86_400_000;
  const now = Date.now();
  // About one product in six is on sale: 30 % off, rounded down to .95. Paso Firme keeps out of it, so the
  // Madrid store's own price for that brand shows as the exception it is.
  const onSale = planned.filter((p) => random() < 0.17 && p.input.brand !== 'Paso Firme');
  await prices.createPriceList(
    {
      name: 'Rebajas de verano / Summer sale',
      type: 'sale',
      starts_at: new Date(now - 7 * day).toISOString(),
      ends_at: new Date(now + 45 * day).toISOString(),
      prices: onSale.flatMap((p) =>
        p.input.variants!.flatMap((v) => [
          { variant_id: variantOf(v.sku), currency: 'EUR', amount: salePrice(p.price) },
          { variant_id: variantOf(v.sku), currency: 'GBP', amount: salePrice(gbpPricePoint(p.price)) },
        ]),
      ),
    },
    actor,
  );
  // The explicit channel exception: Paso Firme shoes cost €10 less in the Madrid store.
  const madrid = channels.stores.find((s) => s.location.code === 'MAD01') ?? channels.stores[0]!;
  const madridShoes = planned.filter((p) => p.input.brand === 'Paso Firme');
  await prices.createPriceList(
    {
      name: 'Madrid Fuencarral store prices',
      description: 'Paso Firme shoes €10 less in the Fuencarral store',
      type: 'override',
      channel_ids: [madrid.channelId],
      priority: 10,
      prices: madridShoes.flatMap((p) =>
        p.input.variants!.map((v) => ({
          variant_id: variantOf(v.sku),
          currency: 'EUR',
          amount: p.price - 1000,
        })),
      ),
    },
    actor,
  );
  progress(`price lists: a sale on ${onSale.length} products, a Madrid store price on ${madridShoes.length}`);

  await promotions.createPromotion(
    {
      name: 'Bienvenida 10 %',
      description: '10 % off a first order of €50 or more',
      code: 'BIENVENIDA10',
      kind: 'percentage',
      percent: 10,
      usage_limit_per_customer: 1,
      conditions: { min_subtotal: { amount: 5000, currency: 'EUR' } },
    },
    actor,
  );
  await promotions.createPromotion(
    {
      name: 'Free shipping over €60',
      kind: 'free_shipping',
      conditions: {
        channel_ids: [channels.web, channels.app],
        min_subtotal: { amount: 6000, currency: 'EUR' },
      },
    },
    actor,
  );
  await promotions.createPromotion(
    {
      name: 'T-shirts 3 for 2',
      kind: 'buy_x_get_y',
      buy_quantity: 2,
      get_quantity: 1,
      conditions: { category_ids: [categories.get('t-shirts')!] },
    },
    actor,
  );
  progress('promotions: BIENVENIDA10 (code), free shipping over €60 and T-shirts 3 for 2 (automatic)');

  // Online channels ship from the warehouse first, then from the stores, which keep 2 units for walk-ins; each
  // store channel sells its own shelf first and, for the endless aisle, orders from the warehouse and then from
  // the other stores (which keep their walk-in units).
  const online = [
    { location_id: channels.warehouse.id, priority: 1, holdback: 0 },
    ...channels.stores.map((s) => ({ location_id: s.location.id, priority: 2, holdback: 2 })),
  ];
  await allocations.updateAllocation(channels.web, { locations: online }, actor);
  await allocations.updateAllocation(channels.app, { locations: online }, actor);
  // The UK shop ships from the warehouse only: the Spanish stores neither ship to it nor hand over its orders.
  for (const abroad of channels.abroad)
    await allocations.updateAllocation(
      abroad,
      { locations: [{ location_id: channels.warehouse.id, priority: 1, holdback: 0 }] },
      actor,
    );
  for (const s of channels.stores)
    await allocations.updateAllocation(
      s.channelId,
      {
        locations: [
          { location_id: s.location.id, priority: 1, holdback: 0 },
          { location_id: channels.warehouse.id, priority: 2, holdback: 0 },
          ...channels.stores
            .filter((other) => other !== s)
            .map((other) => ({ location_id: other.location.id, priority: 3, holdback: 2 })),
        ],
      },
      actor,
    );

  const lines: Array<{ sku: string; location_id: string; quantity: number }> = [];
  for (const p of planned) {
    for (const v of p.input.variants!) {
      // Middle sizes sell most and are stocked deeper.
      const middle = ['M', 'L', '39', '40', '41', '42'].includes(v.options!.size!) ? 2 : 1;
      let somewhere = false;
      if (random() < 0.9) {
        lines.push({
          sku: v.sku,
          location_id: channels.warehouse.id,
          quantity: middle * (5 + Math.floor(random() * 30)),
        });
        somewhere = true;
      }
      for (const s of channels.stores) {
        if (random() < 0.55) {
          lines.push({ sku: v.sku, location_id: s.location.id, quantity: middle + Math.floor(random() * 6) });
          somewhere = true;
        }
      }
      if (!somewhere) lines.push({ sku: v.sku, location_id: channels.warehouse.id, quantity: 3 });
    }
  }
  const locations = [channels.warehouse, ...channels.stores.map((s) => s.location)];
  for (const location of locations) {
    const here = lines.filter((l) => l.location_id === location.id);
    await stock.receiveStock(
      { lines: here, reason: 'Demo opening stock', reference: { type: 'demo', id: 'alba' } },
      actor,
    );
    progress(
      `stock ${location.code}: ${here.length} SKUs, ${here.reduce((n, l) => n + l.quantity, 0)} units`,
    );
  }
  return {
    products: planned.length,
    skus: totalSkus,
    units: lines.reduce((n, l) => n + l.quantity, 0),
    promotionCodes: ['BIENVENIDA10'],
  };
}
