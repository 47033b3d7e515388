/**
 * A shopper asks "where can I get this near here, and by when?": a channel sees only the locations it sells from,
 * minus what each keeps back, sorted by distance with promise dates per delivery mode; a storefront's key answers
 * for its own channel only.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import {
  aChannel,
  aLocation,
  allocate,
  openEveryDay,
  receive,
  testActor,
  unique,
} from './inventory.test-support';

const SOL = { latitude: 40.4168, longitude: -3.7038 };

/** A small Madrid network for a web channel, and a store channel that sells only from its own shop. */
async function madrid(t: TestContext) {
  const web = await aChannel(t, 'web');
  const shopChannel = await aChannel(t, 'store');
  const hours = openEveryDay('10:00', '21:00');
  const sol = await aLocation(t, {
    ...SOL,
    opening_hours: hours,
    capabilities: ['pickup', 'ship_from_store'],
  });
  // About 3.9 km north.
  const chamberi = await aLocation(t, { latitude: 40.4518, longitude: -3.7038, opening_hours: hours });
  // About 29 km east.
  const alcala = await aLocation(t, { latitude: 40.4818, longitude: -3.3636, opening_hours: hours });
  // About 12.4 km south; ships only.
  const getafe = await aLocation(t, { kind: 'warehouse', latitude: 40.3054, longitude: -3.7038 });
  // About 1.7 km away; delivers the same day within 5 km, taking orders until 14:00.
  const dark = await aLocation(t, {
    kind: 'dark_store',
    latitude: 40.4318,
    longitude: -3.7038,
    same_day_cutoff: '14:00',
    same_day_radius_km: 5,
    pickup_preparation_minutes: 30,
  });
  // The store channel's own shop: the web does not sell from it.
  const shop = await aLocation(t, { latitude: 40.42, longitude: -3.705, channel_id: shopChannel.id });
  await allocate(t, web.id, [
    { location_id: getafe.id, priority: 1 },
    { location_id: sol.id, priority: 2, holdback: 2 },
    { location_id: chamberi.id, priority: 3 },
    { location_id: alcala.id, priority: 4 },
    { location_id: dark.id, priority: 5 },
  ]);
  await allocate(t, shopChannel.id, [{ location_id: shop.id, priority: 1 }]);
  const [tee, jeans, cap] = [unique('TEE-'), unique('JEANS-'), unique('CAP-')];
  await receive(t, [
    { sku: tee, location_id: sol.id, quantity: 5 },
    { sku: tee, location_id: chamberi.id, quantity: 1 },
    { sku: tee, location_id: alcala.id, quantity: 3 },
    { sku: tee, location_id: getafe.id, quantity: 100 },
    { sku: tee, location_id: dark.id, quantity: 2 },
    { sku: tee, location_id: shop.id, quantity: 50 },
    { sku: jeans, location_id: getafe.id, quantity: 10 },
  ]);
  return { web, shopChannel, sol, chamberi, alcala, getafe, dark, shop, tee, jeans, cap };
}

describeEachDialect('availability to promise', (t) => {
  afterEach(() => vi.useRealTimers());
  const get = async (url: string, headers?: Record<string, string>) =>
    t().omnis.app.inject({ method: 'GET', url, headers: headers ?? (await t().as('agent')) });

  it('answers many SKUs at once for a channel: totals and per location, less what each store holds back', async () => {
    const m = await madrid(t());
    const res = await get(`/v1/availability?channel_id=${m.web.id}&skus=${m.tee},${m.jeans},${m.cap}`);
    expect(res.statusCode).toBe(200);
    const [tee, jeans, cap] = res.json().skus;
    // Sol keeps two of its five for walk-in customers; the store channel's own shop is invisible to the web.
    expect(tee).toMatchObject({ sku: m.tee, available: 3 + 1 + 3 + 100 + 2, locations_in_stock: 5 });
    const sol = tee.locations.find((l: { location_id: string }) => l.location_id === m.sol.id);
    expect(sol).toMatchObject({
      code: m.sol.code,
      kind: 'store',
      available: 3,
      distance_km: null,
      promise: null,
    });
    expect(tee.locations.map((l: { location_id: string }) => l.location_id)).not.toContain(m.shop.id);
    // Without a point, locations come in allocation priority order.
    expect(tee.locations[0].location_id).toBe(m.getafe.id);
    expect(jeans).toMatchObject({ available: 10, locations_in_stock: 1 });
    expect(cap).toEqual({ sku: m.cap, available: 0, locations_in_stock: 0, promise: null, locations: [] });
  });

  it('finds it in stock at three stores within 10 km, nearest first, with distances', async () => {
    const m = await madrid(t());
    const res = await get(
      `/v1/availability?channel_id=${m.web.id}&skus=${m.tee}&latitude=${SOL.latitude}&longitude=${SOL.longitude}&radius_km=10&mode=pickup`,
    );
    const [tee] = res.json().skus;
    expect(
      tee.locations.map((l: { location_id: string; distance_km: number }) => [l.location_id, l.distance_km]),
    ).toEqual([
      [m.sol.id, 0],
      [m.chamberi.id, 3.892],
    ]);
    expect(tee.locations_in_stock).toBe(2);
    const all = await get(
      `/v1/availability?channel_id=${m.web.id}&skus=${m.tee}&latitude=${SOL.latitude}&longitude=${SOL.longitude}&radius_km=10`,
    );
    // Without a mode: every location within 10 km that has it — two stores and the dark store.
    expect(all.json().skus[0].locations.map((l: { location_id: string }) => l.location_id)).toEqual([
      m.sol.id,
      m.dark.id,
      m.chamberi.id,
    ]);
    expect(all.json().skus[0].locations_in_stock).toBe(3);
  });

  it('promises pickup after preparation within opening hours, same day before the cut-off, and from incoming stock', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-11-23T11:00:00Z') }); // Monday 12:00 in Madrid
    const m = await madrid(t());
    const pickup = await get(
      `/v1/availability?channel_id=${m.web.id}&skus=${m.tee}&latitude=${SOL.latitude}&longitude=${SOL.longitude}&mode=pickup`,
    );
    const [tee] = pickup.json().skus;
    expect(tee.promise).toEqual({
      mode: 'pickup',
      ready_at: '2026-11-23T12:00:00.000Z',
      delivery_date: '2026-11-23',
      factors: ['preparation'],
      location_id: m.sol.id,
    });
    // The warehouse does not do pickup: it is left out.
    expect(tee.locations.map((l: { location_id: string }) => l.location_id)).not.toContain(m.getafe.id);

    const sameDay = await get(
      `/v1/availability?channel_id=${m.web.id}&skus=${m.tee}&latitude=${SOL.latitude}&longitude=${SOL.longitude}&mode=same_day`,
    );
    expect(sameDay.json().skus[0].locations.map((l: { location_id: string }) => l.location_id)).toEqual([
      m.dark.id,
    ]);
    expect(sameDay.json().skus[0].promise).toMatchObject({
      delivery_date: '2026-11-23',
      ready_at: '2026-11-23T11:30:00.000Z',
    });
    vi.setSystemTime(Date.parse('2026-11-23T14:30:00Z')); // 15:30 local: past the cut-off
    const late = await get(
      `/v1/availability?channel_id=${m.web.id}&skus=${m.tee}&latitude=${SOL.latitude}&longitude=${SOL.longitude}&mode=same_day`,
    );
    expect(late.json().skus[0].promise).toMatchObject({
      delivery_date: '2026-11-24',
      factors: ['preparation', 'after_cutoff'],
    });
    const farAway = await get(
      `/v1/availability?channel_id=${m.web.id}&skus=${m.tee}&latitude=40.48&longitude=-3.36&mode=same_day`,
    );
    expect(farAway.json().skus[0]).toMatchObject({ available: 0, locations: [] });

    // Jeans are on their way to Chamberí, due Wednesday 09:00 UTC: pickup promised from then.
    await t().omnis.services.transfers.createTransfer(
      {
        from_location_id: m.getafe.id,
        to_location_id: m.chamberi.id,
        eta: Date.parse('2026-11-25T09:00:00Z'),
        lines: [{ sku: m.jeans, quantity: 4 }],
      },
      testActor,
    );
    const incoming = await get(
      `/v1/availability?channel_id=${m.web.id}&skus=${m.jeans}&mode=pickup&quantity=2`,
    );
    const [jeans] = incoming.json().skus;
    expect(jeans).toMatchObject({ available: 0, locations_in_stock: 0 });
    // (Pickup stores with nothing on its way are offered after a transfer from Getafe: see pickup-transfer.test.)
    expect(
      jeans.locations.filter((l: { pickup: string }) => l.pickup !== 'available_after_transfer'),
    ).toEqual([
      expect.objectContaining({
        location_id: m.chamberi.id,
        available: 0,
        incoming: [{ quantity: 4, eta: '2026-11-25T09:00:00.000Z' }],
        promise: {
          mode: 'pickup',
          ready_at: '2026-11-25T10:00:00.000Z',
          delivery_date: '2026-11-25',
          factors: ['incoming', 'preparation'],
        },
      }),
    ]);
    const ship = await get(`/v1/availability?channel_id=${m.web.id}&skus=${m.jeans}&mode=ship`);
    expect(ship.json().skus[0].promise).toMatchObject({
      location_id: m.getafe.id,
      delivery_date: '2026-11-25',
    });
  });

  it('answers a storefront for its own channel only', async () => {
    const m = await madrid(t());
    const { apiKeys } = t().omnis.services;
    const webKey = await apiKeys.createApiKey(
      { kind: 'publishable', name: 'web shop', channel_id: m.web.id },
      testActor,
    );
    const shopKey = await apiKeys.createApiKey(
      { kind: 'publishable', name: 'shop', channel_id: m.shopChannel.id },
      testActor,
    );
    const asWeb = await get(`/store/v1/availability?skus=${m.tee}`, {
      authorization: `Bearer ${webKey.key}`,
    });
    expect(asWeb.statusCode).toBe(200);
    expect(asWeb.json()).toMatchObject({ channel_id: m.web.id, skus: [{ available: 109 }] });
    const asShop = await get(`/store/v1/availability?skus=${m.tee}`, {
      authorization: `Bearer ${shopKey.key}`,
    });
    expect(asShop.json().skus[0].locations.map((l: { location_id: string }) => l.location_id)).toEqual([
      m.shop.id,
    ]);
    // A storefront cannot ask about another channel, and staff use /v1.
    expect(
      (
        await get(`/store/v1/availability?skus=${m.tee}&channel_id=${m.web.id}`, {
          authorization: `Bearer ${shopKey.key}`,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await get(`/v1/availability?channel_id=${m.web.id}&skus=${m.tee}`, {
          authorization: `Bearer ${webKey.key}`,
        })
      ).statusCode,
    ).toBe(403);
    expect((await get(`/store/v1/availability?skus=${m.tee}`)).statusCode).toBe(403);
  });

  it('refuses bad questions with problem+json naming the field', async () => {
    const m = await madrid(t());
    const many = Array.from({ length: 101 }, (_, i) => `S${i}`).join(',');
    const cases: Array<[string, string, string]> = [
      ['a malformed SKU', `skus=${m.tee},bad%20sku`, 'query.skus'],
      ['over 100 SKUs', `skus=${many}`, 'query.skus'],
      ['a latitude without longitude', `skus=${m.tee}&latitude=40.4`, 'query.longitude'],
      ['a latitude out of range', `skus=${m.tee}&latitude=91&longitude=0`, 'query.latitude'],
      ['an unknown mode', `skus=${m.tee}&mode=drone`, 'query.mode'],
      ['same day without a point', `skus=${m.tee}&mode=same_day`, 'query.latitude'],
      ['a fractional quantity', `skus=${m.tee}&quantity=1.5`, 'query.quantity'],
    ];
    for (const [story, query, field] of cases) {
      const res = await get(`/v1/availability?channel_id=${m.web.id}&${query}`);
      expect(res.statusCode, story).toBe(400);
      expect(res.headers['content-type'], story).toContain('application/problem+json');
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        story,
      ).toContain(field);
    }
    // Marketing does not see stock.
    expect(
      (await get(`/v1/availability?channel_id=${m.web.id}&skus=${m.tee}`, await t().as('marketer')))
        .statusCode,
    ).toBe(403);
  });
});
