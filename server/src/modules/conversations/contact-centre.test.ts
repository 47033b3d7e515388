/**
 * The contact centre's pieces working together: a bot's reply leaves the customer waiting (SLA, routing's
 * reassignment clock and first response see people only) while an agent's emailed reply, arriving at a real SMTP
 * peer, stops the SLA timer; an agent's open console makes her available (web chat included) and closing it takes
 * her offline; the bot answers by the team's calendar and a handoff is routed at once; WhatsApp and phone are one
 * number, so a customer who emailed with her phone on file keeps one conversation when she writes on WhatsApp.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { decodeJson } from '../../platform/db/codecs';
import { botActor } from './csat.service';
import {
  HOOK_TOKEN,
  aCustomer,
  aMessageSid,
  aTwilioChannel,
  anEmailChannel,
  postTwilio,
  smtpPeer,
  testActor,
  twilioPeer,
  unique,
} from './conversation.test-support';

const relay = await smtpPeer();
const twilioApi = await twilioPeer();
afterAll(() => Promise.all([relay.close(), twilioApi.close()]));

let number = 0;
/** A Spanish mobile number nobody else in the run has. */
const aPhone = () => `+3469${String(Date.now() % 1e5).padStart(5, '0')}${String(++number).padStart(2, '0')}`;

/** Polls until `check` returns something, failing with `what` after a few seconds. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeEachDialect(
  'contact centre integration',
  (t) => {
    const services = () => t().omnis.services;
    const db = () => t().omnis.database.db;
    const conversationRow = (id: string) =>
      db().selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    /** What the running server does on its own: dispatch events, finish routing, run the bot's tasks. */
    async function work(ctx: TestContext) {
      await ctx.omnis.dispatcher.drain();
      await ctx.omnis.services.conversations.routing.settled();
      await ctx.omnis.services.conversations.bot.runDueTasks();
    }
    async function anAgent(capacity: Record<string, number>) {
      const user = await services().users.createUser(
        {
          email: `${unique('agent')}@test.example`,
          name: 'Agent',
          role: 'agent',
          password: 'correct horse battery',
        },
        null,
        systemActor,
      );
      await services().conversations.teams.setCapacity(user.id, capacity);
      return user.id;
    }
    async function everyoneOffline() {
      await db().updateTable('agent_states').set({ presence: 'offline' }).execute();
    }
    async function emailFrom(channelId: string, from: string, subject: string) {
      const res = await t().omnis.app.inject({
        method: 'POST',
        url: `/hooks/email/${channelId}`,
        headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'message/rfc822' },
        payload: Buffer.from(
          `From: ${from}\r\nTo: support@shop.example\r\nSubject: ${subject}\r\nMessage-ID: <${unique('m')}@mail.example>\r\n\r\nHello, where is my parcel?`,
        ),
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return (res.json() as { conversation_id: string }).conversation_id;
    }
    async function twilioFrom(channelId: string, from: string, body: string) {
      const res = await postTwilio(t(), `/hooks/twilio/${channelId}`, {
        MessageSid: aMessageSid(),
        From: from,
        To: '+14155550100',
        Body: body,
      });
      expect(res.statusCode).toBe(200);
      return db()
        .selectFrom('messages')
        .select(['conversation_id', 'customer_id'])
        .where('direction', '=', 'in')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
    }

    it('a bot reply leaves her waiting; the agent’s emailed reply reaches the relay and stops the SLA timer', async () => {
      await everyoneOffline();
      const channel = await anEmailChannel(t());
      await services().conversations.sla.createSlaPolicy(
        { name: unique('Email SLA '), channel_kind: 'email', first_response_seconds: 3_600 },
        testActor,
      );
      const agent = await anAgent({ email: 5 });
      await services().conversations.teams.createTeam(
        {
          name: unique('Email team '),
          channel_kinds: ['email'],
          reassign_after_seconds: 600,
          members: [{ user_id: agent }],
        },
        testActor,
      );
      await services().conversations.teams.setPresence(agent, 'online', testActor);
      const customer = `${unique('lucia')}@mail.example`;
      const id = await emailFrom(channel.id, customer, 'Parcel 1042');
      await work(t());
      expect(await conversationRow(id)).toMatchObject({ assignee_id: agent });
      const answerDue = () =>
        db()
          .selectFrom('conversation_routing')
          .select('answer_due_at')
          .where('conversation_id', '=', id)
          .executeTakeFirstOrThrow();
      expect((await answerDue()).answer_due_at).not.toBeNull();

      // An automatic message (the bot, a survey) is not an answer: she still waits, the clocks keep running.
      await services().conversations.replyToConversation(id, { text: 'We got your message.' }, botActor);
      await work(t());
      expect(await conversationRow(id)).toMatchObject({ first_response_at: null, last_response_at: null });
      expect((await conversationRow(id)).waiting_since).not.toBeNull();
      expect((await answerDue()).answer_due_at).not.toBeNull();
      expect((await services().conversations.sla.retrieveConversationSla(id)).timers).toMatchObject([
        { metric: 'first_response', status: 'running' },
      ]);

      const reply = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${id}/messages`,
        headers: await t().as('agent'),
        payload: { text: 'It left the warehouse this morning.' },
      });
      expect(reply.statusCode, reply.body).toBe(201);
      expect(reply.json()).toMatchObject({ delivery_status: 'sent', address: customer });
      const mail = relay.mails.findLast((m) => JSON.stringify(m.to).includes(customer));
      expect(mail?.text).toContain('It left the warehouse this morning.');
      await work(t());
      const after = await conversationRow(id);
      expect(after.first_response_at).not.toBeNull();
      expect(after.waiting_since).toBeNull();
      expect((await answerDue()).answer_due_at).toBeNull();
      const sla = await services().conversations.sla.retrieveConversationSla(id);
      expect(sla).toMatchObject({ status: 'met', timers: [{ metric: 'first_response', status: 'met' }] });
    });

    it('an agent who opens the console is online and available for web chat; closing it takes her offline, “away” stays', async () => {
      await everyoneOffline();
      await t().omnis.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t().omnis.app.server.address() as AddressInfo).port;
      const token = await t().tokenFor('agent');
      const me = await t().omnis.app.inject({
        method: 'GET',
        url: '/v1/me',
        headers: { authorization: `Bearer ${token}` },
      });
      const userId = (me.json() as { id: string }).id;
      const teams = services().conversations.teams;
      const connect = async () => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/realtime?access_token=${token}`);
        onTestFinished(() => socket.terminate());
        await new Promise<void>((resolve, reject) => {
          socket.on('message', (raw) => {
            if ((JSON.parse(String(raw)) as { type: string }).type === 'ready') resolve();
          });
          socket.once('error', reject);
        });
        return socket;
      };
      expect(await teams.agentsAvailable('webchat')).toBe(false);

      const first = await connect();
      const second = await connect(); // a second tab
      expect((await teams.retrieveAgent(userId)).presence).toBe('online');
      expect(await services().webchatChannel.live.agentsAvailable()).toBe(true);
      // Full for chats: online, but not available to a new visitor.
      await teams.setCapacity(userId, { webchat: 0 });
      expect(await teams.agentsAvailable('webchat')).toBe(false);
      await teams.setCapacity(userId, { webchat: 3 });

      first.close();
      second.close();
      await eventually('her to go offline', async () =>
        (await teams.retrieveAgent(userId)).presence === 'offline' ? true : undefined,
      );
      expect(await teams.agentsAvailable('webchat')).toBe(false);

      // She chose "away": opening and closing the console leaves it so.
      await teams.setPresence(userId, 'away', testActor);
      const again = await connect();
      expect((await teams.retrieveAgent(userId)).presence).toBe('away');
      again.close();
      const changes = await eventually('the presence events', async () => {
        const rows = await db()
          .selectFrom('outbox_events')
          .select('data')
          .where('type', '=', 'agent.presence_changed')
          .where('aggregate_id', '=', userId)
          .orderBy('id')
          .execute();
        return rows.length === 3 ? rows : undefined;
      });
      expect(changes.map((r) => decodeJson<{ to: string }>(r.data))).toMatchObject([
        { to: 'online' },
        { to: 'offline' },
        { to: 'away' },
      ]);
      expect((await teams.retrieveAgent(userId)).presence).toBe('away');
    });

    it('the bot answers by the team’s calendar, and a handoff goes to the agent who just came online', async () => {
      await everyoneOffline();
      await db().deleteFrom('team_members').execute();
      await db().deleteFrom('teams').execute();
      await services().conversations.bot.updateBotSettings({ enabled: true, out_of_hours_reply: true });
      const sms = await aTwilioChannel(t(), 'sms');
      const agent = await anAgent({ sms: 2 });
      // Closed every day: no opening hours at all.
      const closed = await services().conversations.teams.createTeam(
        {
          name: unique('Night '),
          channel_kinds: ['sms'],
          business_hours: { mon: [] },
          members: [{ user_id: agent }],
        },
        testActor,
      );
      const phone = aPhone();
      const { conversation_id: id } = await twilioFrom(sms.id, phone, 'Hello?');
      await work(t());
      expect(await conversationRow(id)).toMatchObject({ team_id: closed.id, assignee_id: null });
      const texts = () => twilioApi.requests.filter((r) => r.form.To === phone).map((r) => r.form.Body);
      expect(texts()).toEqual([expect.stringMatching(/closed right now/)]);

      // Opening hours now; she asks for a person while the agent is just coming online.
      await services().conversations.teams.updateTeam(
        closed.id,
        { name: 'Day', business_hours: null },
        testActor,
      );
      await twilioFrom(sms.id, phone, 'I want to talk to a human');
      await t().omnis.dispatcher.drain();
      await services().conversations.routing.settled();
      expect(await conversationRow(id)).toMatchObject({ assignee_id: null }); // nobody online yet
      await services().conversations.teams.setPresence(agent, 'online', testActor);
      // The bot hands off and routing places her at once, not at the routing job's next sweep.
      await services().conversations.bot.runDueTasks();
      expect(await conversationRow(id)).toMatchObject({ assignee_id: agent });
      expect(texts()).toEqual([expect.stringMatching(/closed/), expect.stringMatching(/colleague|agent/i)]);
    });

    it('she emailed with her phone on file, then writes on WhatsApp: one conversation; an SMS joins a WhatsApp customer', async () => {
      const email = await anEmailChannel(t());
      const whatsapp = await aTwilioChannel(t(), 'whatsapp');
      const sms = await aTwilioChannel(t(), 'sms');
      const phone = aPhone();
      const address = `${unique('marta')}@mail.example`;
      const marta = await aCustomer(t(), [
        { type: 'email', value: address },
        { type: 'phone', value: phone },
      ]);
      const emailed = await emailFrom(email.id, address, 'My order');
      const wrote = await twilioFrom(whatsapp.id, `whatsapp:${phone}`, 'Hola, soy Marta otra vez');
      expect(wrote).toEqual({ conversation_id: emailed, customer_id: marta });
      const identifiers = (await services().customers.retrieveCustomer(marta)).identifiers;
      expect(identifiers).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'whatsapp', value: phone })]),
      );

      // Known only by WhatsApp: her SMS from the same number is hers too.
      const other = aPhone();
      const first = await twilioFrom(whatsapp.id, `whatsapp:${other}`, 'Hi');
      const texted = await twilioFrom(sms.id, other, 'Me again, by SMS');
      expect(texted).toEqual(first);
    });

    it('two different verified people holding the same number are not merged; WhatsApp goes to the WhatsApp holder', async () => {
      const whatsapp = await aTwilioChannel(t(), 'whatsapp');
      const phone = aPhone();
      const resolve = async (identifiers: Array<{ type: string; value: string; verified?: boolean }>) =>
        (await services().identity.resolve({ identifiers, actor: testActor, reason: 'test' })).customerId;
      const ana = await resolve([
        { type: 'external_id', value: unique('crm-ana-'), verified: true },
        { type: 'phone', value: phone },
      ]);
      const bea = await resolve([
        { type: 'external_id', value: unique('crm-bea-'), verified: true },
        { type: 'whatsapp', value: phone },
      ]);
      const wrote = await twilioFrom(whatsapp.id, `whatsapp:${phone}`, 'Soy Bea');
      expect(wrote.customer_id).toBe(bea);
      const [a, b] = await Promise.all([
        services().customers.retrieveCustomer(ana),
        services().customers.retrieveCustomer(bea),
      ]);
      expect(a.id).toBe(ana);
      expect(b.id).toBe(bea);
    });
  },
  { emailRelayUrl: relay.url, twilioApiBaseUrl: twilioApi.url, presenceGraceMs: 50 },
);
