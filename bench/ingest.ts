/**
 * @module Ingest benchmark: 100,000 Segment events in batches of 100 over HTTP (`POST /v1/batch`, loopback,
 * several keep-alive connections) into a real Omnis with identity resolution, next to the raw insert rate of the
 * same rows into the same database in the same run — so the figure says what checking, dedup, resolution and
 * HTTP cost on top of writing the rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildApp, type OmnisApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { migrateToLatest } from '../server/src/platform/db/migrator';
import { systemActor } from '../server/src/platform/auth/principal';
import type { HttpBenchOptions } from './http';
import { freshDatabase } from './database';
import { seededRandom } from '../server/src/demo/prng';

const HOST = '127.0.0.1'; // loopback only
const EVENTS = 100_000;
const BATCH = 100;
const USERS = 10_000;
const IDENTIFY_SHARE = 0.2;

/**
 * The request bodies, serialized before the clock starts: ~20% identify (userId, anonymousId, email, name) and
 * the rest track calls by userId or anonymousId, for a pool of USERS people.
 */
function batches(start: number): string[] {
  const next = seededRandom(42);
  const out: string[] = [];
  const pages = ['Home', 'Product', 'Cart', 'Checkout'];
  for (let b = 0; b < EVENTS / BATCH; b++) {
    const events: unknown[] = [];
    for (let i = 0; i < BATCH; i++) {
      const n = b * BATCH + i;
      const user = Math.floor(next() * USERS);
      const timestamp = new Date(start + n).toISOString();
      const context = {
        library: { name: 'omnis-bench', version: '1' },
        page: { path: `/p/${user % 97}` },
        userAgent: 'Mozilla/5.0 (bench)',
      };
      if (next() < IDENTIFY_SHARE) {
        events.push({
          type: 'identify',
          messageId: `bench-${n}`,
          userId: `user-${user}`,
          anonymousId: `anon-${user}`,
          traits: {
            email: `user${user}@bench.example`,
            firstName: `First${user}`,
            plan: user % 3 ? 'free' : 'pro',
          },
          timestamp,
          context,
        });
      } else {
        const byUserId = next() < 0.5;
        events.push({
          type: 'track',
          messageId: `bench-${n}`,
          ...(byUserId ? { userId: `user-${user}` } : { anonymousId: `anon-${user}` }),
          event: pages[user % pages.length] === 'Cart' ? 'Product Added' : 'Product Viewed',
          properties: { sku: `SKU-${user % 500}`, price: (user % 100) + 0.99, currency: 'EUR' },
          timestamp,
          context,
        });
      }
    }
    out.push(JSON.stringify({ batch: events, sentAt: new Date(start + b * BATCH + BATCH).toISOString() }));
  }
  return out;
}

/**
 * The load generator, in a worker thread so it does not share the server's event loop: `connections` loops,
 * each sending the next body as soon as its previous answer arrived, over keep-alive sockets.
 */
const CLIENT = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { url, auth, bodies, connections } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const target = new URL(url);
let next = 0, accepted = 0, duplicates = 0, failed = 0;
const errors = [];
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: auth } },
      (res) => { const chunks = []; res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() })); });
    req.on('error', reject);
    req.end(body);
  });
}
async function loop() {
  while (next < bodies.length) {
    const res = await post(bodies[next++]);
    if (res.status !== 200) { errors.push(res.status + ' ' + res.body.slice(0, 300)); continue; }
    const r = JSON.parse(res.body);
    accepted += r.accepted; duplicates += r.duplicates; failed += r.failed.length;
  }
}
const started = performance.now();
Promise.all(Array.from({ length: connections }, loop)).then(
  () => { parentPort.postMessage({ ms: performance.now() - started, accepted, duplicates, failed, errors }); agent.destroy(); },
  (err) => parentPort.postMessage({ fatal: String(err) }));
`;

interface ClientResult {
  ms: number;
  accepted: number;
  duplicates: number;
  failed: number;
  errors: string[];
  fatal?: string;
}

function runClient(url: string, auth: string, bodies: string[], connections: number): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT, { eval: true, workerData: { url, auth, bodies, connections } });
    worker.once('message', (m: ClientResult) => (m.fatal ? reject(new Error(m.fatal)) : resolve(m)));
    worker.once('error', reject);
  });
}

/** The baseline: the stored rows written again (new ids) in transactions of BATCH rows, via Kysely. */
async function rawInsertRate(omnis: OmnisApp): Promise<{ rows: number; ms: number }> {
  const { db } = omnis.database;
  let after = '';
  let rows = 0;
  let ms = 0;
  for (;;) {
    const page = await db
      .selectFrom('tracking_events')
      .selectAll()
      .where('id', '>', after)
      .where('message_id', 'not like', '%-raw')
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const copies = page.map((r) => ({ ...r, id: `${r.id}r`, message_id: `${r.message_id}-raw` }));
    const started = performance.now();
    await db.transaction().execute((trx) => trx.insertInto('tracking_events').values(copies).execute());
    ms += performance.now() - started;
    rows += copies.length;
  }
  return { rows, ms };
}

const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const ingestBenchmark = {
  description: '100,000 Segment events in batches of 100 over HTTP with identity resolution vs raw inserts',
  defaultConnections: 4,
  async run(options: HttpBenchOptions): Promise<void> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'omnis-bench-'));
    const database = await freshDatabase(dataDir, options.databaseUrl).catch((err: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
    let omnis: OmnisApp | undefined;
    try {
      await migrateToLatest(database.handle.db);
      const config = loadConfig({
        env: {},
        file: path.join(dataDir, 'omnis.config.json'),
        overrides: { host: HOST, port: 0, dataDir, databaseUrl: options.databaseUrl, logLevel: 'silent' },
      });
      omnis = await buildApp(config, { database: database.handle, logger: false });
      const { channels, apiKeys } = omnis.services;
      const channel = await channels.createChannel({ kind: 'web', name: 'Bench web' }, systemActor);
      const key = await apiKeys.createApiKey(
        { kind: 'publishable', name: 'bench', channel_id: channel.id },
        systemActor,
      );
      const base = await omnis.app.listen({ host: HOST, port: 0 });
      const cpus = os.cpus();
      process.stdout.write(
        [
          'Ingest benchmark: Segment POST /v1/batch with identity resolution vs raw inserts of the same rows',
          `  machine   node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}`,
          `            load average ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')} before the run`,
          `  load      ${num(EVENTS)} events in batches of ${BATCH} (~${IDENTIFY_SHARE * 100}% identify with email, the rest track), ${num(USERS)} people, ${options.connections} connections, loopback`,
          `  database  ${database.description}`,
          '',
        ].join('\n') + '\n',
      );
      const bodies = batches(Date.now() - 3_600_000);
      const auth = `Basic ${Buffer.from(`${key.key}:`).toString('base64')}`;
      process.stdout.write('  sending …\n');
      const sent = await runClient(`${base}/v1/batch`, auth, bodies, options.connections);
      if (sent.errors.length)
        throw new Error(
          `${sent.errors.length} batches failed, e.g. HTTP ${sent.errors[0]}; the figures would be meaningless.`,
        );
      const { db } = omnis.database;
      const count = async (table: 'tracking_events' | 'customers') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const stored = await count('tracking_events');
      const profiles = await count('customers');
      if (stored !== EVENTS || sent.accepted !== EVENTS)
        throw new Error(`Expected ${EVENTS} events stored, found ${stored} (accepted ${sent.accepted}).`);
      process.stdout.write('  inserting the same rows raw …\n');
      const raw = await rawInsertRate(omnis);
      const ingestRate = (EVENTS / sent.ms) * 1000;
      const rawRate = (raw.rows / raw.ms) * 1000;
      const rows = [
        ['target', 'events/s', 'events', 'seconds'],
        [
          'Omnis POST /v1/batch (HTTP, checks, dedup, resolution)',
          num(ingestRate),
          num(EVENTS),
          num(sent.ms / 1000, 2),
        ],
        [
          'raw Kysely insert, same rows, 100 per transaction',
          num(rawRate),
          num(raw.rows),
          num(raw.ms / 1000, 2),
        ],
      ];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      const line = (r: string[]) =>
        r.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
      process.stdout.write(
        `\n${[line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')}\n\n`,
      );
      process.stdout.write(
        `${num(profiles)} profiles after resolution; ${num(sent.duplicates)} duplicates, ${num(sent.failed)} refused events.\n` +
          `Ingestion runs at ${(ingestRate / rawRate).toFixed(2)}× the raw insert rate.\n`,
      );
    } finally {
      await omnis?.app.close().catch(() => undefined);
      await database.dispose().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
