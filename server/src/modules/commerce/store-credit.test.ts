/**
 * A customer's store credit: staff credit it with a reason, the customer spends it in any channel, a debit never
 * takes the balance below zero (not even when several race), a refund returns it, and erasure keeps the amounts
 * but forgets the person.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { aChannel, aCustomer, caller } from './payment.test-support';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describeEachDialect('store credit', (t) => {
  const call = caller(t);

  it('staff credit a customer with a reason and see the balance and the ledger', async () => {
    const customer = await aCustomer(t());
    const credit = await call('POST', `/v1/customers/${customer}/store-credit/adjustments`, {
      amount: eur(2500),
      reason: 'goodwill: late delivery',
    });
    expect(credit.statusCode).toBe(201);
    expect(credit.json()).toEqual({ balance: eur(2500) });
    const over = await call('POST', `/v1/customers/${customer}/store-credit/adjustments`, {
      amount: eur(-3000),
      reason: 'correction',
    });
    expect(over.statusCode).toBe(422);
    const view = (await call('GET', `/v1/customers/${customer}/store-credit`)).json();
    expect(view.balances).toEqual([eur(2500)]);
    expect(view.movements.data).toEqual([
      expect.objectContaining({ kind: 'credit', amount: eur(2500), reason: 'goodwill: late delivery' }),
    ]);
  });

  it('paying with store credit in two channels at once never spends more than the balance', async () => {
    const customer = await aCustomer(t());
    await t().omnis.services.commerce.storeCredit.credit(
      t().omnis.database.db,
      { customer_id: customer, amount: eur(1000), reason: 'return ret_test' },
      systemActor,
    );
    const web = await aChannel(t());
    const store = await aChannel(t());
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        call('POST', '/v1/payments', {
          provider: 'store_credit',
          channel_id: i % 2 ? web.id : store.id,
          customer_id: customer,
          amount: eur(300),
        }),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode === 402)).toHaveLength(5);
    const view = (await call('GET', `/v1/customers/${customer}/store-credit`)).json();
    expect(view.balances).toEqual([eur(100)]);

    const paid = answers.find((a) => a.statusCode === 201)!.json();
    await call('POST', `/v1/payments/${paid.id}/refund`, { reason: 'order cancelled' });
    expect((await call('GET', `/v1/customers/${customer}/store-credit`)).json().balances).toEqual([eur(400)]);
    const noCustomer = await call('POST', '/v1/payments', {
      provider: 'store_credit',
      channel_id: web.id,
      amount: eur(100),
    });
    expect(noCustomer.statusCode).toBe(400);
    expect(noCustomer.json().errors).toEqual([expect.objectContaining({ field: 'body.customer_id' })]);
  });

  it('erasure keeps every amount but forgets who the payments and the credit belonged to', async () => {
    // Not a bare timestamp: 13 digits pass the Luhn check one time in ten and the card-number guard refuses them.
    const email = `erase-${Date.now().toString(36)}@test.example`;
    const { customerId: customer } = await t().omnis.services.identity.resolve({
      identifiers: [{ type: 'email', value: email }],
      reason: 'test',
      actor: systemActor,
    } as Parameters<ReturnType<typeof t>['omnis']['services']['identity']['resolve']>[0]);
    const channel = await aChannel(t());
    const credited = await call('POST', `/v1/customers/${customer}/store-credit/adjustments`, {
      amount: eur(900),
      reason: `goodwill, as promised to ${email}`,
    });
    expect(credited.statusCode, credited.body).toBe(201);
    const paid = await call('POST', '/v1/payments', {
      provider: 'store_credit',
      channel_id: channel.id,
      customer_id: customer,
      amount: eur(400),
    });
    expect(paid.statusCode, paid.body).toBe(201);
    const erase = await call('POST', `/v1/customers/${customer}/erase`, { confirm: true });
    expect(erase.statusCode).toBe(200);
    const { db } = t().omnis.database;
    const payment = await db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', paid.json().id)
      .executeTakeFirstOrThrow();
    expect(payment).toMatchObject({ customer_id: null, status: 'captured' });
    expect(Number(payment.amount_captured)).toBe(400);
    const accounts = await db
      .selectFrom('store_credit_accounts')
      .selectAll()
      .where('customer_id', '=', customer)
      .execute();
    expect(accounts).toHaveLength(0);
    const ledger = await db
      .selectFrom('store_credit_movements')
      .select(['amount', 'reason'])
      .where('payment_id', 'is', null)
      .execute();
    expect(JSON.stringify(ledger)).not.toContain(email);
    const mine = ledger.filter((m) => m.reason.startsWith('goodwill, as promised'));
    expect(mine.map((m) => Number(m.amount))).toEqual([900]);
  });
});
