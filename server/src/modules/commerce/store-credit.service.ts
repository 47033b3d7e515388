/**
 * @module Store credit: a balance per customer per currency, usable in every channel, with an append-only ledger.
 * Crediting (returns, goodwill) adds; debiting (paying with it) is one guarded UPDATE (`balance >= amount`)
 * checked by the row it returns. Every movement is an event on the customer's timeline.
 */
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { AppError } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import { toIsoRequired } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import type { Money } from '../catalog';
import type { StoreCreditAccountRow, StoreCreditMovementRow } from './payment.table';

export interface StoreCreditMovement {
  id: string;
  kind: 'credit' | 'debit';
  amount: Money;
  balance_after: Money;
  reason: string;
  payment_id: string | null;
  reference: { type: string; id: string } | null;
  occurred_at: string;
}

export interface CreditInput {
  customer_id: string;
  /** Positive minor units. */
  amount: Money;
  reason: string;
  reference?: { type: string; id: string } | undefined;
  payment_id?: string | undefined;
}

function movementFromRow(
  row: Selectable<StoreCreditMovementRow> & { currency: string },
): StoreCreditMovement {
  return {
    id: row.id,
    kind: Number(row.amount) >= 0 ? 'credit' : 'debit',
    amount: { amount: Number(row.amount), currency: row.currency },
    balance_after: { amount: Number(row.balance_after), currency: row.currency },
    reason: row.reason,
    payment_id: row.payment_id,
    reference:
      row.reference_type && row.reference_id ? { type: row.reference_type, id: row.reference_id } : null,
    occurred_at: toIsoRequired(Number(row.occurred_at)),
  };
}

export function createStoreCreditService(deps: {
  db: Db;
  events: EventBus;
  /** The surviving profile of a customer id (merged profiles answer with the survivor). */
  resolveCustomer: (id: string) => Promise<string>;
}) {
  const { db, events } = deps;

  /** Writes the ledger line and the timeline event of a balance change already made. */
  async function record(
    trx: Trx,
    account: Selectable<StoreCreditAccountRow>,
    signed: number,
    input: Omit<CreditInput, 'amount'>,
    actor: Actor,
  ): Promise<void> {
    const now = Date.now();
    await trx
      .insertInto('store_credit_movements')
      .values({
        id: newId('scm'),
        account_id: account.id,
        kind: signed >= 0 ? 'credit' : 'debit',
        amount: signed,
        balance_after: Number(account.balance),
        reason: input.reason,
        payment_id: input.payment_id ?? null,
        reference_type: input.reference?.type ?? null,
        reference_id: input.reference?.id ?? null,
        actor_type: actor.type,
        actor_id: actor.id,
        occurred_at: now,
      })
      .execute();
    const currency = account.currency;
    await events.append(trx, {
      type: signed >= 0 ? 'store_credit.credited' : 'store_credit.debited',
      aggregate: { type: 'store_credit', id: account.id },
      customerId: input.customer_id,
      actor,
      data: {
        amount: { amount: Math.abs(signed), currency },
        balance: { amount: Number(account.balance), currency },
        payment_id: input.payment_id ?? null,
        reference: input.reference ?? null,
      },
    });
  }

  const service = {
    /**
     * Adds credit to a customer's balance in that currency (opening it on first use), inside the caller's
     * transaction when there is one (a return credits in the same unit of work as its restock).
     * @example await storeCredit.credit(trx, { customer_id, amount: { amount: 1500, currency: 'EUR' }, reason: 'return ret_…' }, actor)
     */
    async credit(dbOrTrx: DbOrTrx, input: CreditInput, actor: Actor): Promise<Money> {
      return inTransaction(dbOrTrx, async (trx) => {
        const now = Date.now();
        // NULL customer ids (erased) never collide in the unique index, so this only ever skips a live account.
        await trx
          .insertInto('store_credit_accounts')
          .values({
            id: newId('sca'),
            customer_id: input.customer_id,
            currency: input.amount.currency,
            balance: 0,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.columns(['customer_id', 'currency']).doNothing())
          .execute();
        const account = await trx
          .updateTable('store_credit_accounts')
          .set({ balance: sql`balance + ${input.amount.amount}`, updated_at: now })
          .where('customer_id', '=', input.customer_id)
          .where('currency', '=', input.amount.currency)
          .returningAll()
          .executeTakeFirstOrThrow();
        await record(trx, account, input.amount.amount, input, actor);
        return { amount: Number(account.balance), currency: account.currency };
      });
    },

    /** Takes `amount` off the balance, or answers why not; never below zero, whatever runs at the same time. */
    async debit(
      trx: Trx,
      input: CreditInput,
      actor: Actor,
    ): Promise<{ account: Selectable<StoreCreditAccountRow> } | { code: string; message: string }> {
      const account = await trx
        .updateTable('store_credit_accounts')
        .set({ balance: sql`balance - ${input.amount.amount}`, updated_at: Date.now() })
        .where('customer_id', '=', input.customer_id)
        .where('currency', '=', input.amount.currency)
        .where('balance', '>=', input.amount.amount)
        .returningAll()
        .executeTakeFirst();
      if (!account)
        return {
          code: 'insufficient_funds',
          message: `The customer's ${input.amount.currency} store credit does not cover ${input.amount.amount} (minor units).`,
        };
      await record(trx, account, -input.amount.amount, input, actor);
      return { account };
    },

    async balances(customerId: string): Promise<Money[]> {
      const id = await deps.resolveCustomer(customerId);
      const rows = await db
        .selectFrom('store_credit_accounts')
        .select(['currency', 'balance'])
        .where('customer_id', '=', id)
        .orderBy('currency')
        .execute();
      return rows.map((r) => ({ amount: Number(r.balance), currency: r.currency }));
    },

    async listMovements(customerId: string, page: PageRequest): Promise<Page<StoreCreditMovement>> {
      const id = await deps.resolveCustomer(customerId);
      const q = db
        .selectFrom('store_credit_movements')
        .innerJoin('store_credit_accounts', 'store_credit_accounts.id', 'store_credit_movements.account_id')
        .selectAll('store_credit_movements')
        .select('store_credit_accounts.currency')
        .where('store_credit_accounts.customer_id', '=', id);
      return paginate(q, 'store_credit_movements.id', page, movementFromRow);
    },

    /**
     * Staff adjustment with a reason: a positive amount credits, a negative one debits (refused when the balance
     * does not cover it).
     */
    async adjust(customerId: string, input: { amount: Money; reason: string }, actor: Actor): Promise<Money> {
      const id = await deps.resolveCustomer(customerId);
      if (input.amount.amount > 0)
        return service.credit(db, { customer_id: id, amount: input.amount, reason: input.reason }, actor);
      const amount = { amount: -input.amount.amount, currency: input.amount.currency };
      return inTransaction(db, async (trx) => {
        const result = await service.debit(trx, { customer_id: id, amount, reason: input.reason }, actor);
        if (!('account' in result))
          throw new AppError('unprocessable', result.message, {
            errors: [{ field: 'body.amount.amount', message: 'is more than the balance' }],
          });
        return { amount: Number(result.account.balance), currency: result.account.currency };
      });
    },
  };
  return service;
}

export type StoreCreditService = ReturnType<typeof createStoreCreditService>;
