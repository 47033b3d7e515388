/**
 * @module Idempotency-Key on POST (Stripe's semantics): the first request with a key runs and its response is
 * stored; a retry with the same key and the same request gets that response again (`idempotent-replayed:
 * true`); the same key with a different request is a 422; a retry while the first is still running is a 409.
 * Keys are per caller and kept for idempotencyTtlMs. Server errors (5xx) are not stored, so they can be retried.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors';
import { decodeJson, encodeJson } from '../db/codecs';
import type { Db } from '../db/database';
import { principalId } from '../auth/principal';

export interface IdempotencyState {
  principalId: string;
  key: string;
}

/** A request still marked in progress after this long was lost with its process. */
const ABANDONED_AFTER_MS = 60_000;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

export function installIdempotency(app: FastifyInstance, db: Db, ttlMs: number): void {
  // preHandler: after auth and validation, so a refused or invalid request never occupies a key.
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || request.principal.kind === 'anonymous') return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new AppError('validation_failed', 'Idempotency-Key must be 1–255 visible ASCII characters.', {
        errors: [{ field: 'headers.idempotency-key', message: 'must be 1–255 visible ASCII characters' }],
      });
    }
    const owner = principalId(request.principal);
    const hash = requestHash(request.method, request.url, request.body);
    const now = Date.now();
    await db
      .deleteFrom('idempotency_keys')
      .where('principal_id', '=', owner)
      .where('key', '=', key)
      .where('expires_at', '<=', now)
      .execute();
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        principal_id: owner,
        key,
        request_hash: hash,
        state: 'in_progress',
        response_status: null,
        response_headers: null,
        response_body: null,
        created_at: now,
        expires_at: now + ttlMs,
      })
      .onConflict((oc) => oc.columns(['principal_id', 'key']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) {
      request.idempotency = { principalId: owner, key };
      return;
    }
    const stored = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('principal_id', '=', owner)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (stored.request_hash !== hash) {
      throw new AppError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request.',
        {
          errors: [
            { field: 'headers.idempotency-key', message: 'was used with another request body or path' },
          ],
        },
      );
    }
    if (stored.state !== 'completed') {
      // A first request that crashed the process never finishes: after a minute its key may be taken over.
      const takenOver = await db
        .updateTable('idempotency_keys')
        .set({ created_at: now })
        .where('principal_id', '=', owner)
        .where('key', '=', key)
        .where('state', '=', 'in_progress')
        .where('created_at', '<', now - ABANDONED_AFTER_MS)
        .executeTakeFirst();
      if (Number(takenOver.numUpdatedRows) === 1) {
        request.idempotency = { principalId: owner, key };
        return;
      }
      throw new AppError(
        'idempotency_in_progress',
        'The first request with this Idempotency-Key has not finished yet; retry shortly.',
      );
    }
    const headers = decodeJson<Record<string, string>>(stored.response_headers) ?? {};
    return reply
      .code(stored.response_status ?? 200)
      .headers({ ...headers, 'idempotent-replayed': 'true' })
      .send(stored.response_body ?? undefined);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const state = request.idempotency;
    if (!state) return payload;
    request.idempotency = undefined;
    const where = db
      .deleteFrom('idempotency_keys')
      .where('principal_id', '=', state.principalId)
      .where('key', '=', state.key);
    // A streamed response cannot be stored for replay, so its key is released like a server error's.
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : payload == null
            ? null
            : undefined;
    if (reply.statusCode >= 500 || body === undefined) {
      await where.execute();
      return payload;
    }
    const contentType = reply.getHeader('content-type');
    await db
      .updateTable('idempotency_keys')
      .set({
        state: 'completed',
        response_status: reply.statusCode,
        response_headers: encodeJson(contentType ? { 'content-type': String(contentType) } : {}),
        response_body: body,
      })
      .where('principal_id', '=', state.principalId)
      .where('key', '=', state.key)
      .execute();
    return payload;
  });
}

/** Removes expired keys (housekeeping job). */
export async function purgeIdempotencyKeys(db: Db): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('expires_at', '<=', Date.now()).execute();
}
