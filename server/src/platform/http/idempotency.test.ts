/**
 * @module Idempotency-Key as a client retrying over a flaky network sees it: a retry gets the first answer
 * again instead of doing the work twice, a key cannot be reused for something else, and each caller has
 * their own keys.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';

describeEachDialect('idempotent requests', (t) => {
  const createChannel = (headers: Record<string, string>, key: string, payload: object) =>
    t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: { ...headers, 'idempotency-key': key },
      payload,
    });

  const channelsNamed = async (name: string) =>
    (await t().omnis.database.db.selectFrom('channels').select('id').where('name', '=', name).execute()).map(
      (r) => r.id,
    );

  it('answers a retried creation with the first response and creates nothing more', async () => {
    const owner = await t().as('owner');
    const key = randomUUID();
    const body = { kind: 'sms', name: 'SMS line (retried)' };

    const first = await createChannel(owner, key, body);
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    const retry = await createChannel(owner, key, body);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toBe(first.headers['content-type']);
    expect(retry.body).toBe(first.body);
    expect(await channelsNamed(body.name)).toEqual([first.json().id]);
  });

  it('refuses the same key with a different body, naming the header', async () => {
    const owner = await t().as('owner');
    const key = randomUUID();
    const first = await createChannel(owner, key, { kind: 'web', name: 'Shop A' });
    expect(first.statusCode).toBe(201);

    const other = await createChannel(owner, key, { kind: 'web', name: 'Shop B' });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect((other.json().errors as Array<{ field: string }>).map((e) => e.field)).toEqual([
      'headers.idempotency-key',
    ]);
    expect(await channelsNamed('Shop B')).toEqual([]);
  });

  it('keeps keys per caller, so two users may pick the same one', async () => {
    const key = `import-${randomUUID()}`;
    const body = { kind: 'store', name: 'Store (two importers)' };
    const byOwner = await createChannel(await t().as('owner'), key, body);
    const byAdmin = await createChannel(await t().as('admin'), key, body);

    expect(byOwner.statusCode).toBe(201);
    expect(byAdmin.statusCode).toBe(201);
    expect(byAdmin.headers['idempotent-replayed']).toBeUndefined();
    expect(byAdmin.json().id).not.toBe(byOwner.json().id);
    expect((await channelsNamed(body.name)).sort()).toEqual([byOwner.json().id, byAdmin.json().id].sort());
  });

  it('replays a refusal too, rather than trying again', async () => {
    const owner = await t().as('owner');
    const key = randomUUID();
    const body = { kind: 'web', name: 'Oversized', config: { theme: 'x'.repeat(40 * 1024) } };

    const first = await createChannel(owner, key, body);
    expect(first.statusCode).toBe(400);
    expect(first.json().errors).toContainEqual({
      field: 'body.config',
      message: 'must be at most 32 KB of JSON',
    });

    const retry = await createChannel(owner, key, body);
    expect(retry.statusCode).toBe(400);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toContain('application/problem+json');
    expect(retry.body).toBe(first.body); // down to the first request's id: stored, not computed again
    expect(await channelsNamed('Oversized')).toEqual([]);
  });

  it('creates one channel when the same request arrives ten times at once', async () => {
    const owner = await t().as('owner');
    const key = randomUUID();
    const body = { kind: 'whatsapp', name: 'WhatsApp (double-clicked)' };

    const responses = await Promise.all(Array.from({ length: 10 }, () => createChannel(owner, key, body)));

    const created = await channelsNamed(body.name);
    expect(created).toHaveLength(1);
    const originals = responses.filter(
      (r) => r.statusCode === 201 && r.headers['idempotent-replayed'] !== 'true',
    );
    expect(originals).toHaveLength(1);
    for (const res of responses) {
      if (res.statusCode === 201) expect(res.json().id).toBe(created[0]);
      else {
        expect(res.statusCode).toBe(409);
        expect(res.json().code).toBe('idempotency_in_progress');
      }
    }

    // Once the first has finished, a late retry gets its answer.
    const late = await createChannel(owner, key, body);
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect(late.json().id).toBe(created[0]);
  });

  it('audits the original request once, not each replay', async () => {
    const owner = await t().as('owner');
    const key = randomUUID();
    const body = { kind: 'app', name: 'App (audited once)' };
    const first = await createChannel(owner, key, body);
    await createChannel(owner, key, body);
    await createChannel(owner, key, body);
    const entries = await t()
      .omnis.database.db.selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'channel.create')
      .where('target_id', '=', first.json().id)
      .execute();
    expect(entries).toHaveLength(1);
  });

  it('lets a retry take over a key whose first request was lost with its process', async () => {
    const owner = await t().as('owner');
    const key = randomUUID();
    const body = { kind: 'kiosk', name: 'Kiosk (first attempt lost)' };
    const first = await createChannel(owner, key, body);
    expect(first.statusCode).toBe(201);
    // Make the stored key look like a request that started two minutes ago and never finished.
    await t()
      .omnis.database.db.updateTable('idempotency_keys')
      .set({
        state: 'in_progress',
        response_status: null,
        response_body: null,
        created_at: Date.now() - 120_000,
      })
      .where('key', '=', key)
      .execute();
    const retry = await createChannel(owner, key, body);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const replay = await createChannel(owner, key, body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(retry.body);
  });
});
