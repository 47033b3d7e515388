/**
 * Undoing merges and splits, on both databases: the merged conversation comes back with exactly its messages,
 * notes, attachments, mentions, addresses, labels, assignee and reply address while the survivor keeps its own and
 * what arrived since; an undo that cannot be exact (already undone, messages split off since, a survivor merged on)
 * is refused naming `params.id` with nothing changed; two undos at once: one wins.
 */
import { expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/harness';
import { HOOK_TOKEN, anEmailChannel, messagesOf, testActor, unique } from './conversation.test-support';

type Json = Record<string, unknown>;

describeEachDialect('undoing a merge or a split', (t) => {
  const app = () => t().omnis.app;
  const db = () => t().omnis.database.db;

  /** Mail from `from` through the email hook. */
  const mail = async (
    channel: { id: string; address: string },
    from: string,
    body: string,
    options: { to?: string; references?: string; attachment?: string } = {},
  ) => {
    const messageId = `${unique('m')}@mail.example`;
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

  const staff = async (role: 'agent' | 'analyst', name: string) => {
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
    return { id: user.id, headers: { authorization: `Bearer ${(login.json() as { token: string }).token}` } };
  };

  const call = async (headers: object, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app().inject({
      method,
      url,
      headers: headers as Record<string, string>,
      ...(payload ? { payload } : {}),
    });

  const conversation = async (id: string) =>
    (await call(await t().as('owner'), 'GET', `/v1/conversations/${id}`)).json() as Json;
  const texts = async (id: string) => (await messagesOf(t(), id)).map((m) => m.text);
  const undo = async (headers: object, mergeId: string) =>
    call(headers, 'POST', `/v1/conversation-merges/${mergeId}/undo`);

  /** Lucía wrote from work (A) and from home (B, a receipt attached); her two profiles are one person now. */
  const twoConversationsOfLucia = async () => {
    const email = await anEmailChannel(t());
    const owner = await t().as('owner');
    const work = `${unique('lucia.work')}@mail.example`;
    const home = `${unique('lucia.home')}@mail.example`;
    const a = await mail(email, work, 'My order has not arrived');
    const b = await mail(email, home, 'Here is the receipt', { attachment: 'receipt.txt' });
    const customerOfB = (await conversation(b.conversation_id)).customer_id as string;
    const merged = await call(
      owner,
      'POST',
      `/v1/customers/${String((await conversation(a.conversation_id)).customer_id)}/merge`,
      {
        merge_id: customerOfB,
        force: true,
      },
    );
    expect(merged.statusCode, merged.body).toBe(200);
    return { email, owner, work, home, a: a.conversation_id, b: b.conversation_id };
  };

  it('an agent undoes a merge: the old conversation comes back with exactly its messages, note, mention, attachment, labels, assignee and reply address; the survivor keeps its own and what came since', async () => {
    const { email, owner, work, home, a, b } = await twoConversationsOfLucia();
    const agent = await staff('agent', 'Ana Undo');
    const colleague = await staff('agent', 'Bruno Undo');
    await call(owner, 'PATCH', `/v1/conversations/${a}`, { labels: ['delivery', 'vip'] });
    await call(owner, 'PATCH', `/v1/conversations/${b}`, { labels: ['receipts', 'vip'] });
    await call(owner, 'POST', `/v1/conversations/${b}/assign`, { assignee_id: agent.id });
    const note = await call(agent.headers, 'POST', `/v1/conversations/${b}/notes`, {
      text: '@Bruno same person?',
      mention_ids: [colleague.id],
    });
    expect(note.statusCode, note.body).toBe(201);
    const bBefore = await conversation(b);
    const bToken = (
      await db()
        .selectFrom('conversations')
        .select('reply_token')
        .where('id', '=', b)
        .executeTakeFirstOrThrow()
    ).reply_token;

    const merge = await call(agent.headers, 'POST', `/v1/conversations/${a}/merge`, { source_id: b });
    expect(merge.statusCode, merge.body).toBe(200);
    const mergeId = (merge.json() as { merge_id: string }).merge_id;
    expect(mergeId).toMatch(/^cmg_/);
    // Since the merge: her new mail lands in A, and an agent labels A.
    await mail(email, work, 'Any news?');
    await call(owner, 'PATCH', `/v1/conversations/${a}`, {
      labels: ['delivery', 'receipts', 'urgent', 'vip'],
    });

    // An analyst reads but may not undo.
    const analyst = await staff('analyst', 'Ann Alyst');
    expect((await undo(analyst.headers, mergeId)).statusCode).toBe(403);
    expect((await undo(agent.headers, 'cmg_nope')).statusCode).toBe(404);

    const done = await undo(agent.headers, mergeId);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      merge: { id: mergeId, kind: 'merge', source_id: b, target_id: a, undone_by: agent.id },
      source: {
        id: b,
        status: 'open',
        merged_into_id: null,
        assignee_id: agent.id,
        labels: ['receipts', 'vip'],
        waiting_since: bBefore.waiting_since,
      },
      // Receipts came only with B; what A had itself or was given since stays.
      target: { id: a, labels: ['delivery', 'urgent', 'vip'] },
    });
    expect(await texts(b)).toEqual(['@Bruno same person?', 'Here is the receipt']);
    expect(await texts(a)).toEqual(['Any news?', 'My order has not arrived']);
    const receipt = (await messagesOf(t(), b)).find((m) => m.text === 'Here is the receipt')!;
    const file = await call(
      owner,
      'GET',
      `/v1/conversations/${b}/attachments/${String((receipt.attachments as Json[])[0]!.id)}`,
    );
    expect(file.body).toContain('receipt contents');
    expect(
      await db()
        .selectFrom('conversation_mentions')
        .select('conversation_id')
        .where('user_id', '=', colleague.id)
        .execute(),
    ).toEqual([{ conversation_id: b }]);
    expect(((await conversation(b)).contacts as Json[]).map((c) => c.address)).toEqual([home]);
    expect(((await conversation(a)).contacts as Json[]).map((c) => c.address)).toEqual([work]);

    // Both conversations' timelines tell it; the undo is in the audit log.
    const events = await db()
      .selectFrom('outbox_events')
      .select(['type', 'aggregate_id', 'customer_id'])
      .where('aggregate_id', 'in', [a, b])
      .where('type', 'in', ['conversation.unmerged', 'conversation.updated', 'conversation.status_changed'])
      .orderBy('position')
      .execute();
    expect(events.slice(-3).map((e) => [e.type, e.aggregate_id])).toEqual([
      ['conversation.status_changed', b],
      ['conversation.unmerged', b],
      ['conversation.updated', a],
    ]);
    expect(events.every((e) => e.customer_id)).toBe(true);
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id'])
      .where('action', '=', 'conversation_merge.undo')
      .execute();
    expect(audit).toEqual([{ actor_id: agent.id, target_id: mergeId }]);

    // Her answer to B's old mail lands in B again; it shows in the lists again.
    const [local, domain] = email.address.split('@');
    expect(
      (await mail(email, home, 'Replying to the old thread', { to: `${local}+${bToken}@${domain}` }))
        .conversation_id,
    ).toBe(b);
    const list = (await call(owner, 'GET', '/v1/conversations?limit=200')).json() as { data: Json[] };
    expect(list.data.map((c) => c.id)).toContain(b);

    // Undoing again is refused, naming the merge, and changes nothing.
    const again = await undo(agent.headers, mergeId);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ errors: [{ field: 'params.id' }] });
    expect(await texts(b)).toHaveLength(3);
    const history = (await call(agent.headers, 'GET', `/v1/conversations/${b}/merges`)).json() as {
      data: Json[];
    };
    expect(history.data).toMatchObject([{ id: mergeId, kind: 'merge', undone_by: agent.id }]);
    expect(history.data[0]!.undone_at).toEqual(expect.any(String));
  });

  it('an undo that cannot be exact is refused with nothing changed: messages split off since, or the survivor merged on; undoing those first makes it possible', async () => {
    const { owner, a, b } = await twoConversationsOfLucia();
    const merged = await call(owner, 'POST', `/v1/conversations/${a}/merge`, { source_id: b });
    const mergeId = (merged.json() as { merge_id: string }).merge_id;
    // The newest message (B's receipt) is split off A.
    const newest = (await messagesOf(t(), a))[0]!;
    expect(newest.text).toBe('Here is the receipt');
    const split = await call(owner, 'POST', `/v1/conversations/${a}/split`, { message_id: newest.id });
    const { merge_id: splitId, conversation: c } = split.json() as { merge_id: string; conversation: Json };

    const refused = await undo(owner, mergeId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ errors: [{ field: 'params.id' }], conversation_ids: [c.id] });
    expect(refused.json().detail).toContain('undo that first');
    expect((await conversation(b)).status).toBe('merged');
    const log = await db()
      .selectFrom('conversation_merges')
      .select('undone_at')
      .where('id', '=', mergeId)
      .executeTakeFirstOrThrow();
    expect(log.undone_at).toBeNull();

    // The split is undone: the receipt goes back to A and the split-off conversation points at A.
    const unsplit = await undo(owner, splitId);
    expect(unsplit.statusCode, unsplit.body).toBe(200);
    expect(unsplit.json()).toMatchObject({
      source: { id: a },
      target: { id: c.id, status: 'merged', merged_into_id: a },
    });
    expect(await texts(a)).toEqual(['Here is the receipt', 'My order has not arrived']);

    // A merged on into D: the merge of B cannot come out of A.
    const email = await anEmailChannel(t());
    const d = (await mail(email, `${unique('other')}@mail.example`, 'Other person')).conversation_id;
    const customerOfD = (await conversation(d)).customer_id as string;
    await call(owner, 'POST', `/v1/customers/${customerOfD}/merge`, {
      merge_id: (await conversation(a)).customer_id,
      force: true,
    });
    const onward = await call(owner, 'POST', `/v1/conversations/${d}/merge`, { source_id: a });
    expect(onward.statusCode, onward.body).toBe(200);
    const blocked = await undo(owner, mergeId);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ errors: [{ field: 'params.id' }], merged_into_id: d });

    const back = await undo(owner, (onward.json() as { merge_id: string }).merge_id);
    expect(back.statusCode, back.body).toBe(200);
    const finally_ = await undo(owner, mergeId);
    expect(finally_.statusCode, finally_.body).toBe(200);
    expect(await texts(b)).toEqual(['Here is the receipt']);
    expect(await texts(a)).toEqual(['My order has not arrived']);
    expect(await texts(d)).toEqual(['Other person']);
  });

  it('a split is undone: the messages go home, the split-off conversation leads there; one with new messages since is refused', async () => {
    const email = await anEmailChannel(t());
    const owner = await t().as('owner');
    const from = `${unique('pilar')}@mail.example`;
    const first = await mail(email, from, 'Wrong colour delivered');
    const second = await mail(email, from, 'Also: gift cards?');
    const split = await call(owner, 'POST', `/v1/conversations/${first.conversation_id}/split`, {
      message_id: second.message_id,
    });
    const { merge_id: splitId, conversation: c } = split.json() as { merge_id: string; conversation: Json };
    // She answers the moved mail: it threads into the split-off conversation, which now has a message of its own.
    const answer = await mail(email, from, 'Which designs?', { references: second.messageId });
    expect(answer.conversation_id).toBe(c.id);
    const refused = await undo(owner, splitId);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ errors: [{ field: 'params.id' }], messages_since: 1 });
    expect(await texts(c.id as string)).toHaveLength(2);

    // Another split, undone at once.
    const third = await mail(email, from, 'And a third topic');
    expect(third.conversation_id).toBe(first.conversation_id);
    const again = await call(owner, 'POST', `/v1/conversations/${first.conversation_id}/split`, {
      message_id: third.message_id,
    });
    const { merge_id: againId, conversation: e } = again.json() as { merge_id: string; conversation: Json };
    const done = await undo(owner, againId);
    expect(done.statusCode, done.body).toBe(200);
    expect(await texts(first.conversation_id)).toEqual(['And a third topic', 'Wrong colour delivered']);
    expect(await conversation(e.id as string)).toMatchObject({
      status: 'merged',
      merged_into_id: first.conversation_id,
    });
    expect((await conversation(first.conversation_id)).last_inbound_at).toBe(
      (await messagesOf(t(), first.conversation_id))[0]!.created_at,
    );
  });

  it('two agents undo the same merge at once: one wins, the other is refused, every message is back exactly once', async () => {
    const { owner, a, b } = await twoConversationsOfLucia();
    const merged = await call(owner, 'POST', `/v1/conversations/${a}/merge`, { source_id: b });
    const mergeId = (merged.json() as { merge_id: string }).merge_id;
    const [ana, bruno] = await Promise.all([staff('agent', 'Ana Race'), staff('agent', 'Bruno Race')]);
    const results = await Promise.all([undo(ana.headers, mergeId), undo(bruno.headers, mergeId)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json()).toMatchObject({
      errors: [{ field: 'params.id' }],
    });
    expect(await texts(b)).toEqual(['Here is the receipt']);
    expect(await texts(a)).toEqual(['My order has not arrived']);
    const unmerged = await db()
      .selectFrom('outbox_events')
      .select('id')
      .where('aggregate_id', '=', b)
      .where('type', '=', 'conversation.unmerged')
      .execute();
    expect(unmerged).toHaveLength(1);
    expect((await conversation(b)).status).toBe('open');
    // A's times are its own again: its last inbound is its own message, not B's later receipt.
    expect((await conversation(a)).last_inbound_at).toBe((await messagesOf(t(), a))[0]!.created_at);
  });
});
