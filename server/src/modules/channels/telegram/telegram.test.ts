/**
 * Telegram through the Bot API: updates accepted only with the channel's secret token, the customer known by
 * their Telegram user id with name and language, files fetched through getFile within the limits, redelivered
 * updates folded, and replies out through sendMessage / sendDocument on a loopback peer playing the Bot API.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeJson } from '../../../platform/db/codecs';
import { describeEachDialect, type TestContext } from '../../../../test/harness';
import { countRows, messagesOf, testActor, unique } from '../../conversations/conversation.test-support';
import { recordingPeer } from '../meta/meta.test-support';

const BOT_TOKEN = '123456:ABC-telegram-bot-token';
const SECRET = 'telegram-secret-token_0123';
let sent = 1000;
const bot = await recordingPeer((req) => {
  if (req.url === `/bot${BOT_TOKEN}/sendMessage` || req.url === `/bot${BOT_TOKEN}/sendDocument`)
    return { json: { ok: true, result: { message_id: ++sent, date: 1, chat: { id: 1 } } } };
  if (req.url === `/bot${BOT_TOKEN}/getFile`)
    return {
      json: {
        ok: true,
        result: {
          file_id: req.json?.file_id,
          file_size: 14,
          file_path: `documents/${String(req.json?.file_id)}.pdf`,
        },
      },
    };
  if (req.url.startsWith(`/file/bot${BOT_TOKEN}/documents/`))
    return { body: Buffer.from('%PDF-1.7 order'), contentType: 'application/octet-stream' };
  return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
});
afterAll(() => bot.close());

let serial = 0;
const aUserId = () => 700000000 + ++serial * 31;
let updateId = 500000;

function anUpdate(userId: number, message: Record<string, unknown>, messageId = ++serial) {
  return {
    update_id: ++updateId,
    message: {
      message_id: messageId,
      date: Math.floor(Date.now() / 1000),
      from: { id: userId, is_bot: false, first_name: 'Olga', last_name: 'Petrova', language_code: 'ru' },
      chat: { id: userId, type: 'private', first_name: 'Olga' },
      ...message,
    },
  };
}

const postUpdate = (t: TestContext, channelId: string, update: unknown, secret: string | null = SECRET) =>
  t.omnis.app.inject({
    method: 'POST',
    url: `/hooks/telegram/${channelId}`,
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
    payload: JSON.stringify(update),
  });

describeEachDialect(
  'Telegram',
  (t) => {
    let channel: { id: string };
    beforeAll(async () => {
      channel = await t().omnis.services.channels.createChannel(
        {
          kind: 'telegram',
          name: unique('Telegram '),
          config: { bot_username: 'omnis_shop_bot' },
          secrets: { bot_token: BOT_TOKEN, secret_token: SECRET },
        },
        testActor,
      );
    });
    const db = () => t().omnis.database.db;

    it('a Telegram update without the secret token is refused', async () => {
      const before = await countRows(t(), 'inbound_messages');
      const update = anUpdate(aUserId(), { text: 'hello' });
      const missing = await postUpdate(t(), channel.id, update, null);
      expect(missing.statusCode).toBe(401);
      const wrong = await postUpdate(t(), channel.id, update, 'a-guessed-token');
      expect(wrong.statusCode).toBe(403);
      expect(wrong.headers['content-type']).toContain('application/problem+json');
      expect(await countRows(t(), 'inbound_messages')).toBe(before);
      expect((await postUpdate(t(), 'cha_nope', update)).statusCode).toBe(404);
    });

    it('the same update delivered twice is one message', async () => {
      const update = anUpdate(aUserId(), { text: 'Where is order 1042?' });
      const first = await postUpdate(t(), channel.id, update);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ stored: true, duplicate: false });
      const again = await postUpdate(t(), channel.id, update);
      expect(again.json()).toMatchObject({
        stored: true,
        duplicate: true,
        message_id: first.json().message_id,
      });
      const rows = await db()
        .selectFrom('messages')
        .selectAll()
        .where('channel_id', '=', channel.id)
        .where('address', '=', String(update.message.chat.id))
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        direction: 'in',
        channel_kind: 'telegram',
        text: 'Where is order 1042?',
      });
    });

    it('an agent’s reply goes to the right chat, short text as the document’s caption', async () => {
      const userId = aUserId();
      const res = await postUpdate(
        t(),
        channel.id,
        anUpdate(userId, { text: 'Здравствуйте! Можно вернуть куртку?' }),
      );
      const { conversation_id: conversationId, message_id: messageId } = res.json();
      const row = await db()
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', messageId)
        .executeTakeFirstOrThrow();
      // She is known by her Telegram user id, with the name and language Telegram gave.
      const customer = await t().omnis.services.customers.retrieveCustomer(row.customer_id!);
      expect(customer).toMatchObject({ first_name: 'Olga', last_name: 'Petrova', locale: 'ru' });
      const found = await t().omnis.services.identity.resolve({
        identifiers: [{ type: 'telegram_id', value: String(userId) }],
        actor: testActor,
        reason: 'test',
      });
      expect(found.customerId).toBe(row.customer_id);

      const reply = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${conversationId}/messages`,
        headers: await t().as('agent'),
        payload: {
          text: 'Да, конечно. Вот бланк возврата.',
          attachments: [
            {
              filename: 'return.pdf',
              content_type: 'application/pdf',
              content_base64: Buffer.from('%PDF').toString('base64'),
            },
          ],
        },
      });
      expect(reply.statusCode).toBe(201);
      expect(reply.json()).toMatchObject({
        channel_id: channel.id,
        address: String(userId),
        delivery_status: 'sent',
      });
      // Short text with a file is one message: the text rides as the document's caption.
      expect(
        bot.requests.filter(
          (r) => r.url === `/bot${BOT_TOKEN}/sendMessage` && r.json?.chat_id === String(userId),
        ),
      ).toHaveLength(0);
      expect(reply.json().provider_message_id).toMatch(new RegExp(`^${userId}:\\d+$`));
      const document = bot.requests.find(
        (r) => r.url === `/bot${BOT_TOKEN}/sendDocument` && r.body.includes(`\r\n\r\n${userId}\r\n`),
      )!;
      expect(document.headers['content-type']).toContain('multipart/form-data');
      expect(document.body.toString()).toContain('filename="return.pdf"');
      expect(document.body.toString()).toContain(
        `name="caption"\r\n\r\nДа, конечно. Вот бланк возврата.\r\n`,
      );
    });

    it('a document comes in through getFile; a photo over the size limit is left out and named', async () => {
      const userId = aUserId();
      const res = await postUpdate(
        t(),
        channel.id,
        anUpdate(userId, {
          caption: 'My invoice',
          document: {
            file_id: 'BQACAgI-invoice',
            file_name: 'invoice.pdf',
            mime_type: 'application/pdf',
            file_size: 14,
          },
        }),
      );
      const [message] = await messagesOf(t(), res.json().conversation_id);
      expect(message).toMatchObject({ text: 'My invoice' });
      expect(message!.attachments).toEqual([
        expect.objectContaining({ filename: 'invoice.pdf', content_type: 'application/pdf', size: 14 }),
      ]);
      expect(
        bot.requests.some(
          (r) => r.url === `/bot${BOT_TOKEN}/getFile` && r.json?.file_id === 'BQACAgI-invoice',
        ),
      ).toBe(true);

      const getFiles = bot.requests.filter((r) => r.url.endsWith('/getFile')).length;
      const big = await postUpdate(
        t(),
        channel.id,
        anUpdate(userId, {
          caption: 'the stain',
          photo: [
            { file_id: 'small', file_size: 900, width: 90, height: 90 },
            { file_id: 'large', file_size: 5 * 1024 * 1024, width: 4000, height: 3000 },
          ],
        }),
      );
      const stored = await db()
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', big.json().message_id)
        .executeTakeFirstOrThrow();
      expect(stored.text).toBe('the stain');
      expect(decodeJson(stored.attachments)).toEqual([]);
      expect(decodeJson<{ skipped_attachments: unknown }>(stored.meta).skipped_attachments).toEqual([
        { filename: expect.stringMatching(/^photo-/), reason: expect.stringContaining('larger than') },
      ]);
      expect(bot.requests.filter((r) => r.url.endsWith('/getFile')).length).toBe(getFiles);
    });

    it('updates that carry no customer message are acknowledged and store nothing', async () => {
      const before = await countRows(t(), 'inbound_messages');
      const res = await postUpdate(t(), channel.id, {
        update_id: ++updateId,
        my_chat_member: { chat: { id: 1 }, from: { id: 1 } },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ stored: false });
      expect(await countRows(t(), 'inbound_messages')).toBe(before);
    });
  },
  { telegramBotApiBaseUrl: bot.url, attachmentMaxBytes: 1024 * 1024 },
);
