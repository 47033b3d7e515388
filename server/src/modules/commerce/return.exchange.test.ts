/**
 * The exchange preview the returns desk shows before it confirms: the replacement priced exactly as the exchange
 * then prices it (the store's price list for the new size), the difference to pay or to refund, and nothing
 * claimed, reserved or charged by asking. The exchange made with the preview's figures settles to them. A bad
 * line is refused naming its field, as the exchange refuses it.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { eur, levelOf, posFixtures } from './checkout.test-support';
import { aShippedCardOrder, expectLedgerAndMoney } from './return.test-support';

describeEachDialect('exchange preview', (t) => {
  const f = posFixtures(t);
  const post = async (
    url: string,
    payload: Record<string, unknown>,
    role: 'associate' | 'analyst' = 'associate',
  ) => t().omnis.app.inject({ method: 'POST', url, headers: await t().as(role), payload });
  const get = async (url: string) =>
    t().omnis.app.inject({ method: 'GET', url, headers: await t().as('associate') });

  /** A shirt bought online (19.99), brought back to the store and received there. */
  async function aReturnAtTheStore(prices: number[]) {
    const shop = await f.aStore(prices);
    const customer = (await f.customer()).id;
    const { order } = await aShippedCardOrder(
      t(),
      { channel: { id: shop.web }, sku: shop.products[0]!.sku },
      shop.warehouse.id,
      customer,
    );
    const opened = await post('/v1/returns', {
      order_id: order.id,
      method: 'in_store',
      lines: [{ order_line_id: order.lines[0]!.id, quantity: 1, reason: 'wrong_size' }],
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = opened.json().id as string;
    const lineId = opened.json().lines[0].id as string;
    expect((await post(`/v1/returns/${id}/receive`, { location_id: shop.store.id })).statusCode).toBe(200);
    return { shop, customer, id, lineId };
  }

  const handover = (
    lineId: string,
    sku: string,
    locationId: string,
    extra: Record<string, unknown> = {},
  ) => ({
    return_line_id: lineId,
    sku,
    delivery: { mode: 'handover', location_id: locationId },
    ...extra,
  });

  it('the preview shows the store price and 5.00 to pay; the exchange made from it settles exactly that', async () => {
    const { shop, customer, id, lineId } = await aReturnAtTheStore([2000, 2000]);
    const large = shop.products[1]!;
    await f.priceList({
      type: 'override',
      status: 'active',
      channel_ids: [shop.channel],
      prices: [{ variant_id: large.variant_id, currency: 'EUR', amount: 2499 }],
    });
    const lines = [handover(lineId, large.sku, shop.store.id)];

    const preview = await post(`/v1/returns/${id}/exchange/preview`, { lines });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      return_id: id,
      channel_id: shop.channel,
      lines: [
        {
          return_line_id: lineId,
          returned_value: eur(1999),
          sku: large.sku,
          quantity: 1,
          unit_price: eur(2499),
          total: eur(2499),
          delivery: { mode: 'handover', location_id: shop.store.id },
        },
      ],
      returned_value: eur(1999),
      replacement_total: eur(2499),
      covered_by_return: eur(1999),
      to_pay: eur(500),
      to_refund: eur(0),
    });
    // Asking changed nothing: the return still owes 19.99, nothing is held, no credit was given.
    expect((await get(`/v1/returns/${id}`)).json()).toMatchObject({
      refund_total: eur(1999),
      exchange_order_id: null,
      lines: [{ exchanged: false }],
    });
    expect(Number((await levelOf(t(), large.sku, shop.store.id)).reserved)).toBe(0);
    expect(await t().omnis.services.commerce.storeCredit.balances(customer)).toEqual([]);

    // The desk confirms with the prices it showed and a tender of what the preview said to pay.
    const shown = preview.json();
    const done = await post(`/v1/returns/${id}/exchange`, {
      lines: [handover(lineId, large.sku, shop.store.id, { unit_price: shown.lines[0].unit_price.amount })],
      tenders: [{ provider: 'cash', amount: shown.to_pay.amount, method: { tendered: 1000 } }],
    });
    expect(done.statusCode, done.body).toBe(200);
    const replacement = await t().omnis.services.commerce.orders.retrieveOrder(done.json().exchange_order_id);
    expect(replacement.totals.total).toEqual(shown.replacement_total);
    expect(done.json().refund_total).toEqual(shown.to_refund);
    // Taken now: handed over by the exchange itself, so nothing stays held at the store for it.
    expect(replacement.fulfilments.map((x) => [x.mode, x.status])).toEqual([['handover', 'handed_over']]);
    expect(Number((await levelOf(t(), large.sku, shop.store.id)).reserved)).toBe(0);

    // Once exchanged, neither the preview nor a second exchange is offered.
    const again = await post(`/v1/returns/${id}/exchange/preview`, { lines });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ field: 'params.id', message: 'is received' }]);
    await expectLedgerAndMoney(t());
  });

  it('a cheaper replacement sent by post goes to the address given and leaves the rest to refund on the return', async () => {
    const { shop, id, lineId } = await aReturnAtTheStore([2000, 1500]);
    const cheaper = shop.products[1]!;
    // Sent from the warehouse by post: goods only, an exchange ships free.
    const lines = [
      {
        return_line_id: lineId,
        sku: cheaper.sku,
        delivery: { mode: 'ship', location_id: shop.warehouse.id },
      },
    ];
    // The original order carries no shipping address: a parcel needs one, asked before anything is priced.
    const nowhere = await post(`/v1/returns/${id}/exchange/preview`, { lines });
    expect(nowhere.statusCode, nowhere.body).toBe(422);
    expect(nowhere.json().errors).toEqual([
      { field: 'body.shipping_address', message: expect.stringContaining('shipping address') },
    ]);
    const shipping_address = {
      name: 'Lucía Gómez',
      line1: 'Carrer de Mallorca 401',
      postal_code: '08013',
      city: 'Barcelona',
      country: 'ES',
    };
    const preview = await post(`/v1/returns/${id}/exchange/preview`, { lines, shipping_address });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      replacement_total: eur(1500),
      covered_by_return: eur(1500),
      to_pay: eur(0),
      to_refund: eur(499),
    });
    const done = await post(`/v1/returns/${id}/exchange`, { lines, shipping_address });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().refund_total).toEqual(eur(499));
    const replacement = await get(`/v1/orders/${done.json().exchange_order_id as string}`);
    expect(replacement.json().shipping_address).toEqual(shipping_address);
    await expectLedgerAndMoney(t());
  });

  it('bad lines are refused naming the field, as the exchange refuses them; nothing changes', async () => {
    const { shop, id, lineId } = await aReturnAtTheStore([2000, 2000]);
    const large = shop.products[1]!;
    const refusal = async (lines: unknown[], field: string, status = 422) => {
      const res = await post(`/v1/returns/${id}/exchange/preview`, { lines });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect((res.json().errors as Array<{ field: string }>).map((e) => e.field)).toContain(field);
    };
    await refusal([handover(lineId, 'NO-SUCH-SKU', shop.store.id)], 'body.lines.0.sku');
    await refusal([handover('rtl_not_here', large.sku, shop.store.id)], 'body.lines.0.return_line_id');
    // One returned line carries its value once.
    await refusal(
      [handover(lineId, large.sku, shop.store.id), handover(lineId, large.sku, shop.store.id)],
      'body.lines.1.return_line_id',
    );
    await refusal([handover(lineId, large.sku, shop.store.id, { unit_price: 1 })], 'body.lines.0.unit_price');
    await refusal(
      [handover(lineId, large.sku, shop.store.id, { quantity: 0 })],
      'body.lines.0.quantity',
      400,
    );
    // The exchange itself refuses the doubled line the same way (before, it ran into a conflict after pricing).
    const doubled = await post(`/v1/returns/${id}/exchange`, {
      lines: [handover(lineId, large.sku, shop.store.id), handover(lineId, large.sku, shop.store.id)],
      tenders: [{ provider: 'cash', amount: 2001 }],
    });
    expect(doubled.statusCode).toBe(422);
    expect(doubled.json().errors[0].field).toBe('body.lines.1.return_line_id');

    // Reading orders is not enough to price an exchange.
    const analyst = await post(
      `/v1/returns/${id}/exchange/preview`,
      { lines: [handover(lineId, large.sku, shop.store.id)] },
      'analyst',
    );
    expect(analyst.statusCode).toBe(403);
    expect((await get(`/v1/returns/${id}`)).json()).toMatchObject({
      refund_total: eur(1999),
      exchange_order_id: null,
    });
  });
});
