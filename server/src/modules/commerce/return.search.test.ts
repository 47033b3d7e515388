/**
 * The returns desk finds any return, wherever it was opened: a customer who started a mail return online walks into
 * the store and is found by her email or phone (as she writes it), by the order's number, or by the return's id;
 * open returns apart from finished ones; a text naming nothing finds nothing; every search is audited as a read of
 * personal data; a bad filter is refused naming it.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { decodeJson } from '../../platform/db/codecs';
import { unique } from '../inventory/inventory.test-support';
import { post } from './order.test-support';
import {
  aPosSale,
  aShippedCardOrder,
  aShopWithStores,
  storeCredentials,
  testActor,
} from './return.test-support';

describeEachDialect('finding a return at the desk', (t) => {
  const get = async (url: string) =>
    t().omnis.app.inject({ method: 'GET', url, headers: await t().as('associate') });
  const found = async (query: string) => {
    const res = await get(`/v1/returns?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().data as Array<{ id: string }>).map((r) => r.id);
  };

  /** A customer known by a fresh email and a fresh Spanish mobile number. */
  async function aCustomerWithPhone() {
    const email = `${unique('lucia')}@example.com`.toLowerCase();
    const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, '0');
    const phone = `+3461${digits}`;
    const resolved = await t().omnis.services.identity.resolve({
      identifiers: [
        { type: 'email', value: email },
        { type: 'phone', value: phone },
      ],
      profile: { first_name: 'Lucía' },
      actor: testActor,
      reason: 'test',
    });
    return { id: resolved.customerId, email, phone, digits };
  }

  it('a mail return started online is found at the store by email, phone, order number and return id', async () => {
    const shop = await aShopWithStores(t());
    const lucia = await aCustomerWithPhone();
    const { order } = await aShippedCardOrder(t(), shop, shop.warehouse.id, lucia.id);
    const rma = await t().omnis.app.inject({
      method: 'POST',
      url: '/store/v1/returns',
      headers: await storeCredentials(t(), shop.channel.id, lucia.id),
      payload: {
        order_id: order.id,
        lines: [{ order_line_id: order.lines[0]!.id, quantity: 1, reason: 'wrong_size' }],
      },
    });
    expect(rma.statusCode, rma.body).toBe(201);
    const open = rma.json().id as string;

    // An earlier store purchase of hers, already returned and refunded: finished, not on the desk's open list.
    const { order: bought } = await aPosSale(t(), shop, shop.warehouse.id, lucia.id);
    const earlier = await post(t(), '/v1/returns', {
      order_id: bought.id,
      method: 'in_store',
      lines: [{ order_line_id: bought.lines[0]!.id, quantity: 1, reason: 'changed_mind' }],
    });
    expect(earlier.statusCode, earlier.body).toBe(201);
    const done = earlier.json().id as string;
    await post(t(), `/v1/returns/${done}/receive`, { location_id: shop.warehouse.id });
    await post(t(), `/v1/returns/${done}/inspect`, {
      lines: [{ return_line_id: earlier.json().lines[0].id, outcome: 'restock' }],
    });
    const refunded = await post(t(), `/v1/returns/${done}/refund`, { method: 'store_credit' });
    expect(refunded.json().status, refunded.body).toBe('completed');

    // Someone else's return, in the same shop.
    const other = await aCustomerWithPhone();
    const { order: theirs } = await aShippedCardOrder(t(), shop, shop.warehouse.id, other.id);
    const stranger = await post(t(), '/v1/returns', {
      order_id: theirs.id,
      method: 'in_store',
      lines: [{ order_line_id: theirs.lines[0]!.id, quantity: 1, reason: 'wrong_size' }],
    });
    expect(stranger.statusCode, stranger.body).toBe(201);

    // She gives her email as she remembers it, and her number the way she says it.
    expect(await found(`q=${encodeURIComponent(lucia.email.toUpperCase())}&open=true`)).toEqual([open]);
    const spoken = `+34 61${lucia.digits.slice(0, 1)} ${lucia.digits.slice(1, 4)} ${lucia.digits.slice(4)}`;
    expect(await found(`q=${encodeURIComponent(spoken)}&open=true`)).toEqual([open]);
    // Finished returns are listed apart; all of hers, newest first, without the filter.
    expect(await found(`q=${encodeURIComponent(lucia.email)}&open=false`)).toEqual([done]);
    expect(await found(`q=${encodeURIComponent(lucia.email)}`)).toEqual([open, done].sort().reverse());
    // Each row names its order by the number the customer knows.
    const rows = (await get(`/v1/returns?q=${encodeURIComponent(lucia.email)}&open=true`)).json().data;
    expect(rows).toMatchObject([
      { id: open, order_id: order.id, order_display_number: order.display_number },
    ]);
    // The order's number, with or without #, and the return's own id.
    expect(await found(`q=${encodeURIComponent(order.display_number)}`)).toEqual([open]);
    expect(await found(`q=${order.number}`)).toEqual([open]);
    expect(await found(`q=${open}`)).toEqual([open]);
    expect(await found(`q=${order.id}`)).toEqual([open]);
    // Nothing it could name: an empty list, not every return.
    expect(await found(`q=${encodeURIComponent('nobody.here@example.com')}`)).toEqual([]);
    expect(await found(`q=ret_01NOTARETURN0000000000000`)).toEqual([]);
    // Without q the desk's open list holds hers and the stranger's, not the finished one.
    const openNow = await found('open=true&limit=200');
    expect(openNow).toEqual(expect.arrayContaining([open, stranger.json().id]));
    expect(openNow).not.toContain(done);

    // Looking customers up by email is a read of personal data: audited with whom it found.
    const audits = await t()
      .omnis.database.db.selectFrom('audit_log')
      .select(['action', 'target_type', 'data'])
      .where('action', '=', 'return.search')
      .execute();
    const byEmail = audits
      .map((a) => ({ ...a, data: decodeJson<{ q: string; customer_ids: string[] }>(a.data) }))
      .filter((a) => a.data.q === lucia.email.toUpperCase());
    expect(byEmail).toMatchObject([
      { target_type: 'customer', data: { customer_ids: [lucia.id], count: 1 } },
    ]);
  });

  it('a bad filter is refused naming it', async () => {
    const maybe = await get('/v1/returns?open=maybe');
    expect(maybe.statusCode).toBe(400);
    expect(maybe.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(maybe.json().errors[0].field).toBe('query.open');
    const empty = await get('/v1/returns?q=');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('query.q');
    const tooLong = await get(`/v1/returns?q=${'a'.repeat(321)}`);
    expect(tooLong.json().errors[0].field).toBe('query.q');
  });
});
