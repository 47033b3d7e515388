/** An admin registers the business's channels; secrets go in and never come back out. */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';

describeEachDialect('channels registry', (t) => {
  it('registers a channel with write-only secrets and records a channel.created event', async () => {
    const admin = await t().as('admin');
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: admin,
      payload: {
        kind: 'whatsapp',
        name: 'WhatsApp',
        config: { from: 'whatsapp:+34600100201' },
        secrets: { auth_token: 'tw-very-secret' },
      },
    });
    expect(res.statusCode).toBe(201);
    const channel = res.json();
    expect(channel).toMatchObject({
      kind: 'whatsapp',
      name: 'WhatsApp',
      active: true,
      config: { from: 'whatsapp:+34600100201' },
      secrets: { auth_token: true },
    });
    expect(res.body).not.toContain('tw-very-secret');
    const fetched = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/channels/${channel.id}`,
      headers: admin,
    });
    expect(fetched.body).not.toContain('tw-very-secret');
    expect(await t().omnis.services.channels.channelSecrets(channel.id)).toEqual({
      auth_token: 'tw-very-secret',
    });
    const event = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .selectAll()
      .where('aggregate_id', '=', channel.id)
      .executeTakeFirstOrThrow();
    expect(event.type).toBe('channel.created');
    expect(JSON.stringify(event.data)).not.toContain('tw-very-secret');
  });

  it('replaces, keeps or clears secrets one by one and can deactivate a channel', async () => {
    const admin = await t().as('admin');
    const { id } = (
      await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/channels',
        headers: admin,
        payload: { kind: 'sms', name: 'SMS', secrets: { account_sid: 'AC1', auth_token: 'old' } },
      })
    ).json();
    const res = await t().omnis.app.inject({
      method: 'PATCH',
      url: `/v1/channels/${id}`,
      headers: admin,
      payload: { secrets: { auth_token: 'new', account_sid: null }, active: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ active: false, secrets: { auth_token: true } });
    expect(res.json().secrets.account_sid).toBeUndefined();
    expect(await t().omnis.services.channels.channelSecrets(id)).toEqual({ auth_token: 'new' });
  });

  it('lists channels newest first with filters and cursor pagination', async () => {
    const admin = await t().as('admin');
    for (const name of ['Store A', 'Store B', 'Store C']) {
      await t().omnis.app.inject({
        method: 'POST',
        url: '/v1/channels',
        headers: admin,
        payload: { kind: 'store', name },
      });
    }
    const first = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/channels?kind=store&limit=2',
      headers: admin,
    });
    expect(first.json().data.map((c: { name: string }) => c.name)).toEqual(['Store C', 'Store B']);
    const cursor = first.json().next_cursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/channels?kind=store&limit=2&cursor=${cursor}`,
      headers: admin,
    });
    expect(second.json().data.map((c: { name: string }) => c.name)).toEqual(['Store A']);
    expect(second.json().next_cursor).toBeNull();
    const tooMany = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/channels?limit=500',
      headers: admin,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].field).toBe('query.limit');
  });

  it('lets every role read channels but only admins and owners change them', async () => {
    const list = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/channels',
      headers: await t().as('associate'),
    });
    expect(list.statusCode).toBe(200);
    const change = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: await t().as('marketer'),
      payload: { kind: 'web', name: 'x' },
    });
    expect(change.statusCode).toBe(403);
  });
});
