/**
 * Long Telegram replies: text over sendMessage's 4096-character limit leaves as several messages, in order, cut at
 * paragraph, sentence or word boundaries and never inside a surrogate pair, every part's message id recorded; a
 * reply with a file carries short text as the caption and longer text (over the 1024-character caption limit) as
 * messages before it. The Bot API is a loopback peer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson } from '../../../platform/db/codecs';
import { describeEachDialect } from '../../../../test/harness';
import { testActor, unique } from '../../conversations/conversation.test-support';
import { recordingPeer } from '../meta/meta.test-support';
import { splitText } from './telegram.split';

const BOT_TOKEN = '654321:XYZ-long-text-bot';
const SECRET = 'telegram-long-secret_0123';
let next = 5000;
/** What the peer answered for each sendMessage / sendDocument, in order: [chat id, message id, text or caption]. */
const answered: Array<{ chat: string; id: number; method: string; text: string | null }> = [];
const bot = await recordingPeer((req) => {
  const method = req.url.split('/').at(-1)!;
  if (method === 'sendMessage' || method === 'sendDocument') {
    const id = ++next;
    const body = req.body.toString('utf8');
    const chat = req.json ? String(req.json.chat_id) : /name="chat_id"\r\n\r\n([^\r]*)/.exec(body)![1]!;
    const text = req.json
      ? String(req.json.text)
      : (/name="caption"\r\n\r\n([\s\S]*?)\r\n--/.exec(body)?.[1] ?? null);
    answered.push({ chat, id, method, text });
    return { json: { ok: true, result: { message_id: id, date: 1, chat: { id: Number(chat) } } } };
  }
  return { status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } };
});
afterAll(() => bot.close());

const sentence = (i: number) => `Sentence number ${i} explains one more detail of your return. `;
const paragraph = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => sentence(from + i))
    .join('')
    .trim();

describe('splitText', () => {
  it('cuts at the paragraph break, then the sentence end, then the word break', () => {
    expect(splitText('First paragraph here.\n\nSecond one.', 30)).toEqual([
      'First paragraph here.',
      'Second one.',
    ]);
    expect(splitText('One sentence ends. Another goes on and on', 30)).toEqual([
      'One sentence ends.',
      'Another goes on and on',
    ]);
    expect(splitText('words without any full stop at all here', 20)).toEqual([
      'words without any',
      'full stop at all',
      'here',
    ]);
  });

  it('never splits a surrogate pair, even in one unbroken run of emoji', () => {
    const run = '😀'.repeat(15); // 30 UTF-16 code units, no spaces
    const parts = splitText(`x${run}`, 8);
    expect(parts.join('')).toBe(`x${run}`);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(8);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});

describeEachDialect(
  'Telegram long replies',
  (t) => {
    let channel: { id: string };
    beforeAll(async () => {
      channel = await t().omnis.services.channels.createChannel(
        {
          kind: 'telegram',
          name: unique('Telegram long '),
          config: {},
          secrets: { bot_token: BOT_TOKEN, secret_token: SECRET },
        },
        testActor,
      );
    });

    let userSerial = 0;
    async function aChat() {
      const userId = 810000000 + ++userSerial * 37 + (t().dialect === 'postgres' ? 5 : 0);
      const res = await t().omnis.app.inject({
        method: 'POST',
        url: `/hooks/telegram/${channel.id}`,
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        payload: JSON.stringify({
          update_id: userId,
          message: {
            message_id: 1,
            date: Math.floor(Date.now() / 1000),
            from: { id: userId, is_bot: false, first_name: 'Iván' },
            chat: { id: userId, type: 'private' },
            text: 'Could you explain the whole return process?',
          },
        }),
      });
      expect(res.statusCode).toBe(200);
      return { chat: String(userId), conversationId: res.json().conversation_id as string };
    }

    const reply = async (conversationId: string, payload: Record<string, unknown>) =>
      t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${conversationId}/messages`,
        headers: await t().as('agent'),
        payload,
      });

    it('a reply over 4096 characters arrives as several messages in order, every id recorded', async () => {
      const { chat, conversationId } = await aChat();
      // Three paragraphs of about 3,000 characters each: no two fit in one message.
      const text = [paragraph(1, 48), paragraph(100, 48), paragraph(200, 48)].join('\n\n');
      expect(text.length).toBeGreaterThan(8192);
      const res = await reply(conversationId, { text });
      expect(res.statusCode).toBe(201);
      const parts = answered.filter((a) => a.chat === chat);
      expect(parts.map((p) => p.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage']);
      for (const part of parts) expect(part.text!.length).toBeLessThanOrEqual(4096);
      // Cut at the paragraph breaks, in order, nothing lost.
      expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
      expect(res.json()).toMatchObject({
        delivery_status: 'sent',
        provider_message_id: `${chat}:${parts[0]!.id}`,
      });
      const stored = await t()
        .omnis.database.db.selectFrom('messages')
        .select('meta')
        .where('id', '=', res.json().id)
        .executeTakeFirstOrThrow();
      expect(decodeJson<{ telegram_message_ids: string[] }>(stored.meta).telegram_message_ids).toEqual(
        parts.map((p) => `${chat}:${p.id}`),
      );
    });

    it('one long paragraph is cut at sentence ends, never mid-word', async () => {
      const { chat, conversationId } = await aChat();
      const text = paragraph(1, 150); // ~9,000 characters, no paragraph break
      await reply(conversationId, { text });
      const parts = answered.filter((a) => a.chat === chat).map((a) => a.text!);
      expect(parts.length).toBe(3);
      for (const part of parts) {
        expect(part.length).toBeLessThanOrEqual(4096);
        expect(part).toMatch(/^Sentence number \d+ .*return\.$/s);
      }
      expect(parts.join(' ')).toBe(text);
    });

    it('with a file, text over the 1024-character caption limit goes as messages before the document', async () => {
      const { chat, conversationId } = await aChat();
      const text = paragraph(1, 25); // ~1,500 characters
      const res = await reply(conversationId, {
        text,
        attachments: [
          {
            filename: 'return-label.pdf',
            content_type: 'application/pdf',
            content_base64: Buffer.from('%PDF-1.7 label').toString('base64'),
          },
        ],
      });
      expect(res.statusCode).toBe(201);
      const parts = answered.filter((a) => a.chat === chat);
      expect(parts.map((p) => [p.method, p.text])).toEqual([
        ['sendMessage', text],
        ['sendDocument', null],
      ]);
    });
  },
  { telegramBotApiBaseUrl: bot.url },
);
