/**
 * Carts follow the shopper: started anonymously in the app, joined to her web cart when she signs in, pulled up
 * by an associate at the POS, and closed to anyone without the cart's secret or the customer's token. Bad lines
 * are refused naming the field, with nothing written.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { cartFixtures } from './cart.test-support';

describeEachDialect('carts', (t) => {
  const f = cartFixtures(t);
  const store = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => t().omnis.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  it('a shopper’s anonymous app cart joins her web cart when she signs in', async () => {
    const web = await f.channel('web');
    const app = await f.channel('app');
    const tee = await f.sellable([web, app], 2999);
    const cap = await f.sellable([web, app], 1500);
    const ana = await f.shopper();
    const webKey = await f.storeKey(web);
    const appKey = await f.storeKey(app);

    // Signed in on the web last week: one tee in her cart.
    const webCart = await store(
      'POST',
      '/store/v1/carts',
      { ...webKey, 'x-customer-token': ana.token },
      { lines: [{ sku: tee.sku, quantity: 1 }] },
    );
    expect(webCart.statusCode).toBe(201);
    // Today, in the app, not signed in yet: two tees and a cap.
    const appCart = await store('POST', '/store/v1/carts', appKey, {
      anonymous_id: 'anon-123',
      lines: [
        { sku: tee.sku, quantity: 2 },
        { sku: cap.sku, quantity: 1 },
      ],
    });
    expect(appCart.statusCode).toBe(201);
    const anon = appCart.json();
    expect(anon).toMatchObject({ customer_id: null, channel_id: app, secret: expect.stringMatching(/^cs_/) });

    // She signs in in the app: the anonymous cart joins her web cart.
    const claimed = await store('POST', `/store/v1/carts/${anon.id}/claim`, {
      ...appKey,
      'x-cart-secret': anon.secret,
      'x-customer-token': ana.token,
    });
    expect(claimed.statusCode).toBe(200);
    const merged = claimed.json();
    expect(merged).toMatchObject({
      id: webCart.json().id,
      customer_id: ana.id,
      merged_from: anon.id,
      last_channel_id: app,
    });
    expect(merged.channel_ids).toEqual([web, app]);
    const qty = Object.fromEntries(
      merged.lines.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]),
    );
    expect(qty).toEqual({ [tee.sku]: 3, [cap.sku]: 1 });
    expect(merged.pricing.subtotal).toEqual({ amount: 3 * 2999 + 1500, currency: 'EUR' });

    // The app cart is marked merged; its events and the claim are on Ana's timeline.
    const old = await store('GET', `/store/v1/carts/${anon.id}`, { ...appKey, 'x-cart-secret': anon.secret });
    expect(old.json()).toMatchObject({ status: 'merged', merged_into: merged.id });
    expect(await f.eventsOf(anon.id)).toEqual([
      { type: 'cart.created', customer_id: null, channel_id: app },
      { type: 'cart.claimed', customer_id: ana.id, channel_id: app },
      { type: 'cart.merged', customer_id: ana.id, channel_id: app },
    ]);
    // Back on the web, her token opens the merged cart.
    const current = await store('GET', '/store/v1/carts/current', {
      ...webKey,
      'x-customer-token': ana.token,
    });
    expect(current.json()).toMatchObject({ id: merged.id, status: 'open' });
  });

  it('two devices claiming the same anonymous cart at once merge it exactly once', async () => {
    const web = await f.channel('web');
    const tee = await f.sellable([web], 1000);
    const ana = await f.shopper();
    const key = await f.storeKey(web);
    await store(
      'POST',
      '/store/v1/carts',
      { ...key, 'x-customer-token': ana.token },
      { lines: [{ sku: tee.sku, quantity: 1 }] },
    );
    const anon = (
      await store('POST', '/store/v1/carts', key, { lines: [{ sku: tee.sku, quantity: 4 }] })
    ).json();
    const headers = { ...key, 'x-cart-secret': anon.secret, 'x-customer-token': ana.token };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => store('POST', `/store/v1/carts/${anon.id}/claim`, headers)),
    );
    expect(answers.filter((a) => a.statusCode === 200).length).toBeGreaterThanOrEqual(1);
    for (const a of answers) expect([200, 409]).toContain(a.statusCode);
    const cart = (
      await store('GET', '/store/v1/carts/current', { ...key, 'x-customer-token': ana.token })
    ).json();
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0].quantity).toBe(5);
    expect((await f.eventsOf(anon.id)).filter((e) => e.type === 'cart.merged')).toHaveLength(1);
  });

  it('an associate pulls up the customer’s open cart at the POS and adds to it', async () => {
    const web = await f.channel('web');
    const pos = await f.channel('store');
    const tee = await f.sellable([web, pos], 2999);
    const socks = await f.sellable([pos], 599);
    const ana = await f.shopper();
    const key = await f.storeKey(web);
    const started = (
      await store(
        'POST',
        '/store/v1/carts',
        { ...key, 'x-customer-token': ana.token },
        { lines: [{ sku: tee.sku, quantity: 1 }] },
      )
    ).json();

    const associate = await t().as('associate');
    const found = await store('GET', `/v1/carts?customer_id=${ana.id}&status=open`, associate);
    expect(found.statusCode).toBe(200);
    expect(found.json().data.map((c: { id: string }) => c.id)).toEqual([started.id]);
    const added = await store('POST', `/v1/carts/${started.id}/lines`, associate, {
      channel_id: pos,
      lines: [{ sku: socks.sku, quantity: 2 }],
    });
    expect(added.statusCode).toBe(200);
    expect(added.json()).toMatchObject({ last_channel_id: pos, channel_ids: [web, pos] });
    expect(added.json().pricing.subtotal.amount).toBe(2999 + 2 * 599);
    // An agent "starting" a cart for her continues the same one.
    const agent = await store('POST', '/v1/carts', await t().as('agent'), {
      channel_id: pos,
      customer_id: ana.id,
    });
    expect(agent.statusCode).toBe(200);
    expect(agent.json().id).toBe(started.id);
    // An analyst may look but not change.
    expect(
      (
        await store('POST', `/v1/carts/${started.id}/lines`, await t().as('analyst'), {
          channel_id: pos,
          lines: [{ sku: tee.sku, quantity: 1 }],
        })
      ).statusCode,
    ).toBe(403);
  });

  it('bad lines are refused naming each field, and nothing is written', async () => {
    const web = await f.channel('web');
    const other = await f.channel('web');
    const elsewhere = await f.sellable([other], 999);
    const tee = await f.sellable([web], 999);
    const key = await f.storeKey(web);
    const carts = await f.count('commerce_carts');
    const lines = await f.count('commerce_cart_lines');
    const res = await store('POST', '/store/v1/carts', key, {
      lines: [
        { sku: 'NO-SUCH-SKU', quantity: 1 },
        { sku: tee.sku, quantity: 1, delivery_mode: 'pickup' },
        { sku: elsewhere.sku, quantity: 1 },
        { sku: tee.sku, quantity: 0 },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = (res.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toContain('body.lines.3.quantity');
    const res2 = await store('POST', '/store/v1/carts', key, {
      lines: [
        { sku: 'NO-SUCH-SKU', quantity: 1 },
        { sku: tee.sku, quantity: 1, delivery_mode: 'pickup' },
        { sku: elsewhere.sku, quantity: 1 },
      ],
    });
    expect(res2.statusCode).toBe(400);
    expect((res2.json().errors as Array<{ field: string }>).map((e) => e.field)).toEqual([
      'body.lines.0.sku',
      'body.lines.1.location_id',
      'body.lines.2.sku',
    ]);
    expect(await f.count('commerce_carts')).toBe(carts);
    expect(await f.count('commerce_cart_lines')).toBe(lines);
  });

  it('a cart opens only with its secret or its customer’s token, from any channel', async () => {
    const web = await f.channel('web');
    const app = await f.channel('app');
    const tee = await f.sellable([web, app], 999);
    const ana = await f.shopper();
    const eve = await f.shopper();
    const webKey = await f.storeKey(web);
    const appKey = await f.storeKey(app);
    const cart = (
      await store('POST', '/store/v1/carts', webKey, { lines: [{ sku: tee.sku, quantity: 1 }] })
    ).json();
    expect((await store('GET', `/store/v1/carts/${cart.id}`, webKey)).statusCode).toBe(404);
    expect(
      (await store('GET', `/store/v1/carts/${cart.id}`, { ...webKey, 'x-cart-secret': 'cs_wrong' }))
        .statusCode,
    ).toBe(404);
    // The same secret works from the app: carts are not tied to the channel they started in.
    const fromApp = await store(
      'PATCH',
      `/store/v1/carts/${cart.id}`,
      { ...appKey, 'x-cart-secret': cart.secret },
      { email: 'ana@example.com' },
    );
    expect(fromApp.statusCode).toBe(200);
    expect(fromApp.json()).toMatchObject({ email: 'ana@example.com', last_channel_id: app });
    // Claimed by Ana, the cart opens with her token, not with Eve's.
    await store('POST', `/store/v1/carts/${cart.id}/claim`, {
      ...webKey,
      'x-cart-secret': cart.secret,
      'x-customer-token': ana.token,
    });
    expect(
      (await store('GET', `/store/v1/carts/${cart.id}`, { ...webKey, 'x-customer-token': ana.token }))
        .statusCode,
    ).toBe(200);
    expect(
      (await store('GET', `/store/v1/carts/${cart.id}`, { ...webKey, 'x-customer-token': eve.token }))
        .statusCode,
    ).toBe(404);
    // Eve cannot take it over either.
    const stolen = await store('POST', `/store/v1/carts/${cart.id}/claim`, {
      ...webKey,
      'x-cart-secret': cart.secret,
      'x-customer-token': eve.token,
    });
    expect(stolen.statusCode).toBe(409);
  });

  it('erasing a customer removes the email and address from her carts', async () => {
    const web = await f.channel('web');
    const tee = await f.sellable([web], 999);
    const ana = await f.shopper();
    const key = await f.storeKey(web);
    const cart = (
      await store(
        'POST',
        '/store/v1/carts',
        { ...key, 'x-customer-token': ana.token },
        {
          email: ana.email,
          shipping_address: { line1: 'Calle Mayor 1', postal_code: '28013', city: 'Madrid', country: 'ES' },
          lines: [{ sku: tee.sku, quantity: 1 }],
        },
      )
    ).json();
    const handler = t()
      .omnis.privacyHandlers()
      .find((h) => h.name === 'carts')!;
    const subject = { customerIds: [ana.id], values: [ana.email] };
    const exported = await handler.export(t().omnis.database.db, subject);
    expect(exported.carts).toMatchObject([{ id: cart.id, email: ana.email }]);
    await t()
      .omnis.database.db.transaction()
      .execute((trx) => handler.erase(trx, subject));
    const row = await t()
      .omnis.database.db.selectFrom('commerce_carts')
      .selectAll()
      .where('id', '=', cart.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ customer_id: null, email: null });
    expect(await handler.export(t().omnis.database.db, subject)).toMatchObject({ carts: [] });
  });
});
