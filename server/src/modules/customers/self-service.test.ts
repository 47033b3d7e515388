/**
 * The preference centre as a customer uses it through their link: they withdraw email offers and the consent
 * history shows it came from them, with the wording they saw; switching offers back on needs their mailbox; they
 * set their preferred channel, quiet hours, timezone and language; they download their data; they ask to be
 * erased, change their mind, ask again — and staff confirm it through the privacy erase path or reject it.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { decodeJson } from '../../platform/db/codecs';

describeEachDialect('self-service preference centre', (t) => {
  const unique = () => Math.random().toString(36).slice(2, 10);
  const staff = async (
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    role: 'owner' | 'agent' = 'owner',
  ) => t().omnis.app.inject({ method, url, headers: await t().as(role), ...(payload ? { payload } : {}) });
  const as = (token: string) => ({
    call: (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      t().omnis.app.inject({
        method,
        url,
        headers: { 'x-customer-token': token, 'user-agent': 'PrefsTest/1.0' },
        ...(payload ? { payload } : {}),
      }),
  });

  /** A customer with an email (verified or not), a link for them on a web channel, and that link's client. */
  const customerWithLink = async (
    opts: { verified?: boolean; viaEmail?: boolean; timezone?: string } = {},
  ) => {
    const channel = await t().omnis.services.channels.createChannel(
      { kind: 'web', name: `Shop ${unique()}` },
      systemActor,
    );
    const email = `m.${unique()}@shop.example`;
    const created = await staff('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: email, verified: opts.verified ?? true }],
      first_name: 'Marta',
      ...(opts.timezone ? { timezone: opts.timezone } : {}),
    });
    expect(created.statusCode).toBe(200);
    const customer = created.json().customer as { id: string; identifiers: Array<{ id: string }> };
    const link = await staff('POST', `/v1/customers/${customer.id}/preference-links`, {
      channel_id: channel.id,
      ...(opts.viaEmail ? { identifier_id: customer.identifiers[0]!.id } : {}),
    });
    expect(link.statusCode).toBe(201);
    return { id: customer.id, email, channelId: channel.id, client: as(link.json().token as string) };
  };
  const emailOffers = (status: string) => ({
    purpose: 'marketing',
    channel: 'email',
    status,
    evidence: { wording: 'Offers and news by email', version: 'omnis-preferences-1' },
  });
  const can = async (id: string, query: string) =>
    (await staff('GET', `/v1/customers/${id}/consent/can?${query}`)).json() as {
      allowed: boolean;
      reason: string;
    };

  it('records a withdrawal in the consent history with source customer, the link’s channel and the wording', async () => {
    const marta = await customerWithLink();
    const granted = await staff('POST', `/v1/customers/${marta.id}/consents`, {
      consents: [{ purpose: 'marketing', channel: 'email', status: 'granted', source: { type: 'staff' } }],
    });
    expect(granted.statusCode).toBe(201);
    expect((await can(marta.id, 'purpose=marketing&channel=email')).allowed).toBe(true);

    const res = await marta.client.call('POST', '/store/v1/me/consents', {
      consents: [emailOffers('withdrawn')],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      customer_id: marta.id,
      consents: [{ purpose: 'marketing', channel: 'email', status: 'withdrawn', current: true }],
      confirmation_requested: false,
    });

    const history = await staff('GET', `/v1/customers/${marta.id}/consents/history`);
    const newest = history.json().data[0];
    expect(newest).toMatchObject({
      status: 'withdrawn',
      source: { type: 'customer', channel_id: marta.channelId },
      actor: { type: 'customer', id: marta.id },
      evidence: {
        wording: 'Offers and news by email',
        version: 'omnis-preferences-1',
        user_agent: 'PrefsTest/1.0',
      },
    });
    expect(await can(marta.id, 'purpose=marketing&channel=email')).toMatchObject({
      allowed: false,
      reason: 'withdrawn',
    });
    const me = await marta.client.call('GET', '/store/v1/me');
    expect(me.json().consents).toContainEqual(
      expect.objectContaining({
        purpose: 'marketing',
        channel: 'email',
        status: 'withdrawn',
        source: 'customer',
      }),
    );
  });

  it('confirms email offers at once through a link that came by email; any other link mails a confirmation', async () => {
    const byEmail = await customerWithLink({ verified: false, viaEmail: true });
    expect((await byEmail.client.call('GET', '/store/v1/me')).json().link.proves_email).toBe(true);
    const confirmed = await byEmail.client.call('POST', '/store/v1/me/consents', {
      consents: [emailOffers('granted')],
    });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().consents[0].status).toBe('granted');
    expect((await can(byEmail.id, 'purpose=marketing&channel=email')).allowed).toBe(true);

    const other = await customerWithLink({ verified: false });
    const pending = await other.client.call('POST', '/store/v1/me/consents', {
      consents: [emailOffers('granted')],
    });
    expect(pending.statusCode).toBe(200);
    expect(pending.json()).toMatchObject({
      consents: [{ status: 'pending_confirmation' }],
      confirmation_requested: true,
    });
    // The double opt-in token never reaches the browser.
    expect(pending.body).not.toMatch(/token/);
    expect(await can(other.id, 'purpose=marketing&channel=email')).toMatchObject({
      allowed: false,
      reason: 'pending_confirmation',
    });
    const asked = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .selectAll()
      .where('type', '=', 'customer.access_link_requested')
      .where('customer_id', '=', other.id)
      .execute();
    expect(asked).toHaveLength(1);
    expect(decodeJson(asked[0]!.data)).toMatchObject({ via: 'email', purpose: 'confirm_email' });
  });

  it('sets preferred channel, quiet hours in the customer’s timezone, and language', async () => {
    const marta = await customerWithLink();
    await staff('POST', `/v1/customers/${marta.id}/consents`, {
      consents: [{ purpose: 'marketing', channel: 'sms', status: 'granted', source: { type: 'staff' } }],
    });
    const res = await marta.client.call('PUT', '/store/v1/me/preferences', {
      preferred_channel: 'sms',
      quiet_hours: { start: '21:00', end: '08:00' },
      timezone: 'Europe/Madrid',
      locale: 'es',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      customer: { locale: 'es', timezone: 'Europe/Madrid' },
      preferences: { preferred_channel: 'sms', quiet_hours: { start: '21:00', end: '08:00' } },
    });
    // 22:30 in Madrid (CET, UTC+1) is inside the quiet hours; noon is not.
    expect(await can(marta.id, 'purpose=marketing&channel=sms&at=2026-01-15T21:30:00Z')).toMatchObject({
      allowed: false,
      reason: 'quiet_hours',
    });
    expect((await can(marta.id, 'purpose=marketing&channel=sms&at=2026-01-15T11:00:00Z')).allowed).toBe(true);
    const profile = await staff('GET', `/v1/customers/${marta.id}`);
    expect(profile.json()).toMatchObject({ locale: 'es', timezone: 'Europe/Madrid' });
  });

  it('refuses bad input naming each field and writes nothing', async () => {
    const marta = await customerWithLink();
    const before = (await marta.client.call('GET', '/store/v1/me')).json();

    const badZone = await marta.client.call('PUT', '/store/v1/me/preferences', {
      preferred_channel: 'email',
      quiet_hours: { start: '22:00', end: '22:00' },
      timezone: 'Mars/Olympus_Mons',
      locale: 'ru',
    });
    expect(badZone.statusCode).toBe(400);
    expect(badZone.headers['content-type']).toContain('application/problem+json');
    expect(badZone.json().errors).toEqual(
      expect.arrayContaining([
        { field: 'body.timezone', message: 'is not an IANA time zone' },
        { field: 'body.quiet_hours.end', message: 'must differ from start' },
      ]),
    );
    const schema = await marta.client.call('PUT', '/store/v1/me/preferences', {
      preferred_channel: 'pigeon',
      quiet_hours: { start: '25:00', end: '08:00' },
      colour: 'blue',
    });
    expect(schema.statusCode).toBe(400);
    const fields = schema.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['body.preferred_channel', 'body.quiet_hours.start', 'body.colour']),
    );
    const noEvidence = await marta.client.call('POST', '/store/v1/me/consents', {
      consents: [{ purpose: 'marketing', channel: 'email', status: 'withdrawn' }],
    });
    expect(noEvidence.statusCode).toBe(400);
    expect(noEvidence.json().errors[0].field).toBe('body.consents.0.evidence');
    const staffSource = await marta.client.call('POST', '/store/v1/me/consents', {
      consents: [{ ...emailOffers('granted'), source: { type: 'staff' } }],
    });
    expect(staffSource.statusCode).toBe(400);
    expect(staffSource.json().errors[0].field).toBe('body.consents.0.source');

    expect((await marta.client.call('GET', '/store/v1/me')).json()).toEqual(before);
    const history = await staff('GET', `/v1/customers/${marta.id}/consents/history`);
    expect(history.json().data).toEqual([]);
  });

  it('saves language and quiet hours together or not at all: bad quiet hours keep the old language', async () => {
    const marta = await customerWithLink({ timezone: 'Europe/Madrid' });
    const before = (await marta.client.call('GET', '/store/v1/me')).json();
    const res = await marta.client.call('PUT', '/store/v1/me/preferences', {
      preferred_channel: 'email',
      quiet_hours: { start: '21:00', end: '21:00' },
      locale: 'ru',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'body.quiet_hours.end', message: 'must differ from start' }]);
    expect((await marta.client.call('GET', '/store/v1/me')).json()).toEqual(before);
    expect((await staff('GET', `/v1/customers/${marta.id}`)).json().locale).not.toBe('ru');
  });

  it('rolls back the new language when storing the preferences fails halfway through the save', async () => {
    const marta = await customerWithLink({ timezone: 'Europe/Madrid' });
    const { db } = t().omnis.database;
    // A real failure inside the database, after the profile row was written: the preferences table refuses
    // rows for this one customer, so the save fails on its second write.
    if (t().dialect === 'postgres') {
      await sql`create function refuse_prefs() returns trigger language plpgsql as $$
        begin if new.customer_id = ${sql.lit(marta.id)} then raise exception 'preferences refused'; end if;
        return new; end $$`.execute(db);
      await sql`create trigger refuse_prefs before insert or update on customer_preferences
        for each row execute function refuse_prefs()`.execute(db);
    } else {
      await sql`create trigger refuse_prefs before insert on customer_preferences
        when new.customer_id = ${sql.lit(marta.id)}
        begin select raise(abort, 'preferences refused'); end`.execute(db);
    }
    const eventsBefore = await db
      .selectFrom('outbox_events')
      .select('type')
      .where('customer_id', '=', marta.id)
      .execute();
    try {
      const res = await marta.client.call('PUT', '/store/v1/me/preferences', {
        preferred_channel: 'sms',
        quiet_hours: { start: '22:00', end: '07:00' },
        timezone: 'Europe/Moscow',
        locale: 'ru',
      });
      expect(res.statusCode).toBe(500);
    } finally {
      await sql`drop trigger refuse_prefs${sql.raw(t().dialect === 'postgres' ? ' on customer_preferences' : '')}`.execute(
        db,
      );
      if (t().dialect === 'postgres') await sql`drop function refuse_prefs()`.execute(db);
    }
    const profile = (await staff('GET', `/v1/customers/${marta.id}`)).json();
    expect(profile).toMatchObject({ timezone: 'Europe/Madrid' });
    expect(profile.locale).not.toBe('ru');
    const eventsAfter = await db
      .selectFrom('outbox_events')
      .select('type')
      .where('customer_id', '=', marta.id)
      .execute();
    expect(eventsAfter).toEqual(eventsBefore);

    // With the fault gone the same save goes through whole.
    const retried = await marta.client.call('PUT', '/store/v1/me/preferences', {
      preferred_channel: 'sms',
      quiet_hours: { start: '22:00', end: '07:00' },
      timezone: 'Europe/Moscow',
      locale: 'ru',
    });
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({
      customer: { locale: 'ru', timezone: 'Europe/Moscow' },
      preferences: { preferred_channel: 'sms', quiet_hours: { start: '22:00', end: '07:00' } },
    });
  });

  it('downloads the same archive staff get, and the read is audited as the customer’s', async () => {
    const marta = await customerWithLink();
    const res = await marta.client.call('GET', '/store/v1/me/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${marta.id}-export.json"`);
    const archive = res.json();
    expect(archive.customer_id).toBe(marta.id);
    expect(JSON.stringify(archive.data)).toContain(marta.email);
    expect(archive.data.self_service.access_links).toHaveLength(1);
    const staffArchive = (await staff('GET', `/v1/customers/${marta.id}/export`)).json();
    expect(Object.keys(archive.data).sort()).toEqual(Object.keys(staffArchive.data).sort());
    const audit = await t()
      .omnis.database.db.selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'customer.export')
      .where('target_id', '=', marta.id)
      .where('actor_type', '=', 'customer')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('takes an erasure request once, lets the customer cancel it, and staff confirm it through the privacy erase', async () => {
    const marta = await customerWithLink();
    expect((await marta.client.call('POST', '/store/v1/me/erasure-request', {})).json().errors[0].field).toBe(
      'body.confirm',
    );
    // Two clicks at once make one request.
    const [a, b] = await Promise.all([
      marta.client.call('POST', '/store/v1/me/erasure-request', { confirm: true }),
      marta.client.call('POST', '/store/v1/me/erasure-request', { confirm: true }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 202]);
    expect(a.json().id).toBe(b.json().id);
    const made = a.json();
    expect(made.status).toBe('pending');
    const dueInDays = (Date.parse(made.due_at) - Date.parse(made.requested_at)) / 86_400_000;
    expect(dueInDays).toBe(30);

    const cancelled = await marta.client.call('DELETE', '/store/v1/me/erasure-request');
    expect(cancelled.json().status).toBe('cancelled');
    expect((await marta.client.call('DELETE', '/store/v1/me/erasure-request')).statusCode).toBe(404);
    const again = await marta.client.call('POST', '/store/v1/me/erasure-request', { confirm: true });
    expect(again.statusCode).toBe(202);
    const requestId = again.json().id as string;

    const queue = await staff('GET', '/v1/erasure-requests?status=pending');
    expect(queue.json().data.map((r: { id: string }) => r.id)).toContain(requestId);
    // Deciding takes the erase permission.
    expect((await staff('POST', `/v1/erasure-requests/${requestId}/confirm`, {}, 'agent')).statusCode).toBe(
      403,
    );

    const confirmed = await staff('POST', `/v1/erasure-requests/${requestId}/confirm`, {});
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().request).toMatchObject({ id: requestId, status: 'completed' });
    expect((await staff('GET', `/v1/customers/${marta.id}`)).statusCode).toBe(404);
    expect((await marta.client.call('GET', '/store/v1/me')).statusCode).toBe(401);
    const erased = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select('type')
      .where('customer_id', '=', marta.id)
      .where('type', '=', 'customer.erased')
      .execute();
    expect(erased).toHaveLength(1);
    const row = await t()
      .omnis.database.db.selectFrom('customer_erasure_requests')
      .selectAll()
      .where('id', '=', requestId)
      .executeTakeFirstOrThrow();
    expect(decodeJson(row.decided_by)).toMatchObject({ type: 'staff' });
    const twice = await staff('POST', `/v1/erasure-requests/${requestId}/confirm`, {});
    expect(twice.statusCode).toBe(409);
  });

  it('shows the customer a rejection and its reason', async () => {
    const marta = await customerWithLink();
    const made = await marta.client.call('POST', '/store/v1/me/erasure-request', { confirm: true });
    const id = made.json().id as string;
    const bad = await staff('POST', `/v1/erasure-requests/${id}/reject`, { reason: 'because' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('body.reason');
    const rejected = await staff('POST', `/v1/erasure-requests/${id}/reject`, { reason: 'open_contract' });
    expect(rejected.statusCode).toBe(200);
    const me = (await marta.client.call('GET', '/store/v1/me')).json();
    expect(me.erasure_request).toMatchObject({ id, status: 'rejected', reason: 'open_contract' });
    expect((await staff('POST', `/v1/erasure-requests/${id}/confirm`, {})).statusCode).toBe(409);
    // The person is still here.
    expect((await staff('GET', `/v1/customers/${marta.id}`)).statusCode).toBe(200);
  });
});
