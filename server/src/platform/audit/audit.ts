/**
 * @module Audit log of staff actions. Every successful state-changing request by a staff user or secret key is
 * recorded by one hook (action from the route's `audit` name, target from its id), and services record what a
 * hook cannot see, such as sign-ins and reads of personal data.
 */
import type { FastifyInstance } from 'fastify';
import type { Selectable } from 'kysely';
import { decodeJson, encodeJson, toIsoRequired } from '../db/codecs';
import type { Db } from '../db/database';
import type { DbOrTrx } from '../db/transaction';
import { newId } from '../ids';
import { paginate, type Page, type PageRequest } from '../http/pagination';
import { actorOf, type Actor } from '../auth/principal';
import type { AuditRow } from './audit.table';

export interface AuditEntry {
  id: string;
  actor: { type: string; id: string | null; label: string };
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  data: unknown;
  occurred_at: string;
}

export interface NewAuditEntry {
  actor: Actor;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  requestId?: string | null;
  data?: Record<string, unknown>;
}

const entryFromRow = (row: Selectable<AuditRow>): AuditEntry => ({
  id: row.id,
  actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label },
  action: row.action,
  target_type: row.target_type,
  target_id: row.target_id,
  ip: row.ip,
  request_id: row.request_id,
  data: decodeJson(row.data),
  occurred_at: toIsoRequired(row.occurred_at),
});

/** Appends one entry (inside the caller's transaction when given one). */
export async function recordAudit(db: DbOrTrx, entry: NewAuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: newId('aud'),
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_label: entry.actor.label,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId ?? null,
      ip: entry.ip ?? null,
      request_id: entry.requestId ?? null,
      data: encodeJson(entry.data ?? {}),
      occurred_at: Date.now(),
    })
    .execute();
}

export async function listAudit(
  db: Db,
  filter: PageRequest & { actor_id?: string | undefined; action?: string | undefined },
): Promise<Page<AuditEntry>> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.actor_id) q = q.where('actor_id', '=', filter.actor_id);
  if (filter.action) q = q.where('action', '=', filter.action);
  return paginate(q, 'id', filter, entryFromRow);
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Records every successful state-changing request made by staff or a secret key. */
export function installAuditHook(app: FastifyInstance, db: Db): void {
  // onSend, not onResponse: the entry is written before the client hears back, so whoever reads the audit log
  // right after a change finds it there.
  app.addHook('onSend', async (request, reply, payload) => {
    const action = request.routeOptions.config.audit;
    const principal = request.principal;
    if (!action || !STATE_CHANGING.has(request.method) || reply.statusCode >= 300) return payload;
    if (reply.getHeader('idempotent-replayed') === 'true') return payload; // the original request was audited
    if (principal.kind !== 'staff' && principal.kind !== 'secret_key') return payload;
    const params = (request.params ?? {}) as Record<string, string>;
    const body =
      request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    // A created resource's id is known only from the response.
    const createdId = typeof payload === 'string' ? /^\{"id":"([^"]+)"/.exec(payload)?.[1] : undefined;
    await recordAudit(db, {
      actor: actorOf(principal),
      action,
      targetType: action.split('.')[0] ?? null,
      // The innermost resource: a delivery's id rather than its endpoint's.
      targetId: params.deliveryId ?? params.id ?? createdId ?? null,
      ip: request.ip,
      requestId: String(request.id),
      // Field names only: values may be passwords or secrets.
      data: {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        params,
        fields: Object.keys(body),
      },
    }).catch((err: unknown) => request.log.error({ err }, 'audit write failed'));
    return payload;
  });
}
