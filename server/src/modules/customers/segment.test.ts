/**
 * Segments as a marketer and the people in them see it: an audience defined once ("bought in a store in the
 * last 90 days, email marketing consent, never ordered online") holds exactly the right customers, and keeps
 * holding them as they buy, change their minds, merge, and as time passes.
 */
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';

const DAY = 86_400_000;
const unique = () => Math.random().toString(36).slice(2, 10);

/** The example, written in the rule language. */
const storeBuyersRule = {
  all: [
    { type: 'event', name: 'Order Completed', channel_kind: 'store', window_days: 90 },
    { type: 'consent', purpose: 'marketing', channel: 'email', status: 'granted' },
    {
      not: {
        any: [
          { type: 'event', name: 'Order Completed', channel_kind: 'web' },
          { type: 'event', name: 'Order Completed', channel_kind: 'app' },
        ],
      },
    },
  ],
};

describeEachDialect('segments', (t) => {
  const channelIds: Record<'store' | 'web' | 'app', string> = { store: '', web: '', app: '' };
  const people: Record<string, string> = {};
  let segmentId = '';

  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, role = 'marketer') =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as(role as 'marketer'),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  /** A person known by a user id and a verified email, first seen in a store. */
  const person = async (name: string) => {
    const tag = `${name.toLowerCase()}-${unique()}`;
    const result = await t().omnis.services.identity.resolve({
      identifiers: [
        { type: 'external_id', value: `u-${tag}` },
        { type: 'email', value: `${tag}@example.com`, verified: true },
      ],
      channelId: channelIds.store,
      profile: { first_name: name, last_name: 'Tester' },
      actor: systemActor,
      reason: 'test',
    });
    people[name] = result.customerId;
    return { id: result.customerId, userId: `u-${tag}` };
  };

  /** Events through the Segment-compatible ingestion, as a POS or shop would send them. */
  const track = async (userId: string, channel: keyof typeof channelIds, event: string, daysAgo: number) => {
    const result = await t().omnis.services.ingest.ingestEvents(
      [
        {
          type: 'track',
          userId,
          event,
          messageId: `m-${unique()}`,
          timestamp: new Date(Date.now() - daysAgo * DAY).toISOString(),
        },
      ],
      { receivedAt: Date.now(), ip: '127.0.0.1' },
      { channelId: channelIds[channel], actor: systemActor, prefix: 'batch', checkEventSize: false },
    );
    expect(result.accepted).toBe(1);
  };

  const emailMarketing = (id: string, status: 'granted' | 'withdrawn') =>
    t().omnis.services.consent.recordConsents(
      id,
      [{ purpose: 'marketing', channel: 'email', status, source: { type: 'staff' } }],
      systemActor,
    );

  const members = async (id = segmentId) => {
    const res = await api('GET', `/v1/segments/${id}/members?limit=200`);
    expect(res.statusCode).toBe(200);
    return (res.json().data as Array<{ customer_id: string }>).map((m) => m.customer_id).sort();
  };

  const segmentEvents = async (customerId: string) =>
    (
      await t()
        .omnis.database.db.selectFrom('outbox_events')
        .select(['type', 'data'])
        .where('customer_id', '=', customerId)
        .where('type', 'like', 'segment.%')
        .orderBy('position')
        .execute()
    ).map(
      (e) =>
        `${e.type}:${(JSON.parse(String(typeof e.data === 'string' ? e.data : JSON.stringify(e.data))) as { segment_id: string }).segment_id}`,
    );

  beforeAll(async () => {
    const { channels } = t().omnis.services;
    for (const kind of ['store', 'web', 'app'] as const)
      channelIds[kind] = (
        await channels.createChannel({ kind, name: `${kind} ${unique()}` }, systemActor)
      ).id;

    // Ana: bought in a store 10 days ago, allows email marketing — the one the campaign is for.
    const ana = await person('Ana');
    await track(ana.userId, 'store', 'Order Completed', 10);
    await emailMarketing(ana.id, 'granted');
    // Ben: the same, but once ordered on the web shop (long ago: "never" has no window).
    const ben = await person('Ben');
    await track(ben.userId, 'store', 'Order Completed', 10);
    await track(ben.userId, 'web', 'Order Completed', 400);
    await emailMarketing(ben.id, 'granted');
    // Cleo: her store purchase is 120 days old.
    const cleo = await person('Cleo');
    await track(cleo.userId, 'store', 'Order Completed', 120);
    await emailMarketing(cleo.id, 'granted');
    // Dan: bought in a store, never gave email consent.
    const dan = await person('Dan');
    await track(dan.userId, 'store', 'Order Completed', 5);
    // Eve: store buyer with consent who also ordered in the app yesterday.
    const eve = await person('Eve');
    await track(eve.userId, 'store', 'Order Completed', 30);
    await track(eve.userId, 'app', 'Order Completed', 1);
    await emailMarketing(eve.id, 'granted');
    // Fay: only looked at products in the store's kiosk app, with consent.
    const fay = await person('Fay');
    await track(fay.userId, 'store', 'Product Viewed', 3);
    await emailMarketing(fay.id, 'granted');
    await t().omnis.dispatcher.drain();
  });

  afterEach(() => vi.restoreAllMocks());

  it('previews the issue’s audience and saves it with exactly the same members', async () => {
    const preview = await api('POST', '/v1/segments/preview', { rule: storeBuyersRule });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({ count: 1, sample: [people.Ana] });

    const created = await api('POST', '/v1/segments', {
      name: 'Store buyers to win online',
      description: 'Bought in a store in the last 90 days, email marketing consent, never ordered online',
      rule: storeBuyersRule,
    });
    expect(created.statusCode).toBe(201);
    segmentId = created.json().id;
    expect(segmentId).toMatch(/^seg_/);
    expect(created.json().member_count).toBe(preview.json().count);
    expect(created.json().rule).toEqual(storeBuyersRule);

    const page = await api('GET', `/v1/segments/${segmentId}/members`);
    expect(page.json().data).toEqual([
      expect.objectContaining({ customer_id: people.Ana, first_name: 'Ana', last_name: 'Tester' }),
    ]);
    // The initial fill is one segment.created, not one event per member.
    expect(await segmentEvents(people.Ana!)).toEqual([]);
  });

  it('lets a consent grant bring a customer in and a withdrawal take them out, on their timeline', async () => {
    await emailMarketing(people.Dan!, 'granted');
    await t().omnis.dispatcher.drain();
    expect(await members()).toEqual([people.Ana, people.Dan].sort());

    await emailMarketing(people.Dan!, 'withdrawn');
    await t().omnis.dispatcher.drain();
    expect(await members()).toEqual([people.Ana]);
    expect(await segmentEvents(people.Dan!)).toEqual([
      `segment.entered:${segmentId}`,
      `segment.exited:${segmentId}`,
    ]);
    const timeline = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${people.Dan}/timeline`,
      headers: await t().as('admin'),
    });
    expect((timeline.json().data as Array<{ type: string }>).map((e) => e.type)).toContain('segment.exited');
  });

  it('moves a customer in when a store purchase is tracked, at the tracking job’s next run', async () => {
    const gus = await person('Gus');
    await emailMarketing(gus.id, 'granted');
    await t().omnis.dispatcher.drain();
    expect(await members()).not.toContain(gus.id);

    await track(gus.userId, 'store', 'Order Completed', 0);
    // Tracking events skip the outbox: the consumer alone does not see them…
    await t().omnis.dispatcher.drain();
    const before = await members();
    // …the tracking job does, and running it again changes nothing.
    expect(await t().omnis.services.segments.refreshFromTracking()).toBeGreaterThanOrEqual(1);
    await t().omnis.services.segments.refreshFromTracking();
    expect(before).not.toContain(gus.id);
    expect(await members()).toEqual([people.Ana, gus.id].sort());
    expect(await segmentEvents(gus.id)).toEqual([`segment.entered:${segmentId}`]);

    // An online order later takes Gus out again ("never ordered online").
    await track(gus.userId, 'web', 'Order Completed', 0);
    await t().omnis.services.segments.refreshFromTracking();
    expect(await members()).toEqual([people.Ana]);
  });

  it('keeps one member when two profiles of a person merge, and counts the family’s behaviour', async () => {
    const consentOnly = await api('POST', '/v1/segments', {
      name: 'Email marketing allowed',
      rule: { type: 'consent', purpose: 'marketing', channel: 'email', status: 'granted' },
    });
    const consentSegment = consentOnly.json().id as string;
    // Ivy bought in a store under one profile and gave consent under another.
    const ivyStore = await person('Ivy');
    const ivyWeb = await person('Ivy');
    await track(ivyStore.userId, 'store', 'Order Completed', 2);
    await emailMarketing(ivyWeb.id, 'granted');
    await t().omnis.dispatcher.drain();
    expect(await members(consentSegment)).toContain(ivyWeb.id);
    expect(await members()).not.toContain(ivyStore.id);
    expect(await members()).not.toContain(ivyWeb.id);
    const countBefore = (await api('GET', `/v1/segments/${consentSegment}`)).json().member_count as number;

    await t().omnis.services.identity.mergeProfiles(ivyStore.id, ivyWeb.id, systemActor, true);
    await t().omnis.dispatcher.drain();

    // One person, one member: the survivor, who now also carries the other profile's consent.
    const consentMembers = await members(consentSegment);
    expect(consentMembers).toContain(ivyStore.id);
    expect(consentMembers).not.toContain(ivyWeb.id);
    expect((await api('GET', `/v1/segments/${consentSegment}`)).json().member_count).toBe(countBefore);
    // Store purchase of one profile + consent of the other: the person now belongs to the audience.
    expect(await members()).toEqual([people.Ana, ivyStore.id].sort());
    // The merged-away profile left silently: the person did not leave.
    expect(await segmentEvents(ivyWeb.id)).toEqual([`segment.entered:${consentSegment}`]);
  });

  it('re-evaluates daily so a purchase that ages out of the window takes its customer out', async () => {
    const kim = await person('Kim');
    await track(kim.userId, 'store', 'Order Completed', 80);
    await emailMarketing(kim.id, 'granted');
    await t().omnis.dispatcher.drain();
    expect(await members()).toContain(kim.id);

    const { segments } = t().omnis.services;
    const now = Date.now();
    await segments.reevaluateIfDue(now); // first sight starts the clock
    expect(await segments.reevaluateIfDue(now + 3_600_000)).toBe(false); // not due yet
    const later = now + 15 * DAY;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    expect(await segments.reevaluateIfDue(later)).toBe(true);
    expect(await segments.reevaluateIfDue(later)).toBe(false); // claimed once
    vi.restoreAllMocks();
    expect(await members()).not.toContain(kim.id);
    expect(await segmentEvents(kim.id)).toContain(`segment.exited:${segmentId}`);
  });

  it('compares traits the same way on every database', async () => {
    const { customers } = t().omnis.services;
    const a = await person('Tia');
    const b = await person('Tom');
    const c = await person('Tess');
    await customers.updateCustomer(
      a.id,
      { traits: { tier: 'gold', visits: 12, tags: ['vip'], nested: { city: 'Oslo' } } },
      systemActor,
    );
    await customers.updateCustomer(
      b.id,
      { traits: { tier: 'Gold', visits: 3.5, tags: 'vip-list', vip: true } },
      systemActor,
    );
    await customers.updateCustomer(c.id, { traits: { tier: null } }, systemActor);
    const ours = new Set([a.id, b.id, c.id]);
    const matches = async (rule: unknown) => {
      const res = await api('POST', '/v1/segments/preview', {
        rule: { all: [rule, { type: 'trait', key: 'tier', op: 'exists' }] },
      });
      const all = await api('POST', '/v1/segments/preview', { rule });
      expect(res.statusCode).toBe(200);
      expect(all.statusCode).toBe(200);
      const created = await api('POST', '/v1/segments', { name: `trait ${unique()}`, rule });
      const ids = (await members(created.json().id)).filter((id) => ours.has(id));
      return ids.map((id) => (id === a.id ? 'A' : id === b.id ? 'B' : 'C')).sort();
    };
    expect(await matches({ type: 'trait', key: 'tier', op: 'eq', value: 'gold' })).toEqual(['A']);
    expect(await matches({ type: 'trait', key: 'tier', op: 'neq', value: 'gold' })).toEqual(['B', 'C']);
    expect(await matches({ type: 'trait', key: 'tier', op: 'exists' })).toEqual(['A', 'B']);
    expect(await matches({ type: 'trait', key: 'visits', op: 'gt', value: 3.5 })).toEqual(['A']);
    expect(await matches({ type: 'trait', key: 'visits', op: 'lte', value: 3.5 })).toEqual(['B']);
    expect(await matches({ type: 'trait', key: 'tier', op: 'lt', value: 'a' })).toEqual(['B']); // byte order: G < a
    expect(await matches({ type: 'trait', key: 'tags', op: 'contains', value: 'vip' })).toEqual(['A', 'B']);
    expect(await matches({ type: 'trait', key: 'vip', op: 'eq', value: true })).toEqual(['B']);
    expect(await matches({ type: 'trait', key: 'nested.city', op: 'eq', value: 'Oslo' })).toEqual(['A']);
    expect(await matches({ not: { type: 'trait', key: 'visits', op: 'gte', value: 10 } })).toEqual([
      'B',
      'C',
    ]);
  });

  it('refuses a bad rule with the path of the mistake', async () => {
    const res = await api('POST', '/v1/segments/preview', {
      rule: {
        all: [
          { type: 'consent', purpose: 'marketing', channel: 'email', status: 'granted' },
          { type: 'event', name: 'Order Completed', window_days: 0 },
          { type: 'shoe_size', value: 42 },
          { not: { type: 'channel_used', channel_kind: 'moon' } },
          { type: 'event', name: 'Order Completed', count: { op: 'about', value: 2 } },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = (res.json().errors as Array<{ field: string }>).map((e) => e.field);
    expect(fields).toEqual([
      'body.rule.all.1.window_days',
      'body.rule.all.2.type',
      'body.rule.all.3.not.channel_kind',
      'body.rule.all.4.count.op',
    ]);
    const missing = await api('POST', '/v1/segments', { name: 'x', rule: { any: [] } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors).toEqual([
      { field: 'body.rule.any', message: 'must be a non-empty array of rules' },
    ]);
  });

  it('refuses a trait key with SQL in it and saves nothing', async () => {
    const before = (await api('GET', '/v1/segments?limit=200')).json().data.length as number;
    for (const key of ["tier') or 1=1 --", 'tier"]', "a'||(select 1)", '$.tier']) {
      const res = await api('POST', '/v1/segments', {
        name: 'sneaky',
        rule: { type: 'trait', key, op: 'eq', value: 'x' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.rule.key' })]);
    }
    // A value is data, never SQL: a quote in it just matches nothing.
    const value = await api('POST', '/v1/segments/preview', {
      rule: { type: 'trait', key: 'tier', op: 'eq', value: "gold' or '1'='1" },
    });
    expect(value.json()).toEqual({ count: 0, sample: [] });
    expect((await api('GET', '/v1/segments?limit=200')).json().data.length).toBe(before);
  });

  it('lets marketers build audiences and keeps others to reading', async () => {
    const body = { name: 'x', rule: { type: 'profile', restricted: false } };
    expect((await api('POST', '/v1/segments', body, 'analyst')).statusCode).toBe(403);
    expect((await api('POST', '/v1/segments/preview', { rule: body.rule }, 'agent')).statusCode).toBe(403);
    expect((await api('POST', '/v1/segments/preview', { rule: body.rule }, 'analyst')).statusCode).toBe(200);
    expect((await api('GET', `/v1/segments/${segmentId}/members`, undefined, 'agent')).statusCode).toBe(200);
    const renamed = await api('PATCH', `/v1/segments/${segmentId}`, { name: 'Store buyers, online next' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Store buyers, online next');
    expect(renamed.json().member_count).toBe((await members()).length);
  });

  it('lists the segments a customer is in for their 360, answering a merged-away id for its survivor', async () => {
    const segmentsOf = async (id: string) => {
      // Agents have no campaigns permission, yet see on a customer's page which segments they are in.
      const res = await api('GET', `/v1/customers/${id}/segments`, undefined, 'agent');
      return { status: res.statusCode, body: res.json() };
    };
    // Zoe bought in a store under one profile and allowed email marketing under another.
    const zoe = await person('Zoe');
    const zoeToo = await person('Zoe');
    await track(zoe.userId, 'store', 'Order Completed', 3);
    await emailMarketing(zoeToo.id, 'granted');
    await t().omnis.dispatcher.drain();
    const consentSegment = (
      (await api('GET', '/v1/segments?limit=200')).json().data as Array<{ id: string; name: string }>
    ).find((s) => s.name === 'Email marketing allowed')!.id;

    const before = await segmentsOf(zoe.id);
    expect(before.status).toBe(200);
    expect(before.body.customer_id).toBe(zoe.id);
    const idsBefore = (before.body.data as Array<{ id: string }>).map((s) => s.id);
    expect(idsBefore).not.toContain(segmentId);
    expect(idsBefore).not.toContain(consentSegment);
    expect((await segmentsOf(zoeToo.id)).body.data.map((s: { id: string }) => s.id)).toContain(
      consentSegment,
    );

    await t().omnis.services.identity.mergeProfiles(zoe.id, zoeToo.id, systemActor, true);
    await t().omnis.dispatcher.drain();

    // Asked by the merged-away id, the answer is the survivor's: now in the audience too.
    const after = await segmentsOf(zoeToo.id);
    expect(after.status).toBe(200);
    expect(after.body.customer_id).toBe(zoe.id);
    const storeBuyers = (after.body.data as Array<Record<string, unknown>>).find((s) => s.id === segmentId);
    const saved = (await api('GET', `/v1/segments/${segmentId}`)).json();
    expect(storeBuyers).toEqual({
      id: segmentId,
      name: saved.name,
      description: saved.description,
      member_count: saved.member_count,
      since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
    expect((after.body.data as Array<{ id: string }>).map((s) => s.id)).toContain(consentSegment);
    // Every segment listed really holds the survivor.
    for (const s of after.body.data as Array<{ id: string }>) expect(await members(s.id)).toContain(zoe.id);

    const unknown = await segmentsOf('cus_00000000000000000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
  });
});
