/**
 * @module Inventory benchmark. (a) Hot-SKU contention: 64 concurrent HTTP clients reserve one unit each of a SKU
 * holding 10,000 until it is sold out — reservations per second, oversell (must be 0), p50/p99 — next to the same
 * guarded UPDATE run straight on the database, one transaction per reservation, in the same run. (b) Availability:
 * 20,000 SKUs × 200 locations, 50 SKUs near a point (inventory-availability.ts). (c) (a) again on PostgreSQL when
 * a URL is given, with and without coalescing, next to the raw one-commit-per-reservation rate of that database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { buildApp, type OmnisApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import type { DatabaseHandle } from '../server/src/platform/db/database';
import { migrateToLatest } from '../server/src/platform/db/migrator';
import { systemActor } from '../server/src/platform/auth/principal';
import { freshDatabase, type BenchDatabase } from './database';
import type { HttpBenchOptions } from './http';
import { availabilityBenchmark } from './inventory-availability';

const HOST = '127.0.0.1'; // loopback only
const HOT_UNITS = 10_000;
/** Requests beyond the stock: the last reservations race against refusals, where oversell would happen. */
const EXTRA_REQUESTS = 640;
const WARMUP_REQUESTS = 2_000;

export interface Row {
  label: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
  note: string;
}

/** A running Omnis with what the benchmarks need: an admin secret key, a web channel, its base URL. */
export interface Omnis {
  omnis: OmnisApp;
  base: string;
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** Omnis as `omnis start` runs it (workers on, logger off) on the given database. */
export async function startOmnis(
  handle: DatabaseHandle,
  dataDir: string,
  databaseUrl: string | undefined,
  overrides: Record<string, unknown> = {},
): Promise<Omnis> {
  const config = loadConfig({
    env: {},
    file: path.join(dataDir, 'omnis.config.json'),
    overrides: { host: HOST, port: 0, dataDir, databaseUrl, logLevel: 'silent', ...overrides },
  });
  const omnis = await buildApp(config, { database: handle, logger: false });
  const base = await omnis.app.listen({ host: HOST, port: 0 });
  const key = await omnis.services.apiKeys.createApiKey(
    { kind: 'secret', name: `bench ${randomBytes(3).toString('hex')}`, role: 'admin' },
    systemActor,
  );
  return {
    omnis,
    base,
    headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json' },
    close: () => omnis.app.close(),
  };
}

export const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export function table(rows: Row[]): string {
  const header = ['target', 'per s', 'p50 ms', 'p99 ms', 'count', ''];
  const cells = rows.map((r) => [
    r.label,
    num(r.perSecond),
    num(r.p50Ms, 1),
    num(r.p99Ms, 1),
    num(r.count),
    r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 || i === 5 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export interface HotSetup {
  channelId: string;
  locationId: string;
  sku: string;
  warmSku: string;
  rawSku: string;
}

/** One store, a web channel selling from it, and three SKUs of 10,000 units (hot, raw baseline) or 2,000 (warm-up). */
export async function stockHotSkus(omnis: OmnisApp): Promise<HotSetup> {
  const { channels, locations, allocations, stock } = omnis.services;
  const channel = await channels.createChannel({ kind: 'web', name: 'Bench web shop' }, systemActor);
  const store = await locations.createLocation(
    {
      kind: 'warehouse',
      name: 'Bench warehouse',
      code: `HOT${randomBytes(2).toString('hex').toUpperCase()}`,
      address: { line1: 'Calle 1', postal_code: '28901', city: 'Getafe', country: 'ES' },
      latitude: 40.3054,
      longitude: -3.7326,
      timezone: 'Europe/Madrid',
    },
    systemActor,
  );
  await allocations.updateAllocation(
    channel.id,
    { locations: [{ location_id: store.id, priority: 1 }] },
    systemActor,
  );
  const setup = {
    channelId: channel.id,
    locationId: store.id,
    sku: 'HOT-1',
    warmSku: 'WARM-1',
    rawSku: 'RAW-1',
  };
  await stock.receiveStock(
    {
      lines: [
        { sku: setup.sku, location_id: store.id, quantity: HOT_UNITS },
        { sku: setup.rawSku, location_id: store.id, quantity: HOT_UNITS },
        { sku: setup.warmSku, location_id: store.id, quantity: WARMUP_REQUESTS },
      ],
      reason: 'bench',
    },
    systemActor,
  );
  return setup;
}

/** 64 clients reserve one unit each until the SKU is sold out, plus a few hundred more that must be refused. */
export async function measureHotHttp(
  target: Omnis,
  setup: HotSetup,
  connections: number,
  label: string,
): Promise<Row> {
  const body = (sku: string) =>
    JSON.stringify({
      channel_id: setup.channelId,
      reference: { type: 'cart', id: 'bench' },
      lines: [{ sku, location_id: setup.locationId, quantity: 1 }],
    });
  const run = (sku: string, amount: number) =>
    autocannon({
      url: `${target.base}/v1/reservations`,
      method: 'POST',
      headers: target.headers,
      body: body(sku),
      connections,
      amount,
      workers: 1,
    });
  await run(setup.warmSku, WARMUP_REQUESTS);
  const started = performance.now();
  const result = await run(setup.sku, HOT_UNITS + EXTRA_REQUESTS);
  const seconds = (performance.now() - started) / 1000;
  const codes = result.statusCodeStats as unknown as Record<string, { count: number }>;
  const granted = codes['201']?.count ?? 0;
  const refused = codes['409']?.count ?? 0;
  if (result.errors > 0 || granted + refused !== HOT_UNITS + EXTRA_REQUESTS)
    throw new Error(
      `${label}: ${result.errors} errors, answers ${JSON.stringify(codes)}: the run is not valid.`,
    );
  const { db } = target.omnis.database;
  const level = await db
    .selectFrom('stock_levels')
    .selectAll()
    .where('sku', '=', setup.sku)
    .where('location_id', '=', setup.locationId)
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('stock_reservations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('sku', '=', setup.sku)
    .where('location_id', '=', setup.locationId)
    .executeTakeFirstOrThrow();
  const ledger = await db
    .selectFrom('stock_movements')
    .select((eb) => eb.fn.sum<number>('reserved_delta').as('reserved'))
    .where('sku', '=', setup.sku)
    .where('location_id', '=', setup.locationId)
    .executeTakeFirstOrThrow();
  const reserved = Number(level.reserved);
  const oversell = Math.max(0, reserved - Number(level.on_hand), granted - HOT_UNITS);
  const consistent =
    reserved === granted && Number(rows.n) === granted && Number(ledger.reserved) === granted;
  return {
    label,
    perSecond: granted / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    count: granted,
    note: `oversell ${oversell}; ${refused} refused (409); rows, ledger and level ${consistent ? 'agree' : 'DISAGREE'}`,
  };
}

/**
 * What any authenticated request costs on this machine: a cheap read through the same auth, hooks and metrics, at
 * the same concurrency — the ceiling a reservation, which also writes, cannot pass.
 */
async function measureFloor(target: Omnis, connections: number): Promise<Row> {
  const result = await autocannon({
    url: `${target.base}/v1/locations?limit=1`,
    headers: target.headers,
    connections,
    amount: HOT_UNITS,
    workers: 1,
  });
  if (result.errors > 0 || result.non2xx > 0) throw new Error('The floor measurement had errors.');
  return {
    label: 'Omnis GET /v1/locations?limit=1 (authenticated floor)',
    perSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    count: result['2xx'],
    note: 'same auth, hooks and metrics; reads one row, writes nothing',
  };
}

/** The guarded UPDATE reservations use, as plain SQL ($n or ? placeholders). */
const guardedUpdate = (p: (n: number) => string) =>
  `update stock_levels set reserved = reserved + ${p(1)}, updated_at = ${p(2)} where sku = ${p(3)} and location_id = ${p(4)}
   and on_hand - reserved - safety_stock - (select a.holdback from stock_allocations a inner join locations l on l.id = a.location_id
     where a.channel_id = ${p(5)} and a.location_id = ${p(6)} and l.active = ${p(7)}) >= ${p(8)}`;

/** SQLite baseline: the same statement through better-sqlite3, one transaction per reservation, until sold out. */
function measureRawSqlite(file: string, setup: HotSetup): Row {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('busy_timeout = 5000');
  const update = raw.prepare(guardedUpdate(() => '?'));
  const reserve = raw.transaction(() =>
    update.run(1, Date.now(), setup.rawSku, setup.locationId, setup.channelId, setup.locationId, 1, 1),
  );
  const latencies: number[] = [];
  const started = performance.now();
  for (;;) {
    const t0 = performance.now();
    const { changes } = reserve.immediate();
    latencies.push(performance.now() - t0);
    if (changes === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  raw.close();
  latencies.sort((a, b) => a - b);
  return {
    label: 'raw guarded UPDATE, 1 transaction each (better-sqlite3)',
    perSecond: (latencies.length - 1) / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    count: latencies.length - 1,
    note: 'no HTTP, no reservation row, no ledger, no event',
  };
}

/** PostgreSQL baseline: 64 connections, each BEGIN; guarded UPDATE; COMMIT until the SKU is sold out. */
async function measureRawPostgres(
  url: string,
  schema: string,
  setup: HotSetup,
  clients: number,
): Promise<Row> {
  const pool = new pg.Pool({ connectionString: url, max: clients, options: `-c search_path=${schema}` });
  const latencies: number[] = [];
  let soldOut = false;
  const sql = guardedUpdate((n) => `$${n}`);
  const worker = async () => {
    const client = await pool.connect();
    try {
      while (!soldOut) {
        const t0 = performance.now();
        await client.query('begin');
        const { rowCount } = await client.query(sql, [
          1,
          Date.now(),
          setup.rawSku,
          setup.locationId,
          setup.channelId,
          setup.locationId,
          true,
          1,
        ]);
        await client.query('commit');
        if (rowCount === 0) soldOut = true;
        else latencies.push(performance.now() - t0);
      }
    } finally {
      client.release();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  latencies.sort((a, b) => a - b);
  return {
    label: `raw guarded UPDATE, 1 transaction each (pg, ${clients} connections)`,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    count: latencies.length,
    note: 'one commit per reservation: the bound',
  };
}

export function machineHeader(title: string, lines: string[]): string {
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return [
    title,
    `  machine   node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}`,
    `            load average ${load} before the run (other work on the machine skews the figures)`,
    ...lines,
  ].join('\n');
}

export async function withDatabase<T>(
  databaseUrl: string | undefined,
  fn: (database: BenchDatabase, dataDir: string) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'omnis-bench-'));
  try {
    const database = await freshDatabase(dataDir, databaseUrl);
    try {
      await migrateToLatest(database.handle.db);
      return await fn(database, dataDir);
    } finally {
      await database.dispose();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** (a) or (c): Omnis over HTTP (coalesced; on PostgreSQL also one transaction per reservation) and the raw rate. */
async function hotSku(databaseUrl: string | undefined, connections: number): Promise<Row[]> {
  return withDatabase(databaseUrl, async (database, dataDir) => {
    process.stdout.write(`  database  ${database.description}\n`);
    const rows: Row[] = [];
    const target = await startOmnis(database.handle, dataDir, databaseUrl);
    let setup: HotSetup;
    try {
      setup = await stockHotSkus(target.omnis);
      process.stdout.write('  measuring Omnis POST /v1/reservations (coalesced) …\n');
      rows.push(await measureHotHttp(target, setup, connections, 'Omnis POST /v1/reservations, coalesced'));
      process.stdout.write('  measuring the authenticated floor …\n');
      rows.push(await measureFloor(target, connections));
    } finally {
      await target.close();
    }
    if (databaseUrl) {
      // The same run with coalescing off: every reservation its own transaction, as without it.
      const single = await startOmnis(database.handle, dataDir, databaseUrl, { reservationBatchMax: 1 });
      try {
        const again = await stockHotSkus(single.omnis);
        process.stdout.write('  measuring Omnis POST /v1/reservations (1 per transaction) …\n');
        rows.push(
          await measureHotHttp(single, again, connections, 'Omnis POST /v1/reservations, 1 per transaction'),
        );
      } finally {
        await single.close();
      }
      const schema = /schema (\S+)\)/.exec(database.description)?.[1] ?? 'public';
      process.stdout.write('  measuring the raw guarded UPDATE …\n');
      rows.push(await measureRawPostgres(databaseUrl, schema, setup, connections));
    } else {
      process.stdout.write('  measuring the raw guarded UPDATE …\n');
      rows.push(measureRawSqlite(path.join(dataDir, 'omnis.db'), setup));
    }
    return rows;
  });
}

export const inventoryBenchmark = {
  description: 'hot-SKU reservations (64 clients, 10,000 units) and 50-SKU availability over 20,000 × 200',
  defaultConnections: 64,
  async run(options: HttpBenchOptions): Promise<void> {
    const pgUrl = options.databaseUrl;
    process.stdout.write(
      `${machineHeader('Inventory benchmark', [
        `  (a)       ${options.connections} HTTP clients reserve 1 unit each of a SKU holding ${num(HOT_UNITS)} (+${EXTRA_REQUESTS} requests past sold out), loopback, SQLite`,
        `  (b)       availability of 50 SKUs near a point, 20,000 SKUs × 200 locations, SQLite`,
        `  (c)       (a) on PostgreSQL${pgUrl ? '' : ': skipped (give --database-url or OMNIS_BENCH_DATABASE_URL)'}`,
      ])}\n\n`,
    );
    process.stdout.write('(a) hot SKU on SQLite\n');
    const a = await hotSku(undefined, options.connections);
    process.stdout.write(`\n${table(a)}\n\n`);
    process.stdout.write('(b) availability on SQLite\n');
    const b = await withDatabase(undefined, (database, dataDir) =>
      availabilityBenchmark(database, dataDir, options, startOmnis),
    );
    process.stdout.write(`\n${table(b)}\n\n`);
    if (pgUrl) {
      process.stdout.write('(c) hot SKU on PostgreSQL\n');
      const c = await hotSku(pgUrl, options.connections);
      process.stdout.write(`\n${table(c)}\n\n`);
      const raw = c[3]!.perSecond;
      process.stdout.write(
        `PostgreSQL: coalesced Omnis over HTTP reserves ${(c[0]!.perSecond / raw).toFixed(1)}× the raw one-commit-per-reservation rate; ` +
          `one transaction per reservation over HTTP reaches ${(c[2]!.perSecond / raw).toFixed(2)}× it.\n`,
      );
    }
    process.stdout.write(
      `SQLite: Omnis over HTTP reserves ${num(a[0]!.perSecond)}/s (aim ≥ 3,000, oversell 0); availability p99 ${num(b[0]!.p99Ms, 1)} ms (aim ≤ 20).\n`,
    );
  },
};
