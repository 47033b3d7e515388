/**
 * A resume link brings a customer back to her cart from any channel: the agent sends it, the shopper opens it on
 * the web, the associate types its short code at the POS. A forged, expired or someone else's link opens nothing.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { cartFixtures } from './cart.test-support';
import { normalizeResumeCode } from './resume.keys';

describeEachDialect('cart resume links', (t) => {
  const f = cartFixtures(t);
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => t().omnis.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  /** Ana's open cart, started in the phone channel by an agent. */
  async function anasCart() {
    const phone = await f.channel('web');
    const web = await f.channel('web');
    const pos = await f.channel('store');
    const tee = await f.sellable([phone, web, pos], 2999);
    const ana = await f.shopper();
    const agent = await t().as('agent');
    const cart = await call('POST', '/v1/carts', agent, {
      channel_id: phone,
      customer_id: ana.id,
      lines: [{ sku: tee.sku, quantity: 2 }],
    });
    expect(cart.statusCode).toBe(201);
    return { phone, web, pos, ana, agent, cart: cart.json() };
  }

  it('an associate opens a cart from its resume code, typed loosely', async () => {
    const { pos, agent, cart, ana } = await anasCart();
    const link = await call('POST', `/v1/carts/${cart.id}/resume-link`, agent);
    expect(link.statusCode).toBe(201);
    const { url, code, expires_at } = link.json();
    expect(url).toMatch(/\/shop\/cart\?resume=rsm_/);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(Date.parse(expires_at)).toBeGreaterThan(Date.now());
    // Typed at the till in lower case with a hyphen, and with O for 0 and I/L for 1.
    const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l');
    const opened = await call('POST', '/v1/carts/resume', await t().as('associate'), {
      channel_id: pos,
      code: typed,
    });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ id: cart.id, customer_id: ana.id, last_channel_id: pos });
    expect(opened.json().pricing.grand_total.amount).toBe(2 * 2999);
  });

  it('the shopper opens the link on the web and keeps the cart', async () => {
    const { web, agent, cart, ana } = await anasCart();
    const { token } = (
      await call('POST', `/v1/carts/${cart.id}/resume-link`, agent, { ttl_minutes: 60 })
    ).json();
    const key = await f.storeKey(web);
    const opened = await call('POST', '/store/v1/carts/resume', key, { token });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({ id: cart.id, last_channel_id: web });
    // The secret it returns keeps the cart open on this device; her own token works too.
    const again = await call('GET', `/store/v1/carts/${cart.id}`, {
      ...key,
      'x-cart-secret': opened.json().secret,
    });
    expect(again.statusCode).toBe(200);
    const withToken = await call(
      'POST',
      '/store/v1/carts/resume',
      { ...key, 'x-customer-token': ana.token },
      { token },
    );
    expect(withToken.statusCode).toBe(200);
  });

  it('a forged or expired resume link is refused, and so is someone else’s', async () => {
    const { web, agent, cart } = await anasCart();
    const { token, id } = (await call('POST', `/v1/carts/${cart.id}/resume-link`, agent)).json();
    const key = await f.storeKey(web);

    // Forged: the payload changed (another cart), the signature kept.
    const [body, sig] = token.slice(4).split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forged = `rsm_${Buffer.from(JSON.stringify({ ...payload, c: 'crt_other' })).toString('base64url')}.${sig}`;
    const refused = await call('POST', '/store/v1/carts/resume', key, { token: forged });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.json().errors).toEqual([
      { field: 'body.token', message: expect.stringMatching(/forged/) },
    ]);

    // Expired: a correctly signed token whose time is up.
    const signer = t().omnis.services.commerce.cartsModule.signer;
    const expired = await signer.signResume({ ...payload, r: id, e: Date.now() - 1000 });
    const late = await call('POST', '/store/v1/carts/resume', key, { token: expired });
    expect(late.statusCode).toBe(422);
    expect(late.json().errors[0]).toMatchObject({
      field: 'body.token',
      message: expect.stringMatching(/^expired at/),
    });

    // Eve, signed in, cannot open Ana's link.
    const eve = await f.shopper();
    expect(
      (await call('POST', '/store/v1/carts/resume', { ...key, 'x-customer-token': eve.token }, { token }))
        .statusCode,
    ).toBe(403);
    // A code nobody issued.
    const unknown = await call('POST', '/v1/carts/resume', await t().as('associate'), {
      channel_id: web,
      code: 'ZZZZZZZZ',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('body.code');
  });

  it('an anonymous cart gets no resume link: a link is for one customer', async () => {
    const web = await f.channel('web');
    const tee = await f.sellable([web], 999);
    const anon = (
      await call('POST', '/store/v1/carts', await f.storeKey(web), { lines: [{ sku: tee.sku, quantity: 1 }] })
    ).json();
    const before = await f.count('commerce_cart_resumes');
    const res = await call('POST', `/v1/carts/${anon.id}/resume-link`, await t().as('agent'));
    expect(res.statusCode).toBe(422);
    expect(await f.count('commerce_cart_resumes')).toBe(before);
  });

  it('codes read back through Crockford’s look-alikes', () => {
    expect(normalizeResumeCode('7k3q-x9md')).toBe('7K3QX9MD');
    expect(normalizeResumeCode('O1LI 2345')).toBe('01112345');
    expect(normalizeResumeCode('UUUUUUUU')).toBeNull();
    expect(normalizeResumeCode('short')).toBeNull();
  });
});
