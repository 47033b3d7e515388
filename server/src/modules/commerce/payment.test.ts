/**
 * Staff and tills take payments through every provider: cash gives change, a terminal's approval is recorded,
 * a manual invoice is captured when the money arrives, test cards decline clearly, refunds never exceed what was
 * captured (not even when they race), split tenders settle all or nothing, and a card number in a request is
 * refused and stored nowhere.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { anOrder } from './order.test-support';
import { aChannel, caller, expectMoneyInvariant } from './payment.test-support';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describeEachDialect('payments', (t) => {
  const call = caller(t);

  it('a cash sale at the till records the change due and is captured at once', async () => {
    const channel = await aChannel(t());
    const res = await call(
      'POST',
      '/v1/payments',
      { provider: 'cash', channel_id: channel.id, amount: eur(1250), method: { tendered: 2000 } },
      'associate',
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      id: expect.stringMatching(/^pay_/),
      status: 'captured',
      amount_captured: eur(1250),
      details: { tendered: 2000, change_due: 750 },
    });
    const short = await call('POST', '/v1/payments', {
      provider: 'cash',
      channel_id: channel.id,
      amount: eur(1250),
      method: { tendered: 1000 },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([expect.objectContaining({ field: 'body.method.tendered' })]);
  });

  it('a card terminal payment keeps only the approval code, brand and last 4', async () => {
    const channel = await aChannel(t());
    const res = await call('POST', '/v1/payments', {
      provider: 'card_terminal',
      channel_id: channel.id,
      amount: eur(4999),
      method: { approval_code: 'A1B2C3', last4: '1234', brand: 'visa' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'captured',
      provider_reference: 'A1B2C3',
      details: { last4: '1234', brand: 'visa' },
    });
  });

  it('an invoice is authorized until staff mark the transfer received, in part', async () => {
    const channel = await aChannel(t());
    const order = await anOrder(t());
    const created = await call('POST', '/v1/payments', {
      provider: 'manual',
      channel_id: channel.id,
      order_id: order.id,
      amount: eur(10_000),
      method: { note: 'INV-2041' },
    });
    expect(created.json()).toMatchObject({ status: 'authorized', amount_captured: eur(0) });
    const id = created.json().id as string;
    const tooMuch = await call('POST', `/v1/payments/${id}/capture`, { amount: 10_001 });
    expect(tooMuch.statusCode).toBe(422);
    const received = await call('POST', `/v1/payments/${id}/capture`, { amount: 9_000 });
    expect(received.json()).toMatchObject({ status: 'captured', amount_captured: eur(9_000) });
    const again = await call('POST', `/v1/payments/${id}/capture`, {});
    expect(again.statusCode).toBe(409);
    const totals = await t().omnis.services.commerce.payments.totals(t().omnis.database.db, order.id);
    expect(totals).toMatchObject({ currency: 'EUR', authorized: 10_000, captured: 9_000, refunded: 0 });

    // Money is never taken for an order that does not exist, nor in another currency than the order's.
    const unknown = await call('POST', '/v1/payments', {
      provider: 'manual',
      channel_id: channel.id,
      order_id: 'ord_00000000000000000000000000',
      amount: eur(100),
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: 'body.order_id' })]);
    const pounds = await call('POST', '/v1/payments', {
      provider: 'manual',
      channel_id: channel.id,
      order_id: order.id,
      amount: { amount: 100, currency: 'GBP' },
    });
    expect(pounds.statusCode).toBe(400);
    expect(pounds.json().errors).toEqual([expect.objectContaining({ field: 'body.amount.currency' })]);
  });

  it('a declined test card leaves nothing captured, and says why', async () => {
    const channel = await aChannel(t());
    const order = await anOrder(t());
    for (const [token, code] of [
      ['tok_declined', 'card_declined'],
      ['tok_insufficient_funds', 'insufficient_funds'],
    ]) {
      const res = await call('POST', '/v1/payments', {
        provider: 'test',
        channel_id: channel.id,
        order_id: order.id,
        amount: eur(3000),
        method: { token },
      });
      expect(res.statusCode).toBe(402);
      expect(res.json()).toMatchObject({ code: 'payment_declined', decline_code: code });
      const kept = await call('GET', `/v1/payments/${res.json().payment_id}`);
      expect(kept.json()).toMatchObject({ status: 'failed', failure_code: code, amount_captured: eur(0) });
      const totals = await t().omnis.services.commerce.payments.totals(t().omnis.database.db, order.id);
      expect(totals).toMatchObject({ authorized: 0, captured: 0 });
    }
  });

  it('a test card authorizes, captures in part, and a refund above what was captured is refused', async () => {
    const channel = await aChannel(t());
    const created = await call('POST', '/v1/payments', {
      provider: 'test',
      channel_id: channel.id,
      amount: eur(5000),
      capture: false,
      method: { token: 'tok_visa' },
    });
    expect(created.json()).toMatchObject({ status: 'authorized', details: { brand: 'visa', last4: '4242' } });
    const id = created.json().id as string;
    expect((await call('POST', `/v1/payments/${id}/capture`, { amount: 4000 })).json()).toMatchObject({
      status: 'captured',
      amount_captured: eur(4000),
    });
    const above = await call('POST', `/v1/payments/${id}/refund`, { amount: 4001, reason: 'too much' });
    expect(above.statusCode).toBe(422);
    expect(above.json().errors).toEqual([expect.objectContaining({ field: 'body.amount' })]);
    const part = await call('POST', `/v1/payments/${id}/refund`, { amount: 1500, reason: 'one item back' });
    expect(part.statusCode).toBe(201);
    expect(part.json()).toMatchObject({
      status: 'partially_refunded',
      amount_refunded: eur(1500),
      refund: { id: expect.stringMatching(/^refund_/), status: 'succeeded', reason: 'one item back' },
    });
    const rest = await call('POST', `/v1/payments/${id}/refund`, { reason: 'all of it' });
    expect(rest.json()).toMatchObject({ status: 'refunded', amount_refunded: eur(4000) });
    expect((await call('POST', `/v1/payments/${id}/void`)).statusCode).toBe(409);
    await expectMoneyInvariant(t());
  });

  it('ten refunds racing for one captured payment never give back more than was taken', async () => {
    const channel = await aChannel(t());
    const created = await call('POST', '/v1/payments', {
      provider: 'card_terminal',
      channel_id: channel.id,
      amount: eur(1000),
      method: { approval_code: 'RACE1' },
    });
    const id = created.json().id as string;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        call('POST', `/v1/payments/${id}/refund`, { amount: 300, reason: 'race' }),
      ),
    );
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode === 422)).toHaveLength(7);
    const after = (await call('GET', `/v1/payments/${id}`)).json();
    expect(after).toMatchObject({ amount_refunded: eur(900), status: 'partially_refunded' });
    expect(after.refunds).toHaveLength(3);
    await expectMoneyInvariant(t());
  });

  it('an authorization can be voided once, and the void is an event', async () => {
    const channel = await aChannel(t());
    const created = await call('POST', '/v1/payments', {
      provider: 'test',
      channel_id: channel.id,
      amount: eur(700),
      capture: false,
      method: { token: 'tok_mastercard' },
    });
    const id = created.json().id as string;
    expect((await call('POST', `/v1/payments/${id}/void`)).json()).toMatchObject({ status: 'voided' });
    expect((await call('POST', `/v1/payments/${id}/void`)).statusCode).toBe(409);
    const types = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select('type')
      .where('aggregate_id', '=', id)
      .orderBy('position')
      .execute();
    expect(types.map((e) => e.type)).toEqual(['payment.authorized', 'payment.voided']);
  });

  it('split tender at the POS settles cash + card exactly, and refuses tenders that do not add up', async () => {
    const channel = await aChannel(t());
    const order = await anOrder(t());
    const ok = await call(
      'POST',
      '/v1/payments/tenders',
      {
        channel_id: channel.id,
        order_id: order.id,
        amount_due: eur(8000),
        tenders: [
          { provider: 'cash', amount: 3000, method: { tendered: 5000 } },
          { provider: 'card_terminal', amount: 5000, method: { approval_code: 'SPLIT1', last4: '4444' } },
        ],
      },
      'associate',
    );
    expect(ok.statusCode).toBe(201);
    expect(ok.json().data.map((p: { status: string }) => p.status)).toEqual(['captured', 'captured']);
    const short = await call('POST', '/v1/payments/tenders', {
      channel_id: channel.id,
      amount_due: eur(8000),
      tenders: [{ provider: 'cash', amount: 3000, method: { tendered: 3000 } }],
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors).toEqual([expect.objectContaining({ field: 'body.tenders' })]);
    // An analyst may look but not sell.
    expect((await call('POST', '/v1/payments/tenders', ok.json(), 'analyst')).statusCode).toBe(403);
  });

  it('when a later tender is declined, the earlier ones are given back', async () => {
    const channel = await aChannel(t());
    const order = await anOrder(t());
    const res = await call('POST', '/v1/payments/tenders', {
      channel_id: channel.id,
      order_id: order.id,
      amount_due: eur(6000),
      tenders: [
        { provider: 'cash', amount: 1000, method: { tendered: 1000 } },
        { provider: 'test', amount: 5000, method: { token: 'tok_declined' } },
      ],
    });
    expect(res.statusCode).toBe(402);
    expect(res.json().compensated).toHaveLength(1);
    const list = await call('GET', `/v1/payments?order_id=${order.id}`);
    const byProvider = Object.fromEntries(
      list.json().data.map((p: { provider: string; status: string }) => [p.provider, p.status]),
    );
    expect(byProvider).toEqual({ cash: 'refunded', test: 'failed' });
    const totals = await t().omnis.services.commerce.payments.totals(t().omnis.database.db, order.id);
    expect(totals.captured - totals.refunded).toBe(0);
  });

  it('a card number in the body is refused, naming the field, and stored nowhere', async () => {
    const channel = await aChannel(t());
    const before = await t().omnis.database.db.selectFrom('payments').select('id').execute();
    for (const [payload, field] of [
      [
        {
          provider: 'test',
          channel_id: channel.id,
          amount: eur(100),
          method: { token: '4242 4242 4242 4242' },
        },
        'body.method.token',
      ],
      [
        {
          provider: 'manual',
          channel_id: channel.id,
          amount: eur(100),
          method: { note: 'card 5555-5555-5555-4444' },
        },
        'body.method.note',
      ],
      [
        { provider: 'cash', channel_id: channel.id, amount: eur(100), card_number: 4111111111111111 },
        'body.card_number',
      ],
    ] as const) {
      const res = await call('POST', '/v1/payments', payload, 'admin', { 'idempotency-key': `pan-${field}` });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual([expect.objectContaining({ field })]);
      expect(res.body).not.toMatch(/4242 4242|5555-5555|4111111111111111/);
    }
    const after = await t().omnis.database.db.selectFrom('payments').select('id').execute();
    expect(after).toHaveLength(before.length);
    const stored = await t()
      .omnis.database.db.selectFrom('idempotency_keys')
      .selectAll()
      .where('key', 'like', 'pan-%')
      .execute();
    expect(stored).toHaveLength(0);
    // A refund reason and a non-Luhn number pass: only card numbers are refused.
    const fine = await call('POST', '/v1/payments', {
      provider: 'manual',
      channel_id: channel.id,
      amount: eur(100),
      method: { note: 'IBAN ref 1234567890123' },
    });
    expect(fine.statusCode).toBe(201);
  });
});
