/**
 * Raw deliveries whose processing failed belong to nobody yet (no customer id), but they hold a person's words:
 * export includes them and erasure deletes them, found by the sender stored when they arrived. Twilio on a
 * loopback peer that fails the media download is what makes processing fail.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { recordingPeer } from '../channels/meta/meta.test-support';
import { aCustomer, aMessageSid, aTwilioChannel, postTwilio } from './conversation.test-support';

// Twilio's media store is down: every download fails, so processing fails and the delivery waits for a retry.
const twilio = await recordingPeer(() => ({ status: 503, json: { message: 'unavailable' } }));
afterAll(() => twilio.close());

let serial = 700;
const aPhone = () => `+3467${(++serial).toString().padStart(7, '0')}`;

describeEachDialect(
  'Privacy of raw inbound deliveries',
  (t) => {
    let whatsapp: Awaited<ReturnType<typeof aTwilioChannel>>;
    beforeAll(async () => {
      whatsapp = await aTwilioChannel(t(), 'whatsapp');
    });
    const db = () => t().omnis.database.db;

    /** A WhatsApp message with a photo from `phone` that cannot be processed now. */
    async function aFailedDelivery(phone: string, body: string) {
      const sid = aMessageSid();
      const res = await postTwilio(t(), `/hooks/twilio/${whatsapp.id}`, {
        MessageSid: sid,
        AccountSid: 'AC0123456789abcdef0123456789abcdef',
        From: `whatsapp:${phone}`,
        To: 'whatsapp:+14155550100',
        Body: body,
        NumMedia: '1',
        MediaUrl0: `${twilio.url}/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/${sid}/Media/ME1`,
        MediaContentType0: 'image/jpeg',
      });
      expect(res.statusCode).toBe(200);
      const row = await db()
        .selectFrom('inbound_messages')
        .selectAll()
        .where('provider_message_id', '=', sid)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'failed', customer_id: null, sender: phone });
      return row.id;
    }

    it('export includes a failed delivery from her number; erasure deletes it and leaves other people’s', async () => {
      const phone = aPhone();
      const customerId = await aCustomer(t(), [
        { type: 'whatsapp', value: phone },
        { type: 'email', value: `carmen${serial}@mail.example` },
      ]);
      const hers = await aFailedDelivery(phone, 'My address is Calle Mayor 5, 2ºB');
      const someoneElse = await aFailedDelivery(aPhone(), 'Not hers');

      const exported = await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/customers/${customerId}/export`,
        headers: await t().as('owner'),
      });
      expect(exported.statusCode).toBe(200);
      const raw = exported.json().data.conversations.inbound_messages as Array<{
        id: string;
        payload: string;
      }>;
      expect(raw.map((r) => r.id)).toEqual([hers]);
      expect(raw[0]!.payload).toContain('Calle+Mayor+5');

      const erased = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/customers/${customerId}/erase`,
        headers: await t().as('owner'),
        payload: { confirm: true },
      });
      expect(erased.statusCode).toBe(200);
      const left = await db()
        .selectFrom('inbound_messages')
        .select('id')
        .where('id', 'in', [hers, someoneElse])
        .execute();
      expect(left.map((r) => r.id)).toEqual([someoneElse]);
    });
  },
  { twilioApiBaseUrl: twilio.url },
);
