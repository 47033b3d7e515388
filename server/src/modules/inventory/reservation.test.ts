/**
 * Shoppers reserve stock for their carts: never more than there is, even when fifty of them race for the last
 * units over real HTTP; the same cart line never reserves twice; reservations expire, confirm, release and fulfil
 * with the ledger telling the same story as the levels.
 */
import { expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import {
  aChannel,
  aLocation,
  allocate,
  levelOf,
  ledgerVersusLevels,
  receive,
  testActor,
  unique,
} from './inventory.test-support';

describeEachDialect('stock reservations', (t) => {
  const reserve = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t().omnis.app.inject({
      method: 'POST',
      url: '/v1/reservations',
      headers: { ...(await t().as('admin')), ...headers },
      payload,
    });
  const act = async (
    id: string,
    action: 'confirm' | 'release' | 'fulfil',
    payload?: Record<string, unknown>,
  ) =>
    t().omnis.app.inject({
      method: 'POST',
      url: `/v1/reservations/${id}/${action}`,
      headers: await t().as('admin'),
      ...(payload ? { payload } : {}),
    });

  /** A web channel selling from one store that holds `units` of a fresh SKU. */
  async function aStockedSku(ctx: TestContext, units: number, holdback = 0) {
    const channel = await aChannel(ctx);
    const store = await aLocation(ctx);
    await allocate(ctx, channel.id, [{ location_id: store.id, holdback }]);
    const sku = unique('SKU-');
    await receive(ctx, [{ sku, location_id: store.id, quantity: units }]);
    return { channel, store, sku };
  }

  it('50 clients racing over HTTP for the last 20 units reserve exactly 20, and the ledger agrees', async () => {
    const { channel, store, sku } = await aStockedSku(t(), 20);
    // A real port: fifty connections in flight at once, as fifty shoppers would be.
    const base = await t().omnis.app.listen({ host: '127.0.0.1', port: 0 });
    const headers = { 'content-type': 'application/json', ...(await t().as('admin')) };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`${base}/v1/reservations`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            channel_id: channel.id,
            reference: { type: 'cart', id: `cart_${i}` },
            lines: [{ sku, location_id: store.id, quantity: 1 }],
          }),
        }).then(async (res) => ({
          status: res.status,
          type: res.headers.get('content-type'),
          body: (await res.json()) as Record<string, unknown>,
        })),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    const lost = answers.filter((a) => a.status === 409);
    expect(won).toHaveLength(20);
    expect(lost).toHaveLength(30);
    for (const a of lost) {
      expect(a.type).toContain('application/problem+json');
      expect(a.body).toMatchObject({ code: 'insufficient_stock', available: 0, requested: 1 });
    }
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ on_hand: 20, reserved: 20 });
    const { db } = t().omnis.database;
    const rows = await db.selectFrom('stock_reservations').select('status').where('sku', '=', sku).execute();
    expect(rows).toHaveLength(20);
    const movements = await db
      .selectFrom('stock_movements')
      .select(['kind', 'reserved_delta', 'reserved_after'])
      .where('sku', '=', sku)
      .orderBy('id')
      .execute();
    expect(movements.filter((m) => m.kind === 'reservation')).toHaveLength(20);
    // The running balance in the ledger climbs one by one to 20: no two movements claim the same unit.
    expect(movements.filter((m) => m.kind === 'reservation').map((m) => Number(m.reserved_after))).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    expect((await ledgerVersusLevels(t())).filter((l) => l.level.endsWith(sku))).toEqual([
      { level: `${store.id}/${sku}`, stored: [20, 20, 0], ledger: [20, 20, 0] },
    ]);
    const events = await db
      .selectFrom('outbox_events')
      .select('type')
      .where('type', '=', 'stock.reserved')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(20);
  });

  it('racing carts asking for different quantities never get more than there is', async () => {
    const { channel, store, sku } = await aStockedSku(t(), 17);
    const asks = Array.from({ length: 30 }, (_, i) => (i % 3) + 1);
    const answers = await Promise.all(
      asks.map((quantity, i) =>
        reserve({
          channel_id: channel.id,
          reference: { type: 'cart', id: `mix_${i}` },
          lines: [{ sku, location_id: store.id, quantity }],
        }),
      ),
    );
    const granted = asks.filter((_, i) => answers[i]!.statusCode === 201).reduce((n, q) => n + q, 0);
    expect(answers.every((a) => a.statusCode === 201 || a.statusCode === 409)).toBe(true);
    expect(granted).toBeLessThanOrEqual(17);
    // Whatever is left is smaller than the smallest refused ask: nothing refused could have fitted.
    const refusedAsks = asks.filter((_, i) => answers[i]!.statusCode === 409);
    expect(17 - granted).toBeLessThan(Math.min(...refusedAsks));
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ reserved: granted });
  });

  it('multi-line carts racing in opposite orders, and carts left to sourcing, never oversell or deadlock', async () => {
    const channel = await aChannel(t());
    const [north, south] = [await aLocation(t()), await aLocation(t())];
    await allocate(t(), channel.id, [{ location_id: north.id }, { location_id: south.id }]);
    const [a, b] = [unique('PAIR-A-'), unique('PAIR-B-')];
    await receive(t(), [
      { sku: a, location_id: north.id, quantity: 6 },
      { sku: b, location_id: north.id, quantity: 6 },
      { sku: a, location_id: south.id, quantity: 5 },
    ]);
    const lineA = { sku: a, location_id: north.id, quantity: 1 };
    const lineB = { sku: b, location_id: north.id, quantity: 1 };
    const pairs = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        reserve({
          channel_id: channel.id,
          reference: { type: 'cart', id: `pair${i}` },
          lines: i % 2 ? [lineA, lineB] : [lineB, lineA],
        }),
      ),
    );
    expect(pairs.filter((r) => r.statusCode === 201)).toHaveLength(6);
    expect(pairs.filter((r) => r.statusCode === 409)).toHaveLength(10);
    expect(await levelOf(t(), a, north.id)).toMatchObject({ on_hand: 6, reserved: 6 });
    expect(await levelOf(t(), b, north.id)).toMatchObject({ on_hand: 6, reserved: 6 });
    // Only the south store has any A left: sourced carts racing for it get exactly five.
    const sourced = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        reserve({
          channel_id: channel.id,
          reference: { type: 'cart', id: `src${i}` },
          lines: [{ sku: a, quantity: 1 }],
        }),
      ),
    );
    expect(sourced.filter((r) => r.statusCode === 201)).toHaveLength(5);
    expect(sourced.filter((r) => r.statusCode === 409).map((r) => r.json().code)).toEqual(
      Array(4).fill('insufficient_stock'),
    );
    expect(await levelOf(t(), a, south.id)).toMatchObject({ on_hand: 5, reserved: 5 });
    for (const level of (await ledgerVersusLevels(t())).filter((l) => l.level.includes('PAIR-')))
      expect(level.stored, level.level).toEqual(level.ledger);
  });

  it('answers a reservation beyond what is available with 409 and how many there are, keeping the holdback', async () => {
    const { channel, store, sku } = await aStockedSku(t(), 5, 2);
    const res = await reserve({
      channel_id: channel.id,
      reference: { type: 'cart', id: 'c1' },
      lines: [{ sku, location_id: store.id, quantity: 4 }],
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    // Five on hand, two held back for walk-in customers: the web may have three.
    expect(res.json()).toMatchObject({
      code: 'insufficient_stock',
      available: 3,
      requested: 4,
      errors: [{ field: 'body.lines.0.quantity' }],
    });
    const ok = await reserve({
      channel_id: channel.id,
      reference: { type: 'cart', id: 'c1' },
      lines: [{ sku, location_id: store.id, quantity: 3 }],
    });
    expect(ok.statusCode).toBe(201);
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ on_hand: 5, reserved: 3 });
  });

  it('refuses bad input with problem+json naming the field, and reserves nothing', async () => {
    const { channel, store, sku } = await aStockedSku(t(), 10);
    const other = await aLocation(t());
    const otherChannel = await aChannel(t());
    const base = { channel_id: channel.id, reference: { type: 'cart', id: 'bad' } };
    const line = { sku, location_id: store.id, quantity: 1 };
    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      ['a negative quantity', { ...base, lines: [{ ...line, quantity: -1 }] }, 400, 'body.lines.0.quantity'],
      [
        'a fractional quantity',
        { ...base, lines: [{ ...line, quantity: 1.5 }] },
        400,
        'body.lines.0.quantity',
      ],
      ['zero', { ...base, lines: [{ ...line, quantity: 0 }] }, 400, 'body.lines.0.quantity'],
      [
        'an unknown location',
        { ...base, lines: [{ ...line, location_id: 'loc_nope' }] },
        400,
        'body.lines.0.location_id',
      ],
      [
        'a SKU never stocked',
        { ...base, lines: [{ ...line, sku: 'NEVER-STOCKED' }] },
        400,
        'body.lines.0.sku',
      ],
      ['a malformed SKU', { ...base, lines: [{ ...line, sku: 'no spaces' }] }, 400, 'body.lines.0.sku'],
      ['an unknown channel', { ...base, channel_id: 'cha_nope', lines: [line] }, 400, 'body.channel_id'],
      [
        'a location the channel does not sell from',
        { ...base, lines: [{ ...line, location_id: other.id }] },
        422,
        'body.lines.0.location_id',
      ],
      [
        'another channel without allocation',
        { ...base, channel_id: otherChannel.id, lines: [line] },
        422,
        'body.lines.0.location_id',
      ],
      ['no lines', { ...base, lines: [] }, 400, 'body.lines'],
      ['an unknown field', { ...base, lines: [line], colour: 'red' }, 400, 'body.colour'],
      [
        'the same key twice',
        {
          ...base,
          lines: [
            { ...line, key: 'k1' },
            { ...line, key: 'k1' },
          ],
        },
        400,
        'body.lines.1.key',
      ],
      [
        'a second line beyond stock (the first would fit)',
        { ...base, lines: [line, { ...line, quantity: 10 }] },
        409,
        'body.lines.1.quantity',
      ],
    ];
    for (const [story, payload, status, field] of cases) {
      const res = await reserve(payload);
      expect(res.statusCode, story).toBe(status);
      expect(res.headers['content-type'], story).toContain('application/problem+json');
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        story,
      ).toContain(field);
    }
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ on_hand: 10, reserved: 0 });
    const rows = await t()
      .omnis.database.db.selectFrom('stock_reservations')
      .select('id')
      .where('sku', '=', sku)
      .execute();
    expect(rows).toEqual([]);
  });

  it('reserves a cart line once however often it is retried, by key and by Idempotency-Key', async () => {
    const { channel, store, sku } = await aStockedSku(t(), 10);
    const body = {
      channel_id: channel.id,
      reference: { type: 'cart', id: 'cart_k' },
      lines: [{ sku, location_id: store.id, quantity: 2, key: 'cart_k:line_1' }],
    };
    const tries = await Promise.all([reserve(body), reserve(body), reserve(body)]);
    const ids = new Set(tries.map((r) => r.json().data[0].id));
    expect(ids.size).toBe(1);
    expect(tries.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    const changed = await reserve({ ...body, lines: [{ ...body.lines[0], quantity: 3 }] });
    expect(changed.statusCode).toBe(409);
    expect(changed.json().errors[0].field).toBe('body.lines.0.key');

    const keyed = { ...body, lines: [{ sku, location_id: store.id, quantity: 1 }] };
    const first = await reserve(keyed, { 'idempotency-key': 'idem-1' });
    const again = await reserve(keyed, { 'idempotency-key': 'idem-1' });
    expect(first.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().data[0].id).toBe(first.json().data[0].id);
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ reserved: 3 });
  });

  it('confirms, fulfils and releases, refusing what a reservation can no longer do', async () => {
    const { channel, store, sku } = await aStockedSku(t(), 10);
    const make = async (quantity: number) =>
      (
        await reserve({
          channel_id: channel.id,
          reference: { type: 'order', id: unique('ord_') },
          lines: [{ sku, location_id: store.id, quantity }],
        })
      ).json().data[0] as { id: string; status: string; expires_at: string | null };
    const order = await make(2);
    expect(order.status).toBe('active');
    expect(order.expires_at).not.toBeNull();

    const confirmed = await act(order.id, 'confirm');
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', expires_at: null });
    const twice = await act(order.id, 'confirm');
    expect(twice.statusCode).toBe(409);
    expect(twice.headers['content-type']).toContain('application/problem+json');
    expect(twice.json()).toMatchObject({ status: 'confirmed', errors: [{ field: 'params.id' }] });

    const fulfilled = await act(order.id, 'fulfil');
    expect(fulfilled.json().status).toBe('fulfilled');
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ on_hand: 8, reserved: 0 });
    expect((await act(order.id, 'release')).statusCode).toBe(409);

    const cart = await make(3);
    expect((await act(cart.id, 'fulfil')).json()).toMatchObject({
      status: 'active',
      errors: [{ field: 'params.id' }],
    });
    const released = await act(cart.id, 'release', { reason: 'cart emptied' });
    expect(released.json().status).toBe('released');
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ on_hand: 8, reserved: 0 });
    expect((await act(cart.id, 'confirm')).statusCode).toBe(409);
    expect((await act('res_missing', 'confirm')).statusCode).toBe(404);

    const kinds = await t()
      .omnis.database.db.selectFrom('stock_movements')
      .select(['kind', 'reason'])
      .where('sku', '=', sku)
      .orderBy('id')
      .execute();
    expect(kinds.map((k) => k.kind)).toEqual(['receipt', 'reservation', 'sale', 'reservation', 'release']);
    expect(kinds[4]!.reason).toBe('cart emptied');
  });

  it('expires reservations past their TTL through the job, and a late confirm is refused', async () => {
    const { channel, store, sku } = await aStockedSku(t(), 4);
    const res = await reserve({
      channel_id: channel.id,
      reference: { type: 'cart', id: 'slow' },
      lines: [{ sku, location_id: store.id, quantity: 3 }],
      ttl_seconds: 1,
    });
    const { id, expires_at } = res.json().data[0];
    expect(Date.parse(expires_at) - Date.now()).toBeLessThanOrEqual(1000);
    await new Promise((r) => setTimeout(r, 1100));
    // Past its TTL it shows as expired at once, and cannot be confirmed, even before the job ran.
    expect(
      (
        await t().omnis.app.inject({
          method: 'GET',
          url: `/v1/reservations/${id}`,
          headers: await t().as('agent'),
        })
      ).json().status,
    ).toBe('expired');
    const late = await act(id, 'confirm');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      status: 'expired',
      errors: [{ field: 'params.id', message: 'is expired' }],
    });
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ reserved: 3 });

    const expired = await t().omnis.services.reservations.expireDue();
    expect(expired).toBeGreaterThanOrEqual(1);
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ on_hand: 4, reserved: 0 });
    // Running the job again (another process, say) releases nothing twice.
    await t().omnis.services.reservations.expireDue();
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ reserved: 0 });
    const released = await t()
      .omnis.database.db.selectFrom('stock_movements')
      .select(['kind', 'reason', 'actor_type'])
      .where('sku', '=', sku)
      .where('kind', '=', 'release')
      .execute();
    expect(released).toEqual([{ kind: 'release', reason: 'expired', actor_type: 'system' }]);
  });

  it('lets sourcing choose the location when a line names none', async () => {
    const channel = await aChannel(t());
    const near = await aLocation(t(), {
      latitude: 40.42,
      longitude: -3.7,
      capabilities: ['ship_from_store'],
    });
    const far = await aLocation(t(), { kind: 'warehouse', latitude: 40.3, longitude: -3.7 });
    await allocate(t(), channel.id, [{ location_id: far.id }, { location_id: near.id }]);
    const sku = unique('SRC-');
    await receive(t(), [
      { sku, location_id: near.id, quantity: 1 },
      { sku, location_id: far.id, quantity: 5 },
    ]);
    const res = await reserve({
      channel_id: channel.id,
      reference: { type: 'cart', id: 'sourced' },
      lines: [{ sku, quantity: 2, key: 'sourced:1' }],
      delivery_mode: 'ship',
      near: { latitude: 40.42, longitude: -3.7 },
    });
    expect(res.statusCode).toBe(201);
    // The near store has one: one shipment from the warehouse beats two shipments.
    expect(
      res.json().data.map((r: { location_id: string; quantity: number }) => [r.location_id, r.quantity]),
    ).toEqual([[far.id, 2]]);
    const more = await reserve({
      channel_id: channel.id,
      reference: { type: 'cart', id: 'sourced2' },
      lines: [{ sku, quantity: 9 }],
    });
    expect(more.statusCode).toBe(409);
    expect(more.json()).toMatchObject({ code: 'insufficient_stock', available: { [sku]: 4 } });
    expect(
      await reserve({
        channel_id: channel.id,
        reference: { type: 'cart', id: 'sourced' },
        lines: [{ sku, quantity: 2, key: 'sourced:1' }],
      }).then((r) => r.statusCode),
    ).toBe(200);
    expect(testActor.type).toBe('system');
  });

  it('lets an agent look reservations up but not make them', async () => {
    const { channel, store, sku } = await aStockedSku(t(), 3);
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/reservations',
      headers: await t().as('agent'),
      payload: {
        channel_id: channel.id,
        reference: { type: 'cart', id: 'x' },
        lines: [{ sku, location_id: store.id, quantity: 1 }],
      },
    });
    expect(res.statusCode).toBe(403);
    const list = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/reservations?sku=${sku}`,
      headers: await t().as('agent'),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().data).toEqual([]);
  });
});
