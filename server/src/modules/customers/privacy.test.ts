/**
 * Privacy rights as a data-protection officer checks them: every table with customer data has a privacy
 * handler; an export holds everything; after an erasure the person's email, phone and name are nowhere in the
 * database — every column of every table is searched, on each dialect.
 */
import { parse } from 'csv-parse/sync';
import { unzipSync, strFromU8 } from 'fflate';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';

/** A JSON value as the export's CSV files write it: the contract the archive's README states. */
const asCell = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : typeof value === 'string'
      ? value
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);

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

  // Kysely lists the tables of every PostgreSQL schema: keep this file's own, not those of test files running
  // beside it (which may create tables of their own).
  const allTables = async () => {
    const { db, dialect } = t().omnis.database;
    const own =
      dialect === 'postgres'
        ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!.schema
        : undefined;
    return (await db.introspection.getTables()).filter(
      (table) => !table.isView && (own === undefined || table.schema === own),
    );
  };

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

  it('hands over a ZIP whose CSV files read back to exactly the rows of the JSON, awkward text included', async () => {
    const awkward = {
      first_name: 'Zoë "Zo"',
      last_name: 'Иванова, Núñez',
      addresses: [{ line1: 'Calle Mayor, 3\n2º izq.', city: 'Málaga', note: 'ring "twice"' }],
      traits: { note: 'Says "hola", then\r\nleaves; ünïcödé ✓', tier: 'gold' },
    };
    const c = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'zoe.csv@privacy.example' }],
      first_name: awkward.first_name,
      last_name: awkward.last_name,
    });
    const id = c.json().customer.id as string;
    await api('PATCH', `/v1/customers/${id}`, { addresses: awkward.addresses, traits: awkward.traits });
    const consent = await api('POST', `/v1/customers/${id}/consents`, {
      consents: [
        {
          purpose: 'marketing',
          channel: 'sms',
          status: 'granted',
          source: { type: 'staff' },
          evidence: { wording: 'Sí, quiero "ofertas",\nde verdad — Да, хочу', version: 'v1,2' },
        },
      ],
    });
    expect(consent.statusCode).toBe(201);

    const res = await api('GET', `/v1/customers/${id}/export?format=zip`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${id}-export.zip"`);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const archive = JSON.parse(strFromU8(files['export.json']!)) as {
      customer_id: string;
      data: Record<string, Record<string, Array<Record<string, unknown>>>>;
    };
    expect(archive.customer_id).toBe(id);
    expect(files['README.txt']).toBeDefined();

    // Every table with rows has its CSV, and nothing else is in the archive.
    const tables = Object.entries(archive.data).flatMap(([section, byTable]) =>
      Object.entries(byTable)
        .filter(([, rows]) => rows.length > 0)
        .map(([table, rows]) => ({ file: `${section}/${table}.csv`, rows })),
    );
    expect(Object.keys(files).sort()).toEqual(
      ['README.txt', 'export.json', ...tables.map((x) => x.file)].sort(),
    );
    expect(tables.map((x) => x.file)).toEqual(
      expect.arrayContaining([
        'customers/profiles.csv',
        'customers/identifiers.csv',
        'customers/identity_log.csv',
        'consent/consent_history.csv',
        'platform/events.csv',
      ]),
    );
    for (const { file, rows } of tables) {
      // UTF-8 with a byte order mark, so spreadsheet programs read accents and Cyrillic right.
      expect([...files[file]!.subarray(0, 3)], file).toEqual([0xef, 0xbb, 0xbf]);
      const text = strFromU8(files[file]!);
      const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      const parsed = parse(text, { bom: true, columns: true }) as Array<Record<string, string>>;
      expect(parsed, file).toEqual(
        rows.map((r) => Object.fromEntries(columns.map((col) => [col, asCell(r[col])]))),
      );
    }

    // The awkward values themselves, read from the CSV as a spreadsheet would.
    const profiles = parse(strFromU8(files['customers/profiles.csv']!), {
      bom: true,
      columns: true,
    }) as Array<Record<string, string>>;
    expect(profiles[0]).toMatchObject({ first_name: awkward.first_name, last_name: awkward.last_name });
    expect(JSON.parse(profiles[0]!.addresses!)).toEqual(awkward.addresses);
    expect(JSON.parse(profiles[0]!.traits!)).toEqual(awkward.traits);
    const history = parse(strFromU8(files['consent/consent_history.csv']!), {
      bom: true,
      columns: true,
    }) as Array<Record<string, string>>;
    expect(JSON.parse(history[0]!.evidence!)).toMatchObject({
      wording: 'Sí, quiero "ofertas",\nde verdad — Да, хочу',
      version: 'v1,2',
    });
    expect(strFromU8(files['customers/profiles.csv']!)).toContain('"Иванова, Núñez"');

    // The JSON download holds the same data, and both downloads are in the audit log with their format.
    const json = await api('GET', `/v1/customers/${id}/export`);
    expect(json.headers['content-type']).toContain('application/json');
    const { access_log: laterLog, ...laterPlatform } = json.json().data.platform;
    const { access_log: log, ...platform } = archive.data.platform!;
    expect({ ...json.json().data, platform: laterPlatform }).toEqual({ ...archive.data, platform });
    expect(laterLog).toHaveLength(log!.length + 1); // the ZIP download itself
    const audit = (await api('GET', `/v1/audit?action=customer.export`)).json().data as Array<{
      target_id: string;
      data: { format: string };
    }>;
    expect(audit.filter((e) => e.target_id === id).map((e) => e.data.format)).toEqual(['json', 'zip']);

    const bad = await api('GET', `/v1/customers/${id}/export?format=xlsx`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('query.format');
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

  it('lets the contact centre restrict processing and lift it, without the power to erase', async () => {
    const c = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'pause.me@privacy.example' }],
    });
    const id = c.json().customer.id;
    const restrict = (restricted: boolean, role: 'owner' | 'agent') =>
      api('POST', `/v1/customers/${id}/restrict`, { restricted }, role);
    expect((await restrict(true, 'agent')).statusCode).toBe(204);
    expect((await api('GET', `/v1/customers/${id}`)).json().restricted).toBe(true);
    // Restriction is its own permission: the agent who may pause processing still may not erase.
    expect((await api('POST', `/v1/customers/${id}/erase`, { confirm: true }, 'agent')).statusCode).toBe(403);
    expect((await restrict(false, 'owner')).statusCode).toBe(204);
    expect((await api('GET', `/v1/customers/${id}`)).json().restricted).toBe(false);
    for (const role of ['associate', 'marketer', 'analyst'] as const) {
      const refused = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/customers/${id}/restrict`,
        headers: await t().as(role),
        payload: { restricted: true },
      });
      expect(refused.statusCode, role).toBe(403);
      expect(refused.json().permission).toBe('customers:restrict');
    }
    const audit = (await api('GET', '/v1/audit?action=customer.restrict')).json().data as Array<{
      target_id: string;
    }>;
    expect(audit.filter((e) => e.target_id === id)).toHaveLength(2);
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
