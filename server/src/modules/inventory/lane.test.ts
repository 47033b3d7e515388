/**
 * Transfer lanes: the lead time of a pair of locations, managed over the API (field errors, permissions, audit,
 * events), and used by pickup-after-transfer promises — a store with a 24 h lane is promised two days before one
 * with a 72 h lane, a pair without a lane uses the global lead time, and the fastest sender sends.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { transferArrival } from './lane';
import { aChannel, aLocation, allocate, receive, unique } from './inventory.test-support';

const HOUR = 3_600_000;

describe('transfer arrival', () => {
  // Wednesday 2026-11-25 10:00 in Madrid.
  const wednesday = Date.parse('2026-11-25T09:00:00Z');

  it('is now plus the lead time, or the global lead time without a lane', () => {
    expect(transferArrival({ lead_hours: 24, departure_days: null }, 48, 'Europe/Madrid', wednesday)).toBe(
      wednesday + 24 * HOUR,
    );
    expect(transferArrival(undefined, 48, 'Europe/Madrid', wednesday)).toBe(wednesday + 48 * HOUR);
  });

  it('waits for the next departure day, in the source’s zone; a departure day leaves the same day', () => {
    const lane = (days: Array<'mon' | 'wed' | 'thu'>) => ({ lead_hours: 10, departure_days: days });
    expect(transferArrival(lane(['wed']), 48, 'Europe/Madrid', wednesday)).toBe(wednesday + 10 * HOUR);
    // Thursday 00:00 in Madrid is Wednesday 23:00 UTC.
    expect(transferArrival(lane(['mon', 'thu']), 48, 'Europe/Madrid', wednesday)).toBe(
      Date.parse('2026-11-25T23:00:00Z') + 10 * HOUR,
    );
    // Next Monday, five days on.
    expect(transferArrival(lane(['mon']), 48, 'Europe/Madrid', wednesday)).toBe(
      Date.parse('2026-11-29T23:00:00Z') + 10 * HOUR,
    );
    // 23:30 UTC on Wednesday is already Thursday in Madrid: a Thursday lane leaves now.
    const lateWednesdayUtc = Date.parse('2026-11-25T23:30:00Z');
    expect(transferArrival(lane(['thu']), 48, 'Europe/Madrid', lateWednesdayUtc)).toBe(
      lateWednesdayUtc + 10 * HOUR,
    );
  });
});

describeEachDialect('transfer lanes', (t) => {
  afterEach(() => vi.useRealTimers());
  const send = async (
    method: 'POST' | 'GET' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    role: 'admin' | 'analyst' = 'admin',
  ) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as(role),
      ...(payload ? { payload: payload as object } : {}),
    });
  const laneCount = async () =>
    Number(
      (
        await t()
          .omnis.database.db.selectFrom('transfer_lanes')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('creates, lists, changes and deletes a lane; every write is audited and announced', async () => {
    const warehouse = await aLocation(t(), { kind: 'warehouse' });
    const store = await aLocation(t());
    const created = await send('POST', '/v1/transfer-lanes', {
      from_location_id: warehouse.id,
      to_location_id: store.id,
      lead_hours: 24,
      departure_days: ['mon', 'thu'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const lane = created.json();
    expect(lane).toMatchObject({
      from_location_id: warehouse.id,
      to_location_id: store.id,
      lead_hours: 24,
      departure_days: ['mon', 'thu'],
    });
    expect(lane.id).toMatch(/^tln_/);

    const listed = await send('GET', `/v1/transfer-lanes?to_location_id=${store.id}`, undefined, 'analyst');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data).toEqual([lane]);
    expect((await send('GET', `/v1/transfer-lanes?from_location_id=${store.id}`)).json().data).toEqual([]);

    const changed = await send('PATCH', `/v1/transfer-lanes/${lane.id}`, {
      lead_hours: 72,
      departure_days: [],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ lead_hours: 72, departure_days: null });
    expect((await send('GET', `/v1/transfer-lanes/${lane.id}`)).json()).toMatchObject({ lead_hours: 72 });

    const deleted = await send('DELETE', `/v1/transfer-lanes/${lane.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await send('GET', `/v1/transfer-lanes/${lane.id}`)).statusCode).toBe(404);
    expect((await send('DELETE', `/v1/transfer-lanes/${lane.id}`)).statusCode).toBe(404);

    const { db } = t().omnis.database;
    const audited = await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', lane.id)
      .execute();
    expect(audited.map((a) => a.action).sort()).toEqual([
      'transfer_lane.create',
      'transfer_lane.delete',
      'transfer_lane.update',
    ]);
    const events = await db
      .selectFrom('outbox_events')
      .select('type')
      .where('aggregate_id', '=', lane.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual([
      'transfer_lane.created',
      'transfer_lane.updated',
      'transfer_lane.deleted',
    ]);
  });

  it('refuses unknown locations, a lane to itself, negative hours and a second lane for a pair, changing nothing', async () => {
    const warehouse = await aLocation(t(), { kind: 'warehouse' });
    const store = await aLocation(t());
    const before = await laneCount();
    const problem = async (payload: object, status: number, field: string) => {
      const res = await send('POST', '/v1/transfer-lanes', payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await problem(
      { from_location_id: warehouse.id, to_location_id: 'loc_nowhere', lead_hours: 24 },
      422,
      'body.to_location_id',
    );
    await problem(
      { from_location_id: 'loc_nowhere', to_location_id: store.id, lead_hours: 24 },
      422,
      'body.from_location_id',
    );
    await problem(
      { from_location_id: store.id, to_location_id: store.id, lead_hours: 24 },
      422,
      'body.to_location_id',
    );
    await problem(
      { from_location_id: warehouse.id, to_location_id: store.id, lead_hours: -1 },
      400,
      'body.lead_hours',
    );
    await problem(
      {
        from_location_id: warehouse.id,
        to_location_id: store.id,
        lead_hours: 24,
        departure_days: ['someday'],
      },
      400,
      'body.departure_days.0',
    );
    expect(await laneCount()).toBe(before);

    const first = { from_location_id: warehouse.id, to_location_id: store.id, lead_hours: 24 };
    expect((await send('POST', '/v1/transfer-lanes', first)).statusCode).toBe(201);
    await problem({ ...first, lead_hours: 12 }, 409, 'body.to_location_id');
    // The opposite direction is another lane.
    const back = await send('POST', '/v1/transfer-lanes', {
      from_location_id: store.id,
      to_location_id: warehouse.id,
      lead_hours: 6,
    });
    expect(back.statusCode, back.body).toBe(201);
    const lane = back.json();
    const negative = await send('PATCH', `/v1/transfer-lanes/${lane.id}`, { lead_hours: -5 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].field).toBe('body.lead_hours');
    expect((await send('GET', `/v1/transfer-lanes/${lane.id}`)).json().lead_hours).toBe(6);
    expect(await laneCount()).toBe(before + 2);
  });

  it('lets a reader list lanes but not change them', async () => {
    const warehouse = await aLocation(t(), { kind: 'warehouse' });
    const store = await aLocation(t());
    const res = await send(
      'POST',
      '/v1/transfer-lanes',
      { from_location_id: warehouse.id, to_location_id: store.id, lead_hours: 24 },
      'analyst',
    );
    expect(res.statusCode).toBe(403);
    expect((await send('GET', '/v1/transfer-lanes', undefined, 'analyst')).statusCode).toBe(200);
  });

  it('promises a pickup after transfer from the lane of the pair, else the global lead time', async () => {
    const now = Date.parse('2026-11-25T09:00:00Z');
    vi.useFakeTimers({ toFake: ['Date'], now });
    const web = await aChannel(t());
    const warehouse = await aLocation(t(), { kind: 'warehouse', capabilities: ['ship'] });
    // Stores without published hours work around the clock: ready is arrival plus the 60 minutes of preparation.
    const nextDay = await aLocation(t(), { capabilities: ['pickup'] });
    const slow = await aLocation(t(), { capabilities: ['pickup'] });
    const noLane = await aLocation(t(), { capabilities: ['pickup'] });
    await allocate(t(), web.id, [
      { location_id: warehouse.id },
      { location_id: nextDay.id },
      { location_id: slow.id },
      { location_id: noLane.id },
    ]);
    const sku = unique('TEE-');
    await receive(t(), [{ sku, location_id: warehouse.id, quantity: 5 }]);
    for (const [to, hours] of [
      [nextDay, 24],
      [slow, 72],
    ] as const) {
      const res = await send('POST', '/v1/transfer-lanes', {
        from_location_id: warehouse.id,
        to_location_id: to.id,
        lead_hours: hours,
      });
      expect(res.statusCode, res.body).toBe(201);
    }

    const res = await send('GET', `/v1/availability?channel_id=${web.id}&skus=${sku}&mode=pickup`);
    expect(res.statusCode, res.body).toBe(200);
    const at = (id: string) =>
      res.json().skus[0].locations.find((l: { location_id: string }) => l.location_id === id);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(at(nextDay.id)).toMatchObject({
      pickup: 'available_after_transfer',
      transfer_from: { location_id: warehouse.id, eta: iso(now + 24 * HOUR) },
      promise: { ready_at: iso(now + 25 * HOUR), delivery_date: '2026-11-26' },
    });
    expect(at(slow.id)).toMatchObject({
      transfer_from: { eta: iso(now + 72 * HOUR) },
      promise: { ready_at: iso(now + 73 * HOUR), delivery_date: '2026-11-28' },
    });
    const fallback = t().omnis.config.transferLeadHours;
    expect(at(noLane.id)).toMatchObject({
      transfer_from: { eta: iso(now + fallback * HOUR) },
      promise: { ready_at: iso(now + (fallback + 1) * HOUR) },
    });
    // The earliest promise of the SKU is the next-day store's.
    expect(res.json().skus[0].promise.location_id).toBe(nextDay.id);
  });

  it('sends from the location whose transfer arrives first, not the first by priority', async () => {
    const now = Date.parse('2026-11-25T09:00:00Z');
    vi.useFakeTimers({ toFake: ['Date'], now });
    const web = await aChannel(t());
    const central = await aLocation(t(), { kind: 'warehouse', capabilities: ['ship'] });
    const regional = await aLocation(t(), { kind: 'warehouse', capabilities: ['ship'] });
    const store = await aLocation(t(), { capabilities: ['pickup'] });
    await allocate(t(), web.id, [
      { location_id: central.id },
      { location_id: regional.id },
      { location_id: store.id },
    ]);
    const sku = unique('TEE-');
    await receive(t(), [
      { sku, location_id: central.id, quantity: 5 },
      { sku, location_id: regional.id, quantity: 5 },
    ]);
    for (const [from, hours] of [
      [central, 96],
      [regional, 12],
    ] as const)
      await send('POST', '/v1/transfer-lanes', {
        from_location_id: from.id,
        to_location_id: store.id,
        lead_hours: hours,
      });
    const res = await send('GET', `/v1/availability?channel_id=${web.id}&skus=${sku}&mode=pickup`);
    const atStore = res
      .json()
      .skus[0].locations.find((l: { location_id: string }) => l.location_id === store.id);
    expect(atStore.transfer_from).toMatchObject({
      location_id: regional.id,
      eta: new Date(now + 12 * HOUR).toISOString(),
    });
  });
});
