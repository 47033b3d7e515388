/**
 * The bot, CSAT and reports as customers and managers meet them: "where is my order" answered from the order in
 * the customer's language (and never someone else's), a handoff on request, an external bot that gets a signed
 * webhook and answers, a WhatsApp rating that counts for the agent, and the report by channel.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import { aShop, line, payInFull, placeOrder } from '../commerce/order.test-support';
import {
  aCustomer,
  aMessageSid,
  aTwilioChannel,
  postTwilio,
  twilioPeer,
  unique,
} from './conversation.test-support';

const peer = await twilioPeer();
afterAll(() => peer.close());

describeEachDialect(
  'bots, CSAT and reports',
  (t) => {
    /** A WhatsApp customer (with a locale) writing `text`; returns the conversation id after the bot ran. */
    async function whatsapp(channelId: string, phone: string, text: string) {
      const res = await postTwilio(t(), `/hooks/twilio/${channelId}`, {
        MessageSid: aMessageSid(),
        From: `whatsapp:${phone}`,
        To: 'whatsapp:+14155550100',
        Body: text,
      });
      expect(res.statusCode).toBe(200);
      await runBot(t());
    }
    const phoneOf = () =>
      `+3469${Math.floor(Math.random() * 1e7)
        .toString()
        .padStart(7, '0')}`;
    const sentTo = (phone: string) =>
      peer.requests.filter((r) => r.form.To === `whatsapp:${phone}`).map((r) => r.form.Body);
    const conversationOf = async (customerId: string) =>
      (await t()
        .omnis.database.db.selectFrom('conversations')
        .selectAll()
        .where('customer_id', '=', customerId)
        .executeTakeFirstOrThrow())!;
    async function enable(payload: Record<string, unknown> = {}) {
      const res = await t().omnis.app.inject({
        method: 'PATCH',
        url: '/v1/bot-settings',
        headers: await t().as('admin'),
        payload: { enabled: true, external_url: null, ...payload },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    }
    async function spanishCustomer(phone: string) {
      const id = await aCustomer(t(), [{ type: 'whatsapp', value: phone }]);
      await t().omnis.services.customers.updateCustomer(
        id,
        { locale: 'es-ES' },
        { type: 'system', id: null, label: 'test' },
      );
      return id;
    }

    it('a customer asks where order 1042 is and gets its status in Spanish', async () => {
      await enable();
      const channel = await aTwilioChannel(t(), 'whatsapp');
      const phone = phoneOf();
      const customer = await spanishCustomer(phone);
      const { channel: shop, store, sku } = await aShop(t(), 3);
      const { order } = await placeOrder(t(), {
        channel_id: shop.id,
        customer_id: customer,
        lines: [line(sku, store.id)],
      });
      await payInFull(t(), order.id, order.totals.total.amount);
      const f = order.fulfilments[0]!.id;
      const { fulfilments } = t().omnis.services.commerce;
      const actor = { type: 'system' as const, id: null, label: 'test' };
      await fulfilments.advance(f, 'pick', actor);
      await fulfilments.advance(f, 'pack', actor);
      await fulfilments.advance(f, 'ship', actor, {
        carrier: 'SEUR',
        tracking_url: 'https://track.example/ES1',
      });

      await whatsapp(channel.id, phone, `hola, ¿dónde está mi pedido ${order.number}?`);
      const [answer] = sentTo(phone);
      expect(answer).toContain(`El pedido #${order.number} está completado.`);
      expect(answer).toContain('Envío: enviado');
      expect(answer).toContain('https://track.example/ES1');
      expect((await conversationOf(customer)).assignee_id).toBeNull();
    });

    it('someone else’s order number gets no details', async () => {
      await enable();
      const channel = await aTwilioChannel(t(), 'whatsapp');
      const { channel: shop, store, sku } = await aShop(t(), 3);
      const owner = await aCustomer(t(), [{ type: 'email', value: `${unique('owner')}@mail.example` }]);
      const { order } = await placeOrder(t(), {
        channel_id: shop.id,
        customer_id: owner,
        lines: [line(sku, store.id)],
      });
      const phone = phoneOf();
      await aCustomer(t(), [{ type: 'whatsapp', value: phone }]);
      await whatsapp(channel.id, phone, `where is my order #${order.number}?`);
      const [answer] = sentTo(phone);
      expect(answer).toBe(
        `I could not find order #${order.number} under your name. Please check the number, or write "agent" to talk to a person.`,
      );
      expect(answer).not.toContain('track');
    });

    it('asking for a human hands off', async () => {
      await enable();
      const channel = await aTwilioChannel(t(), 'whatsapp');
      const phone = phoneOf();
      const customer = await spanishCustomer(phone);
      await whatsapp(channel.id, phone, 'quiero hablar con un humano');
      expect(sentTo(phone)).toEqual(['Te paso con un compañero, que te responderá aquí en breve.']);
      const conversation = await conversationOf(customer);
      expect(JSON.stringify(conversation.labels)).toContain('handoff');
      const events = await t()
        .omnis.database.db.selectFrom('outbox_events')
        .select(['type'])
        .where('aggregate_id', '=', conversation.id)
        .execute();
      expect(events.map((e) => e.type)).toContain('conversation.handed_off');
      // Handed off: the bot stays quiet from now on.
      await whatsapp(channel.id, phone, '¿dónde está mi pedido 1?');
      expect(sentTo(phone)).toHaveLength(1);
    });

    it('an external bot receives a signed webhook and answers', async () => {
      const received: Array<{ headers: Record<string, string>; body: string }> = [];
      const bot = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          received.push({ headers: req.headers as Record<string, string>, body });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ replies: [{ text: 'Hi! I am the shop bot.' }] }));
        });
      });
      await new Promise<void>((r) => bot.listen(0, '127.0.0.1', r));
      try {
        const { external_secret } = await enable({
          external_url: `http://127.0.0.1:${(bot.address() as AddressInfo).port}/bot`,
        });
        expect(external_secret).toMatch(/^whsec_/);
        const channel = await aTwilioChannel(t(), 'whatsapp');
        const phone = phoneOf();
        await aCustomer(t(), [{ type: 'whatsapp', value: phone }]);
        await whatsapp(channel.id, phone, 'hello there');
        expect(received).toHaveLength(1);
        const payload = new Webhook(external_secret).verify(received[0]!.body, received[0]!.headers) as {
          message: { text: string };
        };
        expect(payload.message.text).toBe('hello there');
        expect(sentTo(phone)).toEqual(['Hi! I am the shop bot.']);
      } finally {
        await enable({ external_url: null });
        await new Promise<void>((r) => bot.close(() => r()));
      }
    });

    it('after resolution the customer rates 4 on WhatsApp and it counts for the agent', async () => {
      await enable({ enabled: false, csat_enabled: true });
      const channel = await aTwilioChannel(t(), 'whatsapp');
      const phone = phoneOf();
      const customer = await aCustomer(t(), [{ type: 'whatsapp', value: phone }]);
      await whatsapp(channel.id, phone, 'My parcel is late');
      const conversation = await conversationOf(customer);
      const agent = await t().omnis.services.users.createUser(
        {
          email: `${unique('ana')}@shop.example`,
          name: 'Ana',
          role: 'agent',
          password: 'correct horse battery',
        },
        null,
        { type: 'system', id: null, label: 'test' },
      );
      const staff = { type: 'staff' as const, id: agent.id, label: 'Ana' };
      const { conversations } = t().omnis.services;
      await conversations.assignConversation(conversation.id, { assignee_id: agent.id }, staff);
      await conversations.replyToConversation(conversation.id, { text: 'It arrives tomorrow' }, staff);
      await conversations.updateStatus(conversation.id, { status: 'resolved' }, staff);
      await runBot(t());
      expect(sentTo(phone).at(-1)).toMatch(/Reply with a number from 1/);

      await whatsapp(channel.id, phone, '4 quick and kind');
      expect((await conversationOf(customer)).status).toBe('resolved');
      expect(sentTo(phone).at(-1)).toBe('Thank you for your rating!');
      const report = await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/reports/conversations?from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}&group_by=agent`,
        headers: await t().as('owner'),
      });
      expect(report.statusCode, report.body).toBe(200);
      const row = report.json().data.find((r: { key: string }) => r.key === agent.id);
      expect(row.csat).toEqual({ count: 1, average: 4 });
    });

    it('the report shows volume and first response time by channel', async () => {
      const from = new Date(Date.now() - 1000).toISOString();
      await enable({ enabled: false, csat_enabled: false });
      const channel = await aTwilioChannel(t(), 'sms');
      const staff = { type: 'staff' as const, id: 'usr_x', label: 'Ana' };
      for (const text of ['first', 'second']) {
        const phone = phoneOf();
        const customer = await aCustomer(t(), [{ type: 'phone', value: phone }]);
        const res = await postTwilio(t(), `/hooks/twilio/${channel.id}`, {
          MessageSid: aMessageSid(),
          From: phone,
          To: '+14155550100',
          Body: text,
        });
        expect(res.statusCode).toBe(200);
        const conversation = await conversationOf(customer);
        await t().omnis.services.conversations.replyToConversation(conversation.id, { text: 'On it' }, staff);
      }
      const report = await t().omnis.app.inject({
        method: 'GET',
        url: `/v1/reports/conversations?from=${from}&to=${new Date(Date.now() + 60_000).toISOString()}&group_by=channel`,
        headers: await t().as('owner'),
      });
      expect(report.statusCode, report.body).toBe(200);
      const row = report.json().data.find((r: { key: string }) => r.key === channel.id);
      expect(row).toMatchObject({ conversations: 2, inbound_messages: 2, first_response: { count: 2 } });
      expect(row.first_response.median_ms).toBeGreaterThanOrEqual(0);
      expect(row.first_response.p90_ms).toBeGreaterThanOrEqual(row.first_response.median_ms);
    });
  },
  { twilioApiBaseUrl: peer.url },
);

/** What the running server does on its own: dispatch events to the bot's consumer, then run its tasks. */
async function runBot(t: TestContext) {
  await t.omnis.dispatcher.drain();
  await t.omnis.services.conversations.bot.runDueTasks();
}
