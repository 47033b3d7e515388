/**
 * A stock controller receives goods, counts shelves, writes off damage and sells at the till; every change is a
 * movement in the ledger, the ledger always adds up to the levels, and a bad line changes nothing.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { seededRandom } from '../../demo/prng';
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

describeEachDialect('stock levels and ledger', (t) => {
  const send = async (
    method: 'POST' | 'PATCH' | 'GET',
    url: string,
    payload?: unknown,
    role: 'admin' | 'associate' | 'agent' = 'admin',
  ) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as(role),
      ...(payload ? { payload: payload as object } : {}),
    });

  it('stocks 2,000 SKUs at 4 locations in one call (the seeder’s bulk path)', async () => {
    const locations = await Promise.all([1, 2, 3, 4].map(() => aLocation(t())));
    const skus = Array.from({ length: 2000 }, (_, i) => `BULK-${String(i).padStart(4, '0')}`);
    const started = performance.now();
    const levels = await t().omnis.services.stock.receiveStock(
      {
        lines: skus.flatMap((sku, i) =>
          locations.map((l, j) => ({ sku, location_id: l.id, quantity: 1 + ((i + j) % 7) })),
        ),
        reason: 'opening stock',
      },
      testActor,
    );
    const ms = performance.now() - started;
    expect(levels).toHaveLength(8000);
    expect(ms).toBeLessThan(20_000);
    const { db } = t().omnis.database;
    const movements = await db
      .selectFrom('stock_movements')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sku', 'like', 'BULK-%')
      .executeTakeFirstOrThrow();
    expect(Number(movements.n)).toBe(8000);
    // One event per location, not one per line: 8,000 webhook calls would help nobody.
    const events = await db
      .selectFrom('outbox_events')
      .select('data')
      .where('type', '=', 'stock.received')
      .execute();
    const bulk = events.filter((e) => JSON.stringify(e.data).includes('opening stock'));
    expect(bulk).toHaveLength(4);
    expect(await levelOf(t(), 'BULK-0010', locations[2]!.id)).toMatchObject({ on_hand: 1 + ((10 + 2) % 7) });
  });

  it('receives, adjusts, writes off damage and sells at the till, each a movement with reason, actor and channel', async () => {
    const store = await aLocation(t());
    const till = await aChannel(t(), 'store');
    const sku = unique('TEE-');
    const received = await send('POST', '/v1/stock/receipts', {
      lines: [{ sku, location_id: store.id, quantity: 10 }],
      reference: { type: 'purchase_order', id: 'PO-1' },
    });
    expect(received.statusCode).toBe(201);
    expect(received.json().data[0]).toMatchObject({ sku, on_hand: 10, available: 10 });
    const damage = await send('POST', '/v1/stock/movements', {
      location_id: store.id,
      kind: 'damage',
      lines: [{ sku, quantity: 1 }],
      reason: 'torn seam',
    });
    expect(damage.statusCode).toBe(201);
    const sale = await send(
      'POST',
      '/v1/stock/movements',
      { location_id: store.id, kind: 'pos_sale', lines: [{ sku, quantity: 2 }], channel_id: till.id },
      'associate',
    );
    expect(sale.json().data[0]).toMatchObject({ on_hand: 7 });
    const adjust = await send('POST', '/v1/stock/movements', {
      location_id: store.id,
      kind: 'adjustment',
      lines: [{ sku, quantity: -3 }],
      reason: 'found in wrong bin',
    });
    expect(adjust.json().data[0]).toMatchObject({ on_hand: 4 });
    await send('POST', '/v1/stock/movements', {
      location_id: store.id,
      kind: 'return_restock',
      lines: [{ sku, quantity: 1 }],
    });
    const ledger = await send('GET', `/v1/stock/movements?sku=${sku}`, undefined, 'agent');
    expect(ledger.statusCode).toBe(200);
    expect(
      ledger
        .json()
        .data.map(
          (m: { kind: string; on_hand_delta: number; on_hand_after: number; reason: string | null }) => [
            m.kind,
            m.on_hand_delta,
            m.on_hand_after,
            m.reason,
          ],
        ),
    ).toEqual([
      ['return_restock', 1, 5, null],
      ['adjustment', -3, 4, 'found in wrong bin'],
      ['pos_sale', -2, 7, null],
      ['damage', -1, 9, 'torn seam'],
      ['receipt', 10, 10, null],
    ]);
    const [, , posSale, , receipt] = ledger.json().data;
    expect(posSale).toMatchObject({ channel_id: till.id, actor: { type: 'staff' } });
    expect(receipt.reference).toEqual({ type: 'purchase_order', id: 'PO-1' });
  });

  it('counts a shelf: on hand becomes the count and the ledger keeps the variance', async () => {
    const store = await aLocation(t());
    const [a, b, c] = [unique('A-'), unique('B-'), unique('C-')];
    await receive(t(), [
      { sku: a, location_id: store.id, quantity: 10 },
      { sku: b, location_id: store.id, quantity: 4 },
    ]);
    const res = await send('POST', '/v1/stock/counts', {
      location_id: store.id,
      lines: [
        { sku: a, counted: 8 },
        { sku: b, counted: 4 },
        { sku: c, counted: 2 },
      ],
      reason: 'weekly count',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().lines).toEqual([
      { sku: a, expected: 10, counted: 8, variance: -2 },
      { sku: b, expected: 4, counted: 4, variance: 0 },
      { sku: c, expected: 0, counted: 2, variance: 2 },
    ]);
    const byCount = await send('GET', `/v1/stock/movements?reference_id=${res.json().count_id}`);
    expect(byCount.json().data).toHaveLength(3);
    expect(await levelOf(t(), c, store.id)).toMatchObject({ on_hand: 2 });
  });

  it('raises stock.low once when available falls below the threshold, counting safety stock', async () => {
    const store = await aLocation(t());
    const sku = unique('LOW-');
    await receive(t(), [{ sku, location_id: store.id, quantity: 10 }]);
    const set = await send('PATCH', '/v1/stock', {
      levels: [{ sku, location_id: store.id, safety_stock: 2, low_stock_threshold: 5 }],
    });
    expect(set.json().data[0]).toMatchObject({ available: 8, safety_stock: 2, low_stock_threshold: 5 });
    const sell = (quantity: number) =>
      send('POST', '/v1/stock/movements', {
        location_id: store.id,
        kind: 'pos_sale',
        lines: [{ sku, quantity }],
      });
    await sell(3); // available 5: not below
    const lows = async () =>
      (
        await t()
          .omnis.database.db.selectFrom('outbox_events')
          .select('data')
          .where('type', '=', 'stock.low')
          .execute()
      ).filter((e) => JSON.stringify(e.data).includes(sku));
    expect(await lows()).toHaveLength(0);
    await sell(1); // available 4: below
    await sell(1); // still below: no second alert
    const alerts = await lows();
    expect(alerts).toHaveLength(1);
    const data = typeof alerts[0]!.data === 'string' ? JSON.parse(alerts[0]!.data) : alerts[0]!.data;
    expect(data).toEqual({ sku, location_id: store.id, available: 4, threshold: 5 });
    const low = await send('GET', `/v1/stock?low=true&location_id=${store.id}`);
    expect(low.json().data.map((l: { sku: string }) => l.sku)).toEqual([sku]);
  });

  it('refuses bad lines with problem+json naming the field, and changes nothing', async () => {
    const store = await aLocation(t());
    const channel = await aChannel(t());
    await allocate(t(), channel.id, [{ location_id: store.id }]);
    const sku = unique('BAD-');
    await receive(t(), [{ sku, location_id: store.id, quantity: 5 }]);
    await t().omnis.services.reservations.reserve(
      {
        channel_id: channel.id,
        reference: { type: 'cart', id: 'c' },
        lines: [{ sku, location_id: store.id, quantity: 3 }],
      },
      testActor,
    );
    const { db } = t().omnis.database;
    const snapshot = async () => ({
      levels: await db
        .selectFrom('stock_levels')
        .selectAll()
        .where('location_id', '=', store.id)
        .orderBy('sku')
        .execute(),
      movements: (
        await db.selectFrom('stock_movements').select('id').where('location_id', '=', store.id).execute()
      ).length,
    });
    const before = await snapshot();
    const move = (body: Record<string, unknown>) =>
      send('POST', '/v1/stock/movements', { location_id: store.id, ...body });
    const cases: Array<[string, () => ReturnType<typeof send>, number, string]> = [
      [
        'a fractional receipt',
        () => send('POST', '/v1/stock/receipts', { lines: [{ sku, location_id: store.id, quantity: 2.5 }] }),
        400,
        'body.lines.0.quantity',
      ],
      [
        'a negative receipt',
        () => send('POST', '/v1/stock/receipts', { lines: [{ sku, location_id: store.id, quantity: -2 }] }),
        400,
        'body.lines.0.quantity',
      ],
      [
        'a receipt at an unknown location (after a good line)',
        () =>
          send('POST', '/v1/stock/receipts', {
            lines: [
              { sku, location_id: store.id, quantity: 2 },
              { sku, location_id: 'loc_nope', quantity: 1 },
            ],
          }),
        400,
        'body.lines.1.location_id',
      ],
      [
        'damage of zero',
        () => move({ kind: 'damage', lines: [{ sku, quantity: 0 }] }),
        400,
        'body.lines.0.quantity',
      ],
      [
        'an adjustment without reason',
        () => move({ kind: 'adjustment', lines: [{ sku, quantity: 1 }] }),
        400,
        'body.reason',
      ],
      [
        'an unknown movement kind',
        () => move({ kind: 'theft', lines: [{ sku, quantity: 1 }] }),
        400,
        'body.kind',
      ],
      [
        'a till sale of reserved units (second line; the first would fit)',
        () =>
          move({
            kind: 'pos_sale',
            lines: [
              { sku, quantity: 1 },
              { sku, quantity: 2 },
            ],
          }),
        409,
        'body.lines.1.quantity',
      ],
      [
        'a sale of a SKU never stocked',
        () => move({ kind: 'pos_sale', lines: [{ sku: 'NOPE-1', quantity: 1 }] }),
        400,
        'body.lines.0.sku',
      ],
      [
        'a count below zero',
        () => send('POST', '/v1/stock/counts', { location_id: store.id, lines: [{ sku, counted: -1 }] }),
        400,
        'body.lines.0.counted',
      ],
      [
        'a count at an unknown location',
        () => send('POST', '/v1/stock/counts', { location_id: 'loc_nope', lines: [{ sku, counted: 1 }] }),
        400,
        'body.location_id',
      ],
      [
        'a negative safety stock',
        () => send('PATCH', '/v1/stock', { levels: [{ sku, location_id: store.id, safety_stock: -1 }] }),
        400,
        'body.levels.0.safety_stock',
      ],
    ];
    for (const [story, call, status, field] of cases) {
      const res = await call();
      expect(res.statusCode, story).toBe(status);
      expect(res.headers['content-type'], story).toContain('application/problem+json');
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        story,
      ).toContain(field);
    }
    const refused = await move({ kind: 'pos_sale', lines: [{ sku, quantity: 3 }] });
    expect(refused.json()).toMatchObject({ code: 'insufficient_stock', available: 2 });
    expect(await snapshot()).toEqual(before);
    // Associates may record stock; agents may only look.
    expect(
      (
        await send(
          'POST',
          '/v1/stock/receipts',
          { lines: [{ sku, location_id: store.id, quantity: 1 }] },
          'agent',
        )
      ).statusCode,
    ).toBe(403);
  });

  it('keeps on hand, reserved and incoming equal to the sums of the ledger after a random mix of everything', async () => {
    const random = seededRandom(20261122);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
    const channel = await aChannel(t());
    const locations = await Promise.all([1, 2, 3].map(() => aLocation(t())));
    await allocate(
      t(),
      channel.id,
      locations.map((l) => ({ location_id: l.id })),
    );
    const skus = [unique('MIX-'), unique('MIX-'), unique('MIX-')];
    const { stock, reservations, transfers } = t().omnis.services;
    await receive(
      t(),
      skus.flatMap((sku) => locations.map((l) => ({ sku, location_id: l.id, quantity: 20 }))),
    );
    const open: string[] = [];
    const confirmed: string[] = [];
    const transit: string[] = [];
    let done = 0;
    for (let step = 0; step < 150; step++) {
      const sku = pick(skus);
      const location = pick(locations).id;
      const q = 1 + Math.floor(random() * 4);
      const op = pick([
        'receipt',
        'damage',
        'pos_sale',
        'adjust',
        'return',
        'reserve',
        'confirm',
        'release',
        'fulfil',
        'count',
        'transfer',
        'receive',
      ]);
      try {
        switch (op) {
          case 'receipt':
            await stock.receiveStock({ lines: [{ sku, location_id: location, quantity: q }] }, testActor);
            break;
          case 'damage':
          case 'pos_sale':
          case 'return':
            await stock.recordMovements(
              {
                location_id: location,
                kind: op === 'return' ? 'return_restock' : op,
                lines: [{ sku, quantity: q }],
              },
              testActor,
            );
            break;
          case 'adjust':
            await stock.recordMovements(
              {
                location_id: location,
                kind: 'adjustment',
                lines: [{ sku, quantity: random() < 0.5 ? -q : q }],
                reason: 'mix',
              },
              testActor,
            );
            break;
          case 'reserve': {
            const r = await reservations.reserve(
              {
                channel_id: channel.id,
                reference: { type: 'cart', id: `mix${step}` },
                lines: [{ sku, location_id: location, quantity: q }],
              },
              testActor,
            );
            open.push(r.reservations[0]!.id);
            break;
          }
          case 'confirm':
            if (open.length > 0) {
              const id = open.splice(Math.floor(random() * open.length), 1)[0]!;
              await reservations.confirm(id, testActor);
              confirmed.push(id);
            }
            break;
          case 'release':
            if (open.length > 0) await reservations.release(open.splice(0, 1)[0]!, testActor);
            break;
          case 'fulfil':
            if (confirmed.length > 0) await reservations.fulfil(confirmed.splice(0, 1)[0]!, testActor);
            break;
          case 'count':
            await stock.countStock(
              { location_id: location, lines: [{ sku, counted: Math.floor(random() * 30) }] },
              testActor,
            );
            break;
          case 'transfer': {
            const to = pick(locations.filter((l) => l.id !== location)).id;
            const tr = await transfers.createTransfer(
              {
                from_location_id: location,
                to_location_id: to,
                eta: Date.now() + 86_400_000,
                lines: [{ sku, quantity: q }],
              },
              testActor,
            );
            transit.push(tr.id);
            break;
          }
          case 'receive':
            if (transit.length > 0) {
              const id = transit.splice(0, 1)[0]!;
              const tr = await transfers.retrieveTransfer(id);
              await transfers.receiveTransfer(
                id,
                {
                  lines: [
                    {
                      sku: tr.lines[0]!.sku,
                      quantity: Math.max(0, tr.lines[0]!.quantity - (random() < 0.3 ? 1 : 0)),
                    },
                  ],
                },
                testActor,
              );
            }
            break;
        }
        done += 1;
      } catch (err) {
        // Refusals (not enough stock, a count below reservations making a sale impossible) are part of the mix.
        expect((err as { code?: string }).code, `${op} failed: ${(err as Error).message}`).toMatch(
          /insufficient_stock|conflict/,
        );
      }
    }
    expect(done).toBeGreaterThan(100);
    const mine = (await ledgerVersusLevels(t())).filter((l) => skus.some((s) => l.level.endsWith(`/${s}`)));
    expect(mine).toHaveLength(9);
    for (const level of mine) expect(level.stored, level.level).toEqual(level.ledger);
    // And reserved equals what the live reservations hold.
    const { db } = t().omnis.database;
    const live = await db
      .selectFrom('stock_reservations')
      .select(['sku', 'location_id', (eb) => eb.fn.sum<number>('quantity').as('q')])
      .where('status', 'in', ['active', 'confirmed'])
      .where('sku', 'in', skus)
      .groupBy(['sku', 'location_id'])
      .execute();
    for (const row of live)
      expect(Number((await levelOf(t(), row.sku, row.location_id)).reserved)).toBe(Number(row.q));
  });
});
