/**
 * @module Customer access token and erasure request queries and row mappers; every function takes the database
 * or a transaction first.
 */
import type { Insertable, Selectable } from 'kysely';
import { toIso, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { CustomerAccessTokenRow, CustomerErasureRequestRow } from './self-service.table';

export type AccessTokenStatus = 'requested' | 'active' | 'expired' | 'revoked';

/** A token as staff see it: never the token itself, which only its creator ever holds. */
export interface AccessToken {
  id: string;
  customer_id: string;
  source: 'staff' | 'request';
  status: AccessTokenStatus;
  channel_id: string | null;
  sent_via: 'email' | 'sms' | null;
  created_at: string;
  issued_at: string | null;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export type ErasureRequestStatus = 'pending' | 'completed' | 'rejected' | 'cancelled';

export interface ErasureRequest {
  id: string;
  customer_id: string;
  status: ErasureRequestStatus;
  channel_id: string | null;
  requested_at: string;
  due_at: string;
  decided_at: string | null;
  reason: string | null;
}

export function accessTokenFromRow(row: Selectable<CustomerAccessTokenRow>, now = Date.now()): AccessToken {
  let status: AccessTokenStatus;
  if (row.revoked_at !== null) status = 'revoked';
  else if (row.expires_at <= now) status = 'expired';
  else status = row.token_hash === null ? 'requested' : 'active';
  return {
    id: row.id,
    customer_id: row.customer_id,
    source: row.source as AccessToken['source'],
    status,
    channel_id: row.channel_id,
    sent_via: row.sent_via as AccessToken['sent_via'],
    created_at: toIsoRequired(row.created_at),
    issued_at: toIso(row.issued_at),
    expires_at: toIsoRequired(row.expires_at),
    revoked_at: toIso(row.revoked_at),
    last_used_at: toIso(row.last_used_at),
  };
}

export function erasureRequestFromRow(row: Selectable<CustomerErasureRequestRow>): ErasureRequest {
  return {
    id: row.id,
    customer_id: row.customer_id,
    status: row.status as ErasureRequestStatus,
    channel_id: row.channel_id,
    requested_at: toIsoRequired(row.requested_at),
    due_at: toIsoRequired(row.due_at),
    decided_at: toIso(row.decided_at),
    reason: row.reason,
  };
}

export async function insertAccessToken(db: DbOrTrx, row: Insertable<CustomerAccessTokenRow>): Promise<void> {
  await db.insertInto('customer_access_tokens').values(row).execute();
}

export async function findAccessTokenByHash(
  db: DbOrTrx,
  tokenHash: string,
): Promise<Selectable<CustomerAccessTokenRow> | undefined> {
  return db
    .selectFrom('customer_access_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function findAccessToken(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CustomerAccessTokenRow> | undefined> {
  return db.selectFrom('customer_access_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Puts a token into a waiting request: one guarded UPDATE, so two senders handling the same event issue it
 * once. Undefined when the request is unknown, already issued, revoked or stale.
 */
export async function issueRequestedToken(
  db: DbOrTrx,
  id: string,
  tokenHash: string,
  now: number,
  expiresAt: number,
): Promise<Selectable<CustomerAccessTokenRow> | undefined> {
  return db
    .updateTable('customer_access_tokens')
    .set({ token_hash: tokenHash, issued_at: now, expires_at: expiresAt })
    .where('id', '=', id)
    .where('token_hash', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

/** Notes a use at most once a minute, so browsing the page does not turn every read into a write. */
export async function touchAccessToken(db: DbOrTrx, id: string, now: number): Promise<void> {
  await db
    .updateTable('customer_access_tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]))
    .execute();
}

/** Revokes every token and waiting request of these profiles that still works; returns how many. */
export async function revokeAccessTokens(db: DbOrTrx, customerIds: string[], now: number): Promise<number> {
  const result = await db
    .updateTable('customer_access_tokens')
    .set({ revoked_at: now })
    .where('customer_id', 'in', customerIds)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function revokeAccessToken(db: DbOrTrx, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('customer_access_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Links requested for these profiles since `since` (the self-service request flow's flood limit). */
export async function countRequestsSince(db: DbOrTrx, customerIds: string[], since: number): Promise<number> {
  const row = await db
    .selectFrom('customer_access_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', 'in', customerIds)
    .where('source', '=', 'request')
    .where('created_at', '>', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listAccessTokens(
  db: DbOrTrx,
  customerIds: string[],
  page: PageRequest,
): Promise<Page<AccessToken>> {
  const now = Date.now();
  const q = db.selectFrom('customer_access_tokens').selectAll().where('customer_id', 'in', customerIds);
  return paginate(q, 'id', page, (row) => accessTokenFromRow(row, now));
}

export async function insertErasureRequest(
  db: DbOrTrx,
  row: Insertable<CustomerErasureRequestRow>,
): Promise<void> {
  await db.insertInto('customer_erasure_requests').values(row).execute();
}

export async function findErasureRequest(
  db: DbOrTrx,
  id: string,
): Promise<Selectable<CustomerErasureRequestRow> | undefined> {
  return db.selectFrom('customer_erasure_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The open request of any of these profiles (at most one each, by the partial unique index). */
export async function findPendingErasureRequest(
  db: DbOrTrx,
  customerIds: string[],
): Promise<Selectable<CustomerErasureRequestRow> | undefined> {
  return db
    .selectFrom('customer_erasure_requests')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .where('status', '=', 'pending')
    .orderBy('id')
    .executeTakeFirst();
}

/** The newest request of any of these profiles, whatever its status. */
export async function findLatestErasureRequest(
  db: DbOrTrx,
  customerIds: string[],
): Promise<Selectable<CustomerErasureRequestRow> | undefined> {
  return db
    .selectFrom('customer_erasure_requests')
    .selectAll()
    .where('customer_id', 'in', customerIds)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Moves a pending request on, guarded by its status: of two deciders, one wins and the other sees undefined. */
export async function decideErasureRequest(
  db: DbOrTrx,
  id: string,
  change: {
    status: ErasureRequestStatus;
    decided_at: number;
    decided_by: string | null;
    reason: string | null;
  },
): Promise<Selectable<CustomerErasureRequestRow> | undefined> {
  return db
    .updateTable('customer_erasure_requests')
    .set(change)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

export async function listErasureRequests(
  db: DbOrTrx,
  filter: PageRequest & { status?: ErasureRequestStatus | undefined },
): Promise<Page<ErasureRequest>> {
  let q = db.selectFrom('customer_erasure_requests').selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  return paginate(q, 'id', filter, erasureRequestFromRow);
}
