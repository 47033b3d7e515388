/**
 * Privacy rights as a data-protection officer checks them: every table with customer data has a privacy
 * handler; an export holds everything; after an erasure the person's email, phone and name are nowhere in the
 * database — every column of every table is searched, on each dialect.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';

describeEachDialect('privacy rights', (t) => {
  const api = async (
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    payload?: object,
    role: 'owner' | 'agent' = 'owner',
    headers: Record<string, string> = {},
  ) =>
    t().omnis.app.inject({
      method,
      url,
      headers: { ...(await t().as(role)), ...headers },
      ...(payload ? { payload } : {}),
    });

  const allTables = async () =>
    (await t().omnis.database.db.introspection.getTables()).filter((table) => !table.isView);

  it('has a privacy handler, or a stated reason for none, for every table', async () => {
    const covered = new Set(
      t()
        .omnis.privacyHandlers()
        .flatMap((h) => h.tables),
    );
    const declaredFree = t().omnis.noCustomerData as Record<string, string>;
    const unclassified = (await allTables())
      .map((table) => table.name)
      .filter((name) => !covered.has(name) && !(name in declaredFree));
    expect(unclassified).toEqual([]);
    for (const name of Object.keys(declaredFree)) expect(covered.has(name)).toBe(false);
  });

  it('erases a person everywhere: no trace of their email, phone or name in any column of any table', async () => {
    const email = 'zephyrine.quixotesca@privacy.example';
    const phone = '+34699112233';
    const secondEmail = 'zq.work@privacy.example';
    const created = await api('POST', '/v1/customers', {
      identifiers: [
        { type: 'email', value: email },
        { type: 'phone', value: phone },
      ],
      first_name: 'Zephyrine',
      last_name: 'Quixotesca',
    });
    expect(created.statusCode).toBe(200);
    const id = created.json().customer.id as string;
    // A second profile that is merged into the first: erasure covers it too.
    const other = await api(
      'POST',
      '/v1/customers',
      { identifiers: [{ type: 'email', value: secondEmail }] },
      'owner',
      { 'idempotency-key': 'privacy-test-1' },
    );
    expect(
      (await api('POST', `/v1/customers/${id}/merge`, { merge_id: other.json().customer.id })).statusCode,
    ).toBe(200);
    // Traces elsewhere: a search in the audit log, a correction event, a webhook copy of the events.
    await api('GET', `/v1/customers?q=${encodeURIComponent(email)}`);
    await api('PATCH', `/v1/customers/${id}`, { traits: { nickname: 'Zephyrine' } });
    await api('POST', '/v1/webhooks', { url: 'https://erp.example.com/hook', event_types: ['*'] });
    await t().omnis.dispatcher.drain();

    const erase = await api('POST', `/v1/customers/${id}/erase`, { confirm: true });
    expect(erase.statusCode).toBe(200);
    expect(erase.json().profiles).toHaveLength(2);

    const { db } = t().omnis.database;
    const found: string[] = [];
    for (const table of await allTables()) {
      for (const column of table.columns) {
        for (const needle of [email, secondEmail, phone, 'Zephyrine', 'Quixotesca']) {
          const hits = await sql<{
            n: number;
          }>`select count(*) as n from ${sql.table(table.name)} where lower(cast(${sql.ref(column.name)} as text)) like ${`%${needle.toLowerCase()}%`}`.execute(
            db,
          );
          if (Number(hits.rows[0]?.n) > 0) found.push(`${table.name}.${column.name} contains ${needle}`);
        }
      }
    }
    expect(found).toEqual([]);
    // The person is gone from the API too; the erasure itself is recorded.
    expect((await api('GET', `/v1/customers/${id}`)).statusCode).toBe(404);
    const again = await api('POST', `/v1/customers/${id}/erase`, { confirm: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/already been erased/);
  });

  it('exports everything about a person, merged profiles included', async () => {
    const a = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'export.me@privacy.example' }],
      first_name: 'Ines',
    });
    const b = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'loyalty_card', value: 'LC-EXPORT-1' }],
    });
    await api('POST', `/v1/customers/${a.json().customer.id}/merge`, { merge_id: b.json().customer.id });
    const res = await api('GET', `/v1/customers/${a.json().customer.id}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const archive = res.json();
    expect(archive.merged_profiles).toEqual([b.json().customer.id]);
    const values = archive.data.customers.identifiers.map((i: { value: string }) => i.value);
    expect(values).toEqual(expect.arrayContaining(['export.me@privacy.example', 'LC-EXPORT-1']));
    expect(archive.data.customers.profiles.map((p: { first_name: string | null }) => p.first_name)).toContain(
      'Ines',
    );
    expect(archive.data.platform.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['customer.created', 'customer.merged']),
    );
    const audit = await api('GET', `/v1/audit?action=customer.export`);
    expect(audit.json().data[0].target_id).toBe(a.json().customer.id);
  });

  it('answers an unknown person clearly and lets only owners and admins erase', async () => {
    const unknown = await api('POST', '/v1/customers/cus_nobody/erase', { confirm: true });
    expect(unknown.statusCode).toBe(404);
    const c = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'keep.me@privacy.example' }],
    });
    const byAgent = await api(
      'POST',
      `/v1/customers/${c.json().customer.id}/erase`,
      { confirm: true },
      'agent',
    );
    expect(byAgent.statusCode).toBe(403);
    const unconfirmed = await api('POST', `/v1/customers/${c.json().customer.id}/erase`, { confirm: false });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().errors[0].field).toBe('body.confirm');
    expect((await api('GET', `/v1/customers/${c.json().customer.id}`)).json().emails).toEqual([
      'keep.me@privacy.example',
    ]);
  });

  it('restricts processing and lifts the restriction', async () => {
    const c = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'pause.me@privacy.example' }],
    });
    const id = c.json().customer.id;
    expect((await api('POST', `/v1/customers/${id}/restrict`, { restricted: true })).statusCode).toBe(204);
    expect((await api('GET', `/v1/customers/${id}`)).json().restricted).toBe(true);
    expect((await api('POST', `/v1/customers/${id}/restrict`, { restricted: false })).statusCode).toBe(204);
    expect((await api('GET', `/v1/customers/${id}`)).json().restricted).toBe(false);
  });

  it('keeps an erased person from being re-created by a later import only when they asked for it', async () => {
    const suppressed = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'forget.me@privacy.example' }],
    });
    await api('POST', `/v1/customers/${suppressed.json().customer.id}/erase`, {
      confirm: true,
      suppress: true,
    });
    const reimport = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'Forget.Me@privacy.example' }],
    });
    expect(reimport.statusCode).toBe(422);
    expect(reimport.json().detail).toMatch(/asked to be erased/);
    // The list holds only hashes: the email itself is nowhere.
    const rows = await t().omnis.database.db.selectFrom('privacy_suppressions').select('hash').execute();
    expect(JSON.stringify(rows)).not.toContain('forget.me');

    const plain = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'erase.only@privacy.example' }],
    });
    await api('POST', `/v1/customers/${plain.json().customer.id}/erase`, { confirm: true });
    const back = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'erase.only@privacy.example' }],
    });
    expect(back.statusCode).toBe(200);
    expect(back.json().created).toBe(true);
  });
});
