/**
 * SMS and WhatsApp through Twilio: signed webhooks in (forged ones refused, duplicates folded), replies out
 * through Twilio's REST API on a loopback peer, delivery reports, WhatsApp's 24-hour window and consent.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/harness';
import {
  aCustomer,
  aMessageSid,
  aTwilioChannel,
  countRows,
  messagesOf,
  postTwilio,
  testActor,
  twilioPeer,
  unique,
} from '../../conversations/conversation.test-support';

const peer = await twilioPeer();
afterAll(() => peer.close());

let phoneSerial = 100;
const aPhone = () => `+3461234${(++phoneSerial).toString().padStart(4, '0')}`;

describeEachDialect(
  'Twilio SMS and WhatsApp',
  (t) => {
    let whatsapp: Awaited<ReturnType<typeof aTwilioChannel>>;
    beforeAll(async () => {
      whatsapp = await aTwilioChannel(t(), 'whatsapp', {
        templates: [{ id: 'HXorder_update', name: 'order update' }],
      });
    });

    const inbound = (from: string, body: string, sid = aMessageSid()) => ({
      MessageSid: sid,
      AccountSid: 'AC0123456789abcdef0123456789abcdef',
      From: `whatsapp:${from}`,
      To: 'whatsapp:+14155550100',
      Body: body,
      NumMedia: '0',
      ProfileName: 'Lucía',
    });

    it('a forged Twilio signature is refused with 403 and nothing is stored', async () => {
      const before = await countRows(t(), 'inbound_messages');
      const forged = await postTwilio(t(), `/hooks/twilio/${whatsapp.id}`, inbound(aPhone(), 'hola'), {
        token: 'not-the-token',
      });
      expect(forged.statusCode).toBe(403);
      expect(forged.headers['content-type']).toContain('application/problem+json');
      const unsigned = await postTwilio(t(), `/hooks/twilio/${whatsapp.id}`, inbound(aPhone(), 'hola'), {
        signature: '',
      });
      expect(unsigned.statusCode).toBe(403);
      expect(await countRows(t(), 'inbound_messages')).toBe(before);
    });

    it('an unknown channel is a 404', async () => {
      const res = await postTwilio(t(), '/hooks/twilio/cha_nope', inbound(aPhone(), 'hola'));
      expect(res.statusCode).toBe(404);
    });

    it('the same Twilio message delivered twice is one message', async () => {
      const phone = aPhone();
      const sid = aMessageSid();
      const first = await postTwilio(
        t(),
        `/hooks/twilio/${whatsapp.id}`,
        inbound(phone, '¿Dónde está mi pedido?', sid),
      );
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain('<Response>');
      const again = await postTwilio(
        t(),
        `/hooks/twilio/${whatsapp.id}`,
        inbound(phone, '¿Dónde está mi pedido?', sid),
      );
      expect(again.statusCode).toBe(200);
      const rows = await t()
        .omnis.database.db.selectFrom('messages')
        .selectAll()
        .where('provider_message_id', '=', sid)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        direction: 'in',
        channel_kind: 'whatsapp',
        address: phone,
        text: '¿Dónde está mi pedido?',
      });
    });

    it('an agent replies on WhatsApp within the window; Twilio gets it and the delivery report updates it', async () => {
      const phone = aPhone();
      await postTwilio(t(), `/hooks/twilio/${whatsapp.id}`, inbound(phone, 'Is my parcel coming today?'));
      const message = await t()
        .omnis.database.db.selectFrom('messages')
        .selectAll()
        .where('address', '=', phone)
        .executeTakeFirstOrThrow();
      const reply = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${message.conversation_id}/messages`,
        headers: await t().as('agent'),
        payload: { text: 'Yes, before 18:00' },
      });
      expect(reply.statusCode).toBe(201);
      const sent = reply.json();
      expect(sent).toMatchObject({
        direction: 'out',
        channel_id: whatsapp.id,
        address: phone,
        delivery_status: 'queued',
      });
      const request = peer.requests.find((r) => r.form.To === `whatsapp:${phone}`)!;
      expect(request.url).toBe('/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json');
      expect(request.authorization).toBe(
        `Basic ${Buffer.from(`AC0123456789abcdef0123456789abcdef:${'twilio-auth-token-0123456789'}`).toString('base64')}`,
      );
      expect(request.form).toMatchObject({ From: 'whatsapp:+14155550100', Body: 'Yes, before 18:00' });
      expect(request.form.StatusCallback).toMatch(new RegExp(`/hooks/twilio/${whatsapp.id}/status$`));

      const status = await postTwilio(t(), `/hooks/twilio/${whatsapp.id}/status`, {
        MessageSid: sent.provider_message_id,
        MessageStatus: 'delivered',
      });
      expect(status.statusCode).toBe(204);
      const forged = await postTwilio(
        t(),
        `/hooks/twilio/${whatsapp.id}/status`,
        { MessageSid: sent.provider_message_id, MessageStatus: 'failed' },
        { token: 'forged' },
      );
      expect(forged.statusCode).toBe(403);
      const out = (await messagesOf(t(), message.conversation_id)).find((m) => m.id === sent.id)!;
      expect(out.delivery_status).toBe('delivered');
    });

    it('outside the 24-hour window only an approved template goes out', async () => {
      const phone = aPhone();
      await postTwilio(t(), `/hooks/twilio/${whatsapp.id}`, inbound(phone, 'hello'));
      const db = t().omnis.database.db;
      const message = await db
        .selectFrom('messages')
        .selectAll()
        .where('address', '=', phone)
        .executeTakeFirstOrThrow();
      // She last wrote 25 hours ago.
      await db
        .updateTable('conversation_contacts')
        .set({ last_inbound_at: Date.now() - 25 * 3_600_000 })
        .where('conversation_id', '=', message.conversation_id)
        .execute();
      const url = `/v1/conversations/${message.conversation_id}/messages`;
      const headers = await t().as('agent');
      const closed = await t().omnis.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { text: 'Any news?' },
      });
      expect(closed.statusCode).toBe(422);
      expect(closed.json()).toMatchObject({
        code: 'whatsapp_window_closed',
        errors: [{ field: 'body.template' }],
      });
      const unknown = await t().omnis.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { template: { id: 'HXnot_approved' } },
      });
      expect(unknown.statusCode).toBe(400);
      const template = await t().omnis.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { template: { id: 'HXorder_update', variables: { '1': '1042' } } },
      });
      expect(template.statusCode).toBe(201);
      const request = peer.requests.find((r) => r.form.To === `whatsapp:${phone}`)!;
      expect(request.form).toMatchObject({ ContentSid: 'HXorder_update', ContentVariables: '{"1":"1042"}' });
      expect(request.form.Body).toBeUndefined();
    });

    it('a reply to a customer who withdrew service messages on SMS is refused and nothing is sent', async () => {
      const sms = await aTwilioChannel(t(), 'sms');
      const phone = aPhone();
      const customerId = await aCustomer(t(), [{ type: 'phone', value: phone }]);
      await postTwilio(t(), `/hooks/twilio/${sms.id}`, {
        ...inbound(phone, 'stop texting me'),
        From: phone,
        To: '+14155550100',
      });
      await t().omnis.services.consent.recordConsents(
        customerId,
        [{ purpose: 'service', channel: 'sms', status: 'withdrawn', source: { type: 'staff' } }],
        testActor,
      );
      const message = await t()
        .omnis.database.db.selectFrom('messages')
        .selectAll()
        .where('address', '=', phone)
        .executeTakeFirstOrThrow();
      expect(message.customer_id).toBe(customerId);
      const before = peer.requests.length;
      const refused = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${message.conversation_id}/messages`,
        headers: await t().as('agent'),
        payload: { text: unique('Sorry ') },
      });
      expect(refused.statusCode).toBe(422);
      expect(refused.json()).toMatchObject({
        code: 'consent_refused',
        errors: [{ field: 'body.channel_id' }],
      });
      expect(peer.requests.length).toBe(before);
      expect(await countRows(t(), 'messages', sms.id)).toBe(1);
    });
  },
  { twilioApiBaseUrl: peer.url },
);
