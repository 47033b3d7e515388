/**
 * Staff issue gift cards whose code is shown once; shoppers check the balance with the code; tills and web
 * checkouts spend them, and fifty spending the same card at once never take more than is on it. Refunds put the
 * money back; disabled and expired cards are declined.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { aChannel, caller, expectMoneyInvariant } from './payment.test-support';

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describeEachDialect('gift cards', (t) => {
  const call = caller(t);

  async function issue(amount: number, extra: Record<string, unknown> = {}) {
    const res = await call('POST', '/v1/gift-cards', { amount: eur(amount), ...extra });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; code: string; last4: string };
  }

  async function balanceOf(code: string) {
    const channel = await aChannel(t());
    const key = await t().omnis.services.apiKeys.createApiKey(
      { kind: 'publishable', name: 'shop', channel_id: channel.id },
      systemActor,
    );
    return t().omnis.app.inject({
      method: 'POST',
      url: '/store/v1/gift-cards/balance',
      headers: { authorization: `Bearer ${key.key}` },
      payload: { code },
    });
  }

  it('the code is shown once at issue, stored only as a hash, and a shopper checks the balance with it', async () => {
    const card = await issue(5000);
    expect(card.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    expect(card.last4).toBe(card.code.slice(-4));
    const stored = await t()
      .omnis.database.db.selectFrom('gift_cards')
      .selectAll()
      .where('id', '=', card.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(card.code.replace(/-/g, ''));
    const retrieved = await call('GET', `/v1/gift-cards/${card.id}`);
    expect(retrieved.json().code).toBeUndefined();
    // Typed in lower case with spaces instead of dashes: the same card.
    const balance = await balanceOf(card.code.toLowerCase().replace(/-/g, ' '));
    expect(balance.statusCode).toBe(200);
    expect(balance.json()).toMatchObject({ balance: eur(5000), status: 'active', last4: card.last4 });
    expect((await balanceOf('NOPE-NOPE-NOPE-NOPE')).statusCode).toBe(404);
  });

  it('50 parallel redemptions of a €50 gift card never spend more than €50', async () => {
    const card = await issue(5000);
    const channel = await aChannel(t());
    const base = await t().omnis.app.listen({ host: '127.0.0.1', port: 0 });
    const headers = { 'content-type': 'application/json', ...(await t().as('admin')) };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        fetch(`${base}/v1/payments`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            provider: 'gift_card',
            channel_id: channel.id,
            amount: eur(300),
            method: { code: card.code },
          }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> })),
      ),
    );
    const spent = answers.filter((a) => a.status === 201);
    const declined = answers.filter((a) => a.status === 402);
    expect(spent).toHaveLength(16);
    expect(declined).toHaveLength(34);
    for (const d of declined) expect(d.body).toMatchObject({ decline_code: 'insufficient_funds' });
    const after = (await call('GET', `/v1/gift-cards/${card.id}`)).json();
    expect(after.balance).toEqual(eur(200));
    // The ledger tells the same story as the balance.
    const sum = after.movements.reduce(
      (n: number, m: { amount: { amount: number } }) => n + m.amount.amount,
      0,
    );
    expect(sum).toBe(200);
    expect(after.movements).toHaveLength(17);
    await expectMoneyInvariant(t());
  });

  it('a refund puts the money back on the card; a disabled or expired card is declined', async () => {
    const card = await issue(2000);
    const channel = await aChannel(t());
    const pay = await call('POST', '/v1/payments', {
      provider: 'gift_card',
      channel_id: channel.id,
      amount: eur(1500),
      method: { code: card.code },
    });
    expect(pay.json()).toMatchObject({
      status: 'captured',
      provider_reference: card.id,
      details: { last4: card.last4 },
    });
    await call('POST', `/v1/payments/${pay.json().id}/refund`, { amount: 1000, reason: 'returned a scarf' });
    expect((await call('GET', `/v1/gift-cards/${card.id}`)).json().balance).toEqual(eur(1500));

    expect((await call('POST', `/v1/gift-cards/${card.id}/disable`)).json()).toMatchObject({
      status: 'disabled',
    });
    const refused = await call('POST', '/v1/payments', {
      provider: 'gift_card',
      channel_id: channel.id,
      amount: eur(100),
      method: { code: card.code },
    });
    expect(refused.statusCode).toBe(402);
    expect(refused.json()).toMatchObject({ decline_code: 'disabled_gift_card' });

    const soon = await issue(1000, { expires_at: new Date(Date.now() + 60_000).toISOString() });
    await t()
      .omnis.database.db.updateTable('gift_cards')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', soon.id)
      .execute();
    const expired = await call('POST', '/v1/payments', {
      provider: 'gift_card',
      channel_id: channel.id,
      amount: eur(100),
      method: { code: soon.code },
    });
    expect(expired.json()).toMatchObject({ decline_code: 'expired_gift_card' });
    expect((await call('GET', `/v1/gift-cards/${soon.id}`)).json().balance).toEqual(eur(1000));
  });
});
