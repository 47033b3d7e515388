/**
 * A warehouse sends stock to a store: the units leave now, show as incoming with an ETA, and arrive on receipt —
 * a missing box is recorded as a shortfall; reserved units never leave with a transfer.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import {
  aChannel,
  aLocation,
  allocate,
  ledgerVersusLevels,
  levelOf,
  receive,
  testActor,
  unique,
} from './inventory.test-support';

describeEachDialect('transfers', (t) => {
  const send = async (method: 'POST' | 'GET', url: string, payload?: unknown) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as('admin'),
      ...(payload ? { payload: payload as object } : {}),
    });

  it('ships out now, shows incoming with its ETA, and receives what arrived', async () => {
    const warehouse = await aLocation(t(), { kind: 'warehouse' });
    const store = await aLocation(t());
    const [tee, cap] = [unique('TEE-'), unique('CAP-')];
    await receive(t(), [
      { sku: tee, location_id: warehouse.id, quantity: 30 },
      { sku: cap, location_id: warehouse.id, quantity: 5 },
    ]);
    const eta = '2026-12-01T09:00:00.000Z';
    const shipped = await send('POST', '/v1/transfers', {
      from_location_id: warehouse.id,
      to_location_id: store.id,
      eta,
      lines: [
        { sku: tee, quantity: 12 },
        { sku: cap, quantity: 5 },
      ],
      reason: 'weekly replenishment',
    });
    expect(shipped.statusCode).toBe(201);
    const transfer = shipped.json();
    expect(transfer).toMatchObject({ status: 'in_transit', eta, received_at: null });
    expect(transfer.id).toMatch(/^trf_/);
    expect(await levelOf(t(), tee, warehouse.id)).toMatchObject({ on_hand: 18, incoming: 0 });
    expect(await levelOf(t(), tee, store.id)).toMatchObject({ on_hand: 0, incoming: 12 });

    const received = await send('POST', `/v1/transfers/${transfer.id}/receive`, {
      lines: [{ sku: tee, quantity: 11 }],
    });
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({
      status: 'received',
      lines: [
        { sku: cap, quantity: 5, received_quantity: 5 },
        { sku: tee, quantity: 12, received_quantity: 11 },
      ],
    });
    expect(await levelOf(t(), tee, store.id)).toMatchObject({ on_hand: 11, incoming: 0 });
    expect(await levelOf(t(), cap, store.id)).toMatchObject({ on_hand: 5, incoming: 0 });
    const again = await send('POST', `/v1/transfers/${transfer.id}/receive`);
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0]).toEqual({ field: 'params.id', message: 'is already received' });

    const { db } = t().omnis.database;
    const events = await db
      .selectFrom('outbox_events')
      .select(['type', 'data'])
      .where('aggregate_id', '=', transfer.id)
      .orderBy('position')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['transfer.shipped', 'transfer.received']);
    const data = events[1]!.data;
    expect(typeof data === 'string' ? JSON.parse(data) : data).toMatchObject({
      lines: expect.arrayContaining([{ sku: tee, quantity: 12, received_quantity: 11, shortfall: 1 }]),
    });
    const moves = await send('GET', `/v1/stock/movements?reference_id=${transfer.id}`);
    expect(
      moves
        .json()
        .data.map((m: { kind: string }) => m.kind)
        .sort(),
    ).toEqual(['transfer_in', 'transfer_in', 'transfer_out', 'transfer_out', 'transfer_out', 'transfer_out']);
    for (const level of (await ledgerVersusLevels(t())).filter((l) => l.level.endsWith(tee)))
      expect(level.stored).toEqual(level.ledger);
    const listed = await send('GET', `/v1/transfers?location_id=${store.id}&status=received`);
    expect(listed.json().data.map((x: { id: string }) => x.id)).toEqual([transfer.id]);
  });

  it('never sends reserved units and refuses bad transfers without moving anything', async () => {
    const channel = await aChannel(t());
    const store = await aLocation(t());
    const other = await aLocation(t());
    await allocate(t(), channel.id, [{ location_id: store.id }]);
    const sku = unique('RES-');
    await receive(t(), [{ sku, location_id: store.id, quantity: 5 }]);
    await t().omnis.services.reservations.reserve(
      {
        channel_id: channel.id,
        reference: { type: 'order', id: 'o1' },
        lines: [{ sku, location_id: store.id, quantity: 4 }],
      },
      testActor,
    );
    const body = {
      from_location_id: store.id,
      to_location_id: other.id,
      eta: '2026-12-01T09:00:00Z',
      lines: [{ sku, quantity: 2 }],
    };
    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      ['reserved units', body, 409, 'body.lines.0.quantity'],
      [
        'the same location at both ends',
        { ...body, to_location_id: store.id, lines: [{ sku, quantity: 1 }] },
        400,
        'body.to_location_id',
      ],
      [
        'an unknown destination',
        { ...body, to_location_id: 'loc_nope', lines: [{ sku, quantity: 1 }] },
        400,
        'body.to_location_id',
      ],
      ['a fractional quantity', { ...body, lines: [{ sku, quantity: 0.5 }] }, 400, 'body.lines.0.quantity'],
      [
        'a SKU twice',
        {
          ...body,
          lines: [
            { sku, quantity: 1 },
            { sku, quantity: 1 },
          ],
        },
        400,
        'body.lines.1.sku',
      ],
      ['an ETA that is no date', { ...body, eta: 'tomorrow' }, 400, 'body.eta'],
    ];
    for (const [story, payload, status, field] of cases) {
      const res = await send('POST', '/v1/transfers', payload);
      expect(res.statusCode, story).toBe(status);
      expect(res.headers['content-type'], story).toContain('application/problem+json');
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        story,
      ).toContain(field);
    }
    expect(await levelOf(t(), sku, store.id)).toMatchObject({ on_hand: 5, reserved: 4 });
    const transfers = await t()
      .omnis.database.db.selectFrom('stock_transfers')
      .select('id')
      .where('from_location_id', '=', store.id)
      .execute();
    expect(transfers).toEqual([]);
    const ok = await send('POST', '/v1/transfers', { ...body, lines: [{ sku, quantity: 1 }] });
    expect(ok.statusCode).toBe(201);
    const over = await send('POST', `/v1/transfers/${ok.json().id}/receive`, {
      lines: [{ sku, quantity: 2 }],
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0].field).toBe('body.lines.0.quantity');
    const stranger = await send('POST', `/v1/transfers/${ok.json().id}/receive`, {
      lines: [{ sku: 'OTHER', quantity: 1 }],
    });
    expect(stranger.json().errors[0].field).toBe('body.lines.0.sku');
    expect((await send('GET', `/v1/transfers/${ok.json().id}`)).json().status).toBe('in_transit');
    expect((await send('POST', '/v1/transfers/trf_missing/receive')).statusCode).toBe(404);
  });
});
