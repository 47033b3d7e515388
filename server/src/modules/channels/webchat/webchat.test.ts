/**
 * Web chat over real sockets on a listening server: a visitor chats from the widget's socket, her message lands in
 * her conversation, the agent's reply arrives on her socket, typing reaches the other side (and other agents see
 * who is replying), a reconnect resumes without losing messages, and an attachment over the limit is refused.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { describeEachDialect, type TestContext } from '../../../../test/harness';
import { anEmailChannel, smtpPeer, testActor, unique } from '../../conversations/conversation.test-support';

interface Frame {
  type: string;
  [key: string]: unknown;
}

/** Polls until `find` returns something, failing with `what` after a few seconds. */
async function eventually<T>(what: string, find: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A socket that records every JSON frame it receives. */
async function open(url: string) {
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  socket.on('message', (raw) => frames.push(JSON.parse(String(raw)) as Frame));
  onTestFinished(() => socket.terminate());
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    send: (frame: object) => socket.send(JSON.stringify(frame)),
    next: (what: string, match: (f: Frame) => boolean) => eventually(what, () => frames.find(match)),
  };
}

const relay = await smtpPeer();
afterAll(() => relay.close());

describeEachDialect(
  'web chat',
  (t) => {
    let http = '';
    let ws = '';
    let key = '';

    beforeAll(async () => {
      await t().omnis.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (t().omnis.app.server.address() as AddressInfo).port;
      http = `http://127.0.0.1:${port}`;
      ws = `ws://127.0.0.1:${port}`;
      const channel = await t().omnis.services.channels.createChannel(
        { kind: 'webchat', name: unique('Web chat ') },
        testActor,
      );
      key = (
        await t().omnis.services.apiKeys.createApiKey(
          { kind: 'publishable', name: 'widget', channel_id: channel.id },
          testActor,
        )
      ).key;
    });

    const startSession = async (body: object = {}) => {
      const res = await fetch(`${http}/chat/v1/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        visitor_token: string;
        visitor: { id: string };
        agents_available: boolean;
      };
    };

    const visitorSocket = async (token: string, since?: string) => {
      const s = await open(`${ws}/chat/v1/ws?token=${token}${since ? `&since=${since}` : ''}`);
      const ready = await s.next('ready', (f) => f.type === 'ready');
      return { ...s, ready };
    };

    /** The visitor says something and waits for the server to take it. */
    const say = async (s: Awaited<ReturnType<typeof visitorSocket>>, text: string) => {
      const clientId = unique('c');
      s.send({ type: 'message', client_id: clientId, text });
      const ack = await s.next(`ack of ${text}`, (f) => f.type === 'ack' && f.client_id === clientId);
      return ack as Frame & { message_id: string };
    };

    const conversationOf = async (messageId: string, tc: TestContext) => {
      const inbound = await tc.omnis.database.db
        .selectFrom('messages')
        .select(['conversation_id', 'customer_id', 'text', 'channel_kind'])
        .where('id', '=', messageId)
        .executeTakeFirstOrThrow();
      return inbound;
    };

    const agentStream = async (token: string) =>
      open(`${ws}/v1/realtime?access_token=${encodeURIComponent(token)}`).then(async (s) => {
        await s.next('ready', (f) => f.type === 'ready');
        return s;
      });

    it('a visitor chats, the message lands in her conversation, the agent’s reply arrives on her socket', async () => {
      const anonymousId = unique('ajs-');
      // She browsed the shop before: her tracking made a profile with the page's anonymous id.
      const tracked = await t().omnis.services.identity.resolve({
        identifiers: [{ type: 'anonymous_id', value: anonymousId }],
        actor: testActor,
        reason: 'tracking',
      });
      const session = await startSession({ anonymous_id: anonymousId, locale: 'es-ES' });
      const visitor = await visitorSocket(session.visitor_token);
      const ack = await say(visitor, 'Hola, ¿tenéis la talla 38?');
      expect(ack.status).toBe('processed');

      const stored = await conversationOf(ack.message_id, t());
      expect(stored).toMatchObject({ text: 'Hola, ¿tenéis la talla 38?', channel_kind: 'webchat' });
      expect(stored.customer_id).toBe(tracked.customerId);

      const agent = await t().as('agent');
      const reply = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${stored.conversation_id}/messages`,
        headers: agent,
        payload: { text: 'Sí, nos quedan dos.' },
      });
      expect(reply.statusCode).toBe(201);
      expect(reply.json()).toMatchObject({ delivery_status: 'sent', channel_kind: 'webchat' });
      const delivered = await visitor.next(
        'the reply',
        (f) => f.type === 'message' && (f.message as { direction: string }).direction === 'out',
      );
      expect(delivered.message).toMatchObject({ text: 'Sí, nos quedan dos.' });

      // The same client message id again is one message, not two.
      const again = await t().omnis.services.webchatChannel.service.sendMessage(
        (await t().omnis.services.webchatChannel.service.authenticate(session.visitor_token))!,
        { client_id: String((visitor.frames.find((f) => f.type === 'ack') as Frame).client_id), text: 'x' },
      );
      expect(again).toMatchObject({ duplicate: true, message_id: ack.message_id });
    });

    it('typing reaches the other side, and another agent viewing the conversation sees who is replying', async () => {
      const ana = await agentStream(await t().tokenFor('agent'));
      const ben = await agentStream(await t().tokenFor('agent'));
      const session = await startSession();
      expect(session.agents_available).toBe(true);
      const visitor = await visitorSocket(session.visitor_token);
      const ack = await say(visitor, 'Hello?');
      const { conversation_id } = await conversationOf(ack.message_id, t());

      visitor.send({ type: 'typing', state: 'typing' });
      const seen = await ana.next(
        'visitor typing',
        (f) => (f.event as { type?: string })?.type === 'conversation.typing',
      );
      expect(seen.event).toMatchObject({
        aggregate: { id: conversation_id },
        actor: { type: 'customer' },
        data: { state: 'typing' },
        ephemeral: true,
      });

      ben.send({ type: 'view', conversation_id });
      // The hub reads Ben's view and Ana's typing from two sockets in any order: Ana keeps typing until Ben sees it.
      const collision = await eventually('Ana is replying', () => {
        ana.send({ type: 'typing', conversation_id, state: 'typing' });
        return ben.frames.find((f) => (f.event as { actor?: { type: string } })?.actor?.type === 'staff');
      });
      expect(collision.event).toMatchObject({ type: 'conversation.typing', data: { conversation_id } });
      const agentTyping = await visitor.next(
        'agent typing',
        (f) => f.type === 'typing' && f.from === 'agent',
      );
      expect(agentTyping.state).toBe('typing');
      // Ana does not get her own typing back.
      expect(
        ana.frames.filter((f) => (f.event as { actor?: { type: string } })?.actor?.type === 'staff'),
      ).toEqual([]);
    });

    it('a reconnect resumes without losing messages', async () => {
      const session = await startSession();
      const first = await visitorSocket(session.visitor_token);
      const ack = await say(first, 'Where is my order?');
      const { conversation_id } = await conversationOf(ack.message_id, t());
      first.socket.close();
      await new Promise((resolve) => first.socket.once('close', resolve));
      await eventually('the server to let go of the socket', () =>
        t().omnis.services.webchatChannel.live.push(session.visitor.id, { type: 'ping' }) === 0
          ? true
          : undefined,
      );

      // While she is away two replies are written: they wait for her.
      const agent = await t().as('agent');
      for (const text of ['It left the warehouse today.', 'Tracking: ES123.']) {
        const res = await t().omnis.app.inject({
          method: 'POST',
          url: `/v1/conversations/${conversation_id}/messages`,
          headers: agent,
          payload: { text },
        });
        expect(res.json()).toMatchObject({ delivery_status: 'queued' });
      }
      const back = await visitorSocket(session.visitor_token, ack.message_id);
      const missed = back.ready.messages as Array<{ text: string; direction: string }>;
      expect(missed.map((m) => [m.direction, m.text])).toEqual([
        ['out', 'It left the warehouse today.'],
        ['out', 'Tracking: ES123.'],
      ]);
    });

    it('an attachment over the limit is refused; one within it is carried by her message', async () => {
      const session = await startSession();
      const upload = (bytes: number, type = 'image/png') =>
        fetch(`${http}/chat/v1/uploads?filename=photo.png`, {
          method: 'POST',
          headers: { 'x-visitor-token': session.visitor_token, 'content-type': type },
          body: Buffer.alloc(bytes, 1),
        });
      const tooBig = await upload(4096);
      // Over the configured limit: refused as the body arrives, before anything is stored.
      expect(tooBig.status).toBe(413);
      expect(await tooBig.json()).toMatchObject({ code: 'payload_too_large' });
      const wrongType = await upload(100, 'application/x-msdownload');
      expect(wrongType.status).toBe(400);
      expect(((await wrongType.json()) as { errors: Array<{ field: string }> }).errors[0]!.field).toBe(
        'file.0',
      );
      const noToken = await fetch(`${http}/chat/v1/uploads?filename=a.png`, { method: 'POST', body: 'x' });
      expect(noToken.status).toBe(401);

      const ok = await upload(1000);
      expect(ok.status).toBe(201);
      const { id } = (await ok.json()) as { id: string };
      const visitor = await visitorSocket(session.visitor_token);
      const clientId = unique('c');
      visitor.send({ type: 'message', client_id: clientId, text: 'See the photo', attachments: [id] });
      const ack = (await visitor.next('ack', (f) => f.type === 'ack')) as Frame & { message_id: string };
      const attachments = await t()
        .omnis.database.db.selectFrom('message_attachments')
        .select(['filename', 'size'])
        .where('message_id', '=', ack.message_id)
        .execute();
      expect(attachments).toEqual([{ filename: 'photo.png', size: 1000 }]);
    });

    it('with no agent online she leaves her email, and the reply reaches her there while she is away', async () => {
      await anEmailChannel(t());
      // The agents of the earlier stories have closed their consoles.
      await eventually('every agent to go offline', async () =>
        (await t().omnis.services.webchatChannel.live.agentsAvailable()) ? undefined : true,
      );
      const session = await startSession();
      expect(session.agents_available).toBe(false);
      const visitor = await visitorSocket(session.visitor_token);
      expect(visitor.ready.agents_available).toBe(false);
      const ack = await say(visitor, 'Is anyone there?');
      const { conversation_id } = await conversationOf(ack.message_id, t());
      const email = `${unique('marta')}@example.com`;
      visitor.send({ type: 'continue_by_email', email });
      const named = await visitor.next('her visitor record', (f) => f.type === 'visitor');
      expect(named.visitor).toMatchObject({ email, continue_by_email: true });
      visitor.socket.close();
      await eventually('the server to let go of the socket', () =>
        t().omnis.services.webchatChannel.live.push(session.visitor.id, { type: 'ping' }) === 0
          ? true
          : undefined,
      );

      const res = await t().omnis.app.inject({
        method: 'POST',
        url: `/v1/conversations/${conversation_id}/messages`,
        headers: await t().as('agent'),
        payload: { text: 'Sorry for the wait: your order ships tomorrow.' },
      });
      expect(res.json()).toMatchObject({ delivery_status: 'sent' });
      const mail = await eventually('the reply by email', () =>
        relay.mails.find((m) => JSON.stringify(m.to).includes(email)),
      );
      expect(mail.text).toContain('your order ships tomorrow');
    });

    it('with no agent online, a visitor whose pre-chat form gave her email is not asked again: replies go there', async () => {
      await eventually('every agent to go offline', async () =>
        (await t().omnis.services.webchatChannel.live.agentsAvailable()) ? undefined : true,
      );
      const email = `${unique('ines')}@example.com`;
      // The pre-chat form collected her email when the session started.
      const session = await startSession({ email, name: 'Inés' });
      expect(session.agents_available).toBe(false);
      const visitor = await visitorSocket(session.visitor_token);
      await say(visitor, 'Hello? Anyone?');
      // The widget says "we'll reply to <email>" and only switches the fallback on, without an address.
      visitor.send({ type: 'continue_by_email' });
      const named = await visitor.next('her visitor record', (f) => f.type === 'visitor');
      expect(named.visitor).toMatchObject({ email, continue_by_email: true });

      // A visitor who never gave an email cannot continue by email without one: the problem names the field.
      const anonymous = await visitorSocket((await startSession()).visitor_token);
      anonymous.send({ type: 'continue_by_email' });
      const refused = await anonymous.next('the refusal', (f) => f.type === 'error');
      expect(refused).toMatchObject({ code: 'validation_failed', errors: [{ field: 'email' }] });
      visitor.socket.close();
      anonymous.socket.close();
    });

    it('a shop whose channel names its chat opens it with the shop’s own key; a shop without one shows no chat', async () => {
      const { channels, apiKeys } = t().omnis.services;
      const keyOf = async (channelId: string) =>
        (await apiKeys.createApiKey({ kind: 'publishable', name: 'shop', channel_id: channelId }, testActor))
          .key;
      const chat = await channels.createChannel({ kind: 'webchat', name: unique('Chat ') }, testActor);
      const linked = await channels.createChannel(
        { kind: 'web', name: unique('Shop '), config: { webchat_channel_id: chat.id } },
        testActor,
      );
      const plain = await channels.createChannel({ kind: 'web', name: unique('Shop ') }, testActor);
      const ask = async (k: string) =>
        (await fetch(`${http}/chat/v1/availability`, { headers: { authorization: `Bearer ${k}` } })).json();
      expect(await ask(await keyOf(linked.id))).toMatchObject({ chat: true });
      expect(await ask(await keyOf(plain.id))).toEqual({ chat: false, agents_available: false });
      const res = await fetch(`${http}/chat/v1/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await keyOf(linked.id)}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const session = (await res.json()) as { visitor: { id: string } };
      const row = await t()
        .omnis.database.db.selectFrom('webchat_visitors')
        .select('channel_id')
        .where('id', '=', session.visitor.id)
        .executeTakeFirstOrThrow();
      expect(row.channel_id).toBe(chat.id);
    });

    it('after resolution the survey reaches her socket as a 1–5 scale; her rating and comment are recorded once, hers only', async () => {
      const settings = async (payload: object) => {
        const res = await t().omnis.app.inject({
          method: 'PATCH',
          url: '/v1/bot-settings',
          headers: await t().as('admin'),
          payload,
        });
        expect(res.statusCode, res.body).toBe(200);
      };
      await settings({ enabled: false, csat_enabled: true });
      onTestFinished(() => settings({ csat_enabled: false }));
      const { conversations } = t().omnis.services;
      const session = await startSession({ locale: 'es' });
      const visitor = await visitorSocket(session.visitor_token);
      const { conversation_id: conversationId, customer_id: customerId } = await conversationOf(
        (await say(visitor, 'My order is wrong')).message_id,
        t(),
      );
      const agent = await t().omnis.services.users.createUser(
        {
          email: `${unique('ana')}@shop.example`,
          name: 'Ana',
          role: 'agent',
          password: 'correct horse battery',
        },
        null,
        testActor,
      );
      const team = await conversations.teams.createTeam({ name: unique('Orders ') }, testActor);
      const staff = { type: 'staff' as const, id: agent.id, label: 'Ana' };
      await conversations.assignConversation(
        conversationId,
        { assignee_id: agent.id, team_id: team.id },
        staff,
      );
      await conversations.replyToConversation(conversationId, { text: 'Fixed, sorry!' }, staff);
      await conversations.updateStatus(conversationId, { status: 'resolved' }, staff);
      await t().omnis.dispatcher.drain();
      await conversations.bot.runDueTasks();

      const surveyFrame = await visitor.next(
        'the survey',
        (f) => f.type === 'message' && 'csat' in (f.message as object),
      );
      const survey = (surveyFrame.message as { text: string; csat: { survey_id: string; open: boolean } })
        .csat;
      expect(survey).toMatchObject({ survey_id: expect.stringMatching(/^csat_/), open: true });
      expect((surveyFrame.message as { text: string }).text).toMatch(/1/);

      const row = () =>
        t()
          .omnis.database.db.selectFrom('csat_surveys')
          .selectAll()
          .where('id', '=', survey.survey_id)
          .executeTakeFirstOrThrow();
      const errors = () => visitor.frames.filter((f) => f.type === 'error');
      const refused = async (frame: object, count: number) => {
        visitor.send(frame);
        await eventually('the error frame', () => (errors().length === count ? true : undefined));
        return errors().at(-1) as Frame & { code: string; errors: Array<{ field: string }> };
      };

      // Someone else — another visitor with her own chat — cannot answer this survey.
      const stranger = await visitorSocket((await startSession()).visitor_token);
      await say(stranger, 'Hello');
      stranger.send({ type: 'csat', survey_id: survey.survey_id, rating: 1, comment: 'hijacked' });
      const strangerError = (await stranger.next(
        'the stranger’s error',
        (f) => f.type === 'error',
      )) as Frame & {
        code: string;
        errors: Array<{ field: string }>;
      };
      expect(strangerError.code).toBe('not_found');
      expect(strangerError.errors[0]!.field).toBe('survey_id');

      // A rating off the scale or a comment too long are refused, naming the field.
      const six = await refused({ type: 'csat', survey_id: survey.survey_id, rating: 6 }, 1);
      expect(six).toMatchObject({ code: 'validation_failed', errors: [{ field: 'rating' }] });
      const long = await refused(
        { type: 'csat', survey_id: survey.survey_id, rating: 4, comment: 'x'.repeat(2001) },
        2,
      );
      expect(long).toMatchObject({ code: 'validation_failed', errors: [{ field: 'comment' }] });
      expect(await row()).toMatchObject({ status: 'sent', rating: null, comment: null });

      visitor.send({ type: 'csat', survey_id: survey.survey_id, rating: 4, comment: ' Quick and kind ' });
      const answered = await visitor.next('the answer confirmed', (f) => f.type === 'csat_answered');
      expect(answered).toMatchObject({ survey_id: survey.survey_id, rating: 4, comment: 'Quick and kind' });
      const stored = await row();
      expect({ ...stored, rating: Number(stored.rating) }).toMatchObject({
        status: 'answered',
        rating: 4,
        comment: 'Quick and kind',
        customer_id: customerId,
        agent_id: agent.id,
        team_id: team.id,
        channel_kind: 'webchat',
      });
      const events = await t()
        .omnis.database.db.selectFrom('outbox_events')
        .select(['type', 'data'])
        .where('type', '=', 'csat.answered')
        .execute();
      const event = events
        .map((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as Record<string, unknown>)
        .filter((d) => d.id === survey.survey_id);
      expect(event).toEqual([
        {
          id: survey.survey_id,
          conversation_id: conversationId,
          rating: 4,
          agent_id: agent.id,
          team_id: team.id,
          channel_id: stored.channel_id,
        },
      ]);

      // Answered once: a second answer is refused and changes nothing; the conversation stays resolved.
      const twice = await refused(
        { type: 'csat', survey_id: survey.survey_id, rating: 1, comment: 'again' },
        3,
      );
      expect(twice).toMatchObject({ code: 'conflict', errors: [{ field: 'survey_id' }] });
      expect(await row()).toMatchObject({ status: 'answered', comment: 'Quick and kind' });
      expect((await conversations.retrieveConversation(conversationId)).status).toBe('resolved');

      // Coming back later, the widget learns the survey is answered (it shows the thanks, not the scale).
      const resumed = await visitorSocket(session.visitor_token);
      const replayed = (resumed.ready.messages as Array<{ csat?: object }>).find((m) => m.csat);
      expect(replayed?.csat).toEqual({ survey_id: survey.survey_id, open: false, rating: 4 });
    });

    it('refuses a socket without a valid visitor token before upgrading', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(`${ws}/chat/v1/ws?token=wvt_forged`);
        socket.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          socket.terminate();
        });
        socket.on('open', () => reject(new Error('opened')));
        socket.on('error', () => undefined);
      });
      expect(status).toBe(401);
    });
  },
  // Agents go offline soon after their console closes, so the story of nobody being there is quick.
  { attachmentMaxBytes: 2048, emailRelayUrl: relay.url, presenceGraceMs: 50 },
);
