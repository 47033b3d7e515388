/**
 * The bot goes before routing. With the bot on, a first message it can answer gets the bot's answer and stays
 * with the bot — routing (the consumer and the job's sweep) leaves it alone — until the customer needs a person:
 * a handoff after misses puts it with the agent at once. A first message the bot has nothing to say to goes to
 * the agent at once, without a bot reply. With the bot off, routing places every conversation as it arrives. Run
 * together, the dispatcher, two bot workers and the routing sweep never answer and assign the same conversation.
 */
import { afterAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import {
  aMessageSid,
  aTwilioChannel,
  postTwilio,
  testActor,
  twilioPeer,
  unique,
} from './conversation.test-support';

const peer = await twilioPeer();
afterAll(() => peer.close());
// One peer for both dialects: numbers never repeat, so each test reads only its own texts.
let phone = 655_000_000;

describeEachDialect(
  'the bot before routing',
  (t) => {
    const services = () => t().omnis.services;
    const db = () => t().omnis.database.db;

    /** One agent, online, alone in a team that takes SMS; everyone else offline and teamless. */
    async function anAgentOnDuty() {
      await db().deleteFrom('team_members').execute();
      await db().deleteFrom('teams').execute();
      await db().updateTable('agent_states').set({ presence: 'offline' }).execute();
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
      await services().conversations.teams.setCapacity(user.id, { sms: 20 });
      await services().conversations.teams.setPresence(user.id, 'online', testActor);
      await services().conversations.teams.createTeam(
        { name: unique('Care '), channel_kinds: ['sms'], members: [{ user_id: user.id }] },
        testActor,
      );
      return user.id;
    }

    async function botOn(enabled = true) {
      await services().conversations.bot.updateBotSettings({
        enabled,
        handoff_after_failures: 2,
        out_of_hours_reply: false,
        external_url: null,
      });
      const rules = await services().conversations.bot.listBotRules();
      if (!rules.length)
        await services().conversations.bot.createBotRule({
          name: 'Opening hours',
          position: 1,
          active: true,
          languages: [],
          channel_kinds: [],
          keywords: ['opening hours'],
          pattern: null,
          answer: { en: 'We are open 9:00–21:00 every day.' },
          handoff: false,
        });
    }

    /** A customer texts `body` from `from`; returns the conversation id. */
    async function texts(channelId: string, from: string, body: string) {
      const res = await postTwilio(t(), `/hooks/twilio/${channelId}`, {
        MessageSid: aMessageSid(),
        From: from,
        To: '+14155550100',
        Body: body,
      });
      expect(res.statusCode).toBe(200);
      const row = await db()
        .selectFrom('messages')
        .select('conversation_id')
        .where('address', '=', from)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return row.conversation_id;
    }
    /** Everything the server would do next: events, routing started by them, the bot's tasks. */
    async function work() {
      await t().omnis.dispatcher.drain();
      await services().conversations.routing.settled();
      await services().conversations.bot.runDueTasks();
      await t().omnis.dispatcher.drain();
      await services().conversations.routing.settled();
    }
    const assignee = async (id: string) =>
      (
        await db()
          .selectFrom('conversations')
          .select('assignee_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).assignee_id;
    const botSaid = (to: string) => peer.requests.filter((r) => r.form.To === to).map((r) => r.form.Body);
    const assignments = async (id: string) =>
      (
        await db()
          .selectFrom('outbox_events')
          .select('type')
          .where('aggregate_id', '=', id)
          .where('type', '=', 'conversation.assigned')
          .execute()
      ).length;

    it('the bot answers what it can and keeps the conversation until the customer needs a person', async () => {
      const agent = await anAgentOnDuty();
      await botOn();
      const sms = await aTwilioChannel(t(), 'sms');
      const from = `+34${++phone}`;
      const id = await texts(sms.id, from, 'What are your opening hours?');
      await work();
      expect(botSaid(from)).toEqual(['We are open 9:00–21:00 every day.']);
      expect(await assignee(id)).toBeNull();
      // The routing job's sweep, minutes later, leaves it with the bot too.
      await services().conversations.routing.routeWaiting(Date.now() + 10 * 60_000);
      expect(await assignee(id)).toBeNull();

      // A question the bot cannot answer: it asks again rather than going quiet.
      await texts(sms.id, from, 'Can I pay with a gift card from another shop?');
      await work();
      expect(botSaid(from)).toHaveLength(2);
      expect(botSaid(from)[1]).toMatch(/did not understand/);
      expect(await assignee(id)).toBeNull();
      // The second miss hands her to people: the agent has her at once.
      await texts(sms.id, from, 'A gift card. From another shop.');
      await work();
      expect(botSaid(from)[2]).toMatch(/colleague/);
      expect(await assignee(id)).toBe(agent);
      expect(await assignments(id)).toBe(1);
    });

    it('a first message the bot has nothing to say to goes to the agent at once, with no bot reply', async () => {
      const agent = await anAgentOnDuty();
      await botOn();
      const sms = await aTwilioChannel(t(), 'sms');
      const from = `+34${++phone}`;
      const id = await texts(sms.id, from, 'My parcel arrived damaged');
      // Before the bot has run, routing has left it alone.
      await t().omnis.dispatcher.drain();
      await services().conversations.routing.settled();
      expect(await assignee(id)).toBeNull();
      await work();
      expect(await assignee(id)).toBe(agent);
      expect(botSaid(from)).toEqual([]);
    });

    it('with the bot off, routing places the conversation as it arrives', async () => {
      const agent = await anAgentOnDuty();
      await botOn(false);
      const sms = await aTwilioChannel(t(), 'sms');
      const from = `+34${++phone}`;
      const id = await texts(sms.id, from, 'What are your opening hours?');
      await t().omnis.dispatcher.drain();
      await services().conversations.routing.settled();
      expect(await assignee(id)).toBe(agent);
      await services().conversations.bot.runDueTasks();
      expect(botSaid(from)).toEqual([]);
    });

    it('dispatcher, two bot workers and the routing sweep at once: each conversation is the bot’s or the agent’s, once', async () => {
      const agent = await anAgentOnDuty();
      await botOn();
      const sms = await aTwilioChannel(t(), 'sms');
      const customers = Array.from({ length: 8 }, (_, i) => ({
        from: `+34${++phone}`,
        answerable: i % 2 === 0,
      }));
      const ids = await Promise.all(
        customers.map((c) =>
          texts(sms.id, c.from, c.answerable ? 'opening hours please' : 'I need to change my address'),
        ),
      );
      const bot = services().conversations.bot;
      const routing = services().conversations.routing;
      await Promise.all([
        t().omnis.dispatcher.drain(),
        bot.runDueTasks(),
        bot.runDueTasks(),
        routing.routeWaiting(),
        t()
          .omnis.dispatcher.drain()
          .then(() => Promise.all([bot.runDueTasks(), bot.runDueTasks()])),
      ]);
      await work();
      for (const [i, c] of customers.entries()) {
        if (c.answerable) {
          expect(botSaid(c.from)).toEqual(['We are open 9:00–21:00 every day.']);
          expect(await assignee(ids[i]!)).toBeNull();
          expect(await assignments(ids[i]!)).toBe(0);
        } else {
          expect(botSaid(c.from)).toEqual([]);
          expect(await assignee(ids[i]!)).toBe(agent);
          expect(await assignments(ids[i]!)).toBe(1);
        }
      }
    });
  },
  { twilioApiBaseUrl: peer.url },
);
