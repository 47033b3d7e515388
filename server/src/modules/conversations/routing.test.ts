/**
 * Routing and SLA: parallel routers never double-assign or overfill an agent; the strategies pick the expected
 * agent; a conversation outside business hours waits and is routed at opening; an unanswered assignment is
 * taken back by the job; an SLA first-response timer counts business hours only and breaches with an event.
 */
import { expect, it } from 'vitest';
import { describeEachDialect, type TestContext } from '../../../test/harness';
import { systemActor } from '../../platform/auth/principal';
import { aMessageSid, aTwilioChannel, postTwilio, testActor, unique } from './conversation.test-support';

describeEachDialect('routing and SLA', (t) => {
  async function anAgent(ctx: TestContext, capacity: Record<string, number> = { sms: 2 }) {
    const user = await ctx.omnis.services.users.createUser(
      {
        email: `${unique('agent')}@test.example`,
        name: 'Agent',
        role: 'agent',
        password: 'correct horse battery',
      },
      null,
      systemActor,
    );
    await ctx.omnis.services.conversations.teams.setCapacity(user.id, capacity);
    await ctx.omnis.services.conversations.teams.setPresence(user.id, 'online', testActor);
    return user.id;
  }
  let phone = 600_000_000;
  /** A customer texts in: a new open, unassigned conversation (routing not yet run). */
  async function aConversation(ctx: TestContext, channelId: string): Promise<string> {
    const res = await postTwilio(ctx, `/hooks/twilio/${channelId}`, {
      MessageSid: aMessageSid(),
      From: `+34${++phone}`,
      To: '+14155550100',
      Body: 'Hello, anyone there?',
    });
    expect(res.statusCode).toBe(200);
    const row = await ctx.omnis.database.db
      .selectFrom('conversations')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return row.id;
  }
  const routing = () => t().omnis.services.conversations.routing;
  const db = () => t().omnis.database.db;
  async function aTeam(input: Record<string, unknown>) {
    return t().omnis.services.conversations.teams.createTeam(
      { name: unique('Team '), channel_kinds: [], ...input },
      testActor,
    );
  }
  async function resetTeams() {
    await db().deleteFrom('team_members').execute();
    await db().deleteFrom('teams').execute();
    await db().updateTable('agent_states').set({ presence: 'offline' }).execute();
  }

  it('parallel routers never double-assign or exceed capacity', async () => {
    await resetTeams();
    const sms = await aTwilioChannel(t(), 'sms');
    const agents = [await anAgent(t()), await anAgent(t()), await anAgent(t())];
    await aTeam({ strategy: 'least_busy', members: agents.map((user_id) => ({ user_id })) });
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push(await aConversation(t(), sms.id));
    // Every conversation routed by three routers at once.
    await Promise.all(ids.flatMap((id) => [1, 2, 3].map(() => routing().routeConversation(id))));
    const loads = await db().selectFrom('agent_loads').selectAll().where('user_id', 'in', agents).execute();
    for (const l of loads) expect(Number(l.active)).toBeLessThanOrEqual(Number(l.capacity));
    const assigned = await db()
      .selectFrom('conversations')
      .select(['id', 'assignee_id'])
      .where('id', 'in', ids)
      .execute();
    const held = assigned.filter((c) => c.assignee_id !== null);
    expect(held).toHaveLength(6); // 3 agents × capacity 2; the other 3 wait
    for (const a of agents) expect(held.filter((c) => c.assignee_id === a)).toHaveLength(2);
    const events = await db()
      .selectFrom('outbox_events')
      .select('aggregate_id')
      .where('type', '=', 'conversation.assigned')
      .where('aggregate_id', 'in', ids)
      .execute();
    expect(events).toHaveLength(6); // one assignment each, never two
  });

  it('a customer waiting in a full team is routed by her next message once someone has room', async () => {
    await resetTeams();
    const sms = await aTwilioChannel(t(), 'sms');
    const ana = await anAgent(t(), { sms: 1 });
    await aTeam({ strategy: 'least_busy', members: [{ user_id: ana }] });
    const first = await aConversation(t(), sms.id);
    expect(await routing().routeConversation(first)).toMatchObject({ state: 'assigned', assignee_id: ana });
    const waiting = await aConversation(t(), sms.id);
    expect(await routing().routeConversation(waiting)).toMatchObject({ state: 'queued' });
    // Still full: her next message leaves her queued, for the same team.
    const again = await routing().routeConversation(waiting);
    expect(again).toMatchObject({ state: 'queued' });
    // Ana gets room for one more: the next routing of the waiting conversation assigns it to her.
    await t().omnis.services.conversations.teams.setCapacity(ana, { sms: 2 });
    expect(await routing().routeConversation(waiting)).toMatchObject({ state: 'assigned', assignee_id: ana });
  });

  it('the routing consumer leaves a customer waiting in a full team untouched, and places her once someone has room', async () => {
    await resetTeams();
    const sms = await aTwilioChannel(t(), 'sms');
    const ana = await anAgent(t(), { sms: 1 });
    await aTeam({ strategy: 'least_busy', members: [{ user_id: ana }] });
    const from = `+34${++phone}`;
    /** Bea texts in, and the dispatcher and the routing it starts run to the end. */
    async function beaWrites(body: string) {
      const res = await postTwilio(t(), `/hooks/twilio/${sms.id}`, {
        MessageSid: aMessageSid(),
        From: from,
        To: '+14155550100',
        Body: body,
      });
      expect(res.statusCode).toBe(200);
      await t().omnis.dispatcher.drain();
      await routing().settled();
      await t().omnis.dispatcher.drain();
    }
    const other = await aConversation(t(), sms.id);
    expect(await routing().routeConversation(other)).toMatchObject({ state: 'assigned', assignee_id: ana });

    await beaWrites('Hola');
    const bea = await db()
      .selectFrom('conversations')
      .select(['id', 'assignee_id', 'team_id'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(bea.assignee_id).toBeNull();
    const queued = await db()
      .selectFrom('conversation_routing')
      .selectAll()
      .where('conversation_id', '=', bea.id)
      .executeTakeFirstOrThrow();
    expect(queued).toMatchObject({ state: 'queued', team_id: bea.team_id });

    // Ana is still full: Bea's next messages leave the queue row exactly as it was (nothing routed, nothing written).
    await beaWrites('¿Hay alguien?');
    await beaWrites('¿Hola?');
    expect(
      await db()
        .selectFrom('conversation_routing')
        .selectAll()
        .where('conversation_id', '=', bea.id)
        .executeTakeFirstOrThrow(),
    ).toEqual(queued);

    // Ana gets room: Bea's next message places her conversation with Ana, once.
    await t().omnis.services.conversations.teams.setCapacity(ana, { sms: 2 });
    await beaWrites('Sigo aquí');
    const placed = await db()
      .selectFrom('conversations')
      .select('assignee_id')
      .where('id', '=', bea.id)
      .executeTakeFirstOrThrow();
    expect(placed.assignee_id).toBe(ana);
    const assignedEvents = await db()
      .selectFrom('outbox_events')
      .select('id')
      .where('type', '=', 'conversation.assigned')
      .where('aggregate_id', '=', bea.id)
      .execute();
    expect(assignedEvents).toHaveLength(1);
  });

  it('round robin, least busy and longest idle pick the expected agent', async () => {
    await resetTeams();
    const sms = await aTwilioChannel(t(), 'sms');
    const [ana, ben] = [await anAgent(t(), { sms: 5 }), await anAgent(t(), { sms: 5 })];
    const team = await aTeam({ strategy: 'round_robin', members: [{ user_id: ana }, { user_id: ben }] });
    const picks: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await routing().routeConversation(await aConversation(t(), sms.id));
      if (r.state === 'assigned') picks.push(r.assignee_id);
    }
    expect(picks[0]).not.toBe(picks[1]);
    expect(picks[2]).toBe(picks[0]);
    expect(picks[3]).toBe(picks[1]);

    // Least busy: Ben gets two more by hand, so Ana is less busy and gets the next.
    await t().omnis.services.conversations.teams.updateTeam(
      team.id,
      { name: team.name, strategy: 'least_busy' },
      testActor,
    );
    await db().updateTable('agent_loads').set({ active: 4 }).where('user_id', '=', ben).execute();
    expect(await routing().routeConversation(await aConversation(t(), sms.id))).toMatchObject({
      assignee_id: ana,
    });

    // Longest idle: Ben has been idle longer (his clock set back), so he gets it despite being busier.
    await t().omnis.services.conversations.teams.updateTeam(
      team.id,
      { name: team.name, strategy: 'longest_idle' },
      testActor,
    );
    await db().updateTable('agent_states').set({ idle_since: 1 }).where('user_id', '=', ben).execute();
    expect(await routing().routeConversation(await aConversation(t(), sms.id))).toMatchObject({
      assignee_id: ben,
    });
  });

  // Saturday 2026-11-28 12:00 and Monday 2026-11-30 09:15 in Madrid (UTC+1).
  const saturdayNoon = Date.parse('2026-11-28T11:00:00Z');
  const mondayAt0915 = Date.parse('2026-11-30T08:15:00Z');
  const weekdayHours = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ open: '09:00', close: '17:00' }]]),
  );

  it('a conversation outside business hours waits and is routed at opening', async () => {
    await resetTeams();
    const sms = await aTwilioChannel(t(), 'sms');
    const ana = await anAgent(t());
    const team = await aTeam({
      timezone: 'Europe/Madrid',
      business_hours: weekdayHours,
      members: [{ user_id: ana }],
    });
    expect((await t().omnis.services.conversations.teams.isOpen(team.id, saturdayNoon)).open).toBe(false);
    const id = await aConversation(t(), sms.id);
    expect(await routing().routeConversation(id, { now: saturdayNoon })).toEqual({
      state: 'queued',
      team_id: team.id,
    });
    expect(await routing().routeWaiting(saturdayNoon)).toBe(0);
    await routing().routeWaiting(mondayAt0915);
    const row = await db()
      .selectFrom('conversations')
      .select(['assignee_id', 'team_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ assignee_id: ana, team_id: team.id });
  });

  it('an unanswered assignment is reassigned by the job', async () => {
    await resetTeams();
    const sms = await aTwilioChannel(t(), 'sms');
    const [ana, ben] = [await anAgent(t()), await anAgent(t())];
    await aTeam({
      strategy: 'round_robin',
      reassign_after_seconds: 60,
      members: [{ user_id: ana }, { user_id: ben }],
    });
    const id = await aConversation(t(), sms.id);
    const now = Date.now();
    const first = await routing().routeConversation(id, { now });
    expect(first.state).toBe('assigned');
    const firstAgent = (first as { assignee_id: string }).assignee_id;
    expect(await routing().reassignUnanswered(now + 30_000)).toBe(0);
    expect(await routing().reassignUnanswered(now + 61_000)).toBe(1);
    const row = await db()
      .selectFrom('conversations')
      .select('assignee_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.assignee_id).toBe(firstAgent === ana ? ben : ana);
    const load = await db()
      .selectFrom('agent_loads')
      .select('active')
      .where('user_id', '=', firstAgent)
      .where('channel_kind', '=', 'sms')
      .executeTakeFirstOrThrow();
    expect(Number(load.active)).toBe(0);
  });

  it('a customer’s messages start the response and resolution clocks once, paused while pending and running again', async () => {
    await resetTeams();
    const wa = await aTwilioChannel(t(), 'whatsapp');
    const { sla } = t().omnis.services.conversations;
    await sla.createSlaPolicy(
      {
        name: unique('WhatsApp '),
        channel_kind: 'whatsapp',
        first_response_seconds: 600,
        resolution_seconds: 86_400,
      },
      testActor,
    );
    const from = `whatsapp:+34${++phone}`;
    async function carmenWrites(body: string) {
      const res = await postTwilio(t(), `/hooks/twilio/${wa.id}`, {
        MessageSid: aMessageSid(),
        From: from,
        To: 'whatsapp:+14155550100',
        Body: body,
      });
      expect(res.statusCode).toBe(200);
      await t().omnis.dispatcher.drain();
      await routing().settled();
    }
    await carmenWrites('Hola');
    const { id } = await db()
      .selectFrom('conversations')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const timers = async () => (await sla.retrieveConversationSla(id)).timers;
    const started = await timers();
    expect(started).toMatchObject([
      { metric: 'first_response', status: 'running' },
      { metric: 'resolution', status: 'running' },
    ]);

    // Writing again while they count starts nothing more.
    await carmenWrites('¿Me oís?');
    expect(await timers()).toEqual(started);

    await t().omnis.services.conversations.updateStatus(id, { status: 'pending' }, testActor);
    await t().omnis.dispatcher.drain();
    expect(await timers()).toMatchObject([
      { metric: 'first_response', status: 'paused', due_at: null },
      { metric: 'resolution', status: 'paused', due_at: null },
    ]);

    // Her next message reopens the conversation: the same two clocks run again, none added.
    await carmenWrites('Sigo esperando');
    const resumed = await timers();
    expect(resumed).toMatchObject([
      { id: started[0]!.id, metric: 'first_response', status: 'running' },
      { id: started[1]!.id, metric: 'resolution', status: 'running' },
    ]);
    for (const timer of resumed) expect(timer.due_at).not.toBeNull();

    // Resolved: every clock stops (and none is left for the timer job of the tests that follow).
    await t().omnis.services.conversations.updateStatus(id, { status: 'resolved' }, testActor);
    await t().omnis.dispatcher.drain();
    expect(await timers()).toMatchObject([
      { metric: 'first_response', status: 'cancelled' },
      { metric: 'resolution', status: 'met' },
    ]);
  });

  it('an SLA first-response timer counts only business hours and breaches with an event', async () => {
    await resetTeams();
    const sms = await aTwilioChannel(t(), 'sms');
    const team = await aTeam({ timezone: 'Europe/Madrid', business_hours: weekdayHours, members: [] });
    await t().omnis.services.conversations.sla.createSlaPolicy(
      { name: 'SMS', channel_kind: 'sms', team_id: team.id, first_response_seconds: 3600 },
      testActor,
    );
    const id = await aConversation(t(), sms.id);
    // Start the clock as if she wrote on Friday at 16:30 Madrid: one business hour ends Monday 09:30.
    const fridayAt1630 = Date.parse('2026-11-27T15:30:00Z');
    await db()
      .updateTable('outbox_events')
      .set({ occurred_at: fridayAt1630 } as never)
      .where('aggregate_id', '=', id)
      .execute();
    await t().omnis.dispatcher.drain();
    await routing().settled();
    const sla = await t().omnis.services.conversations.sla.retrieveConversationSla(id);
    expect(sla.timers.find((x) => x.metric === 'first_response')).toMatchObject({
      status: 'running',
      due_at: '2026-11-30T08:30:00.000Z',
    });
    expect(await t().omnis.services.conversations.sla.fireDueTimers(Date.parse('2026-11-28T20:00:00Z'))).toBe(
      0,
    );
    await t().omnis.services.conversations.sla.fireDueTimers(Date.parse('2026-11-30T08:31:00Z'));
    expect((await t().omnis.services.conversations.sla.retrieveConversationSla(id)).status).toBe('breached');
    const breach = await db()
      .selectFrom('outbox_events')
      .select('type')
      .where('type', '=', 'sla.breached')
      .where('aggregate_id', '=', id)
      .execute();
    expect(breach).toHaveLength(1);
  });
});
