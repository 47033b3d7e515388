/** An admin registers the stores and warehouses that hold stock; bad input is refused and leaves nothing behind. */
import { expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';

const weekdayHours = [['10:00', '21:00']];
const hours = {
  mon: weekdayHours,
  tue: weekdayHours,
  wed: weekdayHours,
  thu: weekdayHours,
  fri: [
    ['10:00', '14:00'],
    ['17:00', '21:30'],
  ],
  sat: [['10:00', '21:30']],
  sun: [],
};

let codes = 0;

/** A valid new-location body; each call gets its own code. */
function aLocation(overrides: Record<string, unknown> = {}) {
  codes += 1;
  return {
    kind: 'store',
    name: `Alba Sevilla — Tetuán ${codes}`,
    code: `SVQ${String(codes).padStart(2, '0')}`,
    address: { line1: 'Calle Tetuán 12', postal_code: '41001', city: 'Sevilla', country: 'ES' },
    latitude: 37.3906,
    longitude: -5.9956,
    timezone: 'Europe/Madrid',
    opening_hours: hours,
    ...overrides,
  };
}

describeEachDialect('locations registry', (t) => {
  const post = async (payload: Record<string, unknown>, role: 'admin' | 'agent' = 'admin') =>
    t().omnis.app.inject({ method: 'POST', url: '/v1/locations', headers: await t().as(role), payload });
  const patch = async (id: string, payload: Record<string, unknown>, role: 'admin' | 'agent' = 'admin') =>
    t().omnis.app.inject({
      method: 'PATCH',
      url: `/v1/locations/${id}`,
      headers: await t().as(role),
      payload,
    });
  const get = async (url: string, role: 'admin' | 'agent' | 'marketer' = 'admin') =>
    t().omnis.app.inject({ method: 'GET', url, headers: await t().as(role) });
  const storeChannel = async (ctx: TestContext) =>
    ctx.omnis.services.channels.createChannel(
      { kind: 'store', name: 'Alba Sevilla' },
      { type: 'system', id: null, label: 'test' },
    );

  it('registers a store linked to its store channel, then changes its Sunday hours', async () => {
    const channel = await storeChannel(t());
    const created = await post(aLocation({ code: 'SVQ-MAIN', channel_id: channel.id }));
    expect(created.statusCode).toBe(201);
    const location = created.json();
    expect(location).toMatchObject({
      kind: 'store',
      code: 'SVQ-MAIN',
      address: { line1: 'Calle Tetuán 12', city: 'Sevilla', country: 'ES' },
      timezone: 'Europe/Madrid',
      opening_hours: hours,
      channel_id: channel.id,
      active: true,
    });
    expect(location.id).toMatch(/^loc_[0-9A-Z]{26}$/);

    const changed = await patch(location.id, {
      opening_hours: { ...hours, sun: [['11:00', '15:00']] },
      name: 'Alba Sevilla — Tetuán',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().opening_hours.sun).toEqual([['11:00', '15:00']]);
    expect(changed.json().opening_hours.mon).toEqual(weekdayHours);

    const fetched = await get(`/v1/locations/${location.id}`);
    expect(fetched.json()).toMatchObject({ name: 'Alba Sevilla — Tetuán', channel_id: channel.id });
    expect(fetched.json().opening_hours.sun).toEqual([['11:00', '15:00']]);

    const unlinked = await patch(location.id, { channel_id: null });
    expect(unlinked.json().channel_id).toBeNull();
  });

  it('records location.created and location.updated in the outbox and the audit log', async () => {
    const { id } = (await post(aLocation({ kind: 'warehouse' }))).json();
    await patch(id, { active: false });
    const { db } = t().omnis.database;
    const events = await db
      .selectFrom('outbox_events')
      .select(['type', 'data'])
      .where('aggregate_type', '=', 'location')
      .where('aggregate_id', '=', id)
      .orderBy('position')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['location.created', 'location.updated']);
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['location.create', 'location.update']);
  });

  it('gives coordinates back exactly as sent, stored as whole microdegrees', async () => {
    const points: Array<[number, number]> = [
      [40.4232, -3.7017],
      [-33.86882, 151.209296],
      [90, -180],
      [-90, 180],
      [0.000001, -0.000001],
      [64.146582, -21.942635],
    ];
    for (const [latitude, longitude] of points) {
      const created = await post(aLocation({ latitude, longitude }));
      expect(created.statusCode).toBe(201);
      const fetched = (await get(`/v1/locations/${created.json().id}`)).json();
      expect([fetched.latitude, fetched.longitude]).toEqual([latitude, longitude]);
      const row = await t()
        .omnis.database.db.selectFrom('locations')
        .select(['latitude_e6', 'longitude_e6'])
        .where('id', '=', created.json().id)
        .executeTakeFirstOrThrow();
      expect([row.latitude_e6, row.longitude_e6]).toEqual([
        Math.round(latitude * 1e6),
        Math.round(longitude * 1e6),
      ]);
    }
  });

  it('refuses bad input with problem+json naming the field, and writes nothing', async () => {
    const { db } = t().omnis.database;
    const taken = (await post(aLocation())).json();
    const other = (await post(aLocation())).json();
    const snapshot = async () => ({
      locations: await db.selectFrom('locations').selectAll().orderBy('id').execute(),
      events: (
        await db
          .selectFrom('outbox_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    });
    const before = await snapshot();
    const cases: Array<[string, () => ReturnType<typeof post>, number, string]> = [
      ['latitude above 90', () => post(aLocation({ latitude: 90.5 })), 400, 'body.latitude'],
      ['longitude below -180', () => post(aLocation({ longitude: -180.1 })), 400, 'body.longitude'],
      ['an unknown time zone', () => post(aLocation({ timezone: 'Europe/Atlantis' })), 400, 'body.timezone'],
      ['an offset for a time zone', () => post(aLocation({ timezone: '+01:00' })), 400, 'body.timezone'],
      [
        'an hour without its leading zero',
        () => post(aLocation({ opening_hours: { ...hours, mon: [['9:00', '18:00']] } })),
        400,
        'body.opening_hours.mon.0.0',
      ],
      [
        'a day that closes before it opens',
        () => post(aLocation({ opening_hours: { ...hours, tue: [['18:00', '09:00']] } })),
        400,
        'body.opening_hours.tue.0',
      ],
      [
        'overlapping intervals',
        () =>
          post(
            aLocation({
              opening_hours: {
                ...hours,
                wed: [
                  ['10:00', '15:00'],
                  ['14:00', '20:00'],
                ],
              },
            }),
          ),
        400,
        'body.opening_hours.wed.1',
      ],
      [
        'an unknown country',
        () => post(aLocation({ address: { line1: 'x', postal_code: '1', city: 'y', country: 'XX' } })),
        400,
        'body.address.country',
      ],
      ['an unknown channel', () => post(aLocation({ channel_id: 'cha_nope' })), 400, 'body.channel_id'],
      ['a code already in use', () => post(aLocation({ code: taken.code })), 409, 'body.code'],
      ['renaming to a code in use', () => patch(other.id, { code: taken.code }), 409, 'body.code'],
      ['a latitude out of range on change', () => patch(other.id, { latitude: -91 }), 400, 'body.latitude'],
      ['an unknown field', () => post(aLocation({ colour: 'blue' })), 400, 'body.colour'],
    ];
    for (const [story, send, status, field] of cases) {
      const res = await send();
      expect(res.statusCode, story).toBe(status);
      expect(res.headers['content-type'], story).toContain('application/problem+json');
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        story,
      ).toContain(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lists locations newest first, by kind and active, a page at a time', async () => {
    const names: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const res = await post(aLocation({ kind: 'locker', name: `Locker ${i}` }));
      names.push(res.json().name);
    }
    const { id: closed } = (await post(aLocation({ kind: 'locker', name: 'Locker closed' }))).json();
    await patch(closed, { active: false });
    const first = await get('/v1/locations?kind=locker&active=true&limit=2');
    expect(first.json().data.map((l: { name: string }) => l.name)).toEqual(['Locker 3', 'Locker 2']);
    const second = await get(
      `/v1/locations?kind=locker&active=true&limit=2&cursor=${first.json().next_cursor}`,
    );
    expect(second.json().data.map((l: { name: string }) => l.name)).toEqual(['Locker 1']);
    expect(second.json().next_cursor).toBeNull();
    const inactive = await get('/v1/locations?kind=locker&active=false');
    expect(inactive.json().data.map((l: { id: string }) => l.id)).toEqual([closed]);
  });

  it('lets an agent look locations up but not change them', async () => {
    const { id } = (await post(aLocation())).json();
    expect((await get('/v1/locations', 'agent')).statusCode).toBe(200);
    expect((await get(`/v1/locations/${id}`, 'agent')).statusCode).toBe(200);
    const create = await post(aLocation(), 'agent');
    expect(create.statusCode).toBe(403);
    expect(create.headers['content-type']).toContain('application/problem+json');
    expect((await patch(id, { name: 'Renamed' }, 'agent')).statusCode).toBe(403);
    expect((await get(`/v1/locations/${id}`)).json().name).not.toBe('Renamed');
    // Marketing has no business with stock locations.
    expect((await get('/v1/locations', 'marketer')).statusCode).toBe(403);
  });

  it('gives each kind its usual capabilities, and makes same-day delivery name its cut-off and radius', async () => {
    const store = (await post(aLocation())).json();
    expect(store).toMatchObject({
      capabilities: ['pickup', 'returns', 'ship_from_store'],
      pickup_preparation_minutes: 60,
      same_day_cutoff: null,
      same_day_radius_km: null,
    });
    expect((await post(aLocation({ kind: 'warehouse' }))).json().capabilities).toEqual(['ship']);
    expect((await post(aLocation({ kind: 'locker' }))).json().capabilities).toEqual(['pickup']);

    const noCutoff = await post(aLocation({ kind: 'dark_store' }));
    expect(noCutoff.statusCode).toBe(400);
    expect(noCutoff.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'body.same_day_cutoff',
      'body.same_day_radius_km',
    ]);
    const dark = await post(
      aLocation({
        kind: 'dark_store',
        same_day_cutoff: '14:00',
        same_day_radius_km: 7.5,
        pickup_preparation_minutes: 20,
      }),
    );
    expect(dark.statusCode).toBe(201);
    expect(dark.json()).toMatchObject({
      capabilities: ['ship', 'same_day'],
      same_day_cutoff: '14:00',
      same_day_radius_km: 7.5,
      pickup_preparation_minutes: 20,
    });

    // Adding same-day to a store is refused until it says until when and how far.
    const half = await patch(store.id, { capabilities: ['pickup', 'same_day'] });
    expect(half.statusCode).toBe(400);
    expect(half.json().errors.map((e: { field: string }) => e.field)).toContain('body.same_day_cutoff');
    const full = await patch(store.id, {
      capabilities: ['pickup', 'same_day'],
      same_day_cutoff: '13:30',
      same_day_radius_km: 4,
    });
    expect(full.json()).toMatchObject({ capabilities: ['pickup', 'same_day'], same_day_radius_km: 4 });
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a capability twice', { capabilities: ['pickup', 'pickup'] }, 'body.capabilities'],
      ['an unknown capability', { capabilities: ['teleport'] }, 'body.capabilities.0'],
      ['a cut-off that is no time', { same_day_cutoff: '25:00' }, 'body.same_day_cutoff'],
      ['a negative preparation time', { pickup_preparation_minutes: -5 }, 'body.pickup_preparation_minutes'],
      ['removing the radius of a same-day store', { same_day_radius_km: null }, 'body.same_day_radius_km'],
    ];
    for (const [story, body, field] of cases) {
      const res = await patch(store.id, body);
      expect(res.statusCode, story).toBe(400);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        story,
      ).toContain(field);
    }
    expect((await get(`/v1/locations/${store.id}`)).json().same_day_cutoff).toBe('13:30');
  });

  it('answers 404 for a location that does not exist', async () => {
    const res = await patch('loc_missing', { name: 'x' });
    expect(res.statusCode).toBe(404);
    expect((await get('/v1/locations/loc_missing')).statusCode).toBe(404);
  });
});
