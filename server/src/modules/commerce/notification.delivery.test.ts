/**
 * After a notification leaves: Twilio's signed status callbacks (signed here with the official `twilio` package)
 * say whether an SMS reached the phone, in any order, with the error code; a contact-centre agent resends a
 * receipt or a pickup notice (the pickup with a new code that replaces the old one), asking consent again and
 * answering a retried request once; an SMS receipt links to a public page in the customer's language that shows
 * what a paper receipt shows and nothing about her, and stops opening when it expires.
 */
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import {
  aTwilioChannel,
  anEmailChannel,
  postTwilio,
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

let phoneSerial = 0;
const aPhone = () => `+3465${Date.now().toString().slice(-5)}${(++phoneSerial).toString().padStart(2, '0')}`;
const mailsTo = (address: string) =>
  smtp.mails.filter((m: ParsedMail) => JSON.stringify(m.to ?? '').includes(address));

describeEachDialect(
  'notification delivery, resend and receipt links',
  (t) => {
    const f = posFixtures(t);
    let sms: Awaited<ReturnType<typeof aTwilioChannel>>;
    beforeAll(async () => {
      await anEmailChannel(t(), { name: 'Alba Home' });
      sms = await aTwilioChannel(t(), 'sms');
    });

    async function aCustomer(
      ctx: TestContext,
      opts: { locale?: string; phone?: string; email?: boolean } = {},
    ) {
      const address = `${unique('lucia')}@example.com`.toLowerCase();
      const { customerId } = await ctx.omnis.services.identity.resolve({
        identifiers: [
          ...(opts.email === false ? [] : [{ type: 'email', value: address }]),
          ...(opts.phone ? [{ type: 'phone', value: opts.phone }] : []),
        ],
        profile: {
          first_name: 'Lucía',
          last_name: 'Ferrández',
          ...(opts.locale ? { locale: opts.locale } : {}),
        },
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

    const settle = async () => {
      await t().omnis.dispatcher.drain();
      await t().omnis.services.commerce.notifications.runDue();
    };

    const resend = async (id: string, body?: Record<string, unknown>, key?: string) =>
      t().omnis.app.inject({
        method: 'POST',
        url: `/v1/notifications/${id}/resend`,
        headers: { ...(await t().as('agent')), ...(key ? { 'idempotency-key': key } : {}) },
        payload: body ?? {},
      });

    /** A till sale to a customer known by her phone, its receipt texted to her: the notification and the SMS. */
    async function aTextedReceipt(opts: { locale?: string } = {}) {
      const phone = aPhone();
      const { customerId } = await aCustomer(t(), { phone, email: false, ...opts });
      const shop = await f.aStore([2000]);
      const sale = await f.sell({
        location_id: shop.store.id,
        customer_id: customerId,
        lines: [{ sku: shop.products[0]!.sku, quantity: 1 }],
        tenders: [{ provider: 'cash', method: { tendered: 5000 } }],
      });
      expect(sale.statusCode, sale.body).toBe(201);
      const { order } = sale.json();
      const res = await post(t(), `/v1/orders/${order.id}/receipt`, { channel: 'sms' });
      expect(res.statusCode, res.body).toBe(201);
      const request = twilio.requests.at(-1)!;
      expect(request.form.To).toBe(phone);
      return {
        order,
        phone,
        customerId,
        shop,
        notification: res.json() as Record<string, unknown>,
        sms: request,
      };
    }

    const receiptTokenIn = (body: string) => /\/r\/([A-Za-z0-9_-]+)/.exec(body)?.[1];

    it("Twilio's status callbacks move an SMS receipt's delivery status forward only, with the error code; unknown ids change nothing", async () => {
      const { order, customerId, notification, sms: request } = await aTextedReceipt();
      const sid = notification.provider_message_id as string;
      // The notification asked Twilio to report to this channel's signed status callback.
      expect(request.form.StatusCallback).toMatch(new RegExp(`/hooks/twilio/${sms.id}/status$`));
      expect(notification).toMatchObject({ status: 'sent', delivery_status: null });
      const path = `/hooks/twilio/${sms.id}/status`;
      const report = (status: string, extra: Record<string, string> = {}) =>
        postTwilio(t(), path, { MessageSid: sid, MessageStatus: status, ...extra });

      expect((await report('queued')).statusCode).toBe(204);
      expect((await report('sent')).statusCode).toBe(204);
      let [row] = await notificationsOf(order.id);
      expect(row).toMatchObject({ status: 'sent', delivery_status: 'sent', delivery_error: null });

      const undelivered = await report('undelivered', { ErrorCode: '30006' });
      expect(undelivered.statusCode).toBe(204);
      [row] = await notificationsOf(order.id);
      expect(row).toMatchObject({
        status: 'sent',
        delivery_status: 'undelivered',
        delivery_error: 'Twilio error 30006',
      });
      expect(row!.delivery_updated_at).toEqual(expect.any(String));

      // A late `sent` (Twilio posts each report on its own) does not move it back.
      expect((await report('sent')).statusCode).toBe(204);
      // A forged report is refused and changes nothing.
      const forged = await postTwilio(
        t(),
        path,
        { MessageSid: sid, MessageStatus: 'delivered' },
        { token: 'not-the-auth-token' },
      );
      expect(forged.statusCode).toBe(403);
      // A report about a message Omnis never sent is answered 204 (else Twilio retries it) and touches nothing.
      const before = await t()
        .omnis.database.db.selectFrom('notifications')
        .select(['id', 'delivery_status', 'updated_at'])
        .orderBy('id')
        .execute();
      const unknown = await postTwilio(t(), path, {
        MessageSid: 'SM00000000000000000000000000000000',
        MessageStatus: 'delivered',
      });
      expect(unknown.statusCode).toBe(204);
      expect(
        await t()
          .omnis.database.db.selectFrom('notifications')
          .select(['id', 'delivery_status', 'updated_at'])
          .orderBy('id')
          .execute(),
      ).toEqual(before);
      [row] = await notificationsOf(order.id);
      expect(row).toMatchObject({ delivery_status: 'undelivered', delivery_error: 'Twilio error 30006' });

      const timeline = await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/customers/${customerId}/timeline?limit=200`,
        headers: await t().as('agent'),
      });
      const updates = timeline
        .json()
        .data.filter((e: { type: string }) => e.type === 'notification.delivery_updated')
        .map((e: { data: { payload: { delivery_status: string } } }) => e.data.payload.delivery_status);
      expect(updates.sort()).toEqual(['queued', 'sent', 'undelivered']);
    });

    it('an SMS receipt links to its page in the customer’s language: the paper receipt’s facts, nothing about her, read audited', async () => {
      const { order, phone, notification, sms: request, shop } = await aTextedReceipt({ locale: 'ru-RU' });
      const token = receiptTokenIn(request.form.Body!);
      expect(token).toBeDefined();
      expect(request.form.Body).toContain('Итого: 20,00');
      // Only the token's hash is stored: the database gives nobody a working link.
      const links = await t()
        .omnis.database.db.selectFrom('receipt_links')
        .selectAll()
        .where('notification_id', '=', notification.id as string)
        .execute();
      expect(links).toHaveLength(1);
      expect(JSON.stringify(links)).not.toContain(token);

      const page = await t().omnis.app.inject({ method: 'GET', url: `/r/${token}` });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).toContain('<html lang="ru">');
      expect(page.body).toContain(`Чек ${order.display_number}`);
      expect(page.body).toContain(shop.products[0]!.sku);
      expect(page.body).toContain('Итого');
      expect(page.body).toContain('Наличные');
      expect(page.body).toContain('Сдача');
      expect(page.body).toContain((await t().omnis.services.locations.retrieveLocation(shop.store.id)).name);
      for (const personal of ['Lucía', 'Ferrández', phone, phone.slice(1)])
        expect(page.body).not.toContain(personal);

      const audit = await t()
        .omnis.database.db.selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'receipt.view')
        .where('target_id', '=', order.id)
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ target_type: 'order', actor_label: 'receipt link' });
      expect(
        await t()
          .omnis.database.db.selectFrom('receipt_links')
          .select('read_count')
          .where('id', '=', links[0]!.id)
          .executeTakeFirst(),
      ).toEqual({ read_count: 1 });

      // Expired: a clear 404 page in the link's language, and the read is not audited.
      await t()
        .omnis.database.db.updateTable('receipt_links')
        .set({ expires_at: Date.now() - 1 })
        .where('id', '=', links[0]!.id)
        .execute();
      const expired = await t().omnis.app.inject({ method: 'GET', url: `/r/${token}` });
      expect(expired.statusCode).toBe(404);
      expect(expired.headers['content-type']).toContain('text/html');
      expect(expired.body).toContain('Чек не найден');
      expect(expired.body).not.toContain(order.display_number);
    });

    it('once the customer is erased, her receipt link no longer opens', async () => {
      const { customerId, sms: request } = await aTextedReceipt();
      const token = receiptTokenIn(request.form.Body!);
      expect((await t().omnis.app.inject({ method: 'GET', url: `/r/${token}` })).statusCode).toBe(200);
      const exported = await t().omnis.services.privacy.exportCustomer(customerId);
      expect(exported.data.notifications?.receipt_links).toEqual([
        expect.objectContaining({ read_count: 1 }),
      ]);
      await t().omnis.services.privacy.eraseCustomer(customerId, testActor);
      const gone = await t().omnis.app.inject({ method: 'GET', url: `/r/${token}` });
      expect(gone.statusCode).toBe(404);
    });

    it('a wrong or malformed receipt token gets the 404 page in the browser’s language', async () => {
      const wrong = await t().omnis.app.inject({
        method: 'GET',
        url: `/r/${'A'.repeat(32)}`,
        headers: { 'accept-language': 'es-ES,es;q=0.9,en;q=0.5' },
      });
      expect(wrong.statusCode).toBe(404);
      expect(wrong.headers['content-type']).toContain('text/html');
      expect(wrong.body).toContain('Ticket no encontrado');
      const malformed = await t().omnis.app.inject({ method: 'GET', url: '/r/not*a*token' });
      expect(malformed.statusCode).toBe(404);
      expect(malformed.body).toContain('Receipt not found');
    });

    it('an agent resends a texted receipt: once per Idempotency-Key, audited, to the same phone with a new link', async () => {
      const { order, phone, notification } = await aTextedReceipt();
      // The till's route stays the till's.
      const tillOnly = await post(t(), `/v1/orders/${order.id}/receipt`, { channel: 'sms' }, 'agent');
      expect(tillOnly.statusCode).toBe(403);

      const sent = twilio.requests.length;
      const key = `resend-${Math.random()}`;
      const [a, b] = await Promise.all([
        resend(notification.id as string, undefined, key),
        resend(notification.id as string, undefined, key),
      ]);
      // Two at once with one key: one runs; the other is told it is running or gets the same answer.
      const statuses = [a.statusCode, b.statusCode].sort();
      expect([
        [201, 201],
        [201, 409],
      ]).toContainEqual(statuses);
      const first = [a, b].find((r) => r.statusCode === 201)!.json();
      expect(first).toMatchObject({
        kind: 'receipt',
        status: 'sent',
        channel_kind: 'sms',
        address: phone,
        data: { resent_from: notification.id },
      });
      const again = await resend(notification.id as string, undefined, key);
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json().id).toBe(first.id);
      expect(twilio.requests.length).toBe(sent + 1);
      expect(await notificationsOf(order.id)).toHaveLength(2);
      // The resent SMS carries a link of its own, and the first one still opens.
      const newToken = receiptTokenIn(twilio.requests.at(-1)!.form.Body!);
      expect((await t().omnis.app.inject({ method: 'GET', url: `/r/${newToken}` })).statusCode).toBe(200);

      const audit = await t()
        .omnis.database.db.selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'notification.resend')
        .where('target_id', '=', notification.id as string)
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actor_type).toBe('staff');
    });

    it('an agent resends a pickup notice: a new code replaces the old one, and once collected there is nothing to resend', async () => {
      const { customerId, address } = await aCustomer(t(), { locale: 'en' });
      const { channel, store, sku } = await aShop(t(), 2);
      const { order } = await placeOrder(t(), {
        channel_id: channel.id,
        customer_id: customerId,
        lines: [line(sku, store.id, 'pickup')],
      });
      await payInFull(t(), order.id, order.totals.total.amount);
      const fulfilment = order.fulfilments[0]!.id;
      const ready = await post(t(), `/v1/fulfilments/${fulfilment}/ready-for-pickup`);
      expect(ready.statusCode, ready.body).toBe(200);
      const oldCode = ready.json().pickup_code as string;
      await settle();
      const original = (await notificationsOf(order.id)).find((n) => n.kind === 'pickup_ready')!;
      expect(original.status).toBe('sent');

      const res = await resend(original.id as string);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        kind: 'pickup_ready',
        status: 'sent',
        address,
        fulfilment_id: fulfilment,
        data: { resent_from: original.id, code_reissued: true },
      });
      const notices = mailsTo(address).filter((m) => m.subject?.includes('ready for pickup'));
      expect(notices).toHaveLength(2);
      const newCode = /Show this code at the counter: (\d+)/.exec(notices[1]!.text ?? '')?.[1];
      expect(newCode).toMatch(/^\d{6}$/);
      expect(newCode).not.toBe(oldCode);

      const withOld = await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code: oldCode });
      expect(withOld.statusCode).toBe(422);
      expect(withOld.json().code).toBe('pickup_code_mismatch');
      const withNew = await post(t(), `/v1/fulfilments/${fulfilment}/collect`, { code: newCode });
      expect(withNew.statusCode, withNew.body).toBe(200);

      const late = await resend(original.id as string);
      expect(late.statusCode).toBe(409);
      expect(late.headers['content-type']).toContain('application/problem+json');
      expect(late.json().errors[0].field).toBe('params.id');
      expect((await notificationsOf(order.id)).filter((n) => n.kind === 'pickup_ready')).toHaveLength(2);
    });

    it('a resend asks consent again: refused naming body.channel, nothing recorded or sent; bad input names its field', async () => {
      const { customerId, address } = await aCustomer(t(), { locale: 'en' });
      const { channel, store, sku } = await aShop(t(), 2);
      const { order } = await placeOrder(t(), {
        channel_id: channel.id,
        customer_id: customerId,
        lines: [line(sku, store.id, 'ship')],
      });
      await settle();
      const [confirmation] = await notificationsOf(order.id);
      expect(confirmation).toMatchObject({ kind: 'order_confirmation', status: 'sent', address });
      await t().omnis.services.consent.recordConsents(
        customerId,
        [{ purpose: 'service', channel: 'email', status: 'withdrawn', source: { type: 'staff' } }],
        testActor,
      );
      const mails = mailsTo(address).length;
      const refused = await resend(confirmation!.id as string);
      expect(refused.statusCode).toBe(422);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.json()).toMatchObject({ code: 'consent_refused', errors: [{ field: 'body.channel' }] });
      // By SMS she has no number on file: refused too, naming the channel asked for.
      const noPhone = await resend(confirmation!.id as string, { channel: 'sms' });
      expect(noPhone.statusCode).toBe(422);
      expect(noPhone.json().errors[0].field).toBe('body.channel');
      const fax = await resend(confirmation!.id as string, { channel: 'fax' });
      expect(fax.statusCode).toBe(400);
      expect(fax.json().errors[0].field).toBe('body.channel');
      expect(await notificationsOf(order.id)).toHaveLength(1);
      expect(mailsTo(address).length).toBe(mails);

      const unknown = await resend('ntf_nope');
      expect(unknown.statusCode).toBe(404);
      // Analysts read orders but change nothing.
      const analyst = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/notifications/${confirmation!.id as string}/resend`,
        headers: await t().as('analyst'),
        payload: {},
      });
      expect(analyst.statusCode).toBe(403);
    });
  },
  { twilioApiBaseUrl: twilio.url, emailRelayUrl: smtp.url },
);
