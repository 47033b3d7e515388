/**
 * Click-and-collect at the store: the associate marks the order ready and hands it over with the customer's code,
 * a wrong code is refused and changes nothing; an order nobody collects expires and its units are on sale again,
 * with the ledger telling the same story.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
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

describeEachDialect('click-and-collect', (t) => {
  const order = async (id: string) =>
    (
      await t().omnis.app.inject({ method: 'GET', url: `/v1/orders/${id}`, headers: await t().as('agent') })
    ).json();

  async function aPaidPickup(units = 2) {
    const { channel, store, sku } = await aShop(t(), units);
    const customer = await aCustomer(t());
    const placed = (
      await placeOrder(t(), {
        channel_id: channel.id,
        customer_id: customer,
        lines: [line(sku, store.id, 'pickup')],
      })
    ).order;
    await payInFull(t(), placed.id, placed.totals.total.amount);
    return { placed, store, sku, customer, fulfilment: placed.fulfilments[0]!.id };
  }

  it('an associate marks a click-and-collect order ready and hands it over with the right pickup code; the wrong code is refused', async () => {
    const { placed, store, sku, customer, fulfilment } = await aPaidPickup();
    const desk = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/fulfilments?location_id=${store.id}&mode=pickup`,
      headers: await t().as('associate'),
    });
    expect(desk.json().data.map((f: { id: string }) => f.id)).toContain(fulfilment);

    const ready = await post(t(), `/v1/fulfilments/${fulfilment}/ready-for-pickup`);
    expect(ready.statusCode).toBe(200);
    const code = ready.json().pickup_code as string;
    expect(code).toMatch(/^\d{6}$/);
    expect(ready.json().fulfilment.status).toBe('ready_for_pickup');
    const stored = await t()
      .omnis.database.db.selectFrom('fulfilments')
      .select('pickup_code_hash')
      .where('id', '=', fulfilment)
      .executeTakeFirstOrThrow();
    expect(stored.pickup_code_hash).not.toContain(code);

    const wrongCode = code === '000000' ? '111111' : '000000';
    const wrong = await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code: wrongCode });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'pickup_code_mismatch', attempts_left: 4 });
    expect(wrong.json().errors[0].field).toBe('body.code');
    expect((await order(placed.id)).fulfilments[0].status).toBe('ready_for_pickup');
    expect(Number((await levelOf(t(), sku, store.id)).on_hand)).toBe(2);

    const right = await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code });
    expect(right.statusCode).toBe(200);
    expect(right.json().status).toBe('collected');
    expect((await order(placed.id)).status).toBe('completed');
    const level = await levelOf(t(), sku, store.id);
    expect([Number(level.on_hand), Number(level.reserved)]).toEqual([1, 0]);
    expect((await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code })).statusCode).toBe(409);

    const timeline = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${customer}/timeline`,
      headers: await t().as('agent'),
    });
    const types = (timeline.json().data as Array<{ type: string }>).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['fulfilment.ready_for_pickup', 'fulfilment.collected']));
  });

  it('after five wrong codes the pickup is locked until it is marked ready again with a new code', async () => {
    const { fulfilment } = await aPaidPickup();
    const code = (await post(t(), `/v1/fulfilments/${fulfilment}/ready-for-pickup`)).json()
      .pickup_code as string;
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      expect((await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code: wrongCode })).statusCode).toBe(
        422,
      );
    expect((await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code })).statusCode).toBe(409);
    const fresh = (await post(t(), `/v1/fulfilments/${fulfilment}/ready-for-pickup`)).json()
      .pickup_code as string;
    expect((await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code: fresh })).statusCode).toBe(200);
  });

  it('an uncollected pickup expires and its units are on sale again', async () => {
    const { placed, store, sku, customer, fulfilment } = await aPaidPickup(1);
    await post(t(), `/v1/fulfilments/${fulfilment}/ready-for-pickup`);
    const { fulfilments } = t().omnis.services.commerce;
    expect(await fulfilments.expireDuePickups(Date.now())).toBe(0); // the hold has not ended
    const expired = await fulfilments.expireDuePickups(Date.now() + t().omnis.config.pickupHoldMs + 1000);
    expect(expired).toBe(1);

    const after = await order(placed.id);
    expect(after.fulfilments[0].status).toBe('expired');
    expect(after.status).toBe('cancelled');
    const level = await levelOf(t(), sku, store.id);
    expect([Number(level.on_hand), Number(level.reserved)]).toEqual([1, 0]);
    for (const l of await ledgerVersusLevels(t())) expect(l.ledger, l.level).toEqual(l.stored);
    // On sale again: another shopper can reserve the unit.
    const again = await t().omnis.services.reservations.reserve(
      {
        channel_id: after.channel_id,
        reference: { type: 'cart', id: 'cart_next' },
        lines: [{ sku, quantity: 1, location_id: store.id }],
      },
      { type: 'system', id: null, label: 'test' },
    );
    expect(again.reservations).toHaveLength(1);
    const timeline = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${customer}/timeline`,
      headers: await t().as('agent'),
    });
    expect((timeline.json().data as Array<{ type: string }>).map((e) => e.type)).toContain(
      'fulfilment.pickup_expired',
    );
  });
});
