/**
 * @module Messages benchmark: the contact centre's hot path end to end — a signed Twilio SMS webhook over HTTP →
 * the raw delivery persisted → processed into the customer's conversation → routed to the support team → the
 * `message.received` event pushed to the agent's console WebSocket — while 1,000 web-chat visitor sockets are
 * open. Prints sustained messages per second and end-to-end latency (webhook sent → event on the agent's socket),
 * next to the rate of raw single-row inserts of the same message rows into the same database in the same run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import twilio from 'twilio';
import { buildApp, type OmnisApp } from '../server/src/app';
import { loadConfig } from '../server/src/config';
import { migrateToLatest } from '../server/src/platform/db/migrator';
import { systemActor } from '../server/src/platform/auth/principal';
import type { HttpBenchOptions } from './http';
import { freshDatabase } from './database';

const HOST = '127.0.0.1'; // loopback only
const CHAT_SOCKETS = 1_000;
const CUSTOMERS = 2_000; // distinct phone numbers: most messages append to an existing conversation
const ACCOUNT_SID = `AC${'0'.repeat(28)}beef`;
const AUTH_TOKEN = 'bench-twilio-auth-token';
/** Webhook bodies signed ahead of the clock; more than this machine can send in the run. */
const BODIES_PER_SECOND = 4_000;

/**
 * The web-chat visitors, in their own worker: each starts a session with the chat's publishable key and keeps
 * its socket open (answering pings) until told to stop.
 */
const VISITORS = `
const { workerData, parentPort } = require('node:worker_threads');
const { WebSocket } = require('ws');
const { base, key, count } = workerData;
const sockets = [];
async function visitor(i) {
  const res = await fetch(base + '/chat/v1/sessions', { method: 'POST',
    headers: { authorization: 'Bearer ' + key, 'content-type': 'application/json' },
    body: JSON.stringify({ locale: 'es', anonymous_id: 'bench-anon-' + i }) });
  if (!res.ok) throw new Error('chat session ' + res.status + ' ' + (await res.text()));
  const { visitor_token } = await res.json();
  const ws = new WebSocket(base.replace(/^http/, 'ws') + '/chat/v1/ws?token=' + encodeURIComponent(visitor_token));
  await new Promise((resolve, reject) => {
    ws.on('message', (raw) => { if (JSON.parse(String(raw)).type === 'ready') resolve(); });
    ws.once('error', reject);
    ws.once('close', () => reject(new Error('visitor socket closed before ready')));
  });
  sockets.push(ws);
}
(async () => {
  for (let i = 0; i < count; i += 50)
    await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, j) => visitor(i + j)));
  parentPort.postMessage({ opened: sockets.length });
})().catch((err) => parentPort.postMessage({ fatal: String(err) }));
parentPort.on('message', () => {
  const open = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  for (const ws of sockets) ws.terminate();
  parentPort.postMessage({ stillOpen: open });
});
`;

/**
 * The load generator and the agent's console socket, in one worker so both ends are timed on one clock:
 * \`connections\` loops post the next signed webhook as soon as the previous one is answered (timed by its MessageSid);
 * the agent's socket times each pushed event by message id. The run joins the two through the stored messages.
 */
const LOAD = `
const { workerData, parentPort } = require('node:worker_threads');
const http = require('node:http');
const { WebSocket } = require('ws');
const { base, path, agentToken, bodies, connections, warmupMs, durationMs } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const target = new URL(base);
const errors = [];
let next = 0, measuredFrom = 0, measuredTo = 0, stop = 0;
function post(item) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path, method: 'POST', agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(item.body),
        'x-twilio-signature': item.signature } },
      (res) => { const chunks = []; res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() })); });
    req.on('error', reject);
    req.end(item.body);
  });
}
async function loop() {
  while (next < bodies.length && performance.now() < stop) {
    const item = bodies[next++];
    const t0 = performance.now();
    const res = await post(item);
    if (res.status !== 200) { errors.push(res.status + ' ' + res.body.slice(0, 300)); continue; }
    sent.push([item.sid, t0]);
  }
}
const sent = [], pushed = [];
const ws = new WebSocket(base.replace(/^http/, 'ws') + '/v1/realtime?access_token=' + encodeURIComponent(agentToken));
ws.on('message', (raw) => {
  const m = JSON.parse(String(raw));
  if (m.type === 'ready') start();
  else if (m.event && m.event.type === 'message.received') pushed.push([m.event.data.id, performance.now()]);
});
ws.once('error', (err) => parentPort.postMessage({ fatal: String(err) }));
async function start() {
  const t = performance.now();
  measuredFrom = t + warmupMs; measuredTo = measuredFrom + durationMs; stop = measuredTo;
  await Promise.all(Array.from({ length: connections }, loop));
  // Stragglers: messages stored but not yet pushed get 5 s.
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline && pushed.length < sent.length) await new Promise((r) => setTimeout(r, 20));
  ws.close(); agent.destroy();
  parentPort.postMessage({ sent, pushed, measuredFrom, measuredTo, exhausted: next >= bodies.length,
    errors: errors.slice(0, 5), errorCount: errors.length });
}
`;

interface LoadResult {
  /** [MessageSid, sent at] and [message id, pushed at], in the load worker's clock. */
  sent: Array<[string, number]>;
  pushed: Array<[string, number]>;
  measuredFrom: number;
  measuredTo: number;
  exhausted: boolean;
  errors: string[];
  errorCount: number;
  fatal?: string;
}

/** Joins sends and pushes through the stored messages' provider ids: rate in the window and latency figures. */
async function figures(omnis: OmnisApp, load: LoadResult, durationS: number) {
  const sentAt = new Map(load.sent);
  const rows = await omnis.database.db
    .selectFrom('messages')
    .select(['id', 'provider_message_id'])
    .where('direction', '=', 'in')
    .execute();
  const sidOf = new Map(rows.map((r) => [r.id, r.provider_message_id]));
  const latencies: number[] = [];
  let pushedInWindow = 0;
  for (const [id, t1] of load.pushed) {
    const t0 = sentAt.get(sidOf.get(id) ?? '');
    if (t0 === undefined) continue;
    if (t1 >= load.measuredFrom && t1 < load.measuredTo) pushedInWindow++;
    if (t0 >= load.measuredFrom && t0 < load.measuredTo) latencies.push(t1 - t0);
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    rate: pushedInWindow / durationS,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? NaN,
    stored: rows.length,
    missing: load.sent.length - load.pushed.length,
  };
}

function worker<T>(source: string, workerData: unknown): { first: Promise<T>; handle: Worker } {
  const handle = new Worker(source, { eval: true, workerData });
  const first = new Promise<T>((resolve, reject) => {
    handle.once('message', (m: T & { fatal?: string }) =>
      m.fatal ? reject(new Error(m.fatal)) : resolve(m),
    );
    handle.once('error', reject);
  });
  return { first, handle };
}

/** Twilio's form for one inbound SMS, signed as Twilio signs it. */
function signedBodies(
  url: string,
  count: number,
  from: string,
): Array<{ sid: string; body: string; signature: string }> {
  return Array.from({ length: count }, (_, i) => {
    const sid = `SM${String(i).padStart(32, '0')}`;
    const params = {
      MessageSid: sid,
      AccountSid: ACCOUNT_SID,
      From: `+3461${String(i % CUSTOMERS).padStart(7, '0')}`,
      To: from,
      Body: `Hola, ¿dónde está mi pedido ${1000 + (i % 500)}?`,
      NumMedia: '0',
    };
    return {
      sid,
      body: new URLSearchParams(params).toString(),
      signature: twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params),
    };
  });
}

/** The baseline: the stored message rows written again (new ids), one row per transaction as each webhook does. */
async function rawInsertRate(omnis: OmnisApp, limit: number): Promise<{ rows: number; ms: number }> {
  const { db } = omnis.database;
  const rows = await db.selectFrom('messages').selectAll().orderBy('id').limit(limit).execute();
  const started = performance.now();
  for (const row of rows)
    await db.transaction().execute((trx) =>
      trx
        .insertInto('messages')
        .values({ ...row, id: `${row.id}r`, provider_message_id: null })
        .execute(),
    );
  return { rows: rows.length, ms: performance.now() - started };
}

const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const messagesBenchmark = {
  description:
    'signed Twilio webhooks → stored, routed, pushed to the agent (1,000 chat sockets open) vs raw inserts',
  defaultConnections: 32,
  async run(options: HttpBenchOptions): Promise<void> {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'omnis-bench-'));
    const database = await freshDatabase(dataDir, options.databaseUrl).catch((err: unknown) => {
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
    let omnis: OmnisApp | undefined;
    let visitors: Worker | undefined;
    try {
      await migrateToLatest(database.handle.db);
      const config = loadConfig({
        env: {},
        file: path.join(dataDir, 'omnis.config.json'),
        overrides: {
          host: HOST,
          port: 0,
          dataDir,
          databaseUrl: options.databaseUrl,
          logLevel: 'silent',
          smtpEnabled: false, // not measured; and port 2525 may be taken by another server on this machine
        },
      });
      omnis = await buildApp(config, { database: database.handle, logger: false });
      const { channels, apiKeys, users, conversations } = omnis.services;
      const sms = await channels.createChannel(
        {
          kind: 'sms',
          name: 'Bench SMS',
          config: { account_sid: ACCOUNT_SID, from: '+34600100200' },
          secrets: { auth_token: AUTH_TOKEN },
        },
        systemActor,
      );
      const chat = await channels.createChannel({ kind: 'webchat', name: 'Bench chat' }, systemActor);
      const chatKey = await apiKeys.createApiKey(
        { kind: 'publishable', name: 'bench chat', channel_id: chat.id },
        systemActor,
      );
      const email = 'bench-agent@omnis.local';
      const password = randomBytes(12).toString('base64url');
      const agent = await users.createUser(
        { email, name: 'Bench Agent', role: 'agent', password },
        null,
        systemActor,
      );
      await conversations.teams.createTeam(
        { name: 'Bench care', strategy: 'least_busy', members: [{ user_id: agent.id, languages: ['es'] }] },
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

      const cpus = os.cpus();
      process.stdout.write(
        [
          'Messages benchmark: signed Twilio SMS webhook → stored → conversation → routed → pushed to the agent',
          `  machine   node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}`,
          `            load average ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')} before the run`,
          `  load      ${options.connections} webhook connections, ${num(CUSTOMERS)} customers' numbers, ${num(CHAT_SOCKETS)} web-chat sockets open, ${options.warmupS} s warm-up + ${options.durationS} s measured`,
          `  database  ${database.description}`,
          '',
        ].join('\n') + '\n',
      );

      process.stdout.write(`  opening ${num(CHAT_SOCKETS)} web-chat visitor sockets …\n`);
      const chats = worker<{ opened: number }>(VISITORS, { base, key: chatKey.key, count: CHAT_SOCKETS });
      visitors = chats.handle;
      const { opened } = await chats.first;
      const hookPath = `/hooks/twilio/${sms.id}`;
      const bodies = signedBodies(
        `${base}${hookPath}`,
        (options.warmupS + options.durationS) * BODIES_PER_SECOND,
        '+34600100200',
      );
      process.stdout.write(`  ${num(opened)} sockets open; sending …\n`);
      const load = worker<LoadResult>(LOAD, {
        base,
        path: hookPath,
        agentToken: token,
        bodies,
        connections: options.connections,
        warmupMs: options.warmupS * 1000,
        durationMs: options.durationS * 1000,
      });
      const result = await load.first;
      await load.handle.terminate();
      const stillOpen = await new Promise<number>((resolve) => {
        visitors!.once('message', (m: { stillOpen: number }) => resolve(m.stillOpen));
        visitors!.postMessage('stop');
      });
      if (result.errorCount > 0)
        throw new Error(`${result.errorCount} webhooks were refused, e.g. ${result.errors.join(' | ')}`);

      const routing = await omnis.database.db
        .selectFrom('conversation_routing')
        .select((eb) => ['state', eb.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute()
        .catch(() => []);
      const f = await figures(omnis, result, options.durationS);
      const baseline = await rawInsertRate(omnis, 5_000);
      const rate = f.rate;
      const baseRate = (baseline.rows / baseline.ms) * 1000;
      process.stdout.write(
        [
          '',
          `  Omnis webhook → agent's socket   ${num(rate)} messages/s sustained   p50 ${num(f.p50, 1)} ms   p99 ${num(f.p99, 1)} ms   max ${num(f.max, 1)} ms`,
          `                                   ${num(f.stored)} messages stored, ${f.missing} not pushed within 5 s${result.exhausted ? ', prepared bodies ran out (raise BODIES_PER_SECOND)' : ''}; routing ${routing.map((r) => `${r.state} ${num(Number(r.n))}`).join(', ') || 'n/a'}`,
          `                                   web-chat sockets still open at the end: ${num(stillOpen)}/${num(opened)}`,
          `  baseline raw message inserts     ${num(baseRate)} rows/s (one row per transaction, ${num(baseline.rows)} rows)`,
          `  ratio                            ${(rate / baseRate).toFixed(3)} of the raw insert rate`,
          `  aim                              ≥ 1,000 messages/s with p99 ≤ 100 ms: ${rate >= 1000 && f.p99 <= 100 ? 'met' : 'not met'}`,
          '',
        ].join('\n'),
      );
    } finally {
      await visitors?.terminate();
      await omnis?.app.close().catch(() => undefined);
      await database.dispose().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
