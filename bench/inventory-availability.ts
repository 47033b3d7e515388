/**
 * @module Inventory benchmark (b): availability of 50 SKUs near a point, over 20,000 SKUs × 200 locations (4
 * million stock levels), through `GET /v1/availability` on a real Omnis — next to the one indexed read of those
 * levels run straight on the database in the same run, so the figure says what allocations, distances, promise
 * dates, JSON and HTTP add to it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { systemActor } from '../server/src/platform/auth/principal';
import { SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES } from '../server/src/platform/db/database';
import { seededRandom } from '../server/src/demo/prng';
import { distanceKm, type Point } from '../server/src/modules/inventory';
import type { BenchDatabase } from './database';
import type { HttpBenchOptions } from './http';
import { num, percentile, type Omnis, type Row } from './inventory';

/** SKUs stocked at every location (OMNIS_BENCH_SKUS shrinks it for a quick look while developing). */
const SKUS = Number(process.env.OMNIS_BENCH_SKUS ?? 20_000);
const LOCATIONS = 200;
const SKUS_PER_QUERY = 50;
const RADIUS_KM = 10;
/** Concurrent connections for (b): one for the latency of a lone question, four for a few storefronts at once. */
const CONNECTIONS = [1, 4];
const TARGETS = 300;
const SOL: Point = { latitude: 40.4168, longitude: -3.7038 };

/** A point within `km` of the centre, evenly spread over the disc. */
function around(random: () => number, centre: Point, km: number): Point {
  const r = km * Math.sqrt(random());
  const a = 2 * Math.PI * random();
  return {
    latitude: Math.round((centre.latitude + (r * Math.cos(a)) / 111.2) * 1e6) / 1e6,
    longitude:
      Math.round(
        (centre.longitude + (r * Math.sin(a)) / (111.2 * Math.cos((centre.latitude * Math.PI) / 180))) * 1e6,
      ) / 1e6,
  };
}

const skuOf = (i: number) => `SKU-${String(i).padStart(5, '0')}`;
const hours = (open: string, close: string) => {
  const day: Array<[string, string]> = [[open, close]];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: [] };
};

export async function availabilityBenchmark(
  database: BenchDatabase,
  dataDir: string,
  options: HttpBenchOptions,
  start: (handle: BenchDatabase['handle'], dataDir: string, url: string | undefined) => Promise<Omnis>,
): Promise<Row[]> {
  const random = seededRandom(4_200);
  const target = await start(database.handle, dataDir, undefined);
  try {
    const { channels, locations, allocations, transfers } = target.omnis.services;
    const web = await channels.createChannel({ kind: 'web', name: 'Bench availability' }, systemActor);
    const places: Array<{ id: string; point: Point; holdback: number; pickup: boolean }> = [];
    for (let i = 0; i < LOCATIONS; i++) {
      const kind = i < 180 ? 'store' : i < 195 ? 'dark_store' : 'warehouse';
      const point = around(random, SOL, 40);
      const location = await locations.createLocation(
        {
          kind,
          name: `Bench ${kind} ${i}`,
          code: `B${String(i).padStart(3, '0')}`,
          address: { line1: `Calle ${i}`, postal_code: '28000', city: 'Madrid', country: 'ES' },
          ...point,
          timezone: 'Europe/Madrid',
          ...(kind === 'store' ? { opening_hours: hours('10:00', '21:00') } : {}),
          ...(kind === 'dark_store' ? { same_day_cutoff: '14:00', same_day_radius_km: 6 } : {}),
        },
        systemActor,
      );
      places.push({ id: location.id, point, holdback: kind === 'store' ? 1 : 0, pickup: kind === 'store' });
    }
    await allocations.updateAllocation(
      web.id,
      { locations: places.map((p, i) => ({ location_id: p.id, priority: i, holdback: p.holdback })) },
      systemActor,
    );

    process.stdout.write(`  loading ${num(SKUS)} SKUs × ${LOCATIONS} locations …\n`);
    const loadStarted = performance.now();
    const raw = new SQLite(path.join(dataDir, 'omnis.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    // The same page cache and memory map as Omnis's own connection, so the baseline reads the way Omnis does.
    raw.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
    raw.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
    const insert = raw.prepare(
      `insert into stock_levels (sku, location_id, on_hand, reserved, safety_stock, incoming, low_stock_threshold, created_at, updated_at)
       values (?, ?, ?, 0, ?, 0, null, ?, ?)`,
    );
    const now = Date.now();
    const loadSku = raw.transaction((from: number, to: number) => {
      for (let s = from; s < to; s++)
        for (const place of places) {
          const onHand = random() < 0.35 ? 0 : 1 + Math.floor(random() * 20);
          insert.run(skuOf(s), place.id, onHand, onHand > 10 ? 1 : 0, now, now);
        }
    });
    for (let s = 0; s < SKUS; s += 500) loadSku(s, Math.min(SKUS, s + 500));
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    process.stdout.write(
      `  loaded ${num(SKUS * LOCATIONS)} levels in ${loadSeconds.toFixed(1)} s (${num((SKUS * LOCATIONS) / loadSeconds)} rows/s, straight through better-sqlite3)\n`,
    );
    // Some stock on its way, so promise dates also read transfers.
    const warehouses = places.slice(195);
    for (let i = 0; i < 100; i++)
      await transfers
        .createTransfer(
          {
            from_location_id: warehouses[i % warehouses.length]!.id,
            to_location_id: places[Math.floor(random() * 180)]!.id,
            eta: now + 86_400_000 * (1 + (i % 3)),
            lines: [{ sku: skuOf(Math.floor(random() * SKUS)), quantity: 1 }],
          },
          systemActor,
        )
        .catch(() => undefined); // a warehouse without that SKU: skip it

    const targets = Array.from({ length: TARGETS }, () => {
      const skus = Array.from({ length: SKUS_PER_QUERY }, () => skuOf(Math.floor(random() * SKUS)));
      const point = around(random, SOL, 25);
      return {
        skus,
        point,
        path: `/v1/availability?channel_id=${web.id}&skus=${skus.join(',')}&latitude=${point.latitude}&longitude=${point.longitude}&radius_km=${RADIUS_KM}&mode=pickup`,
      };
    });

    // Correctness first: three answers checked against a sum computed here from the raw table.
    const statements = new Map<string, SQLite.Statement>();
    const select = (n: number, m: number) => {
      const key = `${n}:${m}`;
      let statement = statements.get(key);
      if (!statement) {
        statement = raw.prepare(
          `select * from stock_levels indexed by sqlite_autoindex_stock_levels_1
           where sku in (${Array(n).fill('?').join(',')}) and location_id in (${Array(m).fill('?').join(',')})`,
        );
        statements.set(key, statement);
      }
      return statement;
    };
    const nearby = (point: Point) =>
      places.filter((p) => p.pickup && distanceKm(point, p.point) <= RADIUS_KM);
    for (const t of targets.slice(0, 3)) {
      const res = await fetch(`${target.base}${t.path}`, { headers: target.headers });
      if (res.status !== 200)
        throw new Error(`Availability answered HTTP ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { skus: Array<{ sku: string; available: number }> };
      const near = nearby(t.point);
      const holdback = new Map(near.map((p) => [p.id, p.holdback]));
      const levels = near.length
        ? (select(t.skus.length, near.length).all(...t.skus, ...near.map((p) => p.id)) as Array<{
            sku: string;
            location_id: string;
            on_hand: number;
            reserved: number;
            safety_stock: number;
          }>)
        : [];
      for (const s of body.skus) {
        const expected = levels
          .filter((l) => l.sku === s.sku)
          .reduce(
            (n, l) => n + Math.max(0, l.on_hand - l.reserved - l.safety_stock - holdback.get(l.location_id)!),
            0,
          );
        if (expected !== s.available)
          throw new Error(`Availability of ${s.sku} is ${s.available}, the table says ${expected}.`);
      }
    }
    const averageNear = targets.reduce((n, t) => n + nearby(t.point).length, 0) / targets.length;
    process.stdout.write(
      `  checked: 3 answers match the table; on average ${averageNear.toFixed(1)} pickup stores within ${RADIUS_KM} km of a query point\n`,
    );

    const file = path.join(dataDir, 'availability-targets.cjs');
    writeFileSync(
      file,
      `const paths = ${JSON.stringify(targets.map((t) => t.path))};\n` +
        'module.exports = (req) => ({ ...req, path: paths[Math.floor(Math.random() * paths.length)] });\n',
    );
    const load = (duration: number, connections: number) =>
      autocannon({
        url: target.base,
        headers: target.headers,
        requests: [{ method: 'GET', setupRequest: file }],
        connections,
        duration,
        workers: 1,
      });
    const rows: Row[] = [];
    for (const connections of CONNECTIONS) {
      process.stdout.write(
        `  measuring Omnis GET /v1/availability (${connections} connection${connections > 1 ? 's' : ''}) …\n`,
      );
      await load(options.warmupS, connections);
      const result = await load(options.durationS, connections);
      if (result.errors > 0 || result.non2xx > 0)
        throw new Error(`Availability: ${result.errors} errors and ${result.non2xx} non-2xx answers.`);
      rows.push({
        label: `Omnis GET /v1/availability, ${SKUS_PER_QUERY} SKUs, ${RADIUS_KM} km, pickup`,
        perSecond: result.requests.average,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        count: result['2xx'],
        note: `${connections} connection${connections > 1 ? 's' : ''}; promise dates included; ${num(Math.round(result.throughput.average / Math.max(1, result.requests.average) / 1024))} KiB an answer`,
      });
    }

    process.stdout.write('  measuring the raw indexed read of the same levels …\n');
    const latencies: number[] = [];
    const until = performance.now() + options.durationS * 1000;
    for (let i = 0; performance.now() < until; i++) {
      const t = targets[i % targets.length]!;
      const ids = nearby(t.point).map((p) => p.id);
      const t0 = performance.now();
      if (ids.length) select(t.skus.length, ids.length).all(...t.skus, ...ids);
      latencies.push(performance.now() - t0);
    }
    raw.close();
    latencies.sort((a, b) => a - b);
    return [
      ...rows,
      {
        label: 'raw select of those levels (better-sqlite3, the same statement)',
        perSecond: latencies.length / options.durationS,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        count: latencies.length,
        note: 'one at a time; locations chosen in the bench',
      },
    ];
  } finally {
    await target.close();
  }
}
