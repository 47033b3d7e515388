/**
 * Customers hear about their orders by email and SMS through real peers on loopback (an SMTP relay, Twilio's
 * Messages resource): the pickup code arrives in the customer's language and works at the counter; a till sends
 * its receipt by SMS; a customer who withdrew `service` consent gets nothing and a `skipped` row says why; a
 * relay that refuses leaves a `failed` row without breaking the pickup; a guest's confirmation goes to the email
 * she gave; bad requests are refused naming the field and record nothing.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import {
  aTwilioChannel,
  anEmailChannel,
  smtpPeer,
  twilioPeer,
} from '../conversations/conversation.test-support';
import { posFixtures } from './checkout.test-support';
import { aShop, line, payInFull, placeOrder, post, testActor, unique } from './order.test-support';

const smtp = await smtpPeer();
const twilio = await twilioPeer();
afterAll(async () => {
  await smtp.close();
  await twilio.close();
});

/** A port nobody listens on: a relay that refuses every connection. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const mailsTo = (address: string) =>
  smtp.mails.filter((m: ParsedMail) => JSON.stringify(m.to ?? '').includes(address));

describeEachDialect(
  'customer notifications',
  (t) => {
    const f = posFixtures(t);
    let email: Awaited<ReturnType<typeof anEmailChannel>>;
    beforeAll(async () => {
      // The business's first email and SMS channels carry its notifications.
      email = await anEmailChannel(t(), { name: 'Alba Home' });
      await aTwilioChannel(t(), 'sms');
    });

    async function aCustomer(ctx: TestContext, opts: { locale?: string; phone?: string } = {}) {
      const address = `${unique('lucia')}@example.com`.toLowerCase();
      const { customerId } = await ctx.omnis.services.identity.resolve({
        identifiers: [
          { type: 'email', value: address },
          ...(opts.phone ? [{ type: 'phone', value: opts.phone }] : []),
        ],
        profile: { first_name: 'Lucía', ...(opts.locale ? { locale: opts.locale } : {}) },
        actor: testActor,
        reason: 'test',
      });
      return { customerId, address };
    }

    const notificationsOf = async (orderId: string) => {
      const res = await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/orders/${orderId}/notifications`,
        headers: await t().as('agent'),
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data as Array<Record<string, unknown>>;
    };

    /** What the running server does after a commit: the dispatcher queues, the worker sends. */
    const settle = async () => {
      await t().omnis.dispatcher.drain();
      await t().omnis.services.commerce.notifications.runDue();
    };

    async function aReadyPickup(customerId: string, configure?: (channelId: string) => Promise<void>) {
      const { channel, store, sku } = await aShop(t(), 2);
      await configure?.(channel.id);
      const { order } = await placeOrder(t(), {
        channel_id: channel.id,
        customer_id: customerId,
        lines: [line(sku, store.id, 'pickup')],
      });
      await payInFull(t(), order.id, order.totals.total.amount);
      const fulfilment = order.fulfilments[0]!.id;
      const ready = await post(t(), `/v1/fulfilments/${fulfilment}/ready-for-pickup`);
      expect(ready.statusCode, ready.body).toBe(200);
      return { order, store, fulfilment, code: ready.json().pickup_code as string };
    }

    it('the pickup code reaches the customer by email in Spanish, and it opens the pickup at the counter', async () => {
      const { customerId, address } = await aCustomer(t(), { locale: 'es-ES' });
      const { order, store, fulfilment, code } = await aReadyPickup(customerId);
      await settle();

      const mails = mailsTo(address).filter((m) => m.subject?.includes('listo para recoger'));
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.subject).toBe(`Su pedido ${order.display_number} está listo para recoger`);
      expect(mail.text).toContain(`Muestre este código en el mostrador: ${code}`);
      expect(mail.text).toContain((await t().omnis.services.locations.retrieveLocation(store.id)).name);
      expect(JSON.stringify(mail.from)).toContain(email.address);
      // The customer's real preference link: it opens her preference centre through the store API.
      const link = /Gestionar sus preferencias: (\S+)/.exec(mail.text ?? '')?.[1];
      expect(link).toContain('/preferences?token=ctk_');
      const token = decodeURIComponent(new URL(link!).searchParams.get('token')!);
      const me = await t().omnis.app.inject({
        method: 'GET',
        url: '/store/v1/me',
        headers: { 'x-customer-token': token },
      });
      expect(me.statusCode, me.body).toBe(200);

      const rows = await notificationsOf(order.id);
      const pickupRow = rows.find((r) => r.kind === 'pickup_ready')!;
      expect(pickupRow).toMatchObject({
        status: 'sent',
        channel_kind: 'email',
        channel_id: email.id,
        address,
        locale: 'es',
        customer_id: customerId,
      });
      // Once sent, the code is nowhere in the database: the rendered body was dropped.
      const stored = await t()
        .omnis.database.db.selectFrom('notifications')
        .select(['body_text', 'body_html'])
        .where('id', '=', pickupRow.id as string)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ body_text: null, body_html: null });

      const collected = await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code });
      expect(collected.statusCode, collected.body).toBe(200);
      expect(collected.json().status).toBe('collected');

      const timeline = await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/customers/${customerId}/timeline?limit=200`,
        headers: await t().as('agent'),
      });
      expect(timeline.json().data.map((e: { type: string }) => e.type)).toContain('notification.sent');
    });

    it('an associate texts the receipt of a sale at the till; the SMS reaches Twilio with the total', async () => {
      const phone = `+3460${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
      const { customerId } = await aCustomer(t(), { phone });
      const shop = await f.aStore([2000]);
      const sale = await f.sell({
        location_id: shop.store.id,
        customer_id: customerId,
        lines: [{ sku: shop.products[0]!.sku, quantity: 1 }],
        tenders: [{ provider: 'cash', method: { tendered: 5000 } }],
      });
      expect(sale.statusCode, sale.body).toBe(201);
      const { order } = sale.json();
      await settle();
      // A POS sale sends no confirmation by itself.
      expect(await notificationsOf(order.id)).toEqual([]);

      const before = twilio.requests.length;
      const res = await post(t(), `/v1/orders/${order.id}/receipt`, { channel: 'sms' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        kind: 'receipt',
        status: 'sent',
        channel_kind: 'sms',
        address: phone,
      });
      expect(twilio.requests.length).toBe(before + 1);
      const sms = twilio.requests.at(-1)!;
      expect(sms.form.To).toBe(phone);
      // The store channel speaks Spanish (its default locale): the amounts are formatted as on the printed receipt.
      expect(sms.form.Body).toContain(order.display_number);
      expect(sms.form.Body).toContain('20,00');
      expect(res.json().provider_message_id).toMatch(/^SMout/);
    });

    it('an associate emails the receipt to an address typed at the till (lines and totals in the mail)', async () => {
      const shop = await f.aStore([2000]);
      const sale = await f.sell({
        location_id: shop.store.id,
        lines: [{ sku: shop.products[0]!.sku, quantity: 2 }],
        tenders: [{ provider: 'cash', method: { tendered: 5000 } }],
      });
      const { order } = sale.json();
      const to = `${unique('walkin')}@example.com`.toLowerCase();
      const res = await post(t(), `/v1/orders/${order.id}/receipt`, { channel: 'email', to });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ status: 'sent', address: to, customer_id: null });
      const mail = mailsTo(to)[0]!;
      expect(mail.subject).toBe(`Su ticket ${order.display_number}`);
      expect(mail.text).toContain(`2 × `);
      expect(mail.text).toContain('Total: 40,00');
      expect(mail.text).toContain('Cambio 10,00');
      expect(mail.html).toContain('<table>');
    });

    it('a customer who withdrew service consent by email gets nothing, and a skipped row says why', async () => {
      const { customerId, address } = await aCustomer(t(), { locale: 'es-ES' });
      await t().omnis.services.consent.recordConsents(
        customerId,
        [{ purpose: 'service', channel: 'email', status: 'withdrawn', source: { type: 'staff' } }],
        testActor,
      );
      const { channel, store, sku } = await aShop(t(), 2);
      const { order } = await placeOrder(t(), {
        channel_id: channel.id,
        customer_id: customerId,
        lines: [line(sku, store.id, 'ship')],
      });
      await settle();
      expect(mailsTo(address)).toEqual([]);
      const [row] = await notificationsOf(order.id);
      expect(row).toMatchObject({
        kind: 'order_confirmation',
        status: 'skipped',
        address,
        channel_kind: 'email',
        // Decided before any receipt is built, the row still records the language it would have been written in.
        locale: 'es',
      });
      expect(row!.error).toMatch(/^consent: withdrawn/);

      // Asked for at the till, the receipt is refused naming the channel, and nothing is recorded.
      const refused = await post(t(), `/v1/orders/${order.id}/receipt`, { channel: 'email' });
      expect(refused.statusCode).toBe(422);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'consent_refused', errors: [{ field: 'body.channel' }] });
      expect(await notificationsOf(order.id)).toHaveLength(1);
      expect(mailsTo(address)).toEqual([]);
    });

    it('a relay that refuses keeps the notice queued with its error for a later attempt, fails it after the last one, and the pickup goes on', async () => {
      const { customerId, address } = await aCustomer(t());
      const broken = await anEmailChannel(t(), { relay_url: `smtp://127.0.0.1:${await deadPort()}` });
      const { order, fulfilment, code } = await aReadyPickup(customerId, async (channelId) => {
        await t().omnis.services.channels.updateChannel(
          channelId,
          { config: { currency: 'EUR', notify_email_channel_id: broken.id } },
          testActor,
        );
      });
      await settle();
      const pending = (await notificationsOf(order.id)).find((r) => r.kind === 'pickup_ready')!;
      const pendingId = pending.id as string;
      expect(pending).toMatchObject({ status: 'queued', channel_id: broken.id, address });
      expect(pending.error).toMatch(/ECONNREFUSED|connect/i);
      // The next attempt waits for its back-off: running the worker again now sends nothing.
      await settle();
      const db = t().omnis.database.db;
      expect(
        await db
          .selectFrom('notifications')
          .select('attempts')
          .where('id', '=', pendingId)
          .executeTakeFirst(),
      ).toMatchObject({ attempts: 1 });
      // The last attempt, once due, gives up: failed with the relay's error, its body (the code) dropped.
      await db
        .updateTable('notifications')
        .set({ attempts: 4, claimed_until: Date.now() - 1 })
        .where('id', '=', pendingId)
        .execute();
      await settle();
      const row = (await notificationsOf(order.id)).find((r) => r.kind === 'pickup_ready')!;
      expect(row).toMatchObject({ status: 'failed', channel_id: broken.id, address });
      expect(row.error).toMatch(/ECONNREFUSED|connect/i);
      expect(
        await db
          .selectFrom('notifications')
          .select('body_text')
          .where('id', '=', pendingId)
          .executeTakeFirst(),
      ).toEqual({ body_text: null });
      expect(mailsTo(address)).toEqual([]);
      const collected = await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code });
      expect(collected.statusCode, collected.body).toBe(200);
    });

    it("a guest's phone order is confirmed at the email she gave, and its shipment with carrier and tracking", async () => {
      const { channel, store, sku } = await aShop(t(), 2);
      const guest = `${unique('guest')}@example.com`.toLowerCase();
      const { order } = await placeOrder(t(), {
        channel_id: channel.id,
        email: guest,
        lines: [line(sku, store.id, 'ship')],
      });
      expect(order.customer_id).toBeNull();
      await settle();
      const [confirmation] = mailsTo(guest);
      expect(confirmation?.subject).toBe(`Order ${order.display_number} confirmed`);
      expect(confirmation?.text).toContain('Linen shirt');
      expect(confirmation?.text).toContain('Total: €19.99');

      await payInFull(t(), order.id, order.totals.total.amount);
      const ful = order.fulfilments[0]!.id;
      for (const step of ['pick', 'pack'])
        expect((await post(t(), `/v1/fulfilments/${ful}/${step}`)).statusCode).toBe(200);
      const shipped = await post(t(), `/v1/fulfilments/${ful}/ship`, {
        carrier: 'SEUR',
        tracking_number: 'SEUR123456',
      });
      expect(shipped.statusCode, shipped.body).toBe(200);
      await settle();
      const shippedMail = mailsTo(guest).find((m) => m.subject?.includes('shipped'));
      expect(shippedMail?.text).toContain('with SEUR');
      expect(shippedMail?.text).toContain('Tracking number: SEUR123456');
      const kinds = (await notificationsOf(order.id)).map((r) => [r.kind, r.status]);
      expect(kinds).toEqual(
        expect.arrayContaining([
          ['order_confirmation', 'sent'],
          ['shipped', 'sent'],
        ]),
      );
    });

    it("a customer's notifications are in her data export and gone once she is erased", async () => {
      const { customerId, address } = await aCustomer(t());
      const { channel, store, sku } = await aShop(t(), 2);
      const { order } = await placeOrder(t(), {
        channel_id: channel.id,
        customer_id: customerId,
        lines: [line(sku, store.id, 'ship')],
      });
      await settle();
      const { privacy } = t().omnis.services;
      const exported = await privacy.exportCustomer(customerId);
      expect(exported.data.notifications?.notifications).toEqual([
        expect.objectContaining({ order_id: order.id, address, status: 'sent' }),
      ]);
      await privacy.eraseCustomer(customerId, testActor);
      expect(await notificationsOf(order.id)).toEqual([]);
    });

    it('a receipt request without an address or with a malformed one is refused naming body.to, recording nothing', async () => {
      const shop = await f.aStore([2000]);
      const sale = await f.sell({
        location_id: shop.store.id,
        lines: [{ sku: shop.products[0]!.sku, quantity: 1 }],
        tenders: [{ provider: 'cash', method: { tendered: 2000 } }],
      });
      const { order } = sale.json();
      const noAddress = await post(t(), `/v1/orders/${order.id}/receipt`, { channel: 'sms' });
      expect(noAddress.statusCode).toBe(422);
      expect(noAddress.json().errors[0].field).toBe('body.to');
      const malformed = await post(t(), `/v1/orders/${order.id}/receipt`, { channel: 'sms', to: '612 34' });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().errors[0].field).toBe('body.to');
      const badChannel = await post(t(), `/v1/orders/${order.id}/receipt`, { channel: 'fax' });
      expect(badChannel.statusCode).toBe(400);
      expect(badChannel.json().errors[0].field).toBe('body.channel');
      expect(await notificationsOf(order.id)).toEqual([]);
      const unknown = await post(t(), `/v1/orders/ord_nope/receipt`, { channel: 'sms', to: '+34600111222' });
      expect(unknown.statusCode).toBe(404);
    });
  },
  { twilioApiBaseUrl: twilio.url, emailRelayUrl: smtp.url },
);
