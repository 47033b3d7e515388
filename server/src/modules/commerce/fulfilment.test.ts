/**
 * Fulfilment per location: a warehouse picks, packs and ships a paid order with tracking and the ledger records
 * the sale; an order leaving from two places is partially fulfilled until both have left; steps out of order or
 * before payment are refused and change nothing.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { aLocation, allocate, receive } from '../inventory/inventory.test-support';
import {
  aCustomer,
  aShop,
  ledgerVersusLevels,
  levelOf,
  line,
  payInFull,
  placeOrder,
  post,
} from './order.test-support';

describeEachDialect('fulfilment', (t) => {
  const order = async (id: string) =>
    (
      await t().omnis.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: await t().as('agent') })
    ).json();

  it('a paid order is picked, packed and shipped with tracking, and the ledger records the sale', async () => {
    const { channel, store, sku } = await aShop(t(), 4);
    const customer = await aCustomer(t());
    const placed = (
      await placeOrder(t(), {
        channel_id: channel.id,
        customer_id: customer,
        lines: [line(sku, store.id, 'ship', 2)],
      })
    ).order;
    const f = placed.fulfilments[0]!.id;
    // Before payment nothing moves.
    const early = await post(t(), `/v1/fulfilments/${f}/pick`);
    expect(early.statusCode).toBe(409);
    await payInFull(t(), placed.id, placed.totals.total.amount);
    expect((await order(placed.id)).status).toBe('paid');

    const queue = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/fulfilments?location_id=${store.id}&status=pending&mode=ship`,
      headers: await t().as('associate'),
    });
    expect(queue.json().data.map((x: { id: string }) => x.id)).toEqual([f]);

    expect((await post(t(), `/v1/fulfilments/${f}/pack`)).statusCode).toBe(409); // not picked yet
    expect((await post(t(), `/v1/fulfilments/${f}/pick`)).statusCode).toBe(200);
    expect((await order(placed.id)).status).toBe('fulfilling');
    expect((await post(t(), `/v1/fulfilments/${f}/pack`)).statusCode).toBe(200);
    const shipped = await post(t(), `/v1/fulfilments/${f}/ship`, {
      carrier: 'SEUR',
      tracking_number: 'ES123456789',
      tracking_url: 'https://track.example/ES123456789',
    });
    expect(shipped.statusCode).toBe(200);
    expect(shipped.json()).toMatchObject({
      status: 'shipped',
      carrier: 'SEUR',
      tracking_number: 'ES123456789',
    });

    const after = await order(placed.id);
    expect(after.status).toBe('completed');
    const level = await levelOf(t(), sku, store.id);
    expect([Number(level.on_hand), Number(level.reserved)]).toEqual([2, 0]);
    for (const l of await ledgerVersusLevels(t())) expect(l.ledger, l.level).toEqual(l.stored);

    const timeline = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${customer}/timeline`,
      headers: await t().as('agent'),
    });
    const types = (timeline.json().data as Array<{ type: string }>).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['order.paid', 'fulfilment.picked', 'fulfilment.packed', 'fulfilment.shipped']),
    );
  });

  it('an order leaving from a warehouse and a store is partially fulfilled until both have left', async () => {
    const { channel, store, sku } = await aShop(t(), 3);
    const warehouse = await aLocation(t(), { kind: 'warehouse' });
    await allocate(t(), channel.id, [{ location_id: store.id }, { location_id: warehouse.id }]);
    await receive(t(), [{ sku, location_id: warehouse.id, quantity: 3 }]);
    const customer = await aCustomer(t());
    const placed = (
      await placeOrder(t(), {
        channel_id: channel.id,
        customer_id: customer,
        lines: [line(sku, warehouse.id, 'ship'), line(sku, store.id, 'same_day')],
      })
    ).order;
    expect(placed.fulfilments.map((f) => f.mode).sort()).toEqual(['same_day', 'ship']);
    await payInFull(t(), placed.id, placed.totals.total.amount);
    const sameDay = placed.fulfilments.find((f) => f.mode === 'same_day')!.id;
    const ship = placed.fulfilments.find((f) => f.mode === 'ship')!.id;
    expect((await post(t(), `/v1/fulfilments/${sameDay}/ship`)).statusCode).toBe(409); // a courier, not a carrier
    expect((await post(t(), `/v1/fulfilments/${sameDay}/out-for-delivery`)).statusCode).toBe(200);
    expect((await post(t(), `/v1/fulfilments/${sameDay}/deliver`)).statusCode).toBe(200);
    expect((await order(placed.id)).status).toBe('partially_fulfilled');
    for (const step of ['pick', 'pack', 'ship']) await post(t(), `/v1/fulfilments/${ship}/${step}`);
    expect((await order(placed.id)).status).toBe('completed');
    expect(Number((await levelOf(t(), sku, store.id)).on_hand)).toBe(2);
    expect(Number((await levelOf(t(), sku, warehouse.id)).on_hand)).toBe(2);
  });
});
