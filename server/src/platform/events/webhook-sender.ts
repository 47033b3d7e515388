/**
 * @module Webhook sender: posts due deliveries signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`), records every attempt, and retries failures on the configured backoff schedule until
 * they succeed or the schedule runs out. Claims use a short lock so several processes never send the same
 * delivery at once; the network call happens outside any transaction.
 */
import type { FastifyBaseLogger } from 'fastify';
import { Webhook } from 'standardwebhooks';
import type { Dialect } from '../db/columns';
import type { Db } from '../db/database';
import { encodeBool } from '../db/codecs';
import { newId } from '../ids';
import { resolvedTargetProblem } from './webhook-target';

export interface WebhookSender {
  start(): void;
  wake(): void;
  stop(): Promise<void>;
  /** Sends everything due now (tests). */
  drain(): Promise<void>;
}

const CLAIM_BATCH = 10;
const MAX_RESPONSE_BODY = 2_000;

export function createWebhookSender(options: {
  db: Db;
  dialect: Dialect;
  timeoutMs: number;
  retryScheduleMs: readonly number[];
  allowPrivateTargets: boolean;
  pollMs: number;
  log: FastifyBaseLogger;
}): WebhookSender {
  const { db, dialect, timeoutMs, retryScheduleMs, log } = options;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;
  let running: Promise<void> | null = null;

  async function claimDue(): Promise<
    Array<{ id: string; endpoint_id: string; event_id: string; payload: unknown; attempts: number }>
  > {
    const now = Date.now();
    const lockUntil = now + timeoutMs * 2;
    const due = db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      // A paused endpoint keeps its pending deliveries until it is active again.
      .where(
        'endpoint_id',
        'in',
        db.selectFrom('webhook_endpoints').select('id').where('active', '=', encodeBool(true)),
      )
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(CLAIM_BATCH);
    // PostgreSQL: SKIP LOCKED lets parallel senders take disjoint batches. SQLite has a single writer, so the
    // guarded UPDATE below is already exclusive.
    const dueIds = dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
    return db
      .updateTable('webhook_deliveries')
      .set({ locked_until: lockUntil })
      .where('id', 'in', dueIds)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .returning(['id', 'endpoint_id', 'event_id', 'payload', 'attempts'])
      .execute();
  }

  async function send(delivery: {
    id: string;
    endpoint_id: string;
    event_id: string;
    payload: unknown;
    attempts: number;
  }): Promise<void> {
    const endpoint = await db
      .selectFrom('webhook_endpoints')
      .select(['url', 'secret'])
      .where('id', '=', delivery.endpoint_id)
      .executeTakeFirst();
    if (!endpoint) return; // deleted meanwhile; its deliveries went with it
    const body = typeof delivery.payload === 'string' ? delivery.payload : JSON.stringify(delivery.payload);
    const sentAt = new Date();
    // webhook-id is the event id: stable across retries, so receivers can deduplicate.
    const signature = new Webhook(endpoint.secret).sign(delivery.event_id, sentAt, body);
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    let responseBody: string | null = null;
    try {
      const refused = options.allowPrivateTargets ? null : await resolvedTargetProblem(new URL(endpoint.url));
      if (refused) throw new Error(`not sent: the URL ${refused}`);
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Omnis-Webhooks/1',
          'webhook-id': delivery.event_id,
          'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      statusCode = response.status;
      responseBody = (await response.text()).slice(0, MAX_RESPONSE_BODY);
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      error = e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    }
    const durationMs = Math.round(performance.now() - started);
    const attempts = Number(delivery.attempts) + 1;
    const now = Date.now();
    const retryDelay = retryScheduleMs[attempts - 1];
    const status = error === null ? 'succeeded' : retryDelay === undefined ? 'failed' : 'pending';
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          id: newId('wha'),
          delivery_id: delivery.id,
          attempted_at: now,
          status_code: statusCode,
          duration_ms: durationMs,
          error,
          response_body: responseBody,
        })
        .execute();
      await trx
        .updateTable('webhook_deliveries')
        .set({
          status,
          attempts,
          next_attempt_at: status === 'pending' ? now + (retryDelay ?? 0) : null,
          locked_until: null,
          last_status_code: statusCode,
          last_error: error,
          updated_at: now,
        })
        .where('id', '=', delivery.id)
        .execute();
    });
    if (error) log.warn({ deliveryId: delivery.id, attempts, error }, 'webhook delivery failed');
  }

  async function pass(): Promise<void> {
    for (;;) {
      const batch = await claimDue();
      if (batch.length === 0) return;
      await Promise.all(
        batch.map((d) =>
          send(d).catch((err: unknown) => log.error({ err, deliveryId: d.id }, 'webhook send crashed')),
        ),
      );
    }
  }

  function schedule(delay: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delay);
  }

  function tick(): void {
    if (running) return;
    running = pass()
      .catch((err: unknown) => log.error({ err }, 'webhook sender pass failed'))
      .finally(() => {
        running = null;
        schedule(options.pollMs * 4);
      });
  }

  return {
    start() {
      stopped = false;
      schedule(0);
    },
    wake() {
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    async drain() {
      await running;
      await pass();
    },
  };
}
