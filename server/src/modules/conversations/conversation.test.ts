/**
 * The contact centre's core: one continuous conversation per customer across channels, the agent's inbox verbs
 * (views, notes, assignment, status, labels) behind their permissions, and an inbound message whose processing
 * failed kept and appended by the retry job.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { createConversations } from './index';
import {
  HOOK_TOKEN,
  aCustomer,
  aMessageSid,
  aTwilioChannel,
  anEmailChannel,
  countRows,
  messagesOf,
  postTwilio,
  unique,
} from './conversation.test-support';

describeEachDialect('conversations', (t) => {
  const emailTo = (channel: { id: string; address: string }, from: string, subject: string, body: string) =>
    t().omnis.app.inject({
      method: 'POST',
      url: `/hooks/email/${channel.id}`,
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'message/rfc822' },
      payload: Buffer.from(
        `From: ${from}\r\nTo: ${channel.address}\r\nSubject: ${subject}\r\nMessage-ID: <${unique('m')}@mail.example>\r\n\r\n${body}`,
      ),
    });

  it('a customer emails, then texts on WhatsApp: both land in her one conversation', async () => {
    const email = await anEmailChannel(t());
    const whatsapp = await aTwilioChannel(t(), 'whatsapp');
    const lucia = `${unique('lucia')}@mail.example`;
    const phone = '+34699111222';
    const customerId = await aCustomer(t(), [
      { type: 'email', value: lucia },
      { type: 'whatsapp', value: phone },
    ]);
    const mailed = await emailTo(email, lucia, 'Return', 'I want to return the jacket');
    expect(mailed.json()).toMatchObject({ status: 'processed' });
    const texted = await postTwilio(t(), `/hooks/twilio/${whatsapp.id}`, {
      MessageSid: aMessageSid(),
      From: `whatsapp:${phone}`,
      To: 'whatsapp:+14155550100',
      Body: 'Sent you an email about the jacket',
    });
    expect(texted.statusCode).toBe(200);

    const list = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/conversations?customer_id=${customerId}`,
      headers: await t().as('agent'),
    });
    expect(list.json().data).toHaveLength(1);
    const conversation = list.json().data[0];
    expect(conversation).toMatchObject({
      customer_id: customerId,
      status: 'open',
      last_inbound_channel_id: whatsapp.id,
    });
    const messages = await messagesOf(t(), conversation.id);
    expect(messages.map((m) => [m.channel_kind, m.text])).toEqual([
      ['whatsapp', 'Sent you an email about the jacket'],
      ['email', 'I want to return the jacket'],
    ]);
    const detail = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/conversations/${conversation.id}`,
      headers: await t().as('agent'),
    });
    expect(
      detail
        .json()
        .contacts.map((c: { channel_kind: string }) => c.channel_kind)
        .sort(),
    ).toEqual(['email', 'whatsapp']);
    const events = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select(['type', 'customer_id', 'data'])
      .where('type', '=', 'message.received')
      .where('customer_id', '=', customerId)
      .execute();
    expect(events).toHaveLength(2);
    // Ids only in the payload: nothing to scrub on erasure.
    expect(JSON.stringify(events)).not.toContain('jacket');
    const audited = await t()
      .omnis.database.db.selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', conversation.id)
      .execute();
    expect(audited.map((a) => a.action)).toEqual(
      expect.arrayContaining(['conversation.read', 'conversation.messages_read']),
    );
  });

  it('an agent takes a conversation, notes, labels, snoozes and resolves it; an analyst may read but not change it', async () => {
    const email = await anEmailChannel(t());
    const from = `${unique('pablo')}@mail.example`;
    const conversationId = (await emailTo(email, from, 'Size', 'Do you have it in M?')).json()
      .conversation_id as string;
    const agent = await t().as('agent');
    const me = (await t().omnis.app.inject({ method: 'GET', url: '/v1/me', headers: agent })).json();
    const myId = (me.user?.id ?? me.id) as string;
    const call = (method: 'POST' | 'PATCH', path: string, payload: object, headers = agent) =>
      t().omnis.app.inject({ method, url: `/v1/conversations/${conversationId}${path}`, headers, payload });

    const unassigned = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/conversations?view=unassigned&limit=200',
      headers: agent,
    });
    expect(unassigned.json().data.map((c: { id: string }) => c.id)).toContain(conversationId);
    expect((await call('POST', '/assign', { assignee_id: myId })).json()).toMatchObject({
      assignee_id: myId,
    });
    const mine = await t().omnis.app.inject({
      method: 'GET',
      url: '/v1/conversations?view=mine',
      headers: agent,
    });
    expect(mine.json().data.map((c: { id: string }) => c.id)).toEqual([conversationId]);
    expect((await call('POST', '/assign', { assignee_id: 'usr_nobody' })).json()).toMatchObject({
      errors: [{ field: 'body.assignee_id' }],
    });

    const note = await call('POST', '/notes', { text: 'Checked the warehouse: M arrives Friday' });
    expect(note.json()).toMatchObject({ kind: 'note', delivery_status: 'none', channel_id: null });
    expect(
      (await call('PATCH', '', { labels: ['Sizing', 'sizing', 'stock'], priority: 'high' })).json(),
    ).toMatchObject({
      labels: ['sizing', 'stock'],
      priority: 'high',
    });
    expect((await call('POST', '/status', { status: 'snoozed' })).json()).toMatchObject({
      errors: [{ field: 'body.snoozed_until' }],
    });
    const until = new Date(Date.now() + 86_400_000).toISOString();
    expect((await call('POST', '/status', { status: 'snoozed', snoozed_until: until })).json()).toMatchObject(
      { status: 'snoozed', snoozed_until: until },
    );
    expect((await call('POST', '/status', { status: 'resolved' })).json()).toMatchObject({
      status: 'resolved',
      waiting_since: null,
    });

    const analyst = await t().as('analyst');
    expect(
      (
        await t().omnis.app.inject({
          method: 'GET',
          url: `/v1/conversations/${conversationId}`,
          headers: analyst,
        })
      ).statusCode,
    ).toBe(200);
    const refused = await call('POST', '/notes', { text: 'x' }, analyst);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ permission: 'conversations:write' });

    // Writing again reopens the same conversation.
    expect((await emailTo(email, from, 'Size', 'Friday is fine')).json().conversation_id).toBe(
      conversationId,
    );
    const reopened = await t().omnis.app.inject({
      method: 'GET',
      url: `/v1/conversations/${conversationId}`,
      headers: agent,
    });
    expect(reopened.json()).toMatchObject({ status: 'open', resolved_at: null });
  });

  it('a failure while processing keeps the inbound for retry and the retry job appends it', async () => {
    const email = await anEmailChannel(t());
    const channel = await t().omnis.services.channels.retrieveChannel(email.id);
    const s = t().omnis.services;
    // The same pipeline, but identity resolution fails (as when the database drops the connection mid-way).
    const broken = createConversations({
      db: t().omnis.database.db,
      events: s.events,
      config: t().omnis.config,
      channels: s.channels,
      identity: { resolve: () => Promise.reject(new Error('connection terminated unexpectedly')) },
      consent: s.consent,
      customers: s.customers,
      userExists: async () => true,
      adapters: [s.emailChannel.adapter],
    });
    const from = `${unique('rosa')}@mail.example`;
    const raw = Buffer.from(
      `From: ${from}\r\nTo: ${email.address}\r\nSubject: Hi\r\nMessage-ID: <${unique('m')}@mail.example>\r\n\r\nAre you open on Sunday?`,
    );
    const accepted = await broken.acceptInbound(channel, { providerMessageId: null, payload: raw });
    expect(accepted).toMatchObject({ status: 'failed', message_id: null });
    const kept = await s.conversations.retrieveInbound(accepted.inbound_id);
    expect(kept).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'connection terminated unexpectedly',
    });
    expect(await countRows(t(), 'messages', email.id)).toBe(0);

    // Not due yet: the backoff holds it; once due, the real pipeline's retry job appends it.
    expect(await s.conversations.retryDueInbound(Date.now())).toBe(0);
    expect(await s.conversations.retryDueInbound(Date.now() + 60_000)).toBe(1);
    const done = await s.conversations.retrieveInbound(accepted.inbound_id);
    expect(done).toMatchObject({ status: 'processed' });
    const message = await t()
      .omnis.database.db.selectFrom('messages')
      .selectAll()
      .where('id', '=', done.message_id!)
      .executeTakeFirstOrThrow();
    expect(message).toMatchObject({
      address: from,
      text: 'Are you open on Sunday?',
      customer_id: done.customer_id,
    });
    expect(await s.conversations.retryDueInbound(Date.now() + 3_600_000)).toBe(0);
  });

  it('two first messages of a new customer at once open one conversation', async () => {
    const email = await anEmailChannel(t());
    const from = `${unique('twin')}@mail.example`;
    const results = await Promise.all([1, 2, 3].map((i) => emailTo(email, from, 'Hi', `message ${i}`)));
    const ids = new Set(results.map((r) => r.json().conversation_id));
    expect(results.every((r) => r.json().status === 'processed')).toBe(true);
    expect(ids.size).toBe(1);
    expect(await messagesOf(t(), [...ids][0] as string)).toHaveLength(3);
  });
});
