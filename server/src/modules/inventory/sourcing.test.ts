/**
 * An order is sourced: one shipment from the warehouse beats two from nearer stores; between equals the nearest
 * wins, then the better priority; every location considered says why it was or was not chosen.
 */
import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { aChannel, aLocation, allocate, receive, unique } from './inventory.test-support';
import { planShipments, type Candidate } from './sourcing';

const candidate = (
  id: string,
  distance: number | null,
  priority: number,
  stock: Record<string, number>,
): Candidate => ({
  location_id: id,
  code: id.toUpperCase(),
  name: id,
  distance_km: distance,
  priority,
  free: (sku) => stock[sku] ?? 0,
});

describe('sourcing planner', () => {
  it('prefers fewer shipments over distance, then distance, then priority', () => {
    const lines = [
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ];
    const near1 = candidate('near1', 1, 1, { A: 2 });
    const near2 = candidate('near2', 2, 1, { B: 5 });
    const farAll = candidate('far', 30, 9, { A: 9, B: 9 });
    expect(planShipments(lines, [near1, near2, farAll]).shipments.map((s) => s.location_id)).toEqual(['far']);
    const alsoAll = candidate('mid', 10, 9, { A: 2, B: 1 });
    const plan = planShipments(lines, [near1, near2, farAll, alsoAll]);
    expect(plan.shipments.map((s) => s.location_id)).toEqual(['mid']);
    expect(plan.explanation.find((e) => e.location_id === 'far')).toMatchObject({
      chosen: false,
      reason: 'farther',
    });
    expect(plan.explanation.find((e) => e.location_id === 'near1')).toMatchObject({
      reason: 'more_shipments',
    });
    // No point: distance says nothing, priority decides.
    const a = candidate('a', null, 2, { A: 5, B: 5 });
    const b = candidate('b', null, 1, { A: 5, B: 5 });
    const byPriority = planShipments(lines, [a, b]);
    expect(byPriority.shipments.map((s) => s.location_id)).toEqual(['b']);
    expect(byPriority.explanation.find((e) => e.location_id === 'a')?.reason).toBe('lower_priority');
  });

  it('splits over the fewest locations, and says what nobody has', () => {
    const lines = [
      { sku: 'A', quantity: 3 },
      { sku: 'B', quantity: 2 },
      { sku: 'C', quantity: 1 },
    ];
    const plan = planShipments(lines, [
      candidate('x', 5, 1, { A: 1, B: 2 }),
      candidate('y', 6, 1, { A: 2 }),
      candidate('z', 7, 1, { A: 3, C: 1 }),
      candidate('w', 1, 1, { C: 1 }),
    ]);
    // z has A and C; x has B: two shipments, the fewest possible.
    expect(plan.shipments.map((s) => [s.location_id, s.lines])).toEqual([
      ['x', [{ sku: 'B', quantity: 2 }]],
      [
        'z',
        [
          { sku: 'A', quantity: 3 },
          { sku: 'C', quantity: 1 },
        ],
      ],
    ]);
    expect(plan.explanation.filter((e) => e.chosen).every((e) => e.reason === 'fewest_shipments')).toBe(true);
    const short = planShipments(
      [
        { sku: 'A', quantity: 10 },
        { sku: 'D', quantity: 1 },
      ],
      [candidate('x', 1, 1, { A: 4 }), candidate('y', 2, 1, { A: 3 })],
    );
    expect(short.unfulfilled).toEqual([
      { sku: 'A', quantity: 3 },
      { sku: 'D', quantity: 1 },
    ]);
    expect(short.shipments.map((s) => s.location_id)).toEqual(['x', 'y']);
  });
});

describeEachDialect('sourcing plans', (t) => {
  it('plans over HTTP with capabilities and allocations respected, and explains every location', async () => {
    const web = await aChannel(t());
    const store = await aLocation(t(), { latitude: 40.42, longitude: -3.7, capabilities: ['pickup'] });
    const shipper = await aLocation(t(), {
      latitude: 40.43,
      longitude: -3.7,
      capabilities: ['ship_from_store', 'pickup'],
    });
    const warehouse = await aLocation(t(), { kind: 'warehouse', latitude: 40.3, longitude: -3.7 });
    const elsewhere = await aLocation(t(), { latitude: 40.42, longitude: -3.71 });
    await allocate(t(), web.id, [
      { location_id: warehouse.id },
      { location_id: store.id },
      { location_id: shipper.id },
    ]);
    const [a, b] = [unique('A-'), unique('B-')];
    await receive(t(), [
      { sku: a, location_id: store.id, quantity: 9 },
      { sku: b, location_id: store.id, quantity: 9 },
      { sku: a, location_id: shipper.id, quantity: 1 },
      { sku: a, location_id: warehouse.id, quantity: 5 },
      { sku: b, location_id: warehouse.id, quantity: 5 },
      { sku: a, location_id: elsewhere.id, quantity: 50 },
    ]);
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/sourcing/plan',
      headers: await t().as('agent'),
      payload: {
        channel_id: web.id,
        mode: 'ship',
        lines: [
          { sku: a, quantity: 2 },
          { sku: b, quantity: 1 },
        ],
        near: { latitude: 40.42, longitude: -3.7 },
      },
    });
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(plan).toMatchObject({ complete: true, unfulfilled: [], available: { [a]: 6, [b]: 5 } });
    expect(plan.shipments).toEqual([
      expect.objectContaining({
        location_id: warehouse.id,
        lines: [
          { sku: a, quantity: 2 },
          { sku: b, quantity: 1 },
        ],
        promise: expect.objectContaining({ mode: 'ship' }),
      }),
    ]);
    const why = Object.fromEntries(
      plan.explanation.map((e: { location_id: string; reason: string }) => [e.location_id, e.reason]),
    );
    expect(why[warehouse.id]).toBe('single_shipment');
    expect(why[store.id]).toBe('lacks_capability');
    expect(why[shipper.id]).toBe('more_shipments');
    expect(why[elsewhere.id]).toBe('not_allocated');
    for (const e of plan.explanation) expect(e.detail.length).toBeGreaterThan(10);

    const pickup = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/sourcing/plan',
      headers: await t().as('agent'),
      payload: {
        channel_id: web.id,
        mode: 'pickup',
        lines: [{ sku: a, quantity: 2 }],
        near: { latitude: 40.43, longitude: -3.7 },
        radius_km: 5,
      },
    });
    // The shipper is nearer but has one; the store has both units: one pickup beats two.
    expect(pickup.json().shipments.map((s: { location_id: string }) => s.location_id)).toEqual([store.id]);
    const bad = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/sourcing/plan',
      headers: await t().as('agent'),
      payload: { channel_id: web.id, mode: 'same_day', lines: [{ sku: a, quantity: 1 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.near');
  });
});
