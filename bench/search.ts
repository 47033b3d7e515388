/**
 * @module Search benchmark: customer search (`GET /v1/customers?q=`) by exact email, by phone written another
 * way, and by name prefix, over HTTP on a real Omnis holding a million profiles, next to the raw indexed
 * identifier lookup in the same database in the same run — so the figures say what the list query, its page of
 * identifiers, auth, audit and HTTP cost on top of the one index probe every search needs. It also prints the
 * database's query plan for each search, so a full scan shows up as plainly as a slow figure.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  CompiledQuery,
  createQueryId,
  type Insertable,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { buildApp, type OmnisApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { encodeBool, encodeJson } from '../server/src/platform/db/codecs';
import type { Dialect } from '../server/src/platform/db/columns';
import type { Db } from '../server/src/platform/db/database';
import { migrateToLatest } from '../server/src/platform/db/migrator';
import { systemActor } from '../server/src/platform/auth/principal';
import { newId } from '../server/src/platform/ids';
import {
  createCustomersService,
  foldForSearch,
  nameSearchColumns,
  type Customer,
  type CustomersTables,
} from '../server/src/modules/customers';
import type { HttpBenchOptions } from './http';
import { freshDatabase } from './database';
import { seededRandom } from '../server/src/demo/prng';

export interface SearchBenchOptions extends HttpBenchOptions {
  /** How many profiles to load before measuring (default 1,000,000). */
  profiles?: number | undefined;
}

const HOST = '127.0.0.1'; // loopback only
/** Profiles per transaction while loading. */
const CHUNK = 5_000;
/** Rows per INSERT statement: keeps the bound parameters under SQLite's and PostgreSQL's limits. */
const CUSTOMER_ROWS_PER_STATEMENT = 1_000;
const IDENTIFIER_ROWS_PER_STATEMENT = 2_000;
/** Profiles remembered while loading, to search for later. */
const SAMPLES = 2_000;
/** Searches checked for the right answer before the load starts, per kind. */
const CHECKS = 25;
const LOYALTY_SHARE = 0.3;

// A few hundred names as they are written in Spain, accents included: search must cope with real data.
const FIRST_NAMES =
  `Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús Alejandro Miguel Rafael
Pablo Pedro Ángel Sergio Fernando Jorge Luis Alberto Álvaro Diego Adrián Raúl Enrique Ramón Vicente Iván Rubén
Óscar Andrés Joaquín Santiago Eduardo Víctor Roberto Jaime Mario Ignacio Marcos Alfonso Hugo Salvador Ricardo
Emilio Guillermo Gabriel Julián Julio Marc Tomás Agustín Gonzalo Félix Lucas Nicolás Martín Samuel Héctor Mateo
Leo Izan Bruno Aitor Unai Iker Pau Jordi Xavier Josep Oriol María Carmen Ana Isabel Laura Cristina Marta Lucía
Francisca Dolores Antonia Elena Sara Paula Pilar Raquel Manuela Mercedes Beatriz Rosa Silvia Julia Nuria Patricia
Irene Rocío Andrea Encarnación Montserrat Mónica Alba Rosario Sonia Sandra Teresa Alicia Marina Yolanda Susana
Margarita Natalia Inmaculada Claudia Eva Esther Noelia Ángela Verónica Carolina Nerea Sofía Amparo Inés Daniela
Lorena Victoria Miriam Eugenia Valeria Martina Olga Celia Gloria Aurora Lidia Emma Noa Carla Vega Chloe Olivia
Aitana Ainhoa Leire Maite Núria Laia Judith Begoña Asunción Concepción Estefanía Gemma Ariadna Blanca Adriana
Ximena Camila Valentina Luna Abril Alma Jimena Candela Zoe`.split(/\s+/);
const LAST_NAMES = `García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz
Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez
Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido
Cortés Castillo Santos Lozano Guerrero Cano Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña
Flores Cabrera Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero Lorenzo
Montero Hidalgo Giménez Ibáñez Ferrer Durán Santiago Benítez Mora Vicente Vargas Arias Carmona Crespo Román
Pastor Soto Sáez Velasco Moya Soler Parra Esteban Bravo Gallardo Rojas Pardo Merino Franco Espinosa Izquierdo
Lara Rivas Silva Rivera Casado Arroyo Redondo Camacho Rey Vera Otero Luque Galán Montes Ríos Sierra Segura
Carrillo Marcos Marti Soriano Mendoza Robles Bernal Vila Valero Palacios Pereira Exposito Benito Andrés Varela
Macías Heredia Roldán Bueno Mateo Villar Contreras Miranda Guerra Salazar Mesa Aguirre Pons Quintana Ortuño
Zamora Olivares Rosales Echeverría Etxeberria Garay Urrutia Puig Roca Font Costa Serra Castells Llorente`.split(
  /\s+/,
);
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'correo.example', 'mail.example'];
const CITIES = [
  ['Madrid', '28013'],
  ['Barcelona', '08002'],
  ['Valencia', '46002'],
  ['Sevilla', '41004'],
  ['Bilbao', '48001'],
  ['Málaga', '29015'],
] as const;

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
const ascii = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** A profile remembered while loading, to search for and to check the answer against. */
interface Sample {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  /** E.164, as stored. */
  phone: string;
}

/**
 * Spanish mobile numbers (+34 6 and eight digits), distinct for every profile: multiplying by a number coprime
 * with 10^8 permutes the eight digits.
 */
const phoneOf = (i: number) => `+346${String((i * 48_271 + 1_234_567) % 100_000_000).padStart(8, '0')}`;

/** "+34612345678" → "+34 612 34 56 78", the way a person types it into a search box. */
const spaced = (e164: string) =>
  `${e164.slice(0, 3)} ${e164.slice(3, 6)} ${e164.slice(6, 8)} ${e164.slice(8, 10)} ${e164.slice(10)}`;

/** Writes a progress line on stderr: rewritten in place on a terminal, every 10% otherwise. */
function progressReporter(total: number): (done: number, rows: number, ms: number) => void {
  let lastDecile = -1;
  return (done, rows, ms) => {
    const pct = (done / total) * 100;
    const line = `  loading ${pct.toFixed(0).padStart(3)}%  ${num(done)} / ${num(total)} profiles  ${num((rows / ms) * 1000)} rows/s`;
    if (process.stderr.isTTY) {
      process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
    } else if (Math.floor(pct / 10) > lastDecile) {
      lastDecile = Math.floor(pct / 10);
      process.stderr.write(`${line}\n`);
    }
  };
}

/**
 * Loads `total` profiles straight into the tables, in transactions of CHUNK profiles with multi-row inserts:
 * each has a first and last name, one email, one mobile phone and, for 30%, a loyalty card. Returns the rows
 * written, the time taken and SAMPLES profiles spread over the whole range to search for.
 */
async function loadProfiles(
  db: Db,
  total: number,
): Promise<{ customers: number; identifiers: number; ms: number; samples: Sample[] }> {
  const next = seededRandom(20_261_122);
  const report = progressReporter(total);
  const now = Date.now();
  const threeYears = 3 * 365 * 86_400_000;
  const samples: Sample[] = [];
  const sampleEvery = Math.max(1, Math.floor(total / SAMPLES));
  let identifiers = 0;
  const started = performance.now();
  for (let from = 0; from < total; from += CHUNK) {
    const customers: Array<Insertable<CustomersTables['customers']>> = [];
    const ids: Array<Insertable<CustomersTables['customer_identifiers']>> = [];
    for (let i = from; i < Math.min(from + CHUNK, total); i++) {
      const id = newId('cus');
      const firstName = pick(next, FIRST_NAMES);
      const lastName = pick(next, LAST_NAMES);
      const firstSeen = Math.floor(now - next() * threeYears);
      const lastSeen = Math.floor(firstSeen + next() * (now - firstSeen));
      const email = `${ascii(firstName)}.${ascii(lastName)}${i}@${pick(next, EMAIL_DOMAINS)}`;
      const phone = phoneOf(i);
      const loyal = next() < LOYALTY_SHARE;
      const city = pick(next, CITIES);
      customers.push({
        id,
        status: 'active',
        merged_into: null,
        first_name: firstName,
        last_name: lastName,
        ...nameSearchColumns(firstName, lastName),
        locale: next() < 0.85 ? 'es-ES' : 'en-GB',
        timezone: 'Europe/Madrid',
        addresses: encodeJson(
          next() < 0.5
            ? [{ line1: `Calle Mayor ${1 + (i % 120)}`, city: city[0], postal_code: city[1], country: 'ES' }]
            : [],
        ),
        traits: encodeJson(loyal ? { tier: next() < 0.2 ? 'gold' : 'silver' } : {}),
        channels: encodeJson([]),
        restricted: encodeBool(false),
        first_seen_at: firstSeen,
        last_seen_at: lastSeen,
        created_at: firstSeen,
        updated_at: lastSeen,
      });
      const identifier = (type: string, value: string, verified: boolean) => ({
        id: newId('cid'),
        customer_id: id,
        type,
        value,
        verified: encodeBool(verified),
        source_channel_id: null,
        first_seen_at: firstSeen,
        last_seen_at: lastSeen,
      });
      ids.push(identifier('email', email, next() < 0.7), identifier('phone', phone, next() < 0.4));
      if (loyal) ids.push(identifier('loyalty_card', `ES${String(7_000_000_000 + i)}`, true));
      if (i % sampleEvery === 0 && samples.length < SAMPLES)
        samples.push({ id, firstName, lastName, email, phone });
    }
    await db.transaction().execute(async (trx) => {
      for (let k = 0; k < customers.length; k += CUSTOMER_ROWS_PER_STATEMENT)
        await trx
          .insertInto('customers')
          .values(customers.slice(k, k + CUSTOMER_ROWS_PER_STATEMENT))
          .execute();
      for (let k = 0; k < ids.length; k += IDENTIFIER_ROWS_PER_STATEMENT)
        await trx
          .insertInto('customer_identifiers')
          .values(ids.slice(k, k + IDENTIFIER_ROWS_PER_STATEMENT))
          .execute();
    });
    identifiers += ids.length;
    const done = Math.min(from + CHUNK, total);
    report(done, done + identifiers, performance.now() - started);
  }
  return { customers: total, identifiers, ms: performance.now() - started, samples };
}

/** One kind of search: what is typed into the box, and how to tell a right answer from a wrong one. */
interface SearchKind {
  label: string;
  /** Search texts with the profile each must find (email, phone) or null when any match will do (names). */
  targets: Array<{ q: string; expect: Sample | null }>;
  /** Why a returned customer does not belong in the answer, or null when it does. */
  wrong(q: string, customer: Customer, expect: Sample | null): string | null;
}

/** Whether a customer's name starts with the search text, ignoring case and accents (as the search does). */
const nameStartsWith = (c: Customer, q: string) => {
  const [first, last, key] = [c.first_name ?? '', c.last_name ?? '', foldForSearch(q)];
  return [first, last, `${first} ${last}`, `${last} ${first}`].some((n) => foldForSearch(n).startsWith(key));
};

function searchKinds(samples: Sample[]): SearchKind[] {
  // Typed the way people type: as written, in lower case without accents, in capitals ("Álv", "alv", "ÁLV").
  const prefixes = [
    ...new Set(
      samples.map((s, i) => {
        const prefix = (i % 2 ? s.lastName : s.firstName).slice(0, 3 + (i % 2));
        return [prefix, ascii(prefix), prefix.toUpperCase()][i % 3]!;
      }),
    ),
  ];
  return [
    {
      label: 'q=<email>',
      targets: samples.map((s) => ({ q: s.email, expect: s })),
      wrong: (_q, c, expect) => (c.id === expect?.id ? null : `${c.id} (${c.emails.join(', ')})`),
    },
    {
      label: 'q=<phone, +34 6xx xx xx xx>',
      targets: samples.map((s) => ({ q: spaced(s.phone), expect: s })),
      wrong: (_q, c, expect) => (c.id === expect?.id ? null : `${c.id} (${c.phones.join(', ')})`),
    },
    {
      label: 'q=<name prefix, 3-4 letters, any case and accents>',
      targets: prefixes.map((q) => ({ q, expect: null })),
      wrong: (q, c) => (nameStartsWith(c, q) ? null : `${c.id} (${c.first_name} ${c.last_name})`),
    },
  ];
}

/** GET /v1/customers?q= for a few targets of each kind; throws on an error, an empty answer or a wrong customer. */
async function checkAnswers(base: string, headers: Record<string, string>, kinds: SearchKind[]) {
  for (const kind of kinds) {
    for (const { q, expect } of kind.targets.slice(0, CHECKS)) {
      const res = await fetch(`${base}/v1/customers?q=${encodeURIComponent(q)}`, { headers });
      if (res.status !== 200)
        throw new Error(`${kind.label} "${q}" answered HTTP ${res.status}: ${await res.text()}`);
      const { data } = (await res.json()) as { data: Customer[] };
      if (data.length === 0) throw new Error(`${kind.label} "${q}" found nobody.`);
      for (const customer of data) {
        const why = kind.wrong(q, customer, expect);
        if (why) throw new Error(`${kind.label} "${q}" returned the wrong customer ${why}.`);
      }
      if (expect && data.length !== 1)
        throw new Error(`${kind.label} "${q}" returned ${data.length} customers instead of one.`);
    }
  }
}

/**
 * Names with accents (Álvaro, Óscar, Núñez): whether a search by their first letters finds them however the
 * letters are typed — as written, without accents, in capitals. Returns the searches that found nobody.
 */
async function accentedMisses(base: string, headers: Record<string, string>): Promise<string[]> {
  const misses: string[] = [];
  const accented = [...FIRST_NAMES, ...LAST_NAMES].filter(
    (n) => n !== ascii(n).replace(/^./, (c) => c.toUpperCase()),
  );
  const prefixes = new Set(
    accented.flatMap((n) => [n.slice(0, 4), ascii(n.slice(0, 4)), n.slice(0, 4).toUpperCase()]),
  );
  for (const q of prefixes) {
    const res = await fetch(`${base}/v1/customers?q=${encodeURIComponent(q)}&limit=1`, { headers });
    const { data } = (await res.json()) as { data: Customer[] };
    if (data.length === 0) misses.push(q);
  }
  return misses;
}

/** Records the queries run through a Kysely instance, to explain the exact SQL a service sends. */
function queryRecorder(): { plugin: KyselyPlugin; queries: RootOperationNode[] } {
  const queries: RootOperationNode[] = [];
  return {
    queries,
    plugin: {
      transformQuery(args: PluginTransformQueryArgs) {
        queries.push(args.node);
        return args.node;
      },
      transformResult: (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> =>
        Promise.resolve(args.result),
    },
  };
}

interface Plan {
  lines: string[];
  /** Plan lines that read every row of a table or index. */
  fullScans: string[];
  /** Mean time of the list query alone, run directly. */
  queryMs: number;
}

/**
 * The plan of the profile query `listCustomers({ q })` sends for this search text (its follow-up fetch of the
 * page's identifiers is by customer_id and not explained), and how long that query takes on its own.
 */
async function explain(omnis: OmnisApp, dialect: Dialect, q: string): Promise<{ sql: string; plan: Plan }> {
  const { db } = omnis.database;
  const recorder = queryRecorder();
  const customers = createCustomersService({
    db: db.withPlugin(recorder.plugin),
    dialect,
    events: omnis.services.events,
  });
  await customers.listCustomers({ q });
  // The recorder also sees the identifier subquery as it is built; the profile query is the one over customers.
  const compiled = recorder.queries
    .map((node) => db.getExecutor().compileQuery(node, createQueryId()))
    .find((query) => query.sql.startsWith('select * from "customers"'));
  if (!compiled) throw new Error('listCustomers ran no query over customers.');
  const run = (text: string) =>
    db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, [...compiled.parameters]));
  let lines: string[];
  let fullScans: string[];
  if (dialect === 'sqlite') {
    // EXPLAIN QUERY PLAN rows form a tree through id/parent.
    const rows = (await run(`explain query plan ${compiled.sql}`)).rows as Array<{
      id: number;
      parent: number;
      detail: string;
    }>;
    const depth = new Map<number, number>([[0, 0]]);
    lines = rows.map((r) => {
      const d = (depth.get(r.parent) ?? 0) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d)}${r.detail}`;
    });
    // SEARCH uses an index to reach the matching rows; SCAN reads a whole table or a whole index. A SEARCH on
    // the status index by status alone is one too: nearly every profile is active, so it walks them all.
    fullScans = lines.filter(
      (l) =>
        /^\s*SCAN (customers|customer_identifiers)\b/.test(l) ||
        /^\s*SEARCH customers USING (COVERING )?INDEX customers_status_idx \(status=\?\)$/.test(l),
    );
  } else {
    const rows = (await run(`explain (analyze, buffers) ${compiled.sql}`)).rows;
    lines = rows.map((r) => `  ${String(r['QUERY PLAN'])}`);
    // A sequential scan reads the whole table; an index walk that throws most rows away (the status index in id
    // order, filtered by the search) does the same work in another order.
    const removed = (l: string) => Number(/Rows Removed by Filter: (\d+)/.exec(l)?.[1] ?? 0);
    fullScans = lines.filter(
      (l) => /Seq Scan on (customers|customer_identifiers)\b/.test(l) || removed(l) >= 10_000,
    );
  }
  // Up to 20 runs, fewer when each takes long: a slow plan needs no more rounds to show it.
  let rounds = 0;
  const started = performance.now();
  while (rounds < 20 && (rounds === 0 || performance.now() - started < 2_000)) {
    await db.executeQuery(compiled);
    rounds++;
  }
  return { sql: compiled.sql, plan: { lines, fullScans, queryMs: (performance.now() - started) / rounds } };
}

interface Measurement {
  label: string;
  perSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  count: number;
  /** Requests with no answer within autocannon's 10 s timeout (counted, not failed: a slow plan shows here). */
  timeouts: number | null;
}

/**
 * Waits until the server has worked off what autocannon left behind: requests of closed connections are still
 * answered, and on a slow search their queue outlives the run. Idle means three quick answers in a row.
 */
async function settle(base: string, headers: Record<string, string>): Promise<void> {
  const until = Date.now() + 300_000;
  for (let quick = 0; quick < 3 && Date.now() < until;) {
    const started = performance.now();
    await fetch(`${base}/v1/me`, { headers });
    quick = performance.now() - started < 50 ? quick + 1 : 0;
  }
}

/**
 * Loads one search kind over HTTP: a discarded warm-up, then the measured run. Each request picks a random
 * target through a setupRequest file, since functions cannot cross into autocannon's worker thread.
 */
async function measureHttp(
  base: string,
  headers: Record<string, string>,
  kind: SearchKind,
  dataDir: string,
  options: SearchBenchOptions,
): Promise<Measurement> {
  const file = path.join(dataDir, `targets-${randomBytes(4).toString('hex')}.cjs`);
  const paths = kind.targets.map((t) => `/v1/customers?q=${encodeURIComponent(t.q)}`);
  writeFileSync(
    file,
    `const paths = ${JSON.stringify(paths)};\n` +
      'module.exports = (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] });\n',
  );
  const load = (duration: number) =>
    autocannon({
      url: base,
      headers,
      requests: [{ method: 'GET', setupRequest: file }],
      connections: options.connections,
      duration,
      workers: 1,
    });
  await load(options.warmupS);
  await settle(base, headers);
  const result = await load(options.durationS);
  // Timeouts are a result (the search was too slow to answer); refused connections and errors are not.
  if (result.errors > result.timeouts || result.non2xx > 0)
    throw new Error(
      `${kind.label}: ${result.errors - result.timeouts} connection errors and ${result.non2xx} non-2xx answers; the figures would be meaningless.`,
    );
  await settle(base, headers);
  return {
    label: `Omnis GET /v1/customers ${kind.label}`,
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    count: result['2xx'],
    timeouts: result.timeouts,
  };
}

/**
 * The baseline: `select customer_id from customer_identifiers where value = ?` for the sampled emails, in a
 * tight loop through Kysely for the same duration. One query at a time on SQLite (its driver is synchronous, so
 * more would only interleave); on PostgreSQL as many at a time as the pool holds, as the server can.
 */
async function measureRawLookup(db: Db, emails: string[], dialect: Dialect, options: SearchBenchOptions) {
  const concurrency = dialect === 'sqlite' ? 1 : 10;
  let missing = 0;
  const loop = async (seconds: number) => {
    let count = 0;
    let i = 0;
    const until = performance.now() + seconds * 1000;
    const worker = async (offset: number) => {
      while (performance.now() < until) {
        const row = await db
          .selectFrom('customer_identifiers')
          .select('customer_id')
          .where('value', '=', emails[(offset + i++) % emails.length]!)
          .executeTakeFirst();
        if (!row) missing++;
        count++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, (_, k) => worker(k * 97)));
    return { count, ms: performance.now() - started };
  };
  await loop(options.warmupS);
  const { count, ms } = await loop(options.durationS);
  if (missing > 0) throw new Error(`The raw lookup missed ${missing} stored emails.`);
  return {
    label: `raw Kysely lookup, customer_identifiers.value = ? (${concurrency} at a time)`,
    perSecond: (count / ms) * 1000,
    p50Ms: null,
    p99Ms: null,
    count,
    timeouts: null,
  };
}

const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(rows: Measurement[]): string {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'timeouts'];
  const cells = rows.map((r) => [
    r.label,
    num(r.perSecond),
    r.p50Ms === null ? '-' : num(r.p50Ms),
    r.p99Ms === null ? '-' : num(r.p99Ms),
    num(r.count),
    r.timeouts === null ? '-' : num(r.timeouts),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export const searchBenchmark = {
  description:
    'customer search by email, phone and name prefix over HTTP on 1M profiles vs the raw index lookup',
  async run(options: SearchBenchOptions): Promise<void> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'omnis-bench-'));
    const database = await freshDatabase(dataDir, options.databaseUrl).catch((err: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
    let omnis: OmnisApp | undefined;
    const out = (text: string) => process.stdout.write(`${text}\n`);
    const profiles = options.profiles ?? 1_000_000;
    try {
      const { db, dialect } = database.handle;
      await migrateToLatest(db);
      const cpus = os.cpus();
      out(
        [
          'Search benchmark: GET /v1/customers?q= by email, phone and name prefix vs the raw identifier lookup',
          `  machine   node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}`,
          `            load average ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')} before the run`,
          `  load      ${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s measured per target, loopback`,
          `  database  ${database.description}`,
          `  data      ${num(profiles)} profiles: first + last name, 1 email, 1 mobile phone, ${LOYALTY_SHARE * 100}% a loyalty card`,
          '',
        ].join('\n'),
      );
      const loaded = await loadProfiles(db, profiles);
      const rows = loaded.customers + loaded.identifiers;
      let size = '';
      if (dialect === 'sqlite') {
        const bytes = statSync(database.handle.location).size;
        size = `, ${num(bytes / 1024 ** 2)} MB on disk`;
      } else {
        // Autovacuum would analyze these tables within a minute of such a load; do it now so plans are stable.
        await db.executeQuery(CompiledQuery.raw('analyze customers, customer_identifiers'));
        size = ', then ANALYZE';
      }
      out(
        `  loaded    ${num(loaded.customers)} profiles + ${num(loaded.identifiers)} identifiers in ${num(loaded.ms / 1000, 1)} s ` +
          `(${num((rows / loaded.ms) * 1000)} rows/s, ${CHUNK} profiles per transaction)${size}`,
      );

      const config = loadConfig({
        env: {},
        file: path.join(dataDir, 'omnis.config.json'), // absent: defaults only, whatever the cwd holds
        overrides: { host: HOST, port: 0, dataDir, databaseUrl: options.databaseUrl, logLevel: 'silent' },
      });
      omnis = await buildApp(config, { database: database.handle, logger: false });
      const email = 'bench-agent@omnis.local';
      const password = randomBytes(12).toString('base64url');
      await omnis.services.users.createUser(
        { email, name: 'Bench Agent', role: 'agent', password },
        null,
        systemActor,
      );
      const base = await omnis.app.listen({ host: HOST, port: 0 });
      const login = await fetch(`${base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (login.status !== 200)
        throw new Error(`Sign-in failed with HTTP ${login.status}: ${await login.text()}`);
      const { token } = (await login.json()) as { token: string };
      const headers = { authorization: `Bearer ${token}` };

      const kinds = searchKinds(loaded.samples);
      await checkAnswers(base, headers, kinds);
      out(
        `  checked   ${CHECKS} searches of each kind over HTTP: each email and phone found exactly its profile, ` +
          'each name prefix only matching names',
      );
      const misses = await accentedMisses(base, headers);
      out(
        misses.length
          ? `  MISSED    accented names searched as written, without accents or in capitals: ${misses.map((m) => `"${m}"`).join(', ')} found nobody`
          : '  checked   every accented name prefix (Álva, alva, ÁLVA, Núñe, nune…) finds its people',
      );

      out(
        '\nQuery plans of the profile query listCustomers({ q }) sends (then one query for the page’s identifiers):',
      );
      let scans = 0;
      for (const kind of kinds) {
        const { sql, plan } = await explain(omnis, dialect, kind.targets[0]!.q);
        if (kind === kinds[0]) out(`\n  SQL  ${sql}`);
        out(
          `\n  ${kind.label} "${kind.targets[0]!.q}": ${num(plan.queryMs, 2)} ms per query run directly, ` +
            (plan.fullScans.length
              ? `FULL SCAN: ${plan.fullScans.map((s) => s.trim()).join('; ')}`
              : 'no full scan'),
        );
        out(plan.lines.join('\n'));
        scans += plan.fullScans.length;
      }
      out(
        scans
          ? `\n${scans} full scan(s) in the plans above. A walk of customers in id order (status index or primary key) visits profiles newest first and ` +
              'stops at the page’s last match: quick when matches are everywhere (a common name prefix), every ' +
              'profile when there is one match (an email, a phone) or none.\n'
          : '\nEvery search reaches its rows through an index: no full scan.\n',
      );

      const results: Measurement[] = [];
      for (const kind of kinds) {
        out(`  measuring ${kind.label} (${num(kind.targets.length)} targets) …`);
        results.push(await measureHttp(base, headers, kind, dataDir, options));
      }
      out('  measuring the raw lookup …');
      const raw = await measureRawLookup(
        db,
        kinds[0]!.targets.map((t) => t.q),
        dialect,
        options,
      );
      results.push(raw);
      out(`\n${table(results)}\n`);
      out(
        `Search by email over HTTP answers ${num(results[0]!.perSecond, 1)} requests/s against ${num(raw.perSecond)} raw lookups/s ` +
          `(${num(raw.perSecond / Math.max(results[0]!.perSecond, 0.001))}× fewer); every request also writes an audit entry.`,
      );
    } finally {
      await omnis?.app.close().catch(() => undefined);
      await database.dispose().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
