/**
 * @module Gift cards: a code (stored as a SHA-256 hash and its last 4 characters; the full code is shown once, at
 * issue), a currency, a balance and an optional expiry, with a ledger of every movement. Redeeming is one guarded
 * UPDATE (`balance >= amount`, active, unexpired) checked by the row it returns, so fifty tills spending the same
 * card at once can never take more than is on it.
 */
import { randomInt } from 'node:crypto';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { AppError, notFound } from '../../platform/errors';
import type { Actor } from '../../platform/auth/principal';
import { hashToken } from '../../platform/auth/secrets';
import { toIso, toIsoRequired } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction, type DbOrTrx, type Trx } from '../../platform/db/transaction';
import type { EventBus } from '../../platform/events/outbox';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import { newId } from '../../platform/ids';
import type { Money } from '../catalog';
import type { GiftCardMovementRow, GiftCardRow } from './payment.table';

export interface GiftCard {
  id: string;
  last4: string;
  initial_amount: Money;
  balance: Money;
  /** `expired` once past its expiry, even though the row still says active. */
  status: 'active' | 'disabled' | 'expired';
  expires_at: string | null;
  customer_id: string | null;
  channel_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface GiftCardMovement {
  id: string;
  kind: 'issue' | 'redeem' | 'refund';
  amount: Money;
  balance_after: Money;
  payment_id: string | null;
  occurred_at: string;
}

export interface IssueGiftCardInput {
  amount: Money;
  expires_at?: string | undefined;
  customer_id?: string | undefined;
  channel_id?: string | undefined;
}

/** Why a redemption was refused, in the processor's vocabulary (`decline_code`). */
export type GiftCardDecline = { code: string; message: string };

// No 0/O, 1/I/L: a code read aloud over the phone or typed from a receipt survives.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 16;

/** `ABCD-EFGH-JKMN-PQRS`: 16 characters of a 31-letter alphabet, about 79 bits — unguessable. */
function newCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return chars.join('').replace(/(.{4})(?!$)/g, '$1-');
}

/** Spaces, dashes and case do not matter when a code is typed in. */
export const normalizeCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();
const hashCode = (code: string) => hashToken(`gift_card:${normalizeCode(code)}`);

export function giftCardFromRow(row: Selectable<GiftCardRow>, now = Date.now()): GiftCard {
  const m = (amount: number) => ({ amount: Number(amount), currency: row.currency });
  const expiresAt = row.expires_at == null ? null : Number(row.expires_at);
  const expired = row.status === 'active' && expiresAt !== null && expiresAt <= now;
  return {
    id: row.id,
    last4: row.last4,
    initial_amount: m(row.initial_amount),
    balance: m(row.balance),
    status: expired ? 'expired' : (row.status as GiftCard['status']),
    expires_at: toIso(expiresAt),
    customer_id: row.customer_id,
    channel_id: row.channel_id,
    created_at: toIsoRequired(Number(row.created_at)),
    updated_at: toIsoRequired(Number(row.updated_at)),
  };
}

function movementFromRow(row: Selectable<GiftCardMovementRow>, currency: string): GiftCardMovement {
  return {
    id: row.id,
    kind: row.kind as GiftCardMovement['kind'],
    amount: { amount: Number(row.amount), currency },
    balance_after: { amount: Number(row.balance_after), currency },
    payment_id: row.payment_id,
    occurred_at: toIsoRequired(Number(row.occurred_at)),
  };
}

async function recordMovement(
  trx: DbOrTrx,
  card: Selectable<GiftCardRow>,
  kind: GiftCardMovement['kind'],
  amount: number,
  actor: Actor,
  paymentId: string | null,
) {
  await trx
    .insertInto('gift_card_movements')
    .values({
      id: newId('gcm'),
      gift_card_id: card.id,
      kind,
      amount,
      balance_after: Number(card.balance),
      payment_id: paymentId,
      actor_type: actor.type,
      actor_id: actor.id,
      occurred_at: Date.now(),
    })
    .execute();
}

export function createGiftCardsService(deps: { db: Db; events: EventBus }) {
  const { db, events } = deps;

  async function load(id: string): Promise<Selectable<GiftCardRow>> {
    const row = await db.selectFrom('gift_cards').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('gift card', id);
    return row;
  }

  const service = {
    /**
     * Issues a card loaded with `amount`. The code is in this answer and nowhere else, ever.
     * @example const { code } = await giftCards.issueGiftCard({ amount: { amount: 5000, currency: 'EUR' } }, actor)
     */
    async issueGiftCard(input: IssueGiftCardInput, actor: Actor): Promise<GiftCard & { code: string }> {
      const expiresAt = input.expires_at ? Date.parse(input.expires_at) : null;
      if (expiresAt !== null && expiresAt <= Date.now())
        throw new AppError('validation_failed', 'The expiry must be in the future.', {
          errors: [{ field: 'body.expires_at', message: 'must be in the future' }],
        });
      const code = newCode();
      const now = Date.now();
      const row = await inTransaction(db, async (trx) => {
        const card = await trx
          .insertInto('gift_cards')
          .values({
            id: newId('gcd'),
            code_hash: hashCode(code),
            last4: normalizeCode(code).slice(-4),
            currency: input.amount.currency,
            initial_amount: input.amount.amount,
            balance: input.amount.amount,
            status: 'active',
            expires_at: expiresAt,
            customer_id: input.customer_id ?? null,
            channel_id: input.channel_id ?? null,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordMovement(trx, card, 'issue', input.amount.amount, actor, null);
        await events.append(trx, {
          type: 'gift_card.issued',
          aggregate: { type: 'gift_card', id: card.id },
          customerId: card.customer_id,
          channelId: card.channel_id,
          actor,
          data: { id: card.id, amount: input.amount, last4: card.last4 },
        });
        return card;
      });
      return { ...giftCardFromRow(row), code };
    },

    async retrieveGiftCard(id: string): Promise<GiftCard & { movements: GiftCardMovement[] }> {
      const row = await load(id);
      const movements = await db
        .selectFrom('gift_card_movements')
        .selectAll()
        .where('gift_card_id', '=', id)
        .orderBy('id')
        .execute();
      return { ...giftCardFromRow(row), movements: movements.map((m) => movementFromRow(m, row.currency)) };
    },

    async listGiftCards(
      filter: PageRequest & { customer_id?: string | undefined; last4?: string | undefined },
    ): Promise<Page<GiftCard>> {
      let q = db.selectFrom('gift_cards').selectAll();
      if (filter.customer_id) q = q.where('customer_id', '=', filter.customer_id);
      if (filter.last4) q = q.where('last4', '=', filter.last4.toUpperCase());
      const now = Date.now();
      return paginate(q, 'id', filter, (row) => giftCardFromRow(row, now));
    },

    /** Stops a card from being spent (lost, stolen, sold by mistake); refunds can still return money to it. */
    async disableGiftCard(id: string, actor: Actor): Promise<GiftCard> {
      await load(id);
      const row = await inTransaction(db, async (trx) => {
        const after = await trx
          .updateTable('gift_cards')
          .set({ status: 'disabled', updated_at: Date.now() })
          .where('id', '=', id)
          .where('status', '=', 'active')
          .returningAll()
          .executeTakeFirst();
        if (!after) throw new AppError('conflict', 'This gift card is already disabled.');
        await events.append(trx, {
          type: 'gift_card.disabled',
          aggregate: { type: 'gift_card', id },
          customerId: after.customer_id,
          channelId: after.channel_id,
          actor,
          data: { id, balance: { amount: Number(after.balance), currency: after.currency } },
        });
        return after;
      });
      return giftCardFromRow(row);
    },

    /**
     * The card a full code opens, for the associate at the till: its id, last 4, balance, status and expiry —
     * never the code, which only the holder has.
     * @example await giftCards.lookupGiftCard('GC-…') // → { id: 'gcd_…', last4: 'X7K2', balance: { amount: 2500, currency: 'EUR' }, … }
     */
    async lookupGiftCard(code: string) {
      const row = await db
        .selectFrom('gift_cards')
        .selectAll()
        .where('code_hash', '=', hashCode(code))
        .executeTakeFirst();
      if (!row)
        throw new AppError('not_found', 'No gift card has this code.', {
          errors: [{ field: 'body.code', message: 'is not a known gift card code' }],
        });
      const card = giftCardFromRow(row);
      return {
        id: card.id,
        last4: card.last4,
        balance: card.balance,
        status: card.status,
        expires_at: card.expires_at,
      };
    },

    /** What a shopper sees for a code they hold: balance, currency, status, expiry — never who it belongs to. */
    async checkBalance(code: string) {
      const { last4, balance, status, expires_at } = await service.lookupGiftCard(code);
      return { last4, balance, status, expires_at };
    },

    /**
     * Spends `amount` of the card with `code`, inside the caller's transaction (the payment's). One guarded
     * UPDATE decides; a refusal is read afterwards only to say why.
     */
    async redeem(
      trx: Trx,
      input: { code: string; amount: Money; payment_id: string; actor: Actor },
    ): Promise<{ card: Selectable<GiftCardRow> } | GiftCardDecline> {
      const now = Date.now();
      const hash = hashCode(input.code);
      const after = await trx
        .updateTable('gift_cards')
        .set({ balance: sql`balance - ${input.amount.amount}`, updated_at: now })
        .where('code_hash', '=', hash)
        .where('status', '=', 'active')
        .where('currency', '=', input.amount.currency)
        .where('balance', '>=', input.amount.amount)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .returningAll()
        .executeTakeFirst();
      if (after) {
        await recordMovement(trx, after, 'redeem', -input.amount.amount, input.actor, input.payment_id);
        return { card: after };
      }
      const card = await trx
        .selectFrom('gift_cards')
        .selectAll()
        .where('code_hash', '=', hash)
        .executeTakeFirst();
      if (!card) return { code: 'invalid_gift_card', message: 'No gift card has this code.' };
      const view = giftCardFromRow(card, now);
      if (view.status !== 'active')
        return { code: `${view.status}_gift_card`, message: `This gift card is ${view.status}.` };
      if (card.currency !== input.amount.currency)
        return { code: 'currency_mismatch', message: `This gift card holds ${card.currency}.` };
      return {
        code: 'insufficient_funds',
        message: `The gift card holds ${view.balance.amount} (minor units); ${input.amount.amount} was asked.`,
      };
    },

    /** Puts refunded money back on the card it came from (even a disabled or expired one: it is the customer's). */
    async refundTo(
      trx: Trx,
      input: { gift_card_id: string; amount: number; payment_id: string; actor: Actor },
    ): Promise<void> {
      const after = await trx
        .updateTable('gift_cards')
        .set({ balance: sql`balance + ${input.amount}`, updated_at: Date.now() })
        .where('id', '=', input.gift_card_id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordMovement(trx, after, 'refund', input.amount, input.actor, input.payment_id);
    },
  };
  return service;
}

export type GiftCardsService = ReturnType<typeof createGiftCardsService>;
