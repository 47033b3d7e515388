/**
 * @module Erasure requests from the preference centre. Erasure is a request that staff confirm, as
 * data-subject-request tools (OneTrust, Transcend, Ketch) run it, not an immediate button: erasure cannot be undone,
 * a preference link lives for weeks in a mailbox and may be forwarded, and the business may have to keep some data
 * (an open order, invoices it must keep by law: GDPR Art. 17(3)). The customer confirms in the page, can withdraw
 * the request while it is pending, and sees its due date — one month, Art. 12(3). Staff confirm it through the
 * existing privacy erase path, or reject it with a reason from a fixed list.
 */
import { AppError, notFound } from '../../platform/errors';
import { encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import { inTransaction } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { PageRequest } from '../../platform/http/pagination';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import { mergedFamily, survivorOf } from './customer.repository';
import type { CustomerPrivacyService } from './privacy';
import {
  decideErasureRequest,
  erasureRequestFromRow,
  findErasureRequest,
  findPendingErasureRequest,
  insertErasureRequest,
  listErasureRequests,
  type ErasureRequest,
  type ErasureRequestStatus,
} from './self-service.repository';

/** The customer behind a token, as the auth hook resolved it. */
export interface CustomerCaller {
  customerId: string;
  tokenId: string;
  channelId: string | null;
}

/** Why staff may refuse an erasure (GDPR Art. 17(3) and its practice); never free text with personal data. */
export const erasureRejectionReasons = [
  'legal_obligation',
  'legal_claims',
  'open_contract',
  'identity_not_verified',
] as const;
export type ErasureRejectionReason = (typeof erasureRejectionReasons)[number];

/** One month to answer a data subject request (GDPR Art. 12(3)). */
const ERASURE_DUE_MS = 30 * 24 * 3_600_000; // 30 days

export const customerActor = (caller: CustomerCaller): Actor => ({
  type: 'customer',
  id: caller.customerId,
  label: 'customer',
});

export function createErasureRequests(deps: { db: Db; events: EventBus; privacy: CustomerPrivacyService }) {
  const { db, events } = deps;

  async function familyOf(customerId: string) {
    const profile = await survivorOf(db, customerId);
    if (!profile || profile.status === 'erased') throw notFound('customer', customerId);
    return { profile, family: await mergedFamily(db, profile.id) };
  }

  return {
    /**
     * Asks for erasure; answers the pending request when there already is one (`created: false`).
     * @example const { request } = await selfService.requestErasure(caller)
     */
    async requestErasure(caller: CustomerCaller): Promise<{ request: ErasureRequest; created: boolean }> {
      const { profile, family } = await familyOf(caller.customerId);
      const existing = await findPendingErasureRequest(db, family);
      if (existing) return { request: erasureRequestFromRow(existing), created: false };
      const now = Date.now();
      const id = newId('ers');
      try {
        await inTransaction(db, async (trx) => {
          await insertErasureRequest(trx, {
            id,
            customer_id: profile.id,
            status: 'pending',
            channel_id: caller.channelId,
            token_id: caller.tokenId,
            requested_at: now,
            due_at: now + ERASURE_DUE_MS,
            decided_at: null,
            decided_by: null,
            reason: null,
          });
          await events.append(trx, {
            type: 'customer.erasure_requested',
            aggregate: { type: 'customer', id: profile.id },
            customerId: profile.id,
            channelId: caller.channelId,
            actor: customerActor(caller),
            data: {
              request_id: id,
              customer_id: profile.id,
              due_at: new Date(now + ERASURE_DUE_MS).toISOString(),
            },
          });
        });
      } catch (err) {
        // A concurrent click made the request first: the unique index on pending requests refused this one.
        if (!isUniqueViolation(err)) throw err;
        const winner = await findPendingErasureRequest(db, family);
        if (!winner) throw err;
        return { request: erasureRequestFromRow(winner), created: false };
      }
      return { request: erasureRequestFromRow((await findErasureRequest(db, id))!), created: true };
    },

    /** The customer changes their mind while the request is pending. */
    async cancelErasure(caller: CustomerCaller): Promise<ErasureRequest> {
      const { profile, family } = await familyOf(caller.customerId);
      const pending = await findPendingErasureRequest(db, family);
      if (!pending) throw new AppError('not_found', 'There is no pending erasure request.');
      const actor = customerActor(caller);
      return inTransaction(db, async (trx) => {
        const row = await decideErasureRequest(trx, pending.id, {
          status: 'cancelled',
          decided_at: Date.now(),
          decided_by: encodeJson({ type: actor.type, id: actor.id }),
          reason: null,
        });
        if (!row) throw new AppError('conflict', 'The erasure request was decided meanwhile.');
        await events.append(trx, {
          type: 'customer.erasure_request_cancelled',
          aggregate: { type: 'customer', id: profile.id },
          customerId: profile.id,
          actor,
          data: { request_id: row.id, customer_id: profile.id },
        });
        return erasureRequestFromRow(row);
      });
    },

    listErasureRequests: (filter: PageRequest & { status?: ErasureRequestStatus | undefined }) =>
      listErasureRequests(db, filter),

    /**
     * Staff confirm a pending request: the existing privacy erase path runs (every module, one transaction), and
     * its handler for this module marks the request completed in that same transaction.
     * @example await selfService.confirmErasureRequest('ers_01…', actor, { suppress: true })
     */
    async confirmErasureRequest(
      id: string,
      actor: Actor,
      options: { suppress?: boolean } = {},
    ): Promise<{ request: ErasureRequest; profiles: string[] }> {
      const row = await findErasureRequest(db, id);
      if (!row) throw notFound('erasure request', id);
      if (row.status !== 'pending')
        throw new AppError('conflict', `This erasure request is already ${row.status}.`, {
          status: row.status,
        });
      const erased = await deps.privacy.eraseCustomer(row.customer_id, actor, options);
      // Who decided is noted after the erasure committed; the customer.erased event and the audit log name them too.
      await db
        .updateTable('customer_erasure_requests')
        .set({ decided_by: encodeJson({ type: actor.type, id: actor.id }) })
        .where('id', '=', id)
        .where('status', '=', 'completed')
        .execute();
      return {
        request: erasureRequestFromRow((await findErasureRequest(db, id))!),
        profiles: erased.profiles,
      };
    },

    /** Staff refuse a pending request for a stated reason (the customer sees it on their page). */
    async rejectErasureRequest(
      id: string,
      reason: ErasureRejectionReason,
      actor: Actor,
    ): Promise<ErasureRequest> {
      return inTransaction(db, async (trx) => {
        const row = await decideErasureRequest(trx, id, {
          status: 'rejected',
          decided_at: Date.now(),
          decided_by: encodeJson({ type: actor.type, id: actor.id }),
          reason,
        });
        if (!row) {
          const known = await findErasureRequest(trx, id);
          if (!known) throw notFound('erasure request', id);
          throw new AppError('conflict', `This erasure request is already ${known.status}.`, {
            status: known.status,
          });
        }
        await events.append(trx, {
          type: 'customer.erasure_request_rejected',
          aggregate: { type: 'customer', id: row.customer_id },
          customerId: row.customer_id,
          actor,
          data: { request_id: row.id, customer_id: row.customer_id, reason },
        });
        return erasureRequestFromRow(row);
      });
    },
  };
}
