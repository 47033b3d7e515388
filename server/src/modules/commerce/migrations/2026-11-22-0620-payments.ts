/**
 * @module Payments, refunds, inbound provider webhooks, gift cards and store credit. Money columns are minor units;
 * CHECK constraints back up the guarded updates (refunded ≤ captured ≤ authorized, balances never below zero), so
 * even a faulty caller cannot write money that does not exist.
 */
import { sql, type Kysely } from 'kysely';
import { columnTypes, dialectOf } from '../../../platform/db/columns';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const t = columnTypes(dialectOf(db));

  await db.schema
    .createTable('payments')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('order_id', t.id)
    .addColumn('cart_id', t.id)
    .addColumn('channel_id', t.id, (c) => c.notNull())
    .addColumn('customer_id', t.id)
    .addColumn('provider', t.text, (c) => c.notNull())
    .addColumn('currency', t.text, (c) => c.notNull())
    .addColumn('amount', t.integer, (c) => c.notNull())
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('amount_authorized', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('amount_captured', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('amount_refunded', t.integer, (c) => c.notNull().defaultTo(0))
    // The provider's own id (processor intent, terminal approval, gift card id, store credit account).
    .addColumn('provider_reference', t.text)
    // What the provider tells about the tender: card brand and last 4, cash tendered and change. Never a PAN.
    .addColumn('details', t.json, (c) => c.notNull())
    .addColumn('failure_code', t.text)
    .addColumn('failure_message', t.text)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('payments_amount_ck', sql`amount > 0`)
    .addCheckConstraint(
      'payments_money_ck',
      sql`amount_refunded >= 0 and amount_refunded <= amount_captured and amount_captured <= amount_authorized and amount_authorized <= amount`,
    )
    .execute();
  await db.schema.createIndex('payments_order_idx').on('payments').columns(['order_id', 'id']).execute();
  await db.schema.createIndex('payments_cart_idx').on('payments').columns(['cart_id', 'id']).execute();
  await db.schema
    .createIndex('payments_customer_idx')
    .on('payments')
    .columns(['customer_id', 'id'])
    .execute();
  await db.schema
    .createIndex('payments_reference_idx')
    .on('payments')
    .columns(['provider', 'provider_reference'])
    .execute();

  await db.schema
    .createTable('payment_refunds')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('payment_id', t.id, (c) => c.notNull().references('payments.id'))
    .addColumn('amount', t.integer, (c) => c.notNull())
    .addColumn('currency', t.text, (c) => c.notNull())
    // pending (held against the payment while the provider is asked) | succeeded | failed
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('provider_reference', t.text)
    .addColumn('failure_code', t.text)
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('payment_refunds_amount_ck', sql`amount > 0`)
    .execute();
  await db.schema
    .createIndex('payment_refunds_payment_idx')
    .on('payment_refunds')
    .columns(['payment_id', 'id'])
    .execute();

  // Every inbound webhook id once: a replayed delivery finds its id taken and changes nothing.
  await db.schema
    .createTable('payment_webhook_receipts')
    .addColumn('provider', t.text, (c) => c.notNull())
    .addColumn('webhook_id', t.text, (c) => c.notNull())
    .addColumn('event_type', t.text, (c) => c.notNull())
    .addColumn('payment_id', t.id)
    .addColumn('received_at', t.time, (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_webhook_receipts_pk', ['provider', 'webhook_id'])
    .execute();

  await db.schema
    .createTable('gift_cards')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // SHA-256 of the normalized code: the code itself is shown once, at issue.
    .addColumn('code_hash', t.text, (c) => c.notNull().unique())
    .addColumn('last4', t.text, (c) => c.notNull())
    .addColumn('currency', t.text, (c) => c.notNull())
    .addColumn('initial_amount', t.integer, (c) => c.notNull())
    .addColumn('balance', t.integer, (c) => c.notNull())
    // active | disabled
    .addColumn('status', t.text, (c) => c.notNull())
    .addColumn('expires_at', t.time)
    .addColumn('customer_id', t.id)
    .addColumn('channel_id', t.id)
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('gift_cards_balance_ck', sql`balance >= 0`)
    .execute();

  await db.schema
    .createTable('gift_card_movements')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('gift_card_id', t.id, (c) => c.notNull().references('gift_cards.id'))
    // issue | redeem | refund | disable
    .addColumn('kind', t.text, (c) => c.notNull())
    // Signed: a redemption is negative.
    .addColumn('amount', t.integer, (c) => c.notNull())
    .addColumn('balance_after', t.integer, (c) => c.notNull())
    .addColumn('payment_id', t.id)
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('occurred_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('gift_card_movements_card_idx')
    .on('gift_card_movements')
    .columns(['gift_card_id', 'id'])
    .execute();

  await db.schema
    .createTable('store_credit_accounts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // Null once the customer is erased: the balance stays on the books, unattributed.
    .addColumn('customer_id', t.id)
    .addColumn('currency', t.text, (c) => c.notNull())
    .addColumn('balance', t.integer, (c) => c.notNull())
    .addColumn('created_at', t.time, (c) => c.notNull())
    .addColumn('updated_at', t.time, (c) => c.notNull())
    .addCheckConstraint('store_credit_accounts_balance_ck', sql`balance >= 0`)
    .execute();
  await db.schema
    .createIndex('store_credit_accounts_customer_uq')
    .on('store_credit_accounts')
    .columns(['customer_id', 'currency'])
    .unique()
    .execute();

  await db.schema
    .createTable('store_credit_movements')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('account_id', t.id, (c) => c.notNull().references('store_credit_accounts.id'))
    // credit | debit | adjust
    .addColumn('kind', t.text, (c) => c.notNull())
    .addColumn('amount', t.integer, (c) => c.notNull())
    .addColumn('balance_after', t.integer, (c) => c.notNull())
    .addColumn('reason', t.text, (c) => c.notNull())
    .addColumn('payment_id', t.id)
    .addColumn('reference_type', t.text)
    .addColumn('reference_id', t.text)
    .addColumn('actor_type', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('occurred_at', t.time, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('store_credit_movements_account_idx')
    .on('store_credit_movements')
    .columns(['account_id', 'id'])
    .execute();
}
