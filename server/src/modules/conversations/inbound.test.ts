/**
 * The inbound pipeline under concurrent deliveries: webhooks that arrive together share the commit of their raw
 * rows and the transactions that process them, yet each provider gets its own answer, a delivery
 * that fails is kept for retry without costing the others theirs, a duplicate is stored once, and a delivery
 * stored by a process that stopped before processing it is appended by the retry job.
 */
import { expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import type { Trx } from '../../platform/db/transaction';
import type { Channel } from '../channels';
import { createConversations } from './index';
import { aMessageSid, aTwilioChannel, countRows, postTwilio } from './conversation.test-support';

let phoneSerial = 0;
const aPhone = () => `+3462${String(Date.now() % 1_000_000).padStart(6, '0')}${++phoneSerial % 10}`;

/** A Twilio SMS form, as Twilio posts it. */
const smsForm = (sid: string, from: string, body: string) => ({
  MessageSid: sid,
  AccountSid: 'AC0123456789abcdef0123456789abcdef',
  From: from,
  To: '+14155550100',
  Body: body,
  NumMedia: '0',
});

const payloadOf = (form: Record<string, string>) => Buffer.from(new URLSearchParams(form).toString());

/** The real pipeline, but identity resolution fails for one sender; records the transaction of each resolution. */
function pipelineFailingFor(t: TestContext, badPhone: string, transactions: unknown[]) {
  const s = t.omnis.services;
  return createConversations({
    db: t.omnis.database.db,
    dialect: t.dialect,
    events: s.events,
    config: t.omnis.config,
    channels: s.channels,
    identity: {
      resolve: (input, trx?: Trx) => {
        transactions.push(trx);
        return input.identifiers[0]?.value === badPhone
          ? Promise.reject(new Error('identity store unavailable'))
          : s.identity.resolve(input, trx);
      },
    },
    consent: s.consent,
    customers: s.customers,
    userExists: async () => true,
    adapters: [s.twilioChannel.adapter],
  });
}

describeEachDialect('inbound deliveries arriving together', (t) => {
  const db = () => t().omnis.database.db;
  const textOf = async (messageId: string) =>
    (await db().selectFrom('messages').select('text').where('id', '=', messageId).executeTakeFirstOrThrow())
      .text;

  it('each webhook gets its own message, and one that fails is kept for retry without failing the others', async () => {
    const sms = await aTwilioChannel(t(), 'sms');
    const channel: Channel = await t().omnis.services.channels.retrieveChannel(sms.id);
    const bad = aPhone();
    const transactions: unknown[] = [];
    const pipeline = pipelineFailingFor(t(), bad, transactions);
    const senders = [aPhone(), aPhone(), bad, aPhone(), aPhone(), aPhone()];
    const forms = senders.map((from, i) => smsForm(aMessageSid(), from, `message ${i} from ${from}`));

    const results = await Promise.all(
      forms.map((form) =>
        pipeline.acceptInbound(channel, { providerMessageId: form.MessageSid, payload: payloadOf(form) }),
      ),
    );

    for (const [i, result] of results.entries()) {
      if (senders[i] === bad) {
        expect(result).toMatchObject({ status: 'failed', duplicate: false, message_id: null });
        expect(await t().omnis.services.conversations.retrieveInbound(result.inbound_id)).toMatchObject({
          status: 'failed',
          attempts: 1,
          last_error: 'identity store unavailable',
        });
      } else {
        expect(result).toMatchObject({ status: 'processed', duplicate: false });
        expect(await textOf(result.message_id!)).toBe(forms[i]!.Body);
      }
    }
    expect(new Set(results.map((r) => r.conversation_id).filter(Boolean)).size).toBe(5);
    expect(await countRows(t(), 'messages', sms.id)).toBe(5);
    expect(await countRows(t(), 'inbound_messages', sms.id)).toBe(6);
    // They were processed together (one transaction resolved several senders) before the failure split them.
    expect(new Set(transactions).size).toBeLessThan(transactions.length);

    // Once due, the real pipeline's retry job appends the kept one.
    expect(await t().omnis.services.conversations.retryDueInbound(Date.now() + 60_000)).toBe(1);
    const failed = results[senders.indexOf(bad)]!;
    const retried = await t().omnis.services.conversations.retrieveInbound(failed.inbound_id);
    expect(retried).toMatchObject({ status: 'processed' });
    expect(await textOf(retried.message_id!)).toBe(forms[senders.indexOf(bad)]!.Body);
  });

  it('many messages from a few senders at once share transactions, and each lands whole in its sender’s conversation', async () => {
    const sms = await aTwilioChannel(t(), 'sms');
    const channel: Channel = await t().omnis.services.channels.retrieveChannel(sms.id);
    const transactions: unknown[] = [];
    const pipeline = pipelineFailingFor(t(), 'nobody', transactions);
    const senders = [aPhone(), aPhone(), aPhone()];
    const forms = Array.from({ length: 24 }, (_, i) =>
      smsForm(aMessageSid(), senders[i % 3]!, `message ${i} from ${senders[i % 3]}`),
    );

    const results = await Promise.all(
      forms.map((form) =>
        pipeline.acceptInbound(channel, { providerMessageId: form.MessageSid, payload: payloadOf(form) }),
      ),
    );

    expect(results.every((r) => r.status === 'processed')).toBe(true);
    // One conversation per sender, holding exactly her eight messages.
    for (const sender of senders) {
      const mine = results.filter((_, i) => forms[i]!.From === sender);
      const conversations = new Set(mine.map((r) => r.conversation_id));
      expect(conversations.size).toBe(1);
      const stored = await db()
        .selectFrom('messages')
        .select('text')
        .where('conversation_id', '=', [...conversations][0]!)
        .execute();
      expect(stored.map((m) => m.text).sort()).toEqual(
        forms
          .filter((f) => f.From === sender)
          .map((f) => f.Body)
          .sort(),
      );
    }
    expect(new Set(results.map((r) => r.conversation_id)).size).toBe(3);
    // Fewer transactions than deliveries: they were processed in groups (several lanes on PostgreSQL).
    expect(new Set(transactions).size).toBeLessThan(transactions.length);
  });

  it('the same Twilio message delivered twice at once is stored once and both deliveries are acknowledged', async () => {
    const sms = await aTwilioChannel(t(), 'sms');
    const sid = aMessageSid();
    const phone = aPhone();
    const path = `/hooks/twilio/${sms.id}`;
    const responses = await Promise.all([
      postTwilio(t(), path, smsForm(sid, phone, '¿Abrís el domingo?')),
      postTwilio(t(), path, smsForm(sid, phone, '¿Abrís el domingo?')),
      postTwilio(t(), path, smsForm(aMessageSid(), phone, 'Gracias')),
    ]);
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const stored = await db()
      .selectFrom('inbound_messages')
      .select('status')
      .where('channel_id', '=', sms.id)
      .where('provider_message_id', '=', sid)
      .execute();
    expect(stored).toEqual([{ status: 'processed' }]);
    const messages = await db()
      .selectFrom('messages')
      .select('text')
      .where('channel_id', '=', sms.id)
      .orderBy('id')
      .execute();
    expect(messages.map((m) => m.text).sort()).toEqual(['Gracias', '¿Abrís el domingo?']);
  });

  it('a delivery stored by a process that stopped before processing it is appended by the retry job', async () => {
    const sms = await aTwilioChannel(t(), 'sms');
    const sid = aMessageSid();
    const phone = aPhone();
    const form = smsForm(sid, phone, 'Did my parcel leave?');
    const now = Date.now();
    // Exactly what the webhook commits before its 200: the raw row, pending, retried once a claim would lapse.
    await db()
      .insertInto('inbound_messages')
      .values({
        id: `inb_stopped${now}`,
        channel_id: sms.id,
        channel_kind: 'sms',
        provider_message_id: sid,
        payload: payloadOf(form),
        status: 'pending',
        attempts: 0,
        last_error: null,
        next_attempt_at: now + 60_000,
        claimed_until: null,
        customer_id: null,
        message_id: null,
        received_at: now,
        processed_at: null,
      })
      .execute();
    const { conversations } = t().omnis.services;
    expect(await conversations.retryDueInbound(now)).toBe(0); // not before the lapse: it may still be in hand
    expect(await conversations.retryDueInbound(now + 60_000)).toBe(1);
    const row = await conversations.retrieveInbound(`inb_stopped${now}`);
    expect(row.status).toBe('processed');
    expect(await textOf(row.message_id!)).toBe('Did my parcel leave?');

    // Twilio redelivers it (it never saw a 200): acknowledged, nothing stored twice.
    const again = await postTwilio(t(), `/hooks/twilio/${sms.id}`, form);
    expect(again.statusCode).toBe(200);
    expect(await countRows(t(), 'messages', sms.id)).toBe(1);
    expect(await countRows(t(), 'inbound_messages', sms.id)).toBe(1);
  });
});
