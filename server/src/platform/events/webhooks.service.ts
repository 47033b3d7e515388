/**
 * @module Webhook endpoints and their delivery log. Endpoints subscribe to event types (or `*`); the
 * `webhooks` event consumer turns each matching event into a pending delivery, and the sender posts it.
 * The signing secret is shown once at creation (and on rotation) and never again.
 */
import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { AppError, notFound } from '../errors';
import { decodeBool, decodeJson, encodeBool, encodeJson, toIso, toIsoRequired } from '../db/codecs';
import type { Db } from '../db/database';
import { afterCommit, inTransaction, type DbOrTrx } from '../db/transaction';
import { newId } from '../ids';
import { paginate, type Page, type PageRequest } from '../http/pagination';
import type { Actor } from '../auth/principal';
import type { DomainEvent, EventTypeDefinition } from './envelope';
import type { EventConsumer } from './dispatcher';
import type { EventBus } from './outbox';
import { literalTargetProblem } from './webhook-target';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from './events.table';

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  active: boolean;
  created_at: string;
  updated_at: string;
}

export interface WebhookDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryRow['status'];
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttempt {
  attempted_at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_body: string | null;
}

export function endpointFromRow(row: Selectable<WebhookEndpointRow>): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: decodeJson<string[]>(row.event_types),
    active: decodeBool(row.active),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

export function deliveryFromRow(row: Selectable<WebhookDeliveryRow>): WebhookDelivery {
  return {
    id: row.id,
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempts: Number(row.attempts),
    next_attempt_at: toIso(row.next_attempt_at),
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

const attemptFromRow = (row: Selectable<WebhookAttemptRow>): WebhookAttempt => ({
  attempted_at: toIsoRequired(row.attempted_at),
  status_code: row.status_code,
  duration_ms: Number(row.duration_ms),
  error: row.error,
  response_body: row.response_body,
});

/** Standard Webhooks secrets: `whsec_` + base64 of 24 random bytes. */
export const newWebhookSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export interface WebhookInput {
  url: string;
  description?: string | undefined;
  event_types: string[];
  active?: boolean | undefined;
}

export function createWebhooksService(deps: {
  db: Db;
  events: EventBus;
  eventTypes: () => EventTypeDefinition[];
  allowPrivateTargets: boolean;
  wakeSender: () => void;
}) {
  const { db, events } = deps;

  function checkInput(input: Partial<WebhookInput>): void {
    if (input.url !== undefined) {
      let url: URL | null = null;
      try {
        url = new URL(input.url);
      } catch {
        url = null;
      }
      if (!url || !['http:', 'https:'].includes(url.protocol)) {
        throw new AppError('validation_failed', 'The webhook URL must be an absolute http(s) URL.', {
          errors: [{ field: 'body.url', message: 'must be an absolute http:// or https:// URL' }],
        });
      }
      const problem = deps.allowPrivateTargets ? null : literalTargetProblem(url);
      if (problem) {
        throw new AppError('validation_failed', `The webhook URL ${problem}.`, {
          errors: [{ field: 'body.url', message: `${problem} (see webhookAllowPrivateTargets)` }],
        });
      }
    }
    if (input.event_types) {
      const known = new Set(deps.eventTypes().map((t) => t.type));
      const unknown = input.event_types.filter((t) => t !== '*' && !known.has(t));
      if (unknown.length) {
        throw new AppError('validation_failed', `Unknown event type ${unknown.join(', ')}.`, {
          errors: unknown.map((t) => ({ field: 'body.event_types', message: `"${t}" is not an event type` })),
        });
      }
    }
  }

  async function retrieveRow(trx: DbOrTrx, id: string) {
    const row = await trx.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('webhook endpoint', id);
    return row;
  }

  return {
    async listWebhooks(page: PageRequest): Promise<Page<WebhookEndpoint>> {
      return paginate(db.selectFrom('webhook_endpoints').selectAll(), 'id', page, endpointFromRow);
    },

    async retrieveWebhook(id: string): Promise<WebhookEndpoint> {
      return endpointFromRow(await retrieveRow(db, id));
    },

    /** Creates an endpoint; the returned `secret` is the only time it is shown. */
    async createWebhook(input: WebhookInput, actor: Actor): Promise<WebhookEndpoint & { secret: string }> {
      checkInput(input);
      const now = Date.now();
      const secret = newWebhookSecret();
      const row = {
        id: newId('whe'),
        url: input.url,
        description: input.description ?? '',
        event_types: encodeJson(input.event_types),
        secret,
        active: encodeBool(input.active ?? true),
        created_at: now,
        updated_at: now,
      };
      await inTransaction(db, async (trx) => {
        await trx.insertInto('webhook_endpoints').values(row).execute();
        await events.append(trx, {
          type: 'webhook_endpoint.created',
          aggregate: { type: 'webhook_endpoint', id: row.id },
          actor,
          data: { id: row.id },
        });
      });
      return { ...endpointFromRow(row), secret };
    },

    async updateWebhook(id: string, patch: Partial<WebhookInput>, actor: Actor): Promise<WebhookEndpoint> {
      checkInput(patch);
      return inTransaction(db, async (trx) => {
        await retrieveRow(trx, id);
        await trx
          .updateTable('webhook_endpoints')
          .set({
            ...(patch.url !== undefined ? { url: patch.url } : {}),
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.event_types !== undefined ? { event_types: encodeJson(patch.event_types) } : {}),
            ...(patch.active !== undefined ? { active: encodeBool(patch.active) } : {}),
            updated_at: Date.now(),
          })
          .where('id', '=', id)
          .execute();
        await events.append(trx, {
          type: 'webhook_endpoint.updated',
          aggregate: { type: 'webhook_endpoint', id },
          actor,
          data: { id, fields: Object.keys(patch) },
        });
        return endpointFromRow(await retrieveRow(trx, id));
      });
    },

    async rotateWebhookSecret(id: string, actor: Actor): Promise<{ secret: string }> {
      const secret = newWebhookSecret();
      await inTransaction(db, async (trx) => {
        await retrieveRow(trx, id);
        await trx
          .updateTable('webhook_endpoints')
          .set({ secret, updated_at: Date.now() })
          .where('id', '=', id)
          .execute();
        await events.append(trx, {
          type: 'webhook_endpoint.updated',
          aggregate: { type: 'webhook_endpoint', id },
          actor,
          data: { id, fields: ['secret'] },
        });
      });
      return { secret };
    },

    /** Deletes the endpoint and its delivery log. */
    async deleteWebhook(id: string, actor: Actor): Promise<void> {
      await inTransaction(db, async (trx) => {
        await retrieveRow(trx, id);
        await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
        await events.append(trx, {
          type: 'webhook_endpoint.deleted',
          aggregate: { type: 'webhook_endpoint', id },
          actor,
          data: { id },
        });
      });
    },

    async listDeliveries(endpointId: string, page: PageRequest): Promise<Page<WebhookDelivery>> {
      await retrieveRow(db, endpointId);
      return paginate(
        db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId),
        'id',
        page,
        deliveryFromRow,
      );
    },

    async retrieveDelivery(endpointId: string, deliveryId: string) {
      const row = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('id', '=', deliveryId)
        .where('endpoint_id', '=', endpointId)
        .executeTakeFirst();
      if (!row) throw notFound('webhook delivery', deliveryId);
      const attempts = await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where('delivery_id', '=', deliveryId)
        .orderBy('id', 'asc')
        .execute();
      return {
        ...deliveryFromRow(row),
        payload: decodeJson<Record<string, unknown>>(row.payload),
        attempt_log: attempts.map(attemptFromRow),
      };
    },

    /** Queues the delivery to be sent again now, whatever its state; the attempt log keeps growing. */
    async redeliver(endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
      const now = Date.now();
      const updated = await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: now, locked_until: null, updated_at: now })
        .where('id', '=', deliveryId)
        .where('endpoint_id', '=', endpointId)
        .returningAll()
        .executeTakeFirst();
      if (!updated) throw notFound('webhook delivery', deliveryId);
      deps.wakeSender();
      return deliveryFromRow(updated);
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;

/** The payload posted to endpoints, in the Standard Webhooks shape `{ type, timestamp, data }`. */
export function webhookPayload(event: DomainEvent) {
  const { position: _position, ...envelope } = event;
  return { type: event.type, timestamp: event.occurred_at, data: envelope };
}

/** Durable consumer: one pending delivery per (event, subscribed active endpoint), written with the offset. */
export function webhookFanOut(wakeSender: () => void): EventConsumer {
  return {
    name: 'webhooks',
    mode: 'durable',
    async handle(batch, trx) {
      const endpoints = (await trx.selectFrom('webhook_endpoints').selectAll().execute())
        .map(endpointFromRow)
        .filter((e) => e.active);
      if (endpoints.length === 0) return;
      const now = Date.now();
      const rows = batch.flatMap((event) =>
        endpoints
          .filter((e) => e.event_types.includes('*') || e.event_types.includes(event.type))
          // An endpoint receives what happened since it was created, even when the dispatcher runs behind.
          .filter((e) => Date.parse(event.occurred_at) >= Date.parse(e.created_at))
          .map((e) => ({
            id: newId('whd'),
            endpoint_id: e.id,
            event_id: event.id,
            event_type: event.type,
            payload: encodeJson(webhookPayload(event)),
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: now,
            locked_until: null,
            last_status_code: null,
            last_error: null,
            created_at: now,
            updated_at: now,
          })),
      );
      if (rows.length === 0) return;
      // A redelivered batch (after a crash between insert and offset) must not double the deliveries.
      await trx
        .insertInto('webhook_deliveries')
        .values(rows)
        .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
        .execute();
      afterCommit(trx, wakeSender);
    },
  };
}
