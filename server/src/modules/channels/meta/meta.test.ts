/**
 * Messenger, Instagram and WhatsApp Cloud through Meta: the verification handshake, notifications signed with the
 * app secret (forged ones refused, nothing stored), several messages in one POST, replies through a loopback peer
 * playing the Graph API, and WhatsApp status updates moving a reply's delivery status.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/harness';
import { aCustomer, countRows, messagesOf, testActor } from '../../conversations/conversation.test-support';
import {
  ACCESS_TOKEN,
  aMetaChannel,
  aMid,
  aWamid,
  postMeta,
  recordingPeer,
  signMeta,
  VERIFY_TOKEN,
} from './meta.test-support';

const VERSION = 'v21.0';
let out = 0;
const graph = await recordingPeer((req, url) => {
  if (req.method === 'GET' && req.url.startsWith('/cdn/'))
    return { body: Buffer.from('\x89PNG fake image bytes'), contentType: 'image/png' };
  if (req.method === 'GET' && req.url === `/${VERSION}/media-4711`)
    return { json: { url: `${url}/wa-media/4711`, mime_type: 'application/pdf', file_size: 9 } };
  if (req.method === 'GET' && req.url === '/wa-media/4711')
    return { body: Buffer.from('%PDF-1.7'), contentType: 'application/pdf' };
  if (req.url === `/${VERSION}/me/messages`)
    return { json: { recipient_id: req.json?.recipient, message_id: `m_out_${++out}` } };
  if (/^\/v21\.0\/\d+\/messages$/.test(req.url))
    return {
      json: {
        messaging_product: 'whatsapp',
        contacts: [{ input: req.json?.to, wa_id: req.json?.to }],
        messages: [{ id: `wamid.out${++out}` }],
      },
    };
  return { status: 404, json: { error: { message: 'unknown path', code: 803 } } };
});
afterAll(() => graph.close());

let serial = 0;
const aPsid = () => `${24000000000000 + ++serial * 7919}`;
let phoneSerial = 300;
const aWaId = () => `3461234${(++phoneSerial).toString().padStart(4, '0')}`;

const messengerEvent = (psid: string, message: Record<string, unknown>) => ({
  sender: { id: psid },
  recipient: { id: '1122334455' },
  timestamp: Date.now(),
  message,
});

const whatsappNotification = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            ...value,
          },
        },
      ],
    },
  ],
});

describeEachDialect(
  'Meta (Messenger, Instagram, WhatsApp Cloud)',
  (t) => {
    let messenger: Awaited<ReturnType<typeof aMetaChannel>>;
    let whatsapp: Awaited<ReturnType<typeof aMetaChannel>>;
    beforeAll(async () => {
      messenger = await aMetaChannel(t(), 'messenger');
      whatsapp = await aMetaChannel(t(), 'whatsapp', {
        templates: [{ id: 'order_update', language: 'es' }],
      });
    });
    const db = () => t().omnis.database.db;

    it('the verification handshake answers the challenge only with the right token', async () => {
      const verify = (token: string, mode = 'subscribe') =>
        t().omnis.app.inject({
          method: 'GET',
          url: `/hooks/meta/${messenger.id}?hub.mode=${mode}&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`,
        });
      const right = await verify(VERIFY_TOKEN);
      expect(right.statusCode).toBe(200);
      expect(right.headers['content-type']).toContain('text/plain');
      expect(right.body).toBe('1158201444');
      const wrong = await verify('guessed-token');
      expect(wrong.statusCode).toBe(403);
      expect(wrong.body).not.toContain('1158201444');
      expect((await verify(VERIFY_TOKEN, 'unsubscribe')).statusCode).toBe(403);
      const unknown = await t().omnis.app.inject({
        method: 'GET',
        url: `/hooks/meta/cha_nope?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      });
      expect(unknown.statusCode).toBe(404);
    });

    it('a Messenger message signed with the app secret lands in the customer’s conversation', async () => {
      const psid = aPsid();
      const customerId = await aCustomer(t(), [
        { type: 'email', value: `ana${psid}@mail.example` },
        { type: 'messenger_psid', value: psid },
      ]);
      const first = aMid();
      const second = aMid();
      // One POST, two messages (and an echo of our own message, which is not the customer's).
      const res = await postMeta(t(), messenger.id, {
        object: 'page',
        entry: [
          {
            id: '1122334455',
            time: Date.now(),
            messaging: [
              messengerEvent(psid, { mid: first, text: 'Hi! Is the blue jacket back in M?' }),
              messengerEvent(psid, {
                mid: second,
                attachments: [{ type: 'image', payload: { url: `${graph.url}/cdn/jacket.png?oh=1` } }],
              }),
              messengerEvent('1122334455', { mid: aMid(), text: 'echo', is_echo: true }),
            ],
          },
        ],
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ received: 2, duplicates: 0 });
      const rows = await db()
        .selectFrom('messages')
        .selectAll()
        .where('channel_id', '=', messenger.id)
        .where('address', '=', psid)
        .orderBy('id')
        .execute();
      expect(rows.map((r) => [r.provider_message_id, r.text, r.customer_id])).toEqual([
        [first, 'Hi! Is the blue jacket back in M?', customerId],
        [second, null, customerId],
      ]);
      expect(rows[0]!.conversation_id).toBe(rows[1]!.conversation_id);
      const listed = await messagesOf(t(), rows[0]!.conversation_id);
      const photo = listed.find((m) => m.provider_message_id === second)!;
      expect(photo.attachments).toEqual([
        expect.objectContaining({ filename: 'jacket.png', content_type: 'image/png' }),
      ]);

      // The agent answers; the reply goes through the Send API to her PSID with the page token.
      const reply = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${rows[0]!.conversation_id}/messages`,
        headers: await t().as('agent'),
        payload: { text: 'Yes, since this morning!' },
      });
      expect(reply.statusCode).toBe(201);
      expect(reply.json()).toMatchObject({
        channel_id: messenger.id,
        address: psid,
        delivery_status: 'sent',
      });
      const sent = graph.requests.find(
        (r) => r.url === `/${VERSION}/me/messages` && (r.json?.recipient as { id: string }).id === psid,
      )!;
      expect(sent.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(sent.json).toMatchObject({
        messaging_type: 'RESPONSE',
        message: { text: 'Yes, since this morning!' },
      });
    });

    it('an Instagram DM is her message, known by her Instagram-scoped id', async () => {
      const instagram = await aMetaChannel(t(), 'instagram');
      const igsid = aPsid();
      const res = await postMeta(t(), instagram.id, {
        object: 'instagram',
        entry: [
          {
            id: '17841400000000',
            messaging: [messengerEvent(igsid, { mid: aMid(), text: 'Still in stock?' })],
          },
        ],
      });
      expect(res.json()).toMatchObject({ received: 1 });
      // A page notification posted to the Instagram channel is not Instagram's: acknowledged, not stored.
      const other = await postMeta(t(), instagram.id, {
        object: 'page',
        entry: [{ id: '1', messaging: [messengerEvent(igsid, { mid: aMid(), text: 'x' })] }],
      });
      expect(other.json()).toMatchObject({ received: 0 });
      const row = await db()
        .selectFrom('messages')
        .selectAll()
        .where('channel_id', '=', instagram.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ channel_kind: 'instagram', address: igsid, text: 'Still in stock?' });
      const known = await t().omnis.services.identity.resolve({
        identifiers: [{ type: 'instagram_id', value: igsid }],
        actor: testActor,
        reason: 'test',
      });
      expect(known.customerId).toBe(row.customer_id);
      expect(await countRows(t(), 'messages', instagram.id)).toBe(1);
    });

    it('a forged X-Hub-Signature-256 is refused and nothing is stored', async () => {
      const before = await countRows(t(), 'inbound_messages');
      const notification = {
        object: 'page',
        entry: [{ id: '1', messaging: [messengerEvent(aPsid(), { mid: aMid(), text: 'send me a refund' })] }],
      };
      const forged = await postMeta(t(), messenger.id, notification, { secret: 'not-the-app-secret' });
      expect(forged.statusCode).toBe(403);
      expect(forged.headers['content-type']).toContain('application/problem+json');
      // Signed, then altered on the way: the signature covers the exact bytes.
      const tampered = await t().omnis.app.inject({
        method: 'POST',
        url: `/hooks/meta/${messenger.id}`,
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': signMeta(JSON.stringify(notification)),
        },
        payload: JSON.stringify(notification).replace('refund', 'REFUND'),
      });
      expect(tampered.statusCode).toBe(403);
      const unsigned = await postMeta(t(), messenger.id, notification, { signature: null });
      expect(unsigned.statusCode).toBe(401);
      expect(await countRows(t(), 'inbound_messages')).toBe(before);
    });

    it('a WhatsApp Cloud status update marks the reply delivered', async () => {
      const waId = aWaId();
      const wamid = aWamid();
      const inbound = whatsappNotification({
        contacts: [{ profile: { name: 'Lucía' }, wa_id: waId }],
        messages: [
          {
            from: waId,
            id: wamid,
            timestamp: String(Math.floor(Date.now() / 1000)),
            type: 'document',
            document: {
              id: 'media-4711',
              mime_type: 'application/pdf',
              filename: 'receipt.pdf',
              caption: 'My receipt',
            },
          },
        ],
      });
      const first = await postMeta(t(), whatsapp.id, inbound);
      expect(first.json()).toMatchObject({ received: 1, duplicates: 0 });
      // Meta redelivers when it is unsure we got it: still one message.
      expect((await postMeta(t(), whatsapp.id, inbound)).json()).toMatchObject({
        received: 1,
        duplicates: 1,
      });
      const message = await db()
        .selectFrom('messages')
        .selectAll()
        .where('provider_message_id', '=', wamid)
        .execute();
      expect(message).toHaveLength(1);
      expect(message[0]).toMatchObject({ channel_kind: 'whatsapp', address: `+${waId}`, text: 'My receipt' });
      const customer = await t().omnis.services.customers.retrieveCustomer(message[0]!.customer_id!);
      expect(customer.first_name).toBe('Lucía');
      const [attachment] = (await messagesOf(t(), message[0]!.conversation_id))[0]!.attachments as Array<
        Record<string, unknown>
      >;
      expect(attachment).toMatchObject({ filename: 'receipt.pdf', content_type: 'application/pdf', size: 8 });

      const reply = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${message[0]!.conversation_id}/messages`,
        headers: await t().as('agent'),
        payload: { text: 'Thanks, refund on its way' },
      });
      expect(reply.statusCode).toBe(201);
      const sent = reply.json();
      expect(sent).toMatchObject({ channel_id: whatsapp.id, delivery_status: 'queued' });
      const request = graph.requests.find(
        (r) => r.url === `/${VERSION}/106540352242922/messages` && r.json?.to === waId,
      )!;
      expect(request.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      expect(request.json).toMatchObject({
        messaging_product: 'whatsapp',
        type: 'text',
        text: { body: 'Thanks, refund on its way' },
      });

      const status = (s: string) =>
        postMeta(
          t(),
          whatsapp.id,
          whatsappNotification({
            statuses: [{ id: sent.provider_message_id, status: s, timestamp: '1', recipient_id: waId }],
          }),
        );
      expect((await status('sent')).json()).toMatchObject({ statuses: 1 });
      expect((await status('delivered')).json()).toMatchObject({ statuses: 1 });
      // A late `sent` never moves a delivered reply back.
      expect((await status('sent')).json()).toMatchObject({ statuses: 0 });
      const after = (await messagesOf(t(), message[0]!.conversation_id)).find((m) => m.id === sent.id)!;
      expect(after.delivery_status).toBe('delivered');
    });

    it('outside the 24-hour window a WhatsApp Cloud reply must be an approved template', async () => {
      const waId = aWaId();
      await postMeta(
        t(),
        whatsapp.id,
        whatsappNotification({
          contacts: [{ profile: { name: 'Marta' }, wa_id: waId }],
          messages: [{ from: waId, id: aWamid(), timestamp: '1', type: 'text', text: { body: 'hola' } }],
        }),
      );
      const message = await db()
        .selectFrom('messages')
        .selectAll()
        .where('address', '=', `+${waId}`)
        .executeTakeFirstOrThrow();
      await db()
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
        payload: { text: '¿Algo más?' },
      });
      expect(closed.statusCode).toBe(422);
      expect(closed.json()).toMatchObject({ code: 'whatsapp_window_closed' });
      const template = await t().omnis.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { template: { id: 'order_update', variables: { '2': 'mañana', '1': '1042' } } },
      });
      expect(template.statusCode).toBe(201);
      const request = graph.requests.find((r) => r.json?.to === waId && r.json?.type === 'template')!;
      expect(request.json!.template).toEqual({
        name: 'order_update',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: '1042' },
              { type: 'text', text: 'mañana' },
            ],
          },
        ],
      });
    });
  },
  { metaGraphApiBaseUrl: graph.url, metaGraphApiVersion: VERSION },
);
