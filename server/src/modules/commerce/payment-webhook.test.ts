/**
 * A shopper pays with a card that needs 3-D Secure: the payment waits for them, the processor (a real HTTP peer on
 * loopback) confirms by a signed webhook, and the payment is captured — once, however often the webhook comes.
 * A forged webhook is refused and changes nothing.
 */
import { Webhook } from 'standardwebhooks';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { newWebhookSecret } from '../../platform/events/webhooks.service';
import { anOrder } from './order.test-support';
import { aChannel, caller, expectMoneyInvariant } from './payment.test-support';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describeEachDialect('payment webhooks', (t) => {
  const call = caller(t);
  let processor = '';

  beforeAll(async () => {
    // The processor posts back to Omnis's public URL: Omnis listens on a real port for these stories.
    await t().omnis.app.listen({ host: '127.0.0.1', port: 0 });
    processor = await t().omnis.services.commerce.paymentsModule.testProcessorUrl();
  });

  /** The customer completing (or failing) 3-D Secure at the processor; it answers once its webhook was delivered. */
  async function authenticate(reference: string) {
    const res = await fetch(`${processor}/v1/payment_intents/${reference}/authenticate`, { method: 'POST' });
    return (await res.json()) as { webhook: { id: string; status: number } };
  }

  async function asyncPayment(token = 'tok_async', orderId?: string) {
    const channel = await aChannel(t());
    const res = await call('POST', '/v1/payments', {
      provider: 'test',
      channel_id: channel.id,
      amount: eur(2500),
      ...(orderId ? { order_id: orderId } : {}),
      method: { token },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'requires_action', amount_captured: eur(0) });
    return res.json() as { id: string; provider_reference: string };
  }

  it('an asynchronous card confirmation arrives by signed webhook and the payment is captured', async () => {
    const order = await anOrder(t());
    const payment = await asyncPayment('tok_async', order.id);
    const { webhook } = await authenticate(payment.provider_reference);
    expect(webhook.status).toBe(200);
    const after = (await call('GET', `/v1/payments/${payment.id}`)).json();
    expect(after).toMatchObject({ status: 'captured', amount_captured: eur(2500) });
    const totals = await t().omnis.services.commerce.payments.totals(t().omnis.database.db, order.id);
    expect(totals).toMatchObject({ captured: 2500 });
    const events = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select(['type', 'actor'])
      .where('aggregate_id', '=', payment.id)
      .orderBy('position')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['payment.action_required', 'payment.captured']);
  });

  it('a replayed webhook is accepted and changes nothing', async () => {
    const payment = await asyncPayment();
    const { webhook } = await authenticate(payment.provider_reference);
    const before = (await call('GET', `/v1/payments/${payment.id}`)).json();
    for (let i = 0; i < 3; i++) {
      const resend = await fetch(`${processor}/v1/events/${webhook.id}/resend`, { method: 'POST' });
      expect(((await resend.json()) as { status: number }).status).toBe(200);
    }
    expect((await call('GET', `/v1/payments/${payment.id}`)).json()).toEqual(before);
    const captures = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select('id')
      .where('aggregate_id', '=', payment.id)
      .where('type', '=', 'payment.captured')
      .execute();
    expect(captures).toHaveLength(1);
  });

  it('a customer who fails authentication leaves a failed payment with nothing captured', async () => {
    const payment = await asyncPayment('tok_async_declined');
    await authenticate(payment.provider_reference);
    expect((await call('GET', `/v1/payments/${payment.id}`)).json()).toMatchObject({
      status: 'failed',
      failure_code: 'authentication_failed',
      amount_captured: eur(0),
    });
    await expectMoneyInvariant(t());
  });

  it('a forged webhook is refused and nothing changes', async () => {
    const payment = await asyncPayment();
    const body = JSON.stringify({
      id: 'evt_forged',
      type: 'payment_intent.succeeded',
      data: {
        object: {
          id: payment.provider_reference,
          status: 'succeeded',
          amount: 2500,
          amount_received: 2500,
          amount_capturable: 0,
          card: { brand: 'visa', last4: '3184' },
          metadata: { payment_id: payment.id },
        },
      },
    });
    const at = new Date();
    const signedWithAnotherSecret = new Webhook(newWebhookSecret()).sign('evt_forged', at, body);
    const attempts: Array<Record<string, string>> = [
      {},
      { 'webhook-id': 'evt_forged', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)) },
      {
        'webhook-id': 'evt_forged',
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signedWithAnotherSecret,
      },
    ];
    for (const headers of attempts) {
      const res = await t().omnis.app.inject({
        method: 'POST',
        url: '/hooks/payments/test',
        headers: { 'content-type': 'application/json', ...headers },
        payload: body,
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
    expect((await call('GET', `/v1/payments/${payment.id}`)).json()).toMatchObject({
      status: 'requires_action',
    });
    const receipts = await t()
      .omnis.database.db.selectFrom('payment_webhook_receipts')
      .select('webhook_id')
      .where('webhook_id', '=', 'evt_forged')
      .execute();
    expect(receipts).toHaveLength(0);
  });
});
