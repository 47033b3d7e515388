/**
 * Orders from every channel: an agent takes a phone order for a customer and it shows on her timeline; fifty
 * orders placed at once get fifty different numbers; a marketplace order imported twice is one order; bad input
 * names its field and writes nothing; cancelling frees the stock, editing records what is still due.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import {
  aCustomer,
  aShop,
  levelOf,
  line,
  payInFull,
  placeOrder,
  post,
  testActor,
  type OrderBody,
} from './order.test-support';

describeEachDialect('orders', (t) => {
  const get = async (url: string, headers?: Record<string, string>) =>
    t().omnis.app.inject({ method: 'GET', url, headers: headers ?? (await t().as('agent')) });

  it('an agent takes a phone order for a customer and it appears on her timeline', async () => {
    const { channel, store, sku } = await aShop(t());
    const customer = await aCustomer(t());
    const { order, access_secret } = await placeOrder(t(), {
      channel_id: channel.id,
      customer_id: customer,
      lines: [line(sku, store.id, 'ship', 2)],
      shipping: 499,
      shipping_address: { name: 'Ana', line1: 'Calle Mayor 1', city: 'Madrid', country: 'ES' },
    });
    expect(order.display_number).toBe(`#${order.number}`);
    expect(order.status).toBe('pending_payment');
    expect(order.totals.total).toEqual({ amount: 2 * 1999 + 499, currency: 'EUR' });
    // The units are held for the order and no longer expire.
    const [rid] = order.lines[0]!.reservation_ids;
    expect((await t().omnis.services.reservations.retrieveReservation(rid!)).status).toBe('confirmed');
    expect(Number((await levelOf(t(), sku, store.id)).reserved)).toBe(2);

    const timeline = await get(`/v1/customers/${customer}/timeline`);
    const types = (timeline.json().data as Array<{ type: string }>).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['order.placed', 'fulfilment.created']));

    // The order status page opens with the secret given at creation, and not with another.
    const page = await get(`/store/v1/orders/${order.id}`, { 'x-order-secret': access_secret });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ display_number: order.display_number, status: 'pending_payment' });
    expect(page.json().lines[0]).not.toHaveProperty('reservation_ids');
    const wrong = await get(`/store/v1/orders/${order.id}`, { 'x-order-secret': 'ordsec_not-it' });
    expect(wrong.statusCode).toBe(404);

    const listed = await get(
      `/v1/orders?customer_id=${customer}&number=${encodeURIComponent(order.display_number)}`,
    );
    expect(listed.json().data.map((o: OrderBody) => o.id)).toEqual([order.id]);
  });

  it('parallel order creation never shares a number', async () => {
    const { channel, store, sku } = await aShop(t(), 60);
    const customer = await aCustomer(t());
    const headers = await t().as('agent');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        t().omnis.app.inject({
          method: 'POST',
          url: '/v1/orders',
          headers,
          payload: { channel_id: channel.id, customer_id: customer, lines: [line(sku, store.id)] },
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(201));
    const numbers = answers.map((a) => (a.json() as { order: OrderBody }).order.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(50);
    expect(numbers[49]! - numbers[0]!).toBe(49);
    expect(Number((await levelOf(t(), sku, store.id)).reserved)).toBe(50);
  });

  it("lines without a title take their product's, read once for all lines; a title given is kept", async () => {
    const { channel, store, skus } = await aShop(t(), 5, 3);
    const { catalog } = t().omnis.services;
    const variants = await catalog.variants.retrieveVariantsBySku(skus);
    const productOf = (sku: string) => variants.find((v) => v.sku === sku)!.product_id;
    await catalog.products.updateProduct(productOf(skus[1]!), { title: { en: 'Wool scarf' } }, testActor);
    const { order } = await placeOrder(t(), {
      channel_id: channel.id,
      email: 'titles@example.com',
      lines: [
        line(skus[0]!, store.id),
        line(skus[1]!, store.id),
        { ...line(skus[2]!, store.id), title: 'Gift-wrapped shirt' },
        line(skus[0]!, store.id),
      ],
    });
    const detail = await t().omnis.services.commerce.orders.retrieveOrder(order.id);
    expect(detail.lines.map((l) => [l.sku, l.title])).toEqual([
      [skus[0], 'Linen shirt'],
      [skus[1], 'Wool scarf'],
      [skus[2], 'Gift-wrapped shirt'],
      [skus[0], 'Linen shirt'],
    ]);
  });

  it('a marketplace order imported twice is one order', async () => {
    const { channel, store, sku } = await aShop(t(), 5);
    const payload = {
      channel_id: channel.id,
      external_id: 'AMZ-408-1234567',
      email: 'buyer@marketplace.example',
      lines: [line(sku, store.id)],
    };
    const first = await post(t(), '/v1/orders/import', payload, 'agent');
    expect(first.statusCode).toBe(201);
    expect(first.json().order.status).toBe('paid');
    const [again, racing] = await Promise.all([
      post(t(), '/v1/orders/import', payload, 'agent'),
      post(t(), '/v1/orders/import', payload, 'agent'),
    ]);
    expect([again.statusCode, racing.statusCode]).toEqual([200, 200]);
    expect(again.json().order.id).toBe(first.json().order.id);
    expect(racing.json().order.id).toBe(first.json().order.id);
    expect(Number((await levelOf(t(), sku, store.id)).reserved)).toBe(1);
  });

  it('an order naming an unknown SKU, location or customer, or no units, is refused naming each field', async () => {
    const { channel, store, sku } = await aShop(t());
    const before = await t().omnis.database.db.selectFrom('orders').select('id').execute();
    const res = await post(
      t(),
      '/v1/orders',
      {
        channel_id: channel.id,
        customer_id: 'cus_nobody',
        lines: [line('NO-SUCH-SKU', store.id), line(sku, 'loc_nowhere')],
      },
      'agent',
    );
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['body.customer_id', 'body.lines.0.sku', 'body.lines.1.delivery.location_id']),
    );
    const zero = await post(
      t(),
      '/v1/orders',
      { channel_id: channel.id, email: 'a@b.example', lines: [line(sku, store.id, 'ship', 0)] },
      'agent',
    );
    expect(zero.statusCode).toBe(400);
    expect(zero.json().errors[0].field).toBe('body.lines.0.quantity');
    const after = await t().omnis.database.db.selectFrom('orders').select('id').execute();
    expect(after.length).toBe(before.length);
    expect(Number((await levelOf(t(), sku, store.id)).reserved)).toBe(0);
  });

  it('cancelling an order frees its units; a completed order cannot be cancelled', async () => {
    const { channel, store, sku } = await aShop(t(), 3);
    const customer = await aCustomer(t());
    const { order } = await placeOrder(t(), {
      channel_id: channel.id,
      customer_id: customer,
      lines: [line(sku, store.id, 'ship', 2)],
    });
    const cancelled = await post(
      t(),
      `/v1/orders/${order.id}/cancel`,
      { reason: 'customer changed her mind' },
      'agent',
    );
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    expect(cancelled.json().fulfilments[0].status).toBe('cancelled');
    expect(Number((await levelOf(t(), sku, store.id)).reserved)).toBe(0);
    const twice = await post(t(), `/v1/orders/${order.id}/cancel`, {}, 'agent');
    expect(twice.statusCode).toBe(409);

    // A paid order that is cancelled gives the money back: captured − refunded is zero afterwards.
    const { order: paid } = await placeOrder(t(), {
      channel_id: channel.id,
      customer_id: customer,
      lines: [line(sku, store.id, 'ship', 1)],
    });
    await payInFull(t(), paid.id, paid.totals.total.amount);
    expect((await t().omnis.services.commerce.orders.retrieveOrder(paid.id)).status).toBe('paid');
    expect((await post(t(), `/v1/orders/${paid.id}/cancel`, {}, 'agent')).statusCode).toBe(200);
    const money = await t().omnis.services.commerce.payments.totals(t().omnis.database.db, paid.id);
    expect(money.captured).toBe(paid.totals.total.amount);
    expect(money.refunded).toBe(paid.totals.total.amount);

    const { order: shipped } = await placeOrder(t(), {
      channel_id: channel.id,
      customer_id: customer,
      lines: [line(sku, store.id)],
    });
    await payInFull(t(), shipped.id, shipped.totals.total.amount);
    const f = shipped.fulfilments[0]!.id;
    for (const step of ['pick', 'pack', 'ship'])
      expect((await post(t(), `/v1/fulfilments/${f}/${step}`)).statusCode).toBe(200);
    const refused = await post(t(), `/v1/orders/${shipped.id}/cancel`, {}, 'agent');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors[0].field).toBe('params.id');
  });

  it('a goodwill refund before shipping leaves the order paid, owing nothing, and it still ships', async () => {
    const { channel, store, sku } = await aShop(t(), 3);
    const { order } = await placeOrder(t(), {
      channel_id: channel.id,
      customer_id: await aCustomer(t()),
      lines: [line(sku, store.id)],
    });
    await payInFull(t(), order.id, order.totals.total.amount);
    const { payments, orders } = t().omnis.services.commerce;
    const [payment] = (await payments.listPayments({ order_id: order.id })).data;
    await payments.refundPayment(payment!.id, { amount: 500, reason: 'late delivery, sorry' }, testActor);
    const after = await orders.retrieveOrder(order.id);
    expect(after.status).toBe('paid');
    expect(after.payments.refunded.amount).toBe(500);
    expect(after.payments.balance_due.amount).toBe(0);
    expect((await post(t(), `/v1/fulfilments/${order.fulfilments[0]!.id}/pick`)).statusCode).toBe(200);
  });

  it('an order edited before fulfilment records the payment difference; after it started, edits are refused', async () => {
    const { channel, store, skus } = await aShop(t(), 5, 2);
    const customer = await aCustomer(t());
    const { order } = await placeOrder(t(), {
      channel_id: channel.id,
      customer_id: customer,
      lines: [line(skus[0]!, store.id)],
    });
    await payInFull(t(), order.id, 1999);
    const edit = await t().omnis.app.inject({
      method: 'PUT',
      url: `/v1/orders/${order.id}/lines`,
      headers: await t().as('agent'),
      payload: { lines: [line(skus[0]!, store.id), line(skus[1]!, store.id, 'ship', 2)] },
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const edited = edit.json();
    expect(edited.totals.total.amount).toBe(3 * 1999);
    expect(edited.edits[0].balance_due).toEqual({ amount: 2 * 1999, currency: 'EUR' });
    // The unchanged line kept its reservation; the new one is held too; the total is no longer covered.
    expect(edited.lines[0].reservation_ids).toEqual(order.lines[0]!.reservation_ids);
    expect(Number((await levelOf(t(), skus[1]!, store.id)).reserved)).toBe(2);
    expect(edited.status).toBe('pending_payment');

    await payInFull(t(), order.id, 3 * 1999);
    expect(
      (
        await post(
          t(),
          `/v1/fulfilments/${edited.fulfilments.find((f: { status: string }) => f.status === 'pending').id}/pick`,
        )
      ).statusCode,
    ).toBe(200);
    const late = await t().omnis.app.inject({
      method: 'PUT',
      url: `/v1/orders/${order.id}/lines`,
      headers: await t().as('agent'),
      payload: { lines: [line(skus[0]!, store.id)] },
    });
    expect(late.statusCode).toBe(409);
  });
});
