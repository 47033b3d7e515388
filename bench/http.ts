/**
 * @module HTTP benchmark: requests per second and latency of an authenticated `GET /v1/me` on a real Omnis
 * server, next to a bare Fastify route measured in the same run, so the figure says what Omnis adds (auth,
 * session lookup, validation, serialization, hooks) on this machine rather than how fast the machine is.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp, type OmnisApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { migrateToLatest } from '../server/src/platform/db/migrator';
import { systemActor } from '../server/src/platform/auth/principal';
import { freshDatabase } from './database';

export interface HttpBenchOptions {
  durationS: number;
  warmupS: number;
  connections: number;
  /** postgres://… runs the Omnis side on PostgreSQL in a fresh schema; otherwise SQLite in a temp dir. */
  databaseUrl?: string | undefined;
}

/** A server under load: where to send requests, what to send, and how to take it down. */
interface Target {
  label: string;
  url: string;
  headers: Record<string, string>;
  close(): Promise<void>;
}

interface Measurement {
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

const HOST = '127.0.0.1'; // loopback only: nothing here is reachable from another machine

/**
 * Omnis as `omnis start` runs it (workers on, logger off), with one staff user signed in over HTTP; the
 * target is `GET /v1/me` with that session token.
 */
async function startOmnis(databaseUrl: string | undefined): Promise<Target & { database: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'omnis-bench-'));
  const database = await freshDatabase(dataDir, databaseUrl).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  let omnis: OmnisApp | undefined;
  try {
    await migrateToLatest(database.handle.db);
    const config = loadConfig({
      env: {},
      file: path.join(dataDir, 'omnis.config.json'), // absent: defaults only, whatever the cwd holds
      overrides: { host: HOST, port: 0, dataDir, databaseUrl, logLevel: 'silent' },
    });
    omnis = await buildApp(config, { database: database.handle, logger: false });
    const app = omnis.app;
    const email = 'bench-agent@omnis.local';
    const password = randomBytes(12).toString('base64url');
    await omnis.services.users.createUser(
      { email, name: 'Bench Agent', role: 'agent', password },
      null,
      systemActor,
    );
    const base = await app.listen({ host: HOST, port: 0 });
    const login = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (login.status !== 200)
      throw new Error(`Sign-in failed with HTTP ${login.status}: ${await login.text()}`);
    const { token } = (await login.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    const me = await fetch(`${base}/v1/me`, { headers });
    if (me.status !== 200) throw new Error(`GET /v1/me answered HTTP ${me.status}: ${await me.text()}`);
    return {
      label: 'Omnis GET /v1/me',
      url: `${base}/v1/me`,
      headers,
      database: database.description,
      async close() {
        await app.close();
        await database.dispose();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await omnis?.app.close().catch(() => undefined);
    await database.dispose().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** The baseline: a plain Fastify instance with one route and nothing else. */
async function startBare(): Promise<Target> {
  const app: FastifyInstance = Fastify({ logger: false });
  app.get('/bare', async () => ({ ok: true }));
  const base = await app.listen({ host: HOST, port: 0 });
  return { label: 'bare Fastify GET /bare', url: `${base}/bare`, headers: {}, close: () => app.close() };
}

/**
 * Loads one target: a discarded warm-up, then the measured run. The load generator runs in a worker thread
 * so it does not share the servers' event loop.
 */
async function measure(target: Target, options: HttpBenchOptions): Promise<Measurement> {
  const load = (duration: number) =>
    autocannon({
      url: target.url,
      headers: target.headers,
      connections: options.connections,
      duration,
      workers: 1,
    });
  await load(options.warmupS);
  const result = await load(options.durationS);
  if (result.errors > 0 || result.non2xx > 0)
    throw new Error(
      `${target.label}: ${result.errors} connection errors and ${result.non2xx} non-2xx answers; the figures would be meaningless.`,
    );
  return {
    label: target.label,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result['2xx'],
  };
}

const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(rows: Measurement[]): string {
  const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'requests'];
  const cells = rows.map((r) => [
    r.label,
    num(r.requestsPerSecond),
    num(r.p50Ms),
    num(r.p99Ms),
    num(r.requests),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export const httpBenchmark = {
  description: 'authenticated GET /v1/me on Omnis vs a bare Fastify route, same run',
  async run(options: HttpBenchOptions): Promise<void> {
    const bare = await startBare();
    let omnis: Awaited<ReturnType<typeof startOmnis>> | undefined;
    try {
      omnis = await startOmnis(options.databaseUrl);
      const cpus = os.cpus();
      const loadAverage = os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
      const header = [
        'HTTP benchmark: authenticated GET /v1/me on Omnis vs bare Fastify GET /bare',
        `  machine   node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}`,
        `            load average ${loadAverage} before the run (other work on the machine skews the figures)`,
        `  load      ${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s measured per target, loopback`,
        `  database  ${omnis.database}`,
      ];
      process.stdout.write(`${header.join('\n')}\n\n`);
      const rows: Measurement[] = [];
      for (const target of [bare, omnis]) {
        process.stdout.write(`  measuring ${target.label} …\n`);
        rows.push(await measure(target, options));
      }
      const [b, o] = rows as [Measurement, Measurement];
      process.stdout.write(`\n${table(rows)}\n\n`);
      process.stdout.write(
        `Omnis GET /v1/me serves ${(o.requestsPerSecond / b.requestsPerSecond).toFixed(2)}× the bare Fastify rate ` +
          `(${(b.requestsPerSecond / o.requestsPerSecond).toFixed(1)}× fewer requests per second).\n`,
      );
    } finally {
      await omnis?.close();
      await bare.close();
    }
  },
};
