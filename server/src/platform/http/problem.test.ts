/** Bad input is answered with problem+json naming the field, and changes nothing. */
import { expect, it } from 'vitest';
import { buildApp } from '../../app';
import { describeEachDialect, testConfig } from '../../../test/harness';

const PROBLEM = 'application/problem+json';

describeEachDialect('bad input', (t) => {
  const countChannels = async () =>
    Number(
      (
        await t()
          .omnis.database.db.selectFrom('channels')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const countEvents = async () =>
    Number(
      (
        await t()
          .omnis.database.db.selectFrom('outbox_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers an unknown path with a 404 problem', async () => {
    const res = await t().omnis.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found', type: 'urn:omnis:problem:not_found' });
    expect(res.json().request_id).toMatch(/^req_/);
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const res = await t().omnis.app.inject({
      method: 'DELETE',
      url: '/v1/channels',
      headers: await t().as('owner'),
    });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toContain('GET');
    expect(res.headers.allow).toContain('POST');
    expect(res.json().code).toBe('method_not_allowed');
  });

  it('rejects malformed JSON without writing anything', async () => {
    const before = await countChannels();
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: { ...(await t().as('owner')), 'content-type': 'application/json' },
      payload: '{"kind": "web", "name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.json().code).toBe('malformed_json');
    expect(await countChannels()).toBe(before);
  });

  it('names each field with a wrong type or unknown name', async () => {
    const before = await countChannels();
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: await t().as('owner'),
      payload: { kind: 'carrier-pigeon', name: 42, colour: 'blue' },
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.kind', 'body.name', 'body.colour']));
    expect(res.json().detail).not.toMatch(/at .*\.ts/); // no stack trace
    expect(await countChannels()).toBe(before);
  });

  it('names a missing required field', async () => {
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: await t().as('owner'),
      payload: { kind: 'web' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toContainEqual({ field: 'body.name', message: 'is required' });
  });

  it('rejects an oversized body with 413', async () => {
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: { ...(await t().as('owner')), 'content-type': 'application/json' },
      payload: JSON.stringify({ kind: 'web', name: 'x', config: { blob: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });

  it('answers missing and invalid credentials with 401', async () => {
    const none = await t().omnis.app.inject({ method: 'GET', url: '/v1/channels' });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('unauthenticated');
    const bad = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/channels',
      headers: { authorization: 'Bearer ost_not-a-real-token' },
    });
    expect(bad.statusCode).toBe(401);
    const malformed = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/channels',
      headers: { authorization: 'Basic abc' },
    });
    expect(malformed.statusCode).toBe(401);
  });

  it('answers an insufficient role with 403 before looking at the body', async () => {
    const before = await countChannels();
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: await t().as('analyst'),
      payload: { kind: 'web', name: 'Nope' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden', permission: 'channels:write' });
    expect(await countChannels()).toBe(before);
  });

  it('answers unknown ids with 404', async () => {
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/channels/cha_01NOPE',
      headers: await t().as('owner'),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toContain('cha_01NOPE');
    const patch = await t().omnis.app.inject({
      method: 'PATCH',
      url: '/v1/webhooks/whe_01NOPE',
      headers: await t().as('owner'),
      payload: { active: false },
    });
    expect(patch.statusCode).toBe(404);
  });

  it('leaves no rows when a request fails inside its transaction', async () => {
    const headers = await t().as('owner');
    const ok = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers,
      payload: { email: 'dup@test.example', name: 'First', role: 'agent', password: 'long enough pw' },
    });
    expect(ok.statusCode).toBe(201);
    const events = await countEvents();
    const dup = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers,
      payload: { email: 'DUP@test.example', name: 'Second', role: 'agent', password: 'long enough pw' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors).toContainEqual({ field: 'body.email', message: 'is already in use' });
    expect(await countEvents()).toBe(events);
  });

  it('rejects a cursor it did not issue, naming the query field', async () => {
    const res = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/channels?cursor=%25%25%25',
      headers: await t().as('owner'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('query.cursor');
  });

  it('masks an unexpected failure as a 500 problem without internals', async () => {
    const omnis = await buildApp(testConfig(), {
      database: t().omnis.database,
      logger: false,
      workers: false,
    });
    omnis.app.get('/boom', { config: { access: 'public' } }, async () => {
      throw new Error('connection to 10.0.0.5 refused at /srv/omnis/secret.ts:12');
    });
    const res = await omnis.app.inject({ method: 'GET', url: '/boom' });
    await omnis.app.close();
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain(PROBLEM);
    expect(res.body).not.toContain('10.0.0.5');
    expect(res.body).not.toContain('secret.ts');
    expect(res.json()).toMatchObject({ code: 'internal', status: 500 });
    expect(res.json().detail).toContain(res.json().request_id);
  });
});
