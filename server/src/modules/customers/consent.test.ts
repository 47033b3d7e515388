/**
 * Consent as a business and its customers live it: people opt in and out per channel, every change is kept,
 * late paperwork never overrides a newer decision, email needs double opt-in, quiet hours are the customer's
 * own night, and every sender gets one clear yes or no.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { decodeJson } from '../../platform/db/codecs';

type ConsentBody = Record<string, unknown>;

describeEachDialect('consent and preferences', (t) => {
  const unique = () => Math.random().toString(36).slice(2, 10);
  const inject = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as('agent'),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });

  /** A new customer known by a fresh email (verified or not), in a timezone. */
  const newCustomer = async (opts: { verified?: boolean; timezone?: string } = {}) => {
    const email = `c.${unique()}@shop.example`;
    const res = await inject('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: email, verified: opts.verified ?? false }],
      ...(opts.timezone ? { timezone: opts.timezone } : {}),
    });
    expect(res.statusCode).toBe(200);
    return { id: res.json().customer.id as string, email };
  };
  const record = async (id: string, consents: ConsentBody[]) =>
    inject('POST', `/v1/customers/${id}/consents`, { consents });
  const recorded = async (id: string, consents: ConsentBody[]) => {
    const res = await record(id, consents);
    expect(res.statusCode).toBe(201);
    return res.json() as {
      customer_id: string;
      consents: Array<{
        id: string;
        status: string;
        current: boolean;
        confirmation: { token: string; expires_at: string; path: string } | null;
      }>;
    };
  };
  const can = async (id: string, purpose: string, channel?: string, at?: string) => {
    const q = new URLSearchParams({ purpose, ...(channel ? { channel } : {}), ...(at ? { at } : {}) });
    const res = await inject('GET', `/v1/customers/${id}/consent/can?${q}`);
    expect(res.statusCode).toBe(200);
    return res.json() as { customer_id: string; allowed: boolean; reason: string };
  };
  const matrix = async (id: string) => {
    const res = await inject('GET', `/v1/customers/${id}/consents`);
    expect(res.statusCode).toBe(200);
    return res.json() as {
      customer_id: string;
      consents: Array<{ purpose: string; channel: string | null; status: string; occurred_at: string }>;
      preferences: { preferred_channel: string | null; quiet_hours: unknown };
    };
  };
  const history = async (id: string, query = '') => {
    const res = await inject('GET', `/v1/customers/${id}/consents/history${query}`);
    expect(res.statusCode).toBe(200);
    return res.json() as {
      data: Array<{ id: string; status: string; occurred_at: string; evidence: Record<string, string> }>;
      next_cursor: string | null;
    };
  };
  const outboxFor = async (customerId: string) =>
    t()
      .omnis.database.db.selectFrom('outbox_events')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('type', 'like', 'consent.%')
      .orderBy('position')
      .execute();
  const sms = (status: string, extra: ConsentBody = {}) => ({
    purpose: 'marketing',
    channel: 'sms',
    status,
    source: { type: 'staff' },
    ...extra,
  });
  const publishableKey = async () => {
    const channel = await t().omnis.services.channels.createChannel(
      { kind: 'web', name: `Shop ${unique()}` },
      systemActor,
    );
    const key = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'shop', channel_id: channel.id },
      systemActor,
    );
    return { authorization: `Bearer ${key.key}` };
  };
  const confirm = async (token: string) =>
    t().omnis.app.inject({
      method: 'POST',
      url: '/store/v1/consent/confirm',
      headers: { ...(await publishableKey()), 'user-agent': 'MailClient/1.0' },
      payload: { token },
    });

  it('lets a store text a customer who opted in to SMS offers, and stops when they withdraw, saying why', async () => {
    const { id } = await newCustomer();
    expect(await can(id, 'marketing', 'sms')).toMatchObject({ allowed: false, reason: 'no_consent' });
    await recorded(id, [
      sms('granted', {
        evidence: { wording: 'Send me offers by SMS', version: 'pos-2', ip: '203.0.113.7' },
      }),
    ]);
    expect(await can(id, 'marketing', 'sms')).toEqual({ customer_id: id, allowed: true, reason: 'granted' });
    // An SMS opt-in says nothing about WhatsApp; order updates need no opt-in at all.
    expect(await can(id, 'marketing', 'whatsapp')).toMatchObject({ allowed: false, reason: 'no_consent' });
    expect(await can(id, 'service', 'sms')).toMatchObject({ allowed: true, reason: 'contract' });

    await recorded(id, [sms('withdrawn', { source: { type: 'customer' } })]);
    expect(await can(id, 'marketing', 'sms')).toMatchObject({ allowed: false, reason: 'withdrawn' });

    const events = await outboxFor(id);
    expect(events.map((e) => e.type)).toEqual(['consent.granted', 'consent.withdrawn']);
    expect(decodeJson(events[0]!.data)).toMatchObject({
      purpose: 'marketing',
      channel: 'sms',
      status: 'granted',
      current: true,
    });
    // Events carry ids and vocabulary, never the evidence.
    const payloads = JSON.stringify(events.map((e) => e.data));
    expect(payloads).not.toContain('203.0.113.7');
    expect(payloads).not.toContain('Send me offers');
  });

  it('keeps every change with its evidence, newest first, page by page', async () => {
    const { id } = await newCustomer();
    const base = Date.parse('2026-03-01T10:00:00Z');
    for (const [i, status] of ['granted', 'withdrawn', 'granted'].entries()) {
      await recorded(id, [
        sms(status, {
          occurred_at: new Date(base + i * 60_000).toISOString(),
          evidence: { wording: `form v${i}`, version: String(i) },
        }),
      ]);
    }
    const first = await history(id, '?limit=2');
    expect(first.data.map((r) => [r.status, r.evidence.wording])).toEqual([
      ['granted', 'form v2'],
      ['withdrawn', 'form v1'],
    ]);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await history(id, `?limit=2&cursor=${first.next_cursor}`);
    expect(second.data.map((r) => [r.status, r.occurred_at])).toEqual([
      ['granted', '2026-03-01T10:00:00.000Z'],
    ]);
    expect(second.next_cursor).toBeNull();
    expect((await matrix(id)).consents).toEqual([
      expect.objectContaining({ purpose: 'marketing', channel: 'sms', status: 'granted' }),
    ]);
  });

  it('keeps a late, older record in history without letting it overwrite the newer decision', async () => {
    const { id } = await newCustomer();
    await recorded(id, [sms('withdrawn', { occurred_at: '2026-05-02T09:00:00Z' })]);
    // A paper form signed the day before is imported afterwards.
    const late = await recorded(id, [
      sms('granted', { source: { type: 'import' }, occurred_at: '2026-05-01T09:00:00Z' }),
    ]);
    expect(late.consents[0]).toMatchObject({ status: 'granted', current: false });
    expect((await matrix(id)).consents).toEqual([
      expect.objectContaining({ status: 'withdrawn', occurred_at: '2026-05-02T09:00:00.000Z' }),
    ]);
    expect(await can(id, 'marketing', 'sms')).toMatchObject({ allowed: false, reason: 'withdrawn' });
    expect((await history(id)).data.map((r) => r.status)).toEqual(['granted', 'withdrawn']);
    // Outside consumers are told the late record did not change the state.
    const events = await outboxFor(id);
    expect(decodeJson(events[1]!.data)).toMatchObject({ status: 'granted', current: false });
  });

  it('holds email marketing from an unverified address until the customer confirms, once, in time', async () => {
    const { id } = await newCustomer({ verified: false });
    const email = { purpose: 'marketing', channel: 'email', status: 'granted', source: { type: 'customer' } };
    const res = await recorded(id, [email]);
    const pending = res.consents[0]!;
    expect(pending).toMatchObject({ status: 'pending_confirmation', current: true });
    expect(pending.confirmation).toMatchObject({ path: '/store/v1/consent/confirm' });
    const token = pending.confirmation!.token;
    expect(await can(id, 'marketing', 'email')).toMatchObject({
      allowed: false,
      reason: 'pending_confirmation',
    });
    // The token is in neither the outbox (webhooks, realtime) nor the database.
    const events = await outboxFor(id);
    expect(events.map((e) => e.type)).toEqual(['consent.confirmation_requested']);
    expect(JSON.stringify(events)).not.toContain(token);
    const stored = await t().omnis.database.db.selectFrom('consent_confirmations').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(token);

    const wrong = await confirm(`${token.slice(0, -2)}xx`);
    expect(wrong.statusCode).toBe(404);
    expect(await can(id, 'marketing', 'email')).toMatchObject({ allowed: false });

    const ok = await confirm(token);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      customer_id: id,
      consent: { purpose: 'marketing', channel: 'email', status: 'granted', source: { type: 'customer' } },
    });
    expect(await can(id, 'marketing', 'email')).toMatchObject({ allowed: true, reason: 'granted' });
    expect((await history(id)).data[0]).toMatchObject({
      status: 'granted',
      evidence: { note: 'double opt-in confirmed', user_agent: 'MailClient/1.0' },
    });
    expect((await outboxFor(id)).map((e) => e.type)).toEqual([
      'consent.confirmation_requested',
      'consent.granted',
    ]);

    const again = await confirm(token);
    expect(again.statusCode).toBe(409);
    expect(again.json().reason).toBe('used');
  });

  it('refuses an expired confirmation link and leaves the consent pending', async () => {
    const { id } = await newCustomer();
    const res = await recorded(id, [
      { purpose: 'marketing', channel: 'email', status: 'granted', source: { type: 'import' } },
    ]);
    const token = res.consents[0]!.confirmation!.token;
    await t()
      .omnis.database.db.updateTable('consent_confirmations')
      .set({ expires_at: Date.now() - 1 })
      .where('customer_id', '=', id)
      .execute();
    const late = await confirm(token);
    expect(late.statusCode).toBe(422);
    expect(late.json().reason).toBe('expired');
    expect(await can(id, 'marketing', 'email')).toMatchObject({
      allowed: false,
      reason: 'pending_confirmation',
    });
  });

  it('needs no double opt-in when the email address is already verified', async () => {
    const { id } = await newCustomer({ verified: true });
    const res = await recorded(id, [
      { purpose: 'marketing', channel: 'email', status: 'granted', source: { type: 'staff' } },
    ]);
    expect(res.consents[0]).toMatchObject({ status: 'granted', confirmation: null });
    expect(await can(id, 'marketing', 'email')).toMatchObject({ allowed: true });
  });

  it('keeps quiet hours in the customer’s own timezone', async () => {
    const { id } = await newCustomer({ timezone: 'Europe/Madrid' });
    await recorded(id, [sms('granted')]);
    const put = await inject('PUT', `/v1/customers/${id}/preferences`, {
      preferred_channel: 'sms',
      quiet_hours: { start: '21:00', end: '08:00' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      preferred_channel: 'sms',
      quiet_hours: { start: '21:00', end: '08:00', timezone: null },
    });
    // 20:30 UTC in July is 22:30 in Madrid (CEST); 08:00 UTC is 10:00 there.
    expect(await can(id, 'marketing', 'sms', '2026-07-15T20:30:00Z')).toMatchObject({
      allowed: false,
      reason: 'quiet_hours',
    });
    expect(await can(id, 'marketing', 'sms', '2026-07-15T08:00:00Z')).toMatchObject({
      allowed: true,
      reason: 'granted',
    });
    // In January Madrid is UTC+1: 06:30 UTC is 07:30 local, still night; 07:30 UTC is 08:30, morning.
    expect(await can(id, 'marketing', 'sms', '2026-01-15T06:30:00Z')).toMatchObject({ allowed: false });
    expect(await can(id, 'marketing', 'sms', '2026-01-15T07:30:00Z')).toMatchObject({ allowed: true });
    // An order update is not marketing: it goes out at night too.
    expect(await can(id, 'service', 'sms', '2026-07-15T20:30:00Z')).toMatchObject({ allowed: true });
    expect((await matrix(id)).preferences).toMatchObject({ preferred_channel: 'sms' });
    const events = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select('type')
      .where('customer_id', '=', id)
      .where('type', '=', 'preferences.updated')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('refuses quiet hours in a zone that does not exist, or with no zone to keep them in', async () => {
    const { id } = await newCustomer();
    const badZone = await inject('PUT', `/v1/customers/${id}/preferences`, {
      preferred_channel: null,
      quiet_hours: { start: '22:00', end: '07:00', timezone: 'Europe/Atlantis' },
    });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'body.quiet_hours.timezone',
    ]);
    const noZone = await inject('PUT', `/v1/customers/${id}/preferences`, {
      preferred_channel: null,
      quiet_hours: { start: '22:00', end: '07:00' },
    });
    expect(noZone.statusCode).toBe(400);
    expect(noZone.json().errors[0].field).toBe('body.quiet_hours.timezone');
    const badTime = await inject('PUT', `/v1/customers/${id}/preferences`, {
      preferred_channel: 'fax',
      quiet_hours: { start: '25:00', end: '07:00', timezone: 'Europe/Madrid' },
    });
    expect(badTime.statusCode).toBe(400);
    expect(
      badTime
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(expect.arrayContaining(['body.preferred_channel', 'body.quiet_hours.start']));
    expect((await matrix(id)).preferences).toMatchObject({ preferred_channel: null, quiet_hours: null });
  });

  it('stops all but service messages to a customer whose processing is restricted', async () => {
    const { id } = await newCustomer();
    await recorded(id, [
      sms('granted'),
      { purpose: 'analytics', status: 'granted', source: { type: 'customer' } },
    ]);
    expect(await can(id, 'analytics')).toMatchObject({ allowed: true });
    await t()
      .omnis.database.db.updateTable('customers')
      .set({ restricted: 1 })
      .where('id', '=', id)
      .execute();
    expect(await can(id, 'marketing', 'sms')).toMatchObject({ allowed: false, reason: 'restricted' });
    expect(await can(id, 'analytics')).toMatchObject({ allowed: false, reason: 'restricted' });
    expect(await can(id, 'service', 'sms')).toMatchObject({ allowed: true });
  });

  it('lets a purpose-wide withdrawal stop every channel, and a later channel opt-in restart one', async () => {
    const { id } = await newCustomer();
    await recorded(id, [sms('granted', { occurred_at: '2026-04-01T10:00:00Z' })]);
    await recorded(id, [
      {
        purpose: 'marketing',
        status: 'withdrawn',
        source: { type: 'customer' },
        occurred_at: '2026-04-02T10:00:00Z',
      },
    ]);
    expect(await can(id, 'marketing', 'sms')).toMatchObject({ allowed: false, reason: 'withdrawn' });
    await recorded(id, [sms('granted', { occurred_at: '2026-04-03T10:00:00Z' })]);
    expect(await can(id, 'marketing', 'sms')).toMatchObject({ allowed: true });
  });

  it('follows a merged-away id to the survivor, for reading and for recording', async () => {
    const u = unique();
    const byEmail = await inject('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: `m.${u}@shop.example` }],
    });
    const phone = `+3466${String(parseInt(u.slice(0, 6), 36) % 10_000_000).padStart(7, '0')}`;
    const byPhone = await inject('POST', '/v1/customers', { identifiers: [{ type: 'phone', value: phone }] });
    const a = byEmail.json().customer.id as string;
    const b = byPhone.json().customer.id as string;
    // Opted in on the phone profile, before anyone knew it was the same person.
    await recorded(b, [sms('granted', { occurred_at: '2026-06-01T10:00:00Z' })]);
    const both = await inject('POST', '/v1/customers', {
      identifiers: [
        { type: 'email', value: `m.${u}@shop.example` },
        { type: 'phone', value: phone },
      ],
    });
    expect(both.json().merged).toEqual([b]);
    expect(await can(a, 'marketing', 'sms')).toEqual({ customer_id: a, allowed: true, reason: 'granted' });
    expect(await can(b, 'marketing', 'sms')).toEqual({ customer_id: a, allowed: true, reason: 'granted' });
    // A withdrawal sent to the old id lands on the survivor and wins.
    const res = await recorded(b, [sms('withdrawn', { occurred_at: '2026-06-02T10:00:00Z' })]);
    expect(res.customer_id).toBe(a);
    expect(await can(a, 'marketing', 'sms')).toMatchObject({ allowed: false, reason: 'withdrawn' });
    expect((await history(a)).data.map((r) => r.status)).toEqual(['withdrawn', 'granted']);
    expect((await matrix(b)).customer_id).toBe(a);
  });

  it('ends with the newest decision when many grants and withdrawals arrive at once', async () => {
    const { id } = await newCustomer();
    const base = Date.parse('2026-02-01T12:00:00Z');
    const writes = Array.from({ length: 10 }, (_, i) => ({
      status: i % 2 === 0 ? 'granted' : 'withdrawn',
      occurred_at: new Date(base + i * 1000).toISOString(),
    }));
    // Sent in a scrambled order, all at once.
    const order = [3, 9, 0, 6, 1, 8, 2, 7, 4, 5];
    const results = await Promise.all(
      order.map((i) => record(id, [sms(writes[i]!.status, { occurred_at: writes[i]!.occurred_at })])),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const newest = writes[9]!;
    expect((await matrix(id)).consents).toEqual([
      expect.objectContaining({ status: newest.status, occurred_at: newest.occurred_at }),
    ]);
    expect(await can(id, 'marketing', 'sms')).toMatchObject({ allowed: false, reason: 'withdrawn' });
    expect((await history(id)).data).toHaveLength(10);
  });

  it('refuses a batch with a bad purpose, channel or status, naming each field, and writes nothing', async () => {
    const { id } = await newCustomer();
    const res = await record(id, [
      sms('granted'),
      { purpose: 'spam', channel: 'fax', status: 'maybe', source: { type: 'staff' } },
    ]);
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.consents.1.channel', 'body.consents.1.purpose', 'body.consents.1.status']);
    const noChannel = await record(id, [
      sms('granted'),
      sms('granted', { source: { type: 'channel' }, occurred_at: '2099-01-01T00:00:00Z' }),
    ]);
    expect(noChannel.statusCode).toBe(400);
    expect(noChannel.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'body.consents.1.source.channel_id',
      'body.consents.1.occurred_at',
    ]);
    expect((await history(id)).data).toEqual([]);
    expect((await matrix(id)).consents).toEqual([]);
    expect(await outboxFor(id)).toEqual([]);
    const unknown = await record('cus_nobody', [sms('granted')]);
    expect(unknown.statusCode).toBe(404);
  });

  it('lets a marketer read consent but not change it', async () => {
    const { id } = await newCustomer();
    const marketer = await t().as('marketer');
    const read = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${id}/consent/can?purpose=marketing&channel=email`,
      headers: marketer,
    });
    expect(read.statusCode).toBe(200);
    const write = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/customers/${id}/consents`,
      headers: marketer,
      payload: { consents: [sms('granted')] },
    });
    expect(write.statusCode).toBe(403);
  });
});
