/**
 * A Meta, Telegram or raw-mail webhook reads its channel and the channel's secrets in one read
 * (`retrieveChannelWithSecrets`), as Twilio's does — accepted or refused — and stays as strict: a bad signature
 * or token is a 403 with nothing stored.
 */
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import {
  anEmailChannel,
  countRows,
  HOOK_TOKEN,
  testActor,
  unique,
} from '../conversations/conversation.test-support';
import { aMetaChannel, aMid, postMeta, VERIFY_TOKEN } from './meta/meta.test-support';

const TELEGRAM_SECRET = 'telegram-secret-token-0123';
let serial = 0;

/** Spies on every way the channels service reads a channel; restored after each test. */
function channelReads(t: TestContext) {
  const channels = t.omnis.services.channels;
  return {
    combined: vi.spyOn(channels, 'retrieveChannelWithSecrets'),
    separate: [
      vi.spyOn(channels, 'channelExists'),
      vi.spyOn(channels, 'retrieveChannel'),
      vi.spyOn(channels, 'channelSecrets'),
    ],
  };
}

function expectOneRead(reads: ReturnType<typeof channelReads>, times = 1) {
  expect(reads.combined).toHaveBeenCalledTimes(times);
  for (const spy of reads.separate) expect(spy).not.toHaveBeenCalled();
}

describeEachDialect('webhooks read their channel once', (t) => {
  afterEach(() => vi.restoreAllMocks());

  let messenger: { id: string };
  let telegram: { id: string };
  let email: { id: string; address: string };
  beforeAll(async () => {
    messenger = await aMetaChannel(t(), 'messenger');
    telegram = await t().omnis.services.channels.createChannel(
      {
        kind: 'telegram',
        name: unique('Telegram '),
        config: { bot_username: 'omnis_shop_bot' },
        secrets: { bot_token: '123:bot-token', secret_token: TELEGRAM_SECRET },
      },
      testActor,
    );
    email = await anEmailChannel(t());
  });

  it('Meta: a signed notification and the handshake read the channel once; a forged one is refused', async () => {
    const notification = (text: string) => ({
      object: 'page',
      entry: [
        {
          id: '1',
          messaging: [
            {
              sender: { id: `2400${++serial}` },
              recipient: { id: '1122334455' },
              timestamp: Date.now(),
              message: { mid: aMid(), text },
            },
          ],
        },
      ],
    });
    const reads = channelReads(t());
    const before = await countRows(t(), 'inbound_messages', messenger.id);
    const ok = await postMeta(t(), messenger.id, notification('¿Tenéis la chaqueta en M?'));
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ received: 1 });
    expectOneRead(reads);

    const forged = await postMeta(t(), messenger.id, notification('refund me'), {
      secret: 'not-the-app-secret',
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.headers['content-type']).toContain('application/problem+json');
    expectOneRead(reads, 2);
    expect(await countRows(t(), 'inbound_messages', messenger.id)).toBe(before + 1);

    const handshake = await t().omnis.app.inject({
      method: 'GET',
      url: `/hooks/meta/${messenger.id}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=42`,
    });
    expect(handshake.body).toBe('42');
    const guessed = await t().omnis.app.inject({
      method: 'GET',
      url: `/hooks/meta/${messenger.id}?hub.mode=subscribe&hub.verify_token=guessed&hub.challenge=42`,
    });
    expect(guessed.statusCode).toBe(403);
    expectOneRead(reads, 4);
  });

  it('Telegram: an update with the secret token reads the channel once; a wrong token is refused', async () => {
    const post = (secret: string) =>
      t().omnis.app.inject({
        method: 'POST',
        url: `/hooks/telegram/${telegram.id}`,
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        payload: JSON.stringify({
          update_id: 900000 + ++serial,
          message: {
            message_id: ++serial,
            date: Math.floor(Date.now() / 1000),
            from: { id: 700000001, is_bot: false, first_name: 'Olga' },
            chat: { id: 700000001, type: 'private' },
            text: 'Где мой заказ?',
          },
        }),
      });
    const reads = channelReads(t());
    const before = await countRows(t(), 'inbound_messages', telegram.id);
    const ok = await post(TELEGRAM_SECRET);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ stored: true });
    expectOneRead(reads);
    const wrong = await post('a-guessed-token');
    expect(wrong.statusCode).toBe(403);
    expectOneRead(reads, 2);
    expect(await countRows(t(), 'inbound_messages', telegram.id)).toBe(before + 1);
  });

  it('raw mail: a message with the hook token reads the channel once; a wrong token is refused', async () => {
    const post = (token: string) =>
      t().omnis.app.inject({
        method: 'POST',
        url: `/hooks/email/${email.id}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' },
        payload: Buffer.from(
          `From: ana${++serial}@mail.example\r\nTo: ${email.address}\r\nSubject: order\r\n` +
            `Message-ID: <${unique('m')}@mail.example>\r\n\r\nWhere is my order?`,
        ),
      });
    const reads = channelReads(t());
    const before = await countRows(t(), 'inbound_messages', email.id);
    const ok = await post(HOOK_TOKEN);
    expect(ok.statusCode, ok.body).toBe(200);
    expectOneRead(reads);
    const wrong = await post('wrong');
    expect(wrong.statusCode).toBe(403);
    expectOneRead(reads, 2);
    expect(await countRows(t(), 'inbound_messages', email.id)).toBe(before + 1);
  });
});
