/**
 * Customer tokens as customers and staff live them: a link in a message opens one person's preference centre and
 * nothing else; it expires, can be revoked, follows the person through a merge and back through an unmerge, and
 * stops working the moment they are erased or restricted. Asking for a link by email never tells a stranger
 * whether the address is known.
 */
import { createHash } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { decodeJson } from '../../platform/db/codecs';

describeEachDialect('self-service customer tokens', (t) => {
  const unique = () => Math.random().toString(36).slice(2, 10);
  const staff = async (method: 'GET' | 'POST', url: string, payload?: object) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as('owner'),
      ...(payload ? { payload } : {}),
    });
  const me = (token: string | undefined, headers: Record<string, string> = {}) =>
    t().omnis.app.inject({
      method: 'GET',
      url: '/store/v1/me',
      headers: { ...(token ? { 'x-customer-token': token } : {}), ...headers },
    });

  const newCustomer = async (extra: Record<string, unknown> = {}) => {
    const email = `p.${unique()}@shop.example`;
    const res = await staff('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: email }],
      first_name: 'Paula',
      ...extra,
    });
    expect(res.statusCode).toBe(200);
    const customer = res.json().customer as { id: string; identifiers: Array<{ id: string; type: string }> };
    return { id: customer.id, email, emailId: customer.identifiers.find((i) => i.type === 'email')!.id };
  };
  const mint = async (customerId: string, body: object = {}) => {
    const res = await staff('POST', `/v1/customers/${customerId}/preference-links`, body);
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; token: string; path: string; url: string; expires_at: string };
  };
  const expectUnauthenticated = (res: Awaited<ReturnType<typeof me>>) => {
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('unauthenticated');
  };
  const channelWithKey = async () => {
    const channel = await t().omnis.services.channels.createChannel(
      { kind: 'web', name: `Shop ${unique()}` },
      systemActor,
    );
    const pk = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'shop', channel_id: channel.id },
      systemActor,
    );
    return { channelId: channel.id, auth: { authorization: `Bearer ${pk.key}` } };
  };
  const outbox = (type: string) =>
    t()
      .omnis.database.db.selectFrom('outbox_events')
      .selectAll()
      .where('type', '=', type)
      .orderBy('position')
      .execute();

  afterEach(() => vi.useRealTimers());

  it('mints a link whose token alone opens the customer’s own page; only its hash is stored', async () => {
    const paula = await newCustomer();
    const link = await mint(paula.id);
    expect(link.token).toMatch(/^ctk_[A-Za-z0-9_-]{32}$/);
    expect(link.path).toBe(`/preferences?token=${link.token}`);
    expect(link.url).toMatch(/^http:\/\/localhost:\d+\/preferences\?token=ctk_/);

    const res = await me(link.token);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json().customer).toEqual({ id: paula.id, first_name: 'Paula', locale: null, timezone: null });

    const rows = await t().omnis.database.db.selectFrom('customer_access_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(link.token);
    const row = rows.find((r) => r.id === link.id)!;
    expect(row.token_hash).toBe(createHash('sha256').update(link.token).digest('hex'));

    const links = await staff('GET', `/v1/customers/${paula.id}/preference-links`);
    expect(links.json().data[0]).toMatchObject({ id: link.id, status: 'active', source: 'staff' });
    expect(links.json().data[0].last_used_at).not.toBeNull();
    expect(JSON.stringify(links.json())).not.toContain(link.token);
  });

  it('answers a missing, wrong or misplaced credential with 401 problem+json', async () => {
    const paula = await newCustomer();
    const link = await mint(paula.id);
    expectUnauthenticated(await me(undefined));
    expectUnauthenticated(await me('ctk_not-a-real-token'));
    expectUnauthenticated(await me(`${link.token}x`));
    // Staff credentials do not stand in for a customer, and the token is not a bearer credential.
    expectUnauthenticated(await me(undefined, await t().as('owner')));
    expectUnauthenticated(await me(undefined, { authorization: `Bearer ${link.token}` }));
    // Nor does the customer token open staff routes.
    const staffRoute = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${paula.id}`,
      headers: { 'x-customer-token': link.token },
    });
    expect(staffRoute.statusCode).toBe(401);
  });

  it('refuses bad input to the staff mint, naming the field', async () => {
    const paula = await newCustomer();
    const other = await newCustomer();
    const res = await staff('POST', `/v1/customers/${paula.id}/preference-links`, {
      channel_id: 'cha_nope',
      identifier_id: other.emailId,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { field: 'body.channel_id', message: 'is not a known channel' },
      { field: 'body.identifier_id', message: 'is not an identifier of this customer' },
    ]);
    const unknown = await staff('POST', `/v1/customers/${paula.id}/preference-links`, { ttl: 5 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].field).toBe('body.ttl');
    const links = await staff('GET', `/v1/customers/${paula.id}/preference-links`);
    expect(links.json().data).toEqual([]);
  });

  it('stops opening the page once the link has expired', async () => {
    const paula = await newCustomer();
    const link = await mint(paula.id);
    const ttl = t().omnis.config.customerTokenTtlMs;
    expect(Date.parse(link.expires_at) - Date.now()).toBeGreaterThan(ttl - 60_000);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(link.expires_at) - 1_000);
    expect((await me(link.token)).statusCode).toBe(200);
    vi.setSystemTime(Date.parse(link.expires_at) + 1);
    expectUnauthenticated(await me(link.token));
    // Staff sessions expire in a month too: read the list back in the present.
    vi.useRealTimers();
    await t()
      .omnis.database.db.updateTable('customer_access_tokens')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', link.id)
      .execute();
    const links = await staff('GET', `/v1/customers/${paula.id}/preference-links`);
    expect(links.json().data[0].status).toBe('expired');
    expectUnauthenticated(await me(link.token));
  });

  it('revokes: staff end every link of the person; the customer ends the one in use', async () => {
    const paula = await newCustomer();
    const first = await mint(paula.id);
    const second = await mint(paula.id);
    const third = await mint(paula.id);

    const signOut = await t().omnis.app.inject({
      method: 'DELETE',
      url: '/store/v1/me/token',
      headers: { 'x-customer-token': third.token },
    });
    expect(signOut.statusCode).toBe(204);
    expectUnauthenticated(await me(third.token));
    expect((await me(first.token)).statusCode).toBe(200);

    const revoked = await staff('POST', `/v1/customers/${paula.id}/preference-links/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ customer_id: paula.id, revoked: 2 });
    expectUnauthenticated(await me(first.token));
    expectUnauthenticated(await me(second.token));
    const events = (await outbox('customer.access_links_revoked')).filter((e) => e.customer_id === paula.id);
    expect(events).toHaveLength(2);
  });

  it('follows the person through a merge, and back through an unmerge', async () => {
    const survivor = await newCustomer();
    const duplicate = await newCustomer({ first_name: 'Pau' });
    const link = await mint(duplicate.id);
    const merged = await staff('POST', `/v1/customers/${survivor.id}/merge`, { merge_id: duplicate.id });
    expect(merged.statusCode).toBe(200);
    const afterMerge = await me(link.token);
    expect(afterMerge.statusCode).toBe(200);
    expect(afterMerge.json().customer.id).toBe(survivor.id);

    const unmerged = await staff('POST', `/v1/customers/${survivor.id}/unmerge`, { merged_id: duplicate.id });
    expect(unmerged.statusCode).toBe(200);
    expect((await me(link.token)).json().customer).toMatchObject({ id: duplicate.id, first_name: 'Pau' });
  });

  it('stops working for a restricted customer until the restriction is lifted, and for good once erased', async () => {
    const paula = await newCustomer();
    const link = await mint(paula.id);
    const restrict = (restricted: boolean) =>
      staff('POST', `/v1/customers/${paula.id}/restrict`, { restricted });
    expect((await restrict(true)).statusCode).toBe(204);
    expectUnauthenticated(await me(link.token));
    // No new link for a restricted person either.
    const refused = await staff('POST', `/v1/customers/${paula.id}/preference-links`, {});
    expect(refused.statusCode).toBe(422);
    expect((await restrict(false)).statusCode).toBe(204);
    expect((await me(link.token)).statusCode).toBe(200);

    const erased = await staff('POST', `/v1/customers/${paula.id}/erase`, { confirm: true });
    expect(erased.statusCode).toBe(200);
    expectUnauthenticated(await me(link.token));
    const left = await t()
      .omnis.database.db.selectFrom('customer_access_tokens')
      .select('id')
      .where('customer_id', '=', paula.id)
      .execute();
    expect(left).toEqual([]);
  });

  it('asks for a link by email without telling whether the address is known; the sender issues it once', async () => {
    const { channelId, auth } = await channelWithKey();
    const paula = await newCustomer();
    const ask = (payload: object) =>
      t().omnis.app.inject({ method: 'POST', url: '/store/v1/customer-token', headers: auth, payload });

    const known = await ask({ email: paula.email.toUpperCase() });
    const unknown = await ask({ email: `nobody.${unique()}@shop.example` });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);

    const requested = (await outbox('customer.access_link_requested')).filter(
      (e) => e.customer_id === paula.id,
    );
    expect(requested).toHaveLength(1);
    expect(requested[0]!.channel_id).toBe(channelId);
    // Ids only: neither the address nor a token travels in the event (webhooks, realtime, NATS read it).
    expect(JSON.stringify(requested[0])).not.toContain(paula.email);
    expect(JSON.stringify(requested[0])).not.toContain('ctk_');
    const event = decodeJson<Record<string, string>>(requested[0]!.data);
    expect(event).toMatchObject({ customer_id: paula.id, identifier_id: paula.emailId, via: 'email' });

    const links = t().omnis.services.accessTokens;
    const issued = await links.issueRequestedLink(event.request_id!);
    expect(issued.to).toEqual({ type: 'email', value: paula.email });
    expect((await me(issued.token)).json()).toMatchObject({
      customer: { id: paula.id },
      link: { proves_email: true },
    });
    await expect(links.issueRequestedLink(event.request_id!)).rejects.toMatchObject({ code: 'conflict' });

    // Two senders handling the same event at once: one message gets a token, the other a conflict.
    await ask({ email: paula.email });
    const second = (await outbox('customer.access_link_requested')).filter((e) => e.customer_id === paula.id);
    const requestId = decodeJson<Record<string, string>>(second[1]!.data).request_id!;
    const raced = await Promise.allSettled([
      links.issueRequestedLink(requestId),
      links.issueRequestedLink(requestId),
    ]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(raced.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('refuses bad request-flow input naming the field, staff credentials, and floods', async () => {
    const { auth } = await channelWithKey();
    const paula = await newCustomer();
    const ask = (payload: object, headers: Record<string, string> = auth) =>
      t().omnis.app.inject({ method: 'POST', url: '/store/v1/customer-token', headers, payload });

    const badEmail = await ask({ email: 'not-an-email' });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.headers['content-type']).toContain('application/problem+json');
    expect(badEmail.json().errors[0].field).toBe('body.email');
    const both = await ask({ email: paula.email, phone: '+34600000000' });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors.map((e: { field: string }) => e.field)).toEqual(['body.email', 'body.phone']);
    expect((await ask({})).statusCode).toBe(400);
    expect((await ask({ email: paula.email }, await t().as('owner'))).statusCode).toBe(403);
    expect((await ask({ email: paula.email }, {})).statusCode).toBe(401);

    for (let i = 0; i < 7; i++) expect((await ask({ email: paula.email })).statusCode).toBe(202);
    const requests = await t()
      .omnis.database.db.selectFrom('customer_access_tokens')
      .select('id')
      .where('customer_id', '=', paula.id)
      .where('source', '=', 'request')
      .execute();
    expect(requests).toHaveLength(5);
  });
});
