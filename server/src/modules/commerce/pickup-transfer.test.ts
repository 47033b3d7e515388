/**
 * Pickup at a store that does not have the item: the storefront offers the store "after transfer" with a later
 * date, checkout reserves the units at the warehouse and sends them with a transfer, the store cannot mark the
 * pickup ready before it receives them, and then it is collected as any other. The ledgers of both locations tell
 * the same story at every step, and a crowd buying the last units by transfer never oversells.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { aLocation, allocate, receive } from '../inventory/inventory.test-support';
import { checkoutFixtures, ledgerVersusLevels, levelOf } from './checkout.test-support';
import { post } from './order.test-support';

describeEachDialect('pickup after transfer', (t) => {
  const f = checkoutFixtures(t);

  /** A web shop whose warehouse holds `units` of one product and whose store holds none. */
  async function aShopWithEmptyStore(units: number) {
    const web = await f.channel('web', { currency: 'EUR', country: 'ES' });
    const warehouse = await aLocation(t(), { kind: 'warehouse', capabilities: ['ship'] });
    const store = await aLocation(t(), { kind: 'store', capabilities: ['pickup', 'returns'] });
    await allocate(t(), web, [{ location_id: warehouse.id }, { location_id: store.id }]);
    const product = await f.sellable([web], 2000);
    await receive(t(), [{ sku: product.sku, location_id: warehouse.id, quantity: units }]);
    return { web, warehouse, store, sku: product.sku, key: await f.storeKey(web) };
  }

  const counters = async (sku: string, locationId: string) => {
    const l = await levelOf(t(), sku, locationId);
    return { on_hand: Number(l.on_hand), reserved: Number(l.reserved), incoming: Number(l.incoming) };
  };
  const fulfilment = async (id: string) =>
    (
      await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/fulfilments/${id}`,
        headers: await t().as('associate'),
      })
    ).json();
  const expectLedgersAgree = async () => {
    for (const l of await ledgerVersusLevels(t())) expect(l.ledger, l.level).toEqual(l.stored);
  };

  it('a shopper picks up at a store without stock: the warehouse sends it, the store receives it, then hands it over', async () => {
    const shop = await aShopWithEmptyStore(3);

    // The storefront's store finder: the store has none now, but can get it by transfer, with a later promise.
    const options = await t().omnis.app.inject({
      method: 'GET',
      url: `/store/v1/availability?skus=${shop.sku}&mode=pickup`,
      headers: shop.key,
    });
    expect(options.statusCode, options.body).toBe(200);
    const atStore = options
      .json()
      .skus[0].locations.find((l: { location_id: string }) => l.location_id === shop.store.id);
    expect(atStore).toMatchObject({
      available: 0,
      pickup: 'available_after_transfer',
      transfer_from: { location_id: shop.warehouse.id },
    });
    expect(atStore.promise.factors).toContain('transfer');
    const leadMs = t().omnis.config.transferLeadHours * 3_600_000;
    expect(Date.parse(atStore.promise.ready_at)).toBeGreaterThanOrEqual(Date.now() + leadMs - 60_000);

    const cart = await f.aCart(shop.key, [
      { sku: shop.sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const res = await f.checkout(cart, { expected_total: cart.total, payments: f.card() });
    expect(res.statusCode, res.body).toBe(201);
    const order = await t().omnis.services.commerce.orders.retrieveOrder(res.json().order.id);
    expect(order.lines[0]!.delivery).toMatchObject({ mode: 'pickup', location_id: shop.store.id });
    const [ful] = order.fulfilments;
    expect(ful).toMatchObject({
      location_id: shop.store.id,
      status: 'in_transit',
      source_location_id: shop.warehouse.id,
    });
    expect(ful!.transfer_id).toMatch(/^trf_/);

    // The unit left the warehouse with the transfer (on hand and reserved together) and is incoming at the store.
    expect(await counters(shop.sku, shop.warehouse.id)).toEqual({ on_hand: 2, reserved: 0, incoming: 0 });
    expect(await counters(shop.sku, shop.store.id)).toEqual({ on_hand: 0, reserved: 0, incoming: 1 });
    const [reservationId] = order.lines[0]!.reservation_ids;
    expect(await t().omnis.services.reservations.retrieveReservation(reservationId!)).toMatchObject({
      status: 'in_transit',
      transfer_id: ful!.transfer_id,
    });
    await expectLedgersAgree();

    // Not ready before the units are there: a clear 409 and nothing changes.
    const early = await post(t(), `/v1/fulfilments/${ful!.id}/ready-for-pickup`);
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(early.json()).toMatchObject({ status: 'in_transit', errors: [{ field: 'params.id' }] });
    expect(early.json().detail).toContain('receive the transfer first');
    expect((await fulfilment(ful!.id)).status).toBe('in_transit');

    // The pickup desk sees it in transit and receives the transfer.
    const desk = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/fulfilments?location_id=${shop.store.id}&mode=pickup&status=in_transit`,
      headers: await t().as('associate'),
    });
    expect(desk.json().data.map((d: { id: string }) => d.id)).toEqual([ful!.id]);
    const received = await post(t(), `/v1/fulfilments/${ful!.id}/receive-transfer`);
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().status).toBe('pending');
    expect(await counters(shop.sku, shop.store.id)).toEqual({ on_hand: 1, reserved: 1, incoming: 0 });
    expect(await t().omnis.services.reservations.retrieveReservation(reservationId!)).toMatchObject({
      status: 'confirmed',
      location_id: shop.store.id,
    });
    expect((await t().omnis.services.transfers.retrieveTransfer(ful!.transfer_id!)).status).toBe('received');
    // Receiving twice is refused: the step is done.
    expect((await post(t(), `/v1/fulfilments/${ful!.id}/receive-transfer`)).statusCode).toBe(409);

    const ready = await post(t(), `/v1/fulfilments/${ful!.id}/ready-for-pickup`);
    expect(ready.statusCode, ready.body).toBe(200);
    const collected = await post(t(), `/v1/fulfilments/${ful!.id}/collect`, {
      code: ready.json().pickup_code,
    });
    expect(collected.statusCode, collected.body).toBe(200);
    expect((await t().omnis.services.commerce.orders.retrieveOrder(order.id)).status).toBe('completed');
    expect(await counters(shop.sku, shop.store.id)).toEqual({ on_hand: 0, reserved: 0, incoming: 0 });
    expect(await counters(shop.sku, shop.warehouse.id)).toEqual({ on_hand: 2, reserved: 0, incoming: 0 });
    await expectLedgersAgree();

    const timeline = await t().omnis.services.timeline.listTimeline(order.customer_id!, { limit: 50 });
    expect(timeline.data.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining([
        'fulfilment.in_transit',
        'fulfilment.transfer_received',
        'fulfilment.collected',
      ]),
    );
  });

  it('eight shoppers check out the last three units by transfer at once: three orders, five clean refusals', async () => {
    const shop = await aShopWithEmptyStore(3);
    const carts = [];
    for (let i = 0; i < 8; i++)
      carts.push(
        await f.aCart(shop.key, [
          { sku: shop.sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
        ]),
      );
    const answers = await Promise.all(
      carts.map((cart) => f.checkout(cart, { expected_total: cart.total, payments: f.card() })),
    );
    const placed = answers.filter((a) => a.statusCode === 201);
    const refused = answers.filter((a) => a.statusCode !== 201);
    expect(placed).toHaveLength(3);
    expect(refused).toHaveLength(5);
    for (const r of refused) {
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().code).toBe('insufficient_stock');
    }
    expect(await counters(shop.sku, shop.warehouse.id)).toEqual({ on_hand: 0, reserved: 0, incoming: 0 });
    expect(await counters(shop.sku, shop.store.id)).toEqual({ on_hand: 0, reserved: 0, incoming: 3 });
    await expectLedgersAgree();
    // Refused shoppers were charged nothing.
    expect(await f.count('payments', shop.web)).toBe(3);
  });

  it('an order cancelled while its units travel lets them arrive at the store free for sale', async () => {
    const shop = await aShopWithEmptyStore(1);
    const cart = await f.aCart(shop.key, [
      { sku: shop.sku, quantity: 1, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const res = await f.checkout(cart, { expected_total: cart.total, payments: f.card() });
    expect(res.statusCode, res.body).toBe(201);
    const order = await t().omnis.services.commerce.orders.retrieveOrder(res.json().order.id);
    const transferId = order.fulfilments[0]!.transfer_id!;

    const cancel = await post(t(), `/v1/orders/${order.id}/cancel`, { reason: 'changed mind' });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await fulfilment(order.fulfilments[0]!.id)).status).toBe('cancelled');
    const reservationId = order.lines[0]!.reservation_ids[0]!;
    expect((await t().omnis.services.reservations.retrieveReservation(reservationId)).status).toBe(
      'released',
    );

    // A short delivery cannot be received while units are reserved on it; this one carries none any more.
    const arrived = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/transfers/${transferId}/receive`,
      headers: await t().as('admin'),
      payload: {},
    });
    expect(arrived.statusCode, arrived.body).toBe(200);
    expect(await counters(shop.sku, shop.store.id)).toEqual({ on_hand: 1, reserved: 0, incoming: 0 });
    await expectLedgersAgree();
  });

  it('a transfer carrying reserved units cannot be received short of them, and nothing changes', async () => {
    const shop = await aShopWithEmptyStore(2);
    const cart = await f.aCart(shop.key, [
      { sku: shop.sku, quantity: 2, delivery_mode: 'pickup', location_id: shop.store.id },
    ]);
    const res = await f.checkout(cart, { expected_total: cart.total, payments: f.card() });
    expect(res.statusCode, res.body).toBe(201);
    const order = await t().omnis.services.commerce.orders.retrieveOrder(res.json().order.id);
    const transferId = order.fulfilments[0]!.transfer_id!;
    const short = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/transfers/${transferId}/receive`,
      headers: await t().as('admin'),
      payload: { lines: [{ sku: shop.sku, quantity: 1 }] },
    });
    expect(short.statusCode).toBe(409);
    expect(short.json().errors).toEqual([
      {
        field: 'body.lines.0.quantity',
        message: 'is below the 2 units reserved for orders on this transfer',
      },
    ]);
    expect((await t().omnis.services.transfers.retrieveTransfer(transferId)).status).toBe('in_transit');
    expect(await counters(shop.sku, shop.store.id)).toEqual({ on_hand: 0, reserved: 0, incoming: 2 });
    expect((await fulfilment(order.fulfilments[0]!.id)).status).toBe('in_transit');
    await expectLedgersAgree();
  });

  it('dates the transfer with the lane of the pair: a store 24 h away is promised two days before one 72 h away', async () => {
    const shop = await aShopWithEmptyStore(4);
    const farStore = await aLocation(t(), { kind: 'store', capabilities: ['pickup'] });
    await allocate(t(), shop.web, [
      { location_id: shop.warehouse.id },
      { location_id: shop.store.id },
      { location_id: farStore.id },
    ]);
    for (const [to, lead_hours] of [
      [shop.store.id, 24],
      [farStore.id, 72],
    ] as const) {
      const lane = await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/transfer-lanes',
        headers: await t().as('admin'),
        payload: { from_location_id: shop.warehouse.id, to_location_id: to, lead_hours },
      });
      expect(lane.statusCode, lane.body).toBe(201);
    }
    const before = Date.now();
    const placed = [];
    const promised: number[] = [];
    for (const store of [shop.store.id, farStore.id]) {
      const cart = await f.aCart(shop.key, [
        { sku: shop.sku, quantity: 1, delivery_mode: 'pickup', location_id: store },
      ]);
      const res = await f.checkout(cart, { expected_total: cart.total, payments: f.card() });
      expect(res.statusCode, res.body).toBe(201);
      promised.push(Date.parse(res.json().promises[0].ready_at));
      placed.push(await t().omnis.services.commerce.orders.retrieveOrder(res.json().order.id));
    }
    const after = Date.now();
    const [near, far] = await Promise.all(
      placed.map((o) => t().omnis.services.transfers.retrieveTransfer(o.fulfilments[0]!.transfer_id!)),
    );
    const hours = 3_600_000;
    for (const [transfer, lead] of [
      [near!, 24],
      [far!, 72],
    ] as const) {
      expect(Date.parse(transfer.eta)).toBeGreaterThanOrEqual(before + lead * hours);
      expect(Date.parse(transfer.eta)).toBeLessThanOrEqual(after + lead * hours);
    }
    // Both stores work around the clock: the promise is the arrival plus the preparation.
    expect(promised[1]! - promised[0]!).toBeGreaterThanOrEqual(48 * hours - (after - before));
    expect(promised[1]! - promised[0]!).toBeLessThanOrEqual(48 * hours + (after - before));
  });
});
