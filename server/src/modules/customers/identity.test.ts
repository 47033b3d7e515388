/**
 * Identity resolution as the business sees it: whatever channel a person uses, they land on one profile;
 * strangers are never merged; a merge can be undone; an old id still finds the person.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';

type Id = { type: string; value: string; verified?: boolean };

describeEachDialect('identity resolution', (t) => {
  const resolve = async (identifiers: Id[], extra: Record<string, unknown> = {}) => {
    const res = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: await t().as('agent'),
      payload: { identifiers, ...extra },
    });
    return res;
  };
  const resolved = async (identifiers: Id[], extra: Record<string, unknown> = {}) => {
    const res = await resolve(identifiers, extra);
    expect(res.statusCode).toBe(200);
    return res.json() as {
      customer: {
        id: string;
        emails: string[];
        phones: string[];
        first_name: string | null;
        identifiers: Id[];
      };
      created: boolean;
      merged: string[];
      conflicts: Array<{ customer_id: string; reason: string }>;
    };
  };
  const get = async (id: string) =>
    t().omnis.app.inject({ method: 'GET', url: `/v1/customers/${id}`, headers: await t().as('agent') });
  const unique = () => Math.random().toString(36).slice(2, 8);

  it('recognises the same person by a normalized email and phone', async () => {
    const u = unique();
    const first = await resolved([{ type: 'email', value: `  Ana.${u}@Shop.Example ` }], {
      first_name: 'Ana',
    });
    expect(first.created).toBe(true);
    const again = await resolved([
      { type: 'email', value: `ana.${u}@shop.example` },
      { type: 'phone', value: '+34 612 34 56 78'.replace('78', String(10 + (parseInt(u, 36) % 89))) },
    ]);
    expect(again.created).toBe(false);
    expect(again.customer.id).toBe(first.customer.id);
    expect(again.customer.emails).toEqual([`ana.${u}@shop.example`]);
    expect(again.customer.phones[0]).toMatch(/^\+34612345\d{3}$/);
  });

  it('merges two profiles that turn out to be one person, and the old id follows the survivor', async () => {
    const u = unique();
    const byEmail = await resolved([{ type: 'email', value: `lena.${u}@shop.example` }], {
      first_name: 'Lena',
    });
    const byWhatsapp = await resolved(
      [{ type: 'whatsapp', value: `+4915112${String(parseInt(u, 36) % 100000).padStart(5, '0')}` }],
      { last_name: 'Vogel' },
    );
    expect(byWhatsapp.customer.id).not.toBe(byEmail.customer.id);
    const both = await resolved([
      { type: 'email', value: `lena.${u}@shop.example` },
      { type: 'whatsapp', value: byWhatsapp.customer.identifiers[0]!.value },
    ]);
    expect(both.customer.id).toBe(byEmail.customer.id); // the older profile survives
    expect(both.merged).toEqual([byWhatsapp.customer.id]);
    expect(both.customer).toMatchObject({ first_name: 'Lena' });
    const old = await get(byWhatsapp.customer.id);
    expect(old.statusCode).toBe(200);
    expect(old.json()).toMatchObject({
      id: byEmail.customer.id,
      merged_from: byWhatsapp.customer.id,
      last_name: 'Vogel',
    });
    expect(old.headers['content-location']).toBe(`/v1/customers/${byEmail.customer.id}`);
  });

  it('refuses to merge two people who each hold a different verified external id, and says why', async () => {
    const u = unique();
    const a = await resolved([
      { type: 'external_id', value: `crm-a-${u}`, verified: true },
      { type: 'email', value: `a.${u}@shop.example` },
    ]);
    const b = await resolved([
      { type: 'external_id', value: `crm-b-${u}`, verified: true },
      { type: 'phone', value: `+3461${String(parseInt(u, 36) % 10_000_000).padStart(7, '0')}` },
    ]);
    const mixed = await resolved([
      { type: 'email', value: `a.${u}@shop.example` },
      { type: 'phone', value: b.customer.phones[0]! },
    ]);
    expect(mixed.merged).toEqual([]);
    expect(mixed.conflicts).toEqual([
      { customer_id: b.customer.id, reason: 'both hold a different verified external_id' },
    ]);
    expect((await get(a.customer.id)).json().id).toBe(a.customer.id);
    expect((await get(b.customer.id)).json().id).toBe(b.customer.id);
    const log = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers/${b.customer.id}/identity-log`,
      headers: await t().as('agent'),
    });
    expect(log.json().data.map((e: { kind: string }) => e.kind)).toContain('conflict');
    // Staff can still merge them deliberately, but not by accident.
    const manual = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/customers/${a.customer.id}/merge`,
      headers: await t().as('agent'),
      payload: { merge_id: b.customer.id },
    });
    expect(manual.statusCode).toBe(409);
  });

  it('gives an external id that a matched profile cannot take a profile of its own', async () => {
    const u = unique();
    const holder = await resolved([
      { type: 'external_id', value: `shop-${u}-1` },
      { type: 'email', value: `shared.${u}@shop.example` },
    ]);
    const other = await resolved([
      { type: 'external_id', value: `shop-${u}-2` },
      { type: 'email', value: `shared.${u}@shop.example` },
    ]);
    expect(other.created).toBe(true);
    expect(other.customer.id).not.toBe(holder.customer.id);
    expect(other.customer.identifiers.map((i) => i.value)).toEqual([`shop-${u}-2`]);
    // Deterministic: the same input again lands on the same new profile.
    const again = await resolved([
      { type: 'external_id', value: `shop-${u}-2` },
      { type: 'email', value: `shared.${u}@shop.example` },
    ]);
    expect(again.customer.id).toBe(other.customer.id);
  });

  it('never merges two people through a shared device, but claims an anonymous visitor', async () => {
    const u = unique();
    const owner = await resolved([
      { type: 'email', value: `tablet.owner.${u}@shop.example` },
      { type: 'device_id', value: `kiosk-${u}` },
    ]);
    const guest = await resolved([
      { type: 'email', value: `guest.${u}@shop.example` },
      { type: 'device_id', value: `kiosk-${u}` },
    ]);
    expect(guest.customer.id).not.toBe(owner.customer.id);
    expect(guest.conflicts[0]?.reason).toMatch(/shared device/);

    const visitor = await resolved([{ type: 'anonymous_id', value: `anon-${u}` }]);
    const identified = await resolved([
      { type: 'anonymous_id', value: `anon-${u}` },
      { type: 'email', value: `visitor.${u}@shop.example` },
    ]);
    expect(identified.customer.id).toBe(visitor.customer.id);
    expect(identified.customer.emails).toEqual([`visitor.${u}@shop.example`]);
  });

  it('undoes a merge: the merged profile returns with its identifiers and the old id is its own again', async () => {
    const u = unique();
    const a = await resolved([{ type: 'email', value: `undo.a.${u}@shop.example` }], { first_name: 'Olga' });
    const b = await resolved([{ type: 'loyalty_card', value: `LC-${u}` }], { last_name: 'Petrova' });
    const merged = await resolved([
      { type: 'email', value: `undo.a.${u}@shop.example` },
      { type: 'loyalty_card', value: `LC-${u}` },
    ]);
    expect(merged.merged).toEqual([a.customer.id]);
    // A loyalty card outranks an email, so the card's profile survives.
    expect(merged.customer.id).toBe(b.customer.id);

    const res = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/customers/${b.customer.id}/unmerge`,
      headers: await t().as('agent'),
      payload: { merged_id: a.customer.id },
    });
    expect(res.statusCode).toBe(200);
    const { survivor, restored } = res.json();
    expect(restored).toMatchObject({
      id: a.customer.id,
      emails: [`undo.a.${u}@shop.example`],
      first_name: 'Olga',
      status: 'active',
    });
    expect(survivor).toMatchObject({ id: b.customer.id, emails: [], first_name: null, last_name: 'Petrova' });
    expect((await get(a.customer.id)).json().merged_from).toBeNull();
    // Undone once; a second unmerge has nothing to undo.
    const twice = await t().omnis.app.inject({
      method: 'POST',
      url: `/v1/customers/${b.customer.id}/unmerge`,
      headers: await t().as('agent'),
      payload: { merged_id: a.customer.id },
    });
    expect(twice.statusCode).toBe(404);
  });

  const staff = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as('agent'),
      ...(payload ? { payload } : {}),
    });
  const preview = (id: string, mergeId: string) =>
    staff('GET', `/v1/customers/${id}/merge-preview?merge_id=${encodeURIComponent(mergeId)}`);

  it('previews a merge exactly as the merge then does it, and changes nothing by previewing', async () => {
    const u = unique();
    const a = await resolved([{ type: 'email', value: `preview.a.${u}@shop.example` }], {
      first_name: 'Lena',
    });
    const channel = await t().omnis.app.inject({
      method: 'POST',
      url: '/v1/channels',
      headers: await t().as('owner'),
      payload: { kind: 'web', name: `Shop ${u}` },
    });
    const channelId = channel.json().id as string;
    const b = await resolved(
      [
        { type: 'loyalty_card', value: `LC-P-${u}` },
        { type: 'email', value: `preview.b.${u}@shop.example` },
      ],
      { last_name: 'Vogel', locale: 'de-DE', channel_id: channelId },
    );
    await staff('PATCH', `/v1/customers/${a.customer.id}`, { traits: { tier: 'silver' } });
    await staff('PATCH', `/v1/customers/${b.customer.id}`, { traits: { tier: 'gold', pet: 'cat' } });

    const res = await preview(a.customer.id, b.customer.id);
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(plan).toMatchObject({
      survivor_id: a.customer.id,
      merged_id: b.customer.id,
      allowed: true,
      conflict: null,
      fields_filled: { last_name: 'Vogel', locale: 'de-DE' },
      traits_added: ['pet'],
      channels_added: [channelId],
    });
    expect(plan.identifiers_moved.map((i: Id) => i.value).sort()).toEqual(
      [`LC-P-${u}`, `preview.b.${u}@shop.example`].sort(),
    );
    // Previewing changed nothing: b is still its own profile, and no merge is in a's log.
    expect((await get(b.customer.id)).json()).toMatchObject({ id: b.customer.id, merged_from: null });
    const log = await staff('GET', `/v1/customers/${a.customer.id}/identity-log`);
    expect(log.json().data.map((e: { kind: string }) => e.kind)).not.toContain('merged');

    // A preview shows both people's data: it is a read, in the audit log like any other.
    const audit = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/audit?action=customer.merge_preview',
      headers: await t().as('owner'),
    });
    expect(audit.json().data[0]).toMatchObject({
      target_id: a.customer.id,
      data: { merge_id: b.customer.id },
    });

    const merged = await staff('POST', `/v1/customers/${a.customer.id}/merge`, { merge_id: b.customer.id });
    expect(merged.statusCode).toBe(200);
    const pick = (c: Record<string, unknown>) => ({
      first_name: c.first_name,
      last_name: c.last_name,
      locale: c.locale,
      traits: c.traits,
      channels: c.channels,
      emails: (c.emails as string[]).slice().sort(),
      identifiers: (c.identifiers as Array<{ id: string; type: string; value: string }>)
        .map((i) => `${i.id} ${i.type} ${i.value}`)
        .sort(),
    });
    expect(pick(merged.json())).toEqual(pick(plan.result));
    expect(merged.json().traits).toEqual({ tier: 'silver', pet: 'cat' });
  });

  it('previews a refused merge with the reason the merge itself gives', async () => {
    const u = unique();
    const a = await resolved([{ type: 'external_id', value: `crm-pa-${u}`, verified: true }]);
    const b = await resolved([{ type: 'external_id', value: `crm-pb-${u}`, verified: true }]);
    const res = await preview(a.customer.id, b.customer.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      allowed: false,
      conflict: 'both hold a different verified external_id',
    });
    const refused = await staff('POST', `/v1/customers/${a.customer.id}/merge`, { merge_id: b.customer.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain(res.json().conflict);
    // Forcing is a staff decision the preview already describes: b's external id would move.
    expect(res.json().identifiers_moved.map((i: Id) => i.value)).toEqual([`crm-pb-${u}`]);
  });

  it('answers a preview of the same, an unknown or a merged-away profile as the merge would', async () => {
    const u = unique();
    const a = await resolved([{ type: 'email', value: `pv.same.${u}@shop.example` }]);
    const b = await resolved([{ type: 'email', value: `pv.gone.${u}@shop.example` }]);
    const same = await preview(a.customer.id, a.customer.id);
    expect(same.statusCode).toBe(400);
    expect(same.json().errors[0].field).toBe('query.merge_id');
    expect((await preview(a.customer.id, 'cus_nobody')).statusCode).toBe(404);
    expect((await staff('GET', `/v1/customers/${a.customer.id}/merge-preview`)).statusCode).toBe(400);
    await staff('POST', `/v1/customers/${a.customer.id}/merge`, { merge_id: b.customer.id });
    const gone = await preview(a.customer.id, b.customer.id);
    expect(gone.statusCode).toBe(409);
    expect(gone.json().detail).toMatch(/Only active profiles/);
  });

  it('refuses placeholders and malformed emails and phones, naming each field, and creates nothing', async () => {
    const count = async () =>
      Number(
        (
          await t()
            .omnis.database.db.selectFrom('customers')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const res = await resolve([
      { type: 'email', value: 'null' },
      { type: 'anonymous_id', value: 'anonymous' },
      { type: 'device_id', value: '00000000-0000-0000-0000-000000000000' },
      { type: 'email', value: 'not-an-email' },
      { type: 'phone', value: '12' },
      { type: 'Bad Type', value: 'x' },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'body.identifiers.0.value',
      'body.identifiers.1.value',
      'body.identifiers.2.value',
      'body.identifiers.3.value',
      'body.identifiers.4.value',
      'body.identifiers.5.type',
    ]);
    expect(await count()).toBe(before);
  });

  it('creates exactly one profile when the same new person arrives on many channels at once', async () => {
    const u = unique();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => resolved([{ type: 'email', value: `rush.${u}@shop.example` }])),
    );
    expect(new Set(results.map((r) => r.customer.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('finds customers by phone in any format and audits every read of a profile', async () => {
    const u = unique();
    const phone = `+3465${String(parseInt(u, 36) % 10_000_000).padStart(7, '0')}`;
    const c = await resolved([{ type: 'phone', value: phone }], { first_name: `Zoe${u}` });
    const byPhone = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers?q=${encodeURIComponent(phone.replace('+34', '+34 '))}`,
      headers: await t().as('agent'),
    });
    expect(byPhone.json().data.map((x: { id: string }) => x.id)).toEqual([c.customer.id]);
    const byName = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/customers?q=zoe${u}`,
      headers: await t().as('agent'),
    });
    expect(byName.json().data.map((x: { id: string }) => x.id)).toEqual([c.customer.id]);
    await get(c.customer.id);
    const audit = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/audit?action=customer.read`,
      headers: await t().as('owner'),
    });
    expect(audit.json().data.some((e: { target_id: string }) => e.target_id === c.customer.id)).toBe(true);
  });
});
