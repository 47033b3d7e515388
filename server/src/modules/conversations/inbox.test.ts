/**
 * The inbox's collaboration tools, on both databases: @mentions in private notes that reach the mentioned agent
 * live and fill her Mentions view until she opens the conversation; team views with counts; merging two
 * conversations of one person (after her two customer profiles were merged) with later mail still landing in the
 * survivor; splitting a new topic off; canned responses rendered with the customer's values in her language.
 */
import type { AddressInfo } from 'node:net';
import { expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import { HOOK_TOKEN, anEmailChannel, messagesOf, testActor, unique } from './conversation.test-support';

type Json = Record<string, unknown>;

describeEachDialect('inbox: mentions, team views, merge, split, canned responses', (t) => {
  const app = () => t().omnis.app;
  let mailSerial = 0;

  /** Mail from `from` through the email hook; returns the inbound acknowledgement. */
  const mail = async (
    channel: { id: string; address: string },
    from: string,
    body: string,
    options: { to?: string; messageId?: string; references?: string; attachment?: string } = {},
  ) => {
    const messageId = options.messageId ?? `${unique('m')}-${++mailSerial}@mail.example`;
    const headers = [
      `From: ${from}`,
      `To: ${options.to ?? channel.address}`,
      'Subject: Help',
      `Message-ID: <${messageId}>`,
      ...(options.references
        ? [`References: <${options.references}>`, `In-Reply-To: <${options.references}>`]
        : []),
    ];
    const raw = options.attachment
      ? [
          ...headers,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b1"',
          '',
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          body,
          '--b1',
          `Content-Type: text/plain; name="${options.attachment}"`,
          `Content-Disposition: attachment; filename="${options.attachment}"`,
          '',
          'receipt contents',
          '--b1--',
          '',
        ].join('\r\n')
      : `${headers.join('\r\n')}\r\n\r\n${body}`;
    const res = await app().inject({
      method: 'POST',
      url: `/hooks/email/${channel.id}`,
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'message/rfc822' },
      payload: Buffer.from(raw),
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return { ...(res.json() as { conversation_id: string; message_id: string }), messageId };
  };

  /** A staff user of a role with a name, her id and her headers. */
  const staff = async (role: 'agent' | 'marketer' | 'owner', name: string) => {
    const email = `${unique('staff')}@test.example`;
    const user = await t().omnis.services.users.createUser(
      { email, name, role, password: 'correct horse battery' },
      null,
      testActor,
    );
    const login = await app().inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password: 'correct horse battery' },
    });
    const token = (login.json() as { token: string }).token;
    return { id: user.id, token, headers: { authorization: `Bearer ${token}` } };
  };

  const call = async (
    headers: { authorization: string },
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => app().inject({ method, url, headers, ...(payload ? { payload } : {}) });

  const ids = (res: { json(): unknown }) => (res.json() as { data: Json[] }).data.map((c) => c.id);

  it('a note mentions Ana: she alone is told live, sees it first in Mentions until she opens it; mentioning someone who cannot read conversations is refused', async () => {
    const email = await anEmailChannel(t());
    const ana = await staff('agent', `Ana ${unique('')}`);
    const bruno = await staff('agent', 'Bruno Díaz');
    const carla = await staff('agent', 'Carla Ruiz');
    const marketer = await staff('marketer', 'Mia Marketing');
    const first = await mail(email, `${unique('c')}@mail.example`, 'Where is my parcel?');
    const second = await mail(email, `${unique('c')}@mail.example`, 'Can I change the size?');

    const mentionable = ids(await call(bruno.headers, 'GET', '/v1/conversations/mentionable'));
    expect(mentionable).toEqual(expect.arrayContaining([ana.id, bruno.id]));
    expect(mentionable).not.toContain(marketer.id);

    // Ana's and Carla's consoles are open (real WebSockets).
    await app().listen({ port: 0, host: '127.0.0.1' });
    const port = (app().server.address() as AddressInfo).port;
    const console_ = async (token: string) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/realtime?access_token=${token}`);
      onTestFinished(() => socket.terminate());
      const frames: Array<{ type: string; event?: { type: string; data: Json } }> = [];
      socket.on('message', (raw) => frames.push(JSON.parse(String(raw)) as (typeof frames)[number]));
      await eventually('ready', () => frames.find((m) => m.type === 'ready'));
      return frames;
    };
    const live = await console_(ana.token);
    const carlasLive = await console_(carla.token);

    const refused = await call(bruno.headers, 'POST', `/v1/conversations/${first.conversation_id}/notes`, {
      text: '@Mia can you look?',
      mention_ids: [ana.id, marketer.id],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ errors: [{ field: 'body.mention_ids.1' }] });
    expect(await messagesOf(t(), first.conversation_id)).toHaveLength(1);

    for (const id of [second.conversation_id, first.conversation_id]) {
      const note = await call(bruno.headers, 'POST', `/v1/conversations/${id}/notes`, {
        text: '@Ana this one is for you',
        mention_ids: [ana.id],
      });
      expect(note.statusCode, note.body).toBe(201);
      expect(note.json()).toMatchObject({ kind: 'note', mentions: [ana.id] });
    }
    await t().omnis.dispatcher.drain();
    const told = await eventually('the mention event', () =>
      live.find(
        (m) => m.event?.type === 'conversation.mentioned' && m.event.data.id === first.conversation_id,
      ),
    );
    expect(told.event!.data).toMatchObject({ user_id: ana.id });
    // Carla reads conversations and hears the notes, but not Ana's mentions: after a later note reaches her (the
    // hub sends in outbox order), no mention came before it.
    const plain = await call(bruno.headers, 'POST', `/v1/conversations/${second.conversation_id}/notes`, {
      text: 'No one mentioned here',
    });
    await t().omnis.dispatcher.drain();
    await eventually('the later note on Carla’s console', () =>
      carlasLive.find((m) => m.event?.type === 'message.note_added' && m.event.data.id === plain.json().id),
    );
    expect(carlasLive.filter((m) => m.event?.type === 'message.note_added').length).toBe(3);
    expect(carlasLive.filter((m) => m.event?.type === 'conversation.mentioned')).toEqual([]);
    expect(live.filter((m) => m.event?.type === 'conversation.mentioned')).toHaveLength(2);

    let mentions = await call(ana.headers, 'GET', '/v1/conversations?view=mentions');
    expect(ids(mentions)).toEqual([first.conversation_id, second.conversation_id]);
    expect((mentions.json() as { data: Json[] }).data[0]).toMatchObject({ unread_mentions: 1 });
    expect((await call(ana.headers, 'GET', '/v1/conversations/counts')).json()).toMatchObject({
      views: { mentions: 2 },
    });
    expect(ids(await call(bruno.headers, 'GET', '/v1/conversations?view=mentions'))).toEqual([]);

    // She opens the older one: it is read and the unread one comes first.
    await call(ana.headers, 'GET', `/v1/conversations/${second.conversation_id}`);
    mentions = await call(ana.headers, 'GET', '/v1/conversations?view=mentions');
    expect((mentions.json() as { data: Json[] }).data.map((c) => [c.id, c.unread_mentions])).toEqual([
      [first.conversation_id, 1],
      [second.conversation_id, 0],
    ]);
    expect((await call(ana.headers, 'GET', '/v1/conversations/counts')).json()).toMatchObject({
      views: { mentions: 1 },
    });
  });

  it('an agent sees her teams’ conversations in My teams and per team, with counts for every view', async () => {
    const email = await anEmailChannel(t());
    const ana = await staff('agent', 'Ana Team');
    const owner = await t().as('owner');
    const team = await t().omnis.services.conversations.teams.createTeam(
      { name: unique('Returns '), members: [{ user_id: ana.id }] },
      testActor,
    );
    const other = await t().omnis.services.conversations.teams.createTeam(
      { name: unique('VIP ') },
      testActor,
    );
    const mine = await mail(email, `${unique('c')}@mail.example`, 'Return please');
    const theirs = await mail(email, `${unique('c')}@mail.example`, 'VIP question');
    await call(owner, 'POST', `/v1/conversations/${mine.conversation_id}/assign`, {
      assignee_id: null,
      team_id: team.id,
    });
    await call(owner, 'POST', `/v1/conversations/${theirs.conversation_id}/assign`, {
      assignee_id: ana.id,
      team_id: other.id,
    });

    expect(ids(await call(ana.headers, 'GET', '/v1/conversations?view=my_teams'))).toEqual([
      mine.conversation_id,
    ]);
    expect(ids(await call(ana.headers, 'GET', `/v1/conversations?view=team&team_id=${other.id}`))).toEqual([
      theirs.conversation_id,
    ]);
    const counts = (await call(ana.headers, 'GET', '/v1/conversations/counts')).json() as {
      views: Record<string, number>;
      teams: Json[];
    };
    expect(counts.views).toMatchObject({ mine: 1, my_teams: 1 });
    expect(counts.views.all).toBeGreaterThanOrEqual(2);
    expect(counts.views.unassigned).toBeGreaterThanOrEqual(1);
    expect(counts.teams).toEqual([{ id: team.id, name: team.name, count: 1 }]);
    // Resolved conversations leave the counts.
    await call(owner, 'POST', `/v1/conversations/${mine.conversation_id}/status`, { status: 'resolved' });
    const after = (await call(ana.headers, 'GET', '/v1/conversations/counts')).json() as typeof counts;
    expect(after.teams).toEqual([{ id: team.id, name: team.name, count: 0 }]);
  });

  it('merging one person’s two conversations: refused until her profiles are merged, then everything moves in time order and her mail to the old thread lands in the survivor', async () => {
    const email = await anEmailChannel(t());
    const agent = await staff('agent', 'Ana Merge');
    const owner = await t().as('owner');
    const work = `${unique('lucia.work')}@mail.example`;
    const home = `${unique('lucia.home')}@mail.example`;
    const a = await mail(email, work, 'My order has not arrived');
    const b = await mail(email, home, 'Here is the receipt', { attachment: 'receipt.txt' });
    await call(owner, 'PATCH', `/v1/conversations/${a.conversation_id}`, { labels: ['delivery'] });
    await call(owner, 'PATCH', `/v1/conversations/${b.conversation_id}`, { labels: ['receipts'] });
    await call(owner, 'POST', `/v1/conversations/${b.conversation_id}/assign`, { assignee_id: agent.id });
    await call(agent.headers, 'POST', `/v1/conversations/${b.conversation_id}/notes`, {
      text: 'Same person?',
    });
    const later = await mail(email, home, 'Any news?');
    expect(later.conversation_id).toBe(b.conversation_id);
    const bBefore = (await call(owner, 'GET', `/v1/conversations/${b.conversation_id}`)).json() as Json;

    // Two profiles: refused, nothing changes.
    const refused = await call(agent.headers, 'POST', `/v1/conversations/${a.conversation_id}/merge`, {
      source_id: b.conversation_id,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ errors: [{ field: 'body.source_id' }] });
    expect(refused.json().detail).toContain('merge the customers first');
    expect(await messagesOf(t(), b.conversation_id)).toHaveLength(3);

    // The customers module merges the two profiles into one person.
    const aCustomer = (await conversation(t(), a.conversation_id)).customer_id as string;
    const merged = await call(owner, 'POST', `/v1/customers/${aCustomer}/merge`, {
      merge_id: bBefore.customer_id,
      force: true,
    });
    expect(merged.statusCode, merged.body).toBe(200);

    const done = await call(agent.headers, 'POST', `/v1/conversations/${a.conversation_id}/merge`, {
      source_id: b.conversation_id,
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      conversation: { id: a.conversation_id, labels: ['delivery', 'receipts'], status: 'open' },
    });
    expect((done.json() as { moved_message_ids: string[] }).moved_message_ids).toHaveLength(3);
    const thread = await messagesOf(t(), a.conversation_id);
    // Newest first, interleaved by time: both conversations' messages and the note.
    expect(thread.map((m) => m.text)).toEqual([
      'Any news?',
      'Same person?',
      'Here is the receipt',
      'My order has not arrived',
    ]);
    const attachment = (thread[2]!.attachments as Json[])[0]!;
    const file = await call(
      owner,
      'GET',
      `/v1/conversations/${a.conversation_id}/attachments/${String(attachment.id)}`,
    );
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain('receipt contents');

    const source = await conversation(t(), b.conversation_id);
    expect(source).toMatchObject({ status: 'merged', merged_into_id: a.conversation_id, assignee_id: null });
    expect(ids(await call(owner, 'GET', '/v1/conversations?limit=200'))).not.toContain(b.conversation_id);
    expect(ids(await call(owner, 'GET', '/v1/conversations?status=merged&limit=200'))).toContain(
      b.conversation_id,
    );
    const readOnly = await call(agent.headers, 'POST', `/v1/conversations/${b.conversation_id}/notes`, {
      text: 'x',
    });
    expect(readOnly.statusCode).toBe(409);
    // A reply on the old conversation would leave a message where nobody looks: refused, nothing stored.
    const messagesBefore = await t()
      .omnis.database.db.selectFrom('messages')
      .select('id')
      .where('conversation_id', 'in', [a.conversation_id, b.conversation_id])
      .execute();
    const reply = await call(agent.headers, 'POST', `/v1/conversations/${b.conversation_id}/messages`, {
      text: 'Hello again',
    });
    expect(reply.statusCode, reply.body).toBe(409);
    expect(reply.json()).toMatchObject({ merged_into_id: a.conversation_id });
    const messagesAfter = await t()
      .omnis.database.db.selectFrom('messages')
      .select('id')
      .where('conversation_id', 'in', [a.conversation_id, b.conversation_id])
      .execute();
    expect(messagesAfter).toHaveLength(messagesBefore.length);
    const events = await t()
      .omnis.database.db.selectFrom('outbox_events')
      .select(['type', 'aggregate_id'])
      .where('aggregate_id', 'in', [a.conversation_id, b.conversation_id])
      .where('type', 'in', ['conversation.merged', 'conversation.status_changed'])
      .execute();
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'conversation.merged', aggregate_id: b.conversation_id },
        { type: 'conversation.status_changed', aggregate_id: b.conversation_id },
      ]),
    );

    // Her answer to B's email thread (its reply address), and a new mail from either address, land in A.
    const [local, domain] = email.address.split('@');
    const token = (
      await t()
        .omnis.database.db.selectFrom('conversations')
        .select('reply_token')
        .where('id', '=', b.conversation_id)
        .executeTakeFirstOrThrow()
    ).reply_token;
    const replied = await mail(email, home, 'Replying to your old mail', {
      to: `${local}+${token}@${domain}`,
    });
    expect(replied.conversation_id).toBe(a.conversation_id);
    expect((await mail(email, home, 'And again')).conversation_id).toBe(a.conversation_id);
    expect(await messagesOf(t(), b.conversation_id)).toHaveLength(0);
  });

  it('two agents merging two conversations into each other at once: one wins, the other is refused, nothing is corrupted', async () => {
    const email = await anEmailChannel(t());
    const owner = await t().as('owner');
    const from = `${unique('twin')}@mail.example`;
    const a = await mail(email, from, 'First topic');
    await mail(email, from, 'Second topic');
    const split = await call(owner, 'POST', `/v1/conversations/${a.conversation_id}/split`, {
      message_id: (await messagesOf(t(), a.conversation_id))[0]!.id,
    });
    const b = (split.json() as { conversation: { id: string } }).conversation.id;
    const results = await Promise.all([
      call(owner, 'POST', `/v1/conversations/${a.conversation_id}/merge`, { source_id: b }),
      call(owner, 'POST', `/v1/conversations/${b}/merge`, { source_id: a.conversation_id }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows = await t()
      .omnis.database.db.selectFrom('conversations')
      .select(['id', 'status', 'merged_into_id'])
      .where('id', 'in', [a.conversation_id, b])
      .execute();
    expect(rows.filter((r) => r.status === 'merged')).toHaveLength(1);
    const survivor = rows.find((r) => r.status !== 'merged')!;
    expect(survivor.merged_into_id).toBeNull();
    expect(await messagesOf(t(), survivor.id)).toHaveLength(2);
  });

  it('an agent splits a new topic off: the chosen message and later ones start a new conversation, replies to them follow', async () => {
    const email = await anEmailChannel(t());
    const owner = await t().as('owner');
    const from = `${unique('pilar')}@mail.example`;
    const first = await mail(email, from, 'Wrong colour delivered');
    const second = await mail(email, from, 'Also: do you sell gift cards?');
    await mail(email, from, 'For 50 euros');
    expect(second.conversation_id).toBe(first.conversation_id);

    const bad = await call(owner, 'POST', `/v1/conversations/${first.conversation_id}/split`, {
      message_id: 'msg_nope',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ errors: [{ field: 'body.message_id' }] });
    const fromFirst = await call(owner, 'POST', `/v1/conversations/${first.conversation_id}/split`, {
      message_id: first.message_id,
    });
    expect(fromFirst.json()).toMatchObject({ errors: [{ field: 'body.message_id' }] });

    const split = await call(owner, 'POST', `/v1/conversations/${first.conversation_id}/split`, {
      message_id: second.message_id,
    });
    expect(split.statusCode, split.body).toBe(201);
    const created = (split.json() as { conversation: Json }).conversation;
    expect(created).toMatchObject({
      customer_id: (await conversation(t(), first.conversation_id)).customer_id,
      status: 'open',
    });
    expect((await messagesOf(t(), created.id as string)).map((m) => m.text)).toEqual([
      'For 50 euros',
      'Also: do you sell gift cards?',
    ]);
    expect((await messagesOf(t(), first.conversation_id)).map((m) => m.text)).toEqual([
      'Wrong colour delivered',
    ]);
    // Her email client answers the gift-card mail: it threads into the new conversation.
    const answer = await mail(email, from, 'Which designs?', { references: second.messageId });
    expect(answer.conversation_id).toBe(created.id);
  });

  it('canned responses: unknown variables are refused at save, and a preview fills the customer’s values in her language', async () => {
    const email = await anEmailChannel(t());
    const ana = await staff('agent', 'Ana García');
    const owner = await t().as('owner');
    const before = ids(await call(owner, 'GET', '/v1/canned-responses'));

    const unknownVar = await call(ana.headers, 'POST', '/v1/canned-responses', {
      shortcut: 'hello',
      title: 'Hello',
      body: { en: 'Hi {{customer.first_name}}', es: 'Hola {{customer.age}}' },
    });
    expect(unknownVar.statusCode).toBe(422);
    expect(unknownVar.json()).toMatchObject({
      errors: [{ field: 'body.body.es', message: 'unknown variable {{customer.age}}' }],
    });
    expect(unknownVar.json().detail).toContain('{{customer.age}}');
    expect(ids(await call(owner, 'GET', '/v1/canned-responses'))).toEqual(before);
    expect(
      (
        await call(ana.headers, 'POST', '/v1/canned-responses', {
          shortcut: 'Bad Shortcut',
          title: 'x',
          body: { en: 'x' },
        })
      ).json(),
    ).toMatchObject({ errors: [{ field: 'body.shortcut' }] });

    const shortcut = unique('greet');
    const created = await call(ana.headers, 'POST', '/v1/canned-responses', {
      shortcut,
      title: 'Greeting',
      body: {
        en: 'Hi {{customer.first_name}}, {{agent.first_name}} here.{{#order.number}} Order {{order.number}}.{{/order.number}} Ref {{conversation.id}}',
        es: 'Hola {{customer.first_name}}, soy {{agent.name}}. Ref {{conversation.id}}',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const cannedId = (created.json() as { id: string }).id;
    expect(
      (
        await call(ana.headers, 'POST', '/v1/canned-responses', {
          shortcut,
          title: 'Again',
          body: { en: 'x' },
        })
      ).json(),
    ).toMatchObject({ status: 409, errors: [{ field: 'body.shortcut' }] });

    const spanish = await mail(email, `${unique('carmen')}@mail.example`, 'Hola');
    const english = await mail(email, `${unique('kate')}@mail.example`, 'Hello');
    const customerOf = async (id: string) => (await conversation(t(), id)).customer_id as string;
    await call(owner, 'PATCH', `/v1/customers/${await customerOf(spanish.conversation_id)}`, {
      first_name: 'Carmen',
      locale: 'es-ES',
    });
    await call(owner, 'PATCH', `/v1/customers/${await customerOf(english.conversation_id)}`, {
      first_name: 'Kate',
      locale: 'de',
    });
    const render = (conversationId: string) =>
      call(ana.headers, 'POST', `/v1/conversations/${conversationId}/canned-responses/${cannedId}/render`);
    expect((await render(spanish.conversation_id)).json()).toEqual({
      id: cannedId,
      shortcut,
      locale: 'es',
      text: `Hola Carmen, soy Ana García. Ref ${spanish.conversation_id}`,
      missing: [],
    });
    // German is not written: English, and no order yet so its sentence is left out.
    expect((await render(english.conversation_id)).json()).toMatchObject({
      locale: 'en',
      text: `Hi Kate, Ana here. Ref ${english.conversation_id}`,
      missing: ['order.number'],
    });

    // Team scoping: a response for a team Ana is not in is not in her list; the owner sees all.
    const team = await t().omnis.services.conversations.teams.createTeam({ name: unique('B2B ') }, testActor);
    const scoped = await call(owner, 'POST', '/v1/canned-responses', {
      shortcut: unique('b2b'),
      title: 'B2B terms',
      body: { en: 'Net 30.' },
      team_id: team.id,
    });
    expect(scoped.statusCode).toBe(201);
    const scopedId = (scoped.json() as { id: string }).id;
    expect(ids(await call(ana.headers, 'GET', '/v1/canned-responses'))).not.toContain(scopedId);
    expect(ids(await call(owner, 'GET', '/v1/canned-responses'))).toContain(scopedId);
    expect(
      (
        await call(owner, 'POST', '/v1/canned-responses', {
          shortcut: unique('x'),
          title: 'x',
          body: { en: 'x' },
          team_id: 'team_nope',
        })
      ).json(),
    ).toMatchObject({ errors: [{ field: 'body.team_id' }] });

    const analyst = await t().as('analyst');
    expect(
      (
        await call(analyst, 'POST', '/v1/canned-responses', {
          shortcut: unique('a'),
          title: 'a',
          body: { en: 'a' },
        })
      ).statusCode,
    ).toBe(403);
    const patched = await call(ana.headers, 'PATCH', `/v1/canned-responses/${cannedId}`, {
      title: 'Greeting v2',
    });
    expect(patched.json()).toMatchObject({ title: 'Greeting v2', shortcut });
    expect(
      (
        await call(ana.headers, 'PATCH', `/v1/canned-responses/${cannedId}`, {
          body: { en: '{{#customer.first_name}}' },
        })
      ).statusCode,
    ).toBe(422);
    expect((await call(ana.headers, 'DELETE', `/v1/canned-responses/${cannedId}`)).statusCode).toBe(204);
    expect((await render(english.conversation_id)).statusCode).toBe(404);
  });
});

async function conversation(t: TestContext, id: string): Promise<Json> {
  const res = await t.omnis.app.inject({
    method: 'GET',
    url: `/v1/conversations/${id}`,
    headers: await t.as('owner'),
  });
  return res.json() as Json;
}

/** Polls until `find` returns something, failing with `what` after a few seconds. */
async function eventually<T>(what: string, find: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
