/**
 * Finding a customer by name as staff type it: any case, with or without accents, Latin or Cyrillic, first name
 * or last name first — the same answers on SQLite and PostgreSQL, through an index, and still right after every
 * kind of change to a name (rectification, resolution, merge, unmerge, erasure, and the migration that adds the
 * keys to existing profiles).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery, Migrator, sql, type Kysely } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import type { Dialect } from '../../platform/db/columns';
import { openDatabase, type DatabaseHandle } from '../../platform/db/database';
import { allMigrations, migrateToLatest } from '../../platform/db/migrator';
import { foldForSearch, idsByNamePrefix } from './customer.repository';

/** A database of the dialect with no migrations applied, and how to throw it away. */
async function emptyDatabase(
  dialect: Dialect,
): Promise<{ handle: DatabaseHandle; dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'omnis-search-'));
    const handle = await openDatabase({ dataDir: dir });
    return {
      handle,
      dispose: async () => (await handle.close(), rmSync(dir, { recursive: true, force: true })),
    };
  }
  const url = process.env.OMNIS_TEST_DATABASE_URL!;
  const schema = `t_search_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const handle = await openDatabase({ databaseUrl: url, dataDir: tmpdir(), pgSchema: schema, pgPoolSize: 2 });
  return {
    handle,
    async dispose() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

describeEachDialect('customer search by name', (t) => {
  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t().omnis.app.inject({
      method,
      url,
      headers: await t().as('owner'),
      ...(payload ? { payload } : {}),
    });
  const create = async (first: string | null, last: string | null, email: string) => {
    const res = await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: email }],
      ...(first ? { first_name: first } : {}),
      ...(last ? { last_name: last } : {}),
    });
    expect(res.statusCode).toBe(200);
    return res.json().customer.id as string;
  };
  const search = async (q: string) => {
    const res = await api('GET', `/v1/customers?q=${encodeURIComponent(q)}&limit=200`);
    expect(res.statusCode).toBe(200);
    return (res.json().data as Array<{ id: string }>).map((c) => c.id).sort();
  };

  it('finds Álvaro by alva, Álva or ÁLVA and Иванов by ива, whichever name comes first', async () => {
    const alvaro = await create('Álvaro', 'García Núñez', 'alvaro.garcia@search.example');
    const plain = await create('Alvaro', 'Sanz', 'alvaro.sanz@search.example');
    const alba = await create('Alba', 'Ortega', 'alba@search.example');
    // Stored decomposed (as some keyboards and macOS file names send it): still the same letters.
    const decomposed = await create('A\u0301ngela', 'Gil', 'angela@search.example');
    const ivanov = await create('Иван', 'Иванов', 'ivan@search.example');
    const yolkina = await create('Алёна', 'Ёлкина', 'alena@search.example');

    const bothAlvaros = [alvaro, plain].sort();
    for (const q of ['alva', 'Álva', 'ÁLVA', 'álva', 'ALVA', ' alva '])
      expect(await search(q), q).toEqual(bothAlvaros);
    expect(await search('alvaro garc')).toEqual([alvaro]);
    expect(await search('garcía')).toEqual([alvaro]);
    expect(await search('garcía núñez álv')).toEqual([alvaro]);
    expect(await search('GARCIA NUNEZ')).toEqual([alvaro]);
    expect(await search('nunez')).toEqual([]); // a prefix of the name, not any word inside it
    expect(await search('alb')).toEqual([alba]);
    expect(await search('ángela')).toEqual([decomposed]);
    expect(await search('angel')).toEqual([decomposed]);
    for (const q of ['ива', 'ИВА', 'Иванов']) expect(await search(q), q).toEqual([ivanov]);
    expect(await search('иванов ив')).toEqual([ivanov]);
    // ё folds to е, as Russian speakers type it.
    expect(await search('елк')).toEqual([yolkina]);
    expect(await search('Ёлк')).toEqual([yolkina]);
    // LIKE wildcards are plain characters here.
    expect(await search('a%')).toEqual([]);
    expect(await search('_lva')).toEqual([]);
  });

  it('keeps the search right through every change of a name: rectification, resolution, merge, unmerge, erasure', async () => {
    // Rectification: the new name is found, the old one no longer.
    const rectified = await create('Oscar', 'Pérez', 'oscar@keys.example');
    await api('PATCH', `/v1/customers/${rectified}`, { first_name: 'Óscar', last_name: 'Peña' });
    expect(await search('oscar pena')).toEqual([rectified]);
    expect(await search('peña óscar')).toEqual([rectified]);
    expect(await search('perez')).toEqual([]);

    // Resolution fills an empty name.
    const anonymous = await create(null, null, 'filled@keys.example');
    expect(await search('zuriñe')).toEqual([]);
    await api('POST', '/v1/customers', {
      identifiers: [{ type: 'email', value: 'filled@keys.example' }],
      first_name: 'Zuriñe',
      last_name: 'Etxeberría',
    });
    expect(await search('zurine etx')).toEqual([anonymous]);

    // A merge fills the survivor's empty last name from the merged profile; an unmerge takes it back.
    const survivor = await create('Íñigo', null, 'inigo@keys.example');
    const merged = await create(null, 'Urquijo', 'urquijo@keys.example');
    expect((await api('POST', `/v1/customers/${survivor}/merge`, { merge_id: merged })).statusCode).toBe(200);
    expect(await search('inigo urq')).toEqual([survivor]);
    expect(await search('urquijo')).toEqual([survivor]); // the merged-away profile is not listed
    expect((await api('POST', `/v1/customers/${survivor}/unmerge`, { merged_id: merged })).statusCode).toBe(
      200,
    );
    expect(await search('urquijo')).toEqual([merged]);
    expect(await search('inigo')).toEqual([survivor]);
    expect(await search('inigo urq')).toEqual([]);

    // Erasure leaves no key behind.
    expect((await api('POST', `/v1/customers/${rectified}/erase`, { confirm: true })).statusCode).toBe(200);
    expect(await search('oscar')).toEqual([]);
    const row = await t()
      .omnis.database.db.selectFrom('customers')
      .select(['search_name', 'search_name_reversed'])
      .where('id', '=', rectified)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ search_name: null, search_name_reversed: null });
  });

  it('keeps the keys right when the first and last name are corrected at the same moment', async () => {
    const id = await create('Begoña', 'Ibáñez', 'race@keys.example');
    for (let round = 0; round < 8; round++) {
      const [first, last] = [`Nérea${round}`, `Zubizarreta${round}`];
      const answers = await Promise.all([
        api('PATCH', `/v1/customers/${id}`, { first_name: first }),
        api('PATCH', `/v1/customers/${id}`, { last_name: last }),
      ]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
      expect(await search(`${foldForSearch(first)} ${foldForSearch(last)}`), `round ${round}`).toEqual([id]);
      expect(await search(`zubizarreta${round} nerea${round}`)).toEqual([id]);
    }
  });

  it('reaches the names through their indexes, not by reading every profile', async () => {
    const { db, dialect } = t().omnis.database;
    const compiled = idsByNamePrefix(db, dialect, 'Álva')!.compile();
    let plan: string;
    if (dialect === 'sqlite') {
      const rows = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
      );
      plan = rows.rows.map((r) => r.detail).join('\n');
      expect(plan).not.toMatch(/SCAN customers/);
    } else {
      // A handful of test rows are cheaper to read whole; forbid that to see whether the index can serve.
      plan = await db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
        );
        return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      expect(plan).not.toMatch(/Seq Scan/);
    }
    expect(plan).toMatch(/customers_search_name_idx/);
    expect(plan).toMatch(/customers_search_name_reversed_idx/);
  });

  it('gives profiles that existed before the search keys their keys when the migration runs', async () => {
    const { handle, dispose } = await emptyDatabase(t().dialect);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema as it was before the keys
    const db = handle.db as unknown as Kysely<any>;
    try {
      const schema =
        handle.dialect === 'postgres'
          ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]!.s
          : undefined;
      const before = new Migrator({
        db,
        provider: { getMigrations: async () => allMigrations() },
        migrationTableName: 'omnis_migrations',
        migrationLockTableName: 'omnis_migrations_lock',
        ...(schema ? { migrationTableSchema: schema } : {}),
      });
      const { error } = await before.migrateTo('2026-11-22-0350-customer-search');
      expect(error).toBeUndefined();
      // More than one batch of the backfill (1,000), some without any name.
      const names: Array<[string | null, string | null]> = [
        ['Álvaro', 'García'],
        ['Иван', 'Иванов'],
        [null, 'Núñez'],
        ['Zoë', null],
        [null, null],
      ];
      const rows = Array.from({ length: 2_503 }, (_, i) => {
        const [first, last] = names[i % names.length]!;
        return {
          id: `cus_legacy${String(i).padStart(5, '0')}`,
          status: 'active',
          merged_into: null,
          first_name: first,
          last_name: last,
          locale: null,
          timezone: null,
          addresses: '[]',
          traits: '{}',
          channels: '[]',
          restricted: 0,
          first_seen_at: 1,
          last_seen_at: 1,
          created_at: 1,
          updated_at: 1,
        };
      });
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('customers')
          .values(rows.slice(i, i + 500))
          .execute();

      await migrateToLatest(db);
      const keys = await db
        .selectFrom('customers')
        .select(['id', 'search_name', 'search_name_reversed'])
        .orderBy('id')
        .execute();
      expect(keys).toHaveLength(rows.length);
      const expected = [
        ['alvaro garcia', 'garcia alvaro'],
        ['иван иванов', 'иванов иван'],
        ['nunez', 'nunez'],
        ['zoe', 'zoe'],
        [null, null],
      ];
      keys.forEach((k, i) =>
        expect([k.search_name, k.search_name_reversed], k.id).toEqual(expected[i % expected.length]),
      );
    } finally {
      await dispose();
    }
  });
});
