/**
 * The agent desk in a real browser against a real server started from the CLI: a customer texts on WhatsApp
 * (a webhook signed with the official `twilio` package) and later emails (raw RFC 822 to /hooks/email) — both
 * land in ONE conversation, under an SLA policy. The agent sees it in the inbox with both channels interleaved
 * and its SLA running, goes online; a colleague who opens the same conversation in another browser sees "… is
 * replying" while she types. She replies (the reply leaves on email, the channel the customer last used, and
 * arrives at a real SMTP peer on loopback), adds a private note, assigns it to herself, resolves it and
 * transfers it to a team with a note; the reports page shows the real figures; desk and reports read in
 * English, Spanish and Russian. Then the collaboration tools: a note @mentions the colleague, whose console
 * tells her at once and lists it under Mentions; a canned response made in Settings (its unknown variable
 * refused first) is inserted with `/` and filled by the server with the customer's name; the agent splits a
 * message off into a new conversation and merges the old one back into it from the customer sidebar, then
 * undoes that merge from the merged conversation's banner.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

const AUTH_TOKEN = 'e2e-twilio-auth-token';
const HOOK_TOKEN = 'e2e-email-hook-token';
const PHONE = '+34612000777';
const EMAIL = 'lucia.e2e@example.com';
const COLLEAGUE = { email: 'ana.agent@example.com', name: 'Ana Agent', password: 'ana-agent-password-1' };

interface Channel {
  id: string;
  kind: string;
}

describe('inbox', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let smtp: SMTPServer;
  const mails: string[] = [];
  let conversationId = '';
  let whatsappId = '';
  let colleagueContext: BrowserContext | undefined;

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${server.apiKey}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A signed Twilio webhook, exactly as Twilio would post it. */
  async function postWhatsapp(channelId: string, body: string) {
    const url = `${server.url}/hooks/twilio/${channelId}`;
    const params = {
      MessageSid: `SM${Date.now()}${Math.floor(Math.random() * 1e6)}`.padEnd(34, '0'),
      AccountSid: 'AC0123456789abcdef0123456789abcdef',
      From: `whatsapp:${PHONE}`,
      To: 'whatsapp:+14155550100',
      Body: body,
      NumMedia: '0',
      ProfileName: 'Lucía',
    };
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status).toBe(200);
  }

  async function signIn(on: Page, email: string, password: string) {
    await on.goto(server.url);
    await on.getByTestId('signin-email').fill(email);
    await on.getByTestId('signin-password').fill(password);
    await on.getByTestId('signin-submit').click();
  }

  async function postEmail(channelId: string, to: string, subject: string, text: string) {
    const raw = [
      `From: Lucía Gómez <${EMAIL}>`,
      `To: ${to}`,
      `Subject: ${subject}`,
      `Message-ID: <e2e-${Date.now()}@example.com>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      '',
    ].join('\r\n');
    const response = await fetch(`${server.url}/hooks/email/${channelId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'message/rfc822' },
      body: raw,
    });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          mails.push(data);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });

    const whatsapp = await api<Channel>('POST', '/v1/channels', {
      kind: 'whatsapp',
      name: 'WhatsApp support',
      config: { account_sid: 'AC0123456789abcdef0123456789abcdef', from: '+14155550100' },
      secrets: { auth_token: AUTH_TOKEN },
    });
    whatsappId = whatsapp.id;
    const address = 'support@shop.example';
    const email = await api<Channel>('POST', '/v1/channels', {
      kind: 'email',
      name: 'Support email',
      config: { address, name: 'Shop Support', relay_url: `smtp://127.0.0.1:${smtpPort}` },
      secrets: { hook_token: HOOK_TOKEN },
    });
    // The same person on two channels, known by both: one conversation.
    await api('POST', '/v1/customers', {
      identifiers: [
        { type: 'email', value: EMAIL },
        { type: 'phone', value: PHONE },
        { type: 'whatsapp', value: PHONE },
      ],
      first_name: 'Lucía',
      last_name: 'Gómez',
    });
    // Every conversation answers within the hour and is resolved within a day: its timers start with it.
    await api('POST', '/v1/sla-policies', {
      name: 'Standard',
      first_response_seconds: 3600,
      resolution_seconds: 86_400,
    });
    const colleague = await api<{ id: string }>('POST', '/v1/users', { ...COLLEAGUE, role: 'agent' });
    await api('POST', '/v1/teams', { name: 'Tier 2', members: [{ user_id: colleague.id }] });
    await postWhatsapp(whatsapp.id, 'Hola, ¿dónde está mi pedido?');
    await postEmail(email.id, address, 'My order', 'Hello again, writing by email with the order details.');
    const list = await api<{ data: Array<{ id: string }> }>('GET', '/v1/conversations?view=all');
    expect(list.data).toHaveLength(1);
    conversationId = list.data[0]!.id;
  });

  afterAll(async () => {
    await colleagueContext?.close();
    await browser?.close();
    await server?.stop();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });

  it('shows one conversation with both channels interleaved and its SLA running', async () => {
    // The SLA timers start from the message events a moment after they are stored.
    await expect
      .poll(
        async () =>
          (await api<{ status: string | null }>('GET', `/v1/conversations/${conversationId}/sla`)).status,
      )
      .toBe('running');
    await signIn(page, server.email, server.password);
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('inbox-row').first().waitFor();
    expect(await page.getByTestId('inbox-row').count()).toBe(1);
    await screenshot(page, 'inbox-list');
    await page.getByTestId('inbox-row').first().click();
    await page.getByTestId('thread-message').nth(1).waitFor();
    const kinds = await page
      .getByTestId('thread')
      .locator('[data-channel-kind]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-channel-kind')));
    expect(kinds).toEqual(['whatsapp', 'email']);
    await page.getByTestId('customer-sidebar').waitFor();
    await page.locator('[data-testid="sla-badge"][data-status="running"]').waitFor();
    await screenshot(page, 'inbox-conversation');
  });

  it('lets the agent go online; nothing is at risk yet', async () => {
    await page.getByTestId('presence-toggle').getByText('Online').click();
    await page.locator('[data-testid="presence-toggle"][data-presence="online"]').waitFor();
    const users = await api<{ data: Array<{ id: string; email: string }> }>('GET', '/v1/users');
    const me = users.data.find((u) => u.email === server.email)!;
    const agent = await api<{ presence: string }>('GET', `/v1/agents/${me.id}`);
    expect(agent.presence).toBe('online');

    await page.getByTestId('inbox-view-sla_at_risk').click();
    await page.getByText('No conversations here').waitFor();
    await page.getByTestId('inbox-view-all').click();
    await page.getByTestId('inbox-row').first().click();
    await page.getByTestId('thread-message').nth(1).waitFor();
  });

  it('shows a colleague viewing the conversation that the agent is replying', async () => {
    colleagueContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US' });
    const colleague = await colleagueContext.newPage();
    await signIn(colleague, COLLEAGUE.email, COLLEAGUE.password);
    await colleague.getByTestId('nav-inbox').waitFor();
    await colleague.goto(`${server.url}/inbox?view=all&c=${conversationId}`);
    await colleague.getByTestId('thread-message').nth(1).waitFor();

    // She keeps typing until the signal arrives (the colleague's "view" may reach the hub after her first key).
    await page.getByTestId('composer-text').click();
    await expect
      .poll(
        async () => {
          await page.keyboard.type('.');
          return colleague.getByTestId('collision-indicator').textContent();
        },
        { timeout: 20_000 },
      )
      .toMatch(/ is replying$/);
    expect(await page.getByTestId('collision-indicator').count()).toBe(0);
    await screenshot(colleague, 'inbox-collision');
    await page.getByTestId('composer-text').fill('');
  });

  it('replies on the last channel, adds a note, assigns and resolves', async () => {
    await page.getByTestId('composer-text').fill('Hi Lucía, your order left the warehouse today.');
    await page.getByTestId('composer-send').click();
    await page.getByTestId('thread-message').nth(2).waitFor();
    await expect.poll(() => mails.length, { timeout: 15_000 }).toBe(1);
    expect(mails[0]).toContain('your order left the warehouse today');
    expect(mails[0]).toContain(EMAIL);

    await page.getByTestId('composer-mode').getByText('Private note').click();
    await page.getByTestId('composer-text').fill('Courier confirmed delivery for Friday.');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('thread-note').waitFor();
    await screenshot(page, 'inbox-reply-and-note');

    await page.getByTestId('pane-assign-me').click();
    await page.getByTestId('pane-assignee').getByText('Assigned to').waitFor();
    await page.getByTestId('pane-resolve').click();
    await page.getByTestId('pane-status').getByText('Resolved').waitFor();

    const conversation = await api<{ status: string; assignee_id: string | null }>(
      'GET',
      `/v1/conversations/${conversationId}`,
    );
    expect(conversation.status).toBe('resolved');
    expect(conversation.assignee_id).not.toBeNull();
    const messages = await api<{
      data: Array<{ kind: string; direction: string; channel_kind: string | null }>;
    }>('GET', `/v1/conversations/${conversationId}/messages`);
    expect(messages.data.map((m) => `${m.kind}:${m.direction}:${m.channel_kind ?? '-'}`)).toEqual([
      'note:out:-',
      'message:out:email',
      'message:in:email',
      'message:in:whatsapp',
    ]);

    await page.keyboard.press('?');
    await page.getByTestId('shortcuts-help').getByText('Next conversation').waitFor();
    await screenshot(page, 'inbox-shortcuts');
    await page.keyboard.press('Escape');
  });

  it('transfers the conversation to a team with a note', async () => {
    await page.getByTestId('pane-transfer').click();
    await page.getByTestId('transfer-target').getByText('Team').click();
    await page.getByTestId('transfer-select').click();
    await page.getByRole('option', { name: 'Tier 2' }).click();
    await page.getByTestId('transfer-note').fill('Refund question: Tier 2 handles these.');
    await page.getByTestId('transfer-submit').click();
    await page.getByTestId('thread-note').getByText('Refund question').waitFor();
    await page.getByTestId('team-badge').getByText('Team Tier 2').waitFor();
    const teams = await api<{ data: Array<{ id: string; name: string }> }>('GET', '/v1/teams');
    const conversation = await api<{ team_id: string | null }>('GET', `/v1/conversations/${conversationId}`);
    expect(conversation.team_id).toBe(teams.data.find((t) => t.name === 'Tier 2')!.id);
  });

  it('reports the real figures, and reads in Spanish and Russian', async () => {
    await page.getByTestId('inbox-tab-reports').click();
    await page.getByTestId('reports-period').waitFor();
    await expect.poll(() => page.getByTestId('report-total-conversations').textContent()).toBe('1');
    expect(await page.getByTestId('report-total-inbound').textContent()).toBe('2');
    // The conversation counts under the channel the customer first wrote on; it was answered and resolved.
    const row = page.locator(`[data-testid="report-row"][data-key="${whatsappId}"]`);
    expect(await row.getByTestId('report-row-conversations').textContent()).toBe('1');
    expect(await row.getByTestId('report-row-inbound').textContent()).toBe('2');
    expect(await row.getByTestId('report-row-first-response').textContent()).not.toBe('—');
    expect(await page.getByTestId('report-total-sla').textContent()).toBe('100%');
    await screenshot(page, 'inbox-reports');
    for (const [language, resolved] of [
      ['es', 'Resuelta'],
      ['ru', 'Решён'],
    ] as const) {
      await page.getByTestId('language-switcher').click();
      await page.getByTestId(`language-option-${language}`).click();
      await page.goto(`${server.url}/inbox?view=all&c=${conversationId}`);
      await page.getByTestId('pane-status').getByText(resolved).waitFor();
      await page.getByTestId('thread-note').first().waitFor();
      await screenshot(page, `inbox-conversation-${language}`);
      await page.goto(`${server.url}/inbox/reports`);
      await page.getByTestId('report-row').waitFor();
      await screenshot(page, `inbox-reports-${language}`);
    }
    await page.getByTestId('language-switcher').click();
    await page.getByTestId('language-option-en').click();
  });

  it('mentions a colleague in a note: she is told at once and finds it under Mentions', async () => {
    // Her tab from before still shows this conversation, which would read the mention at once: close it.
    for (const open of colleagueContext!.pages()) await open.close();
    const colleague = await colleagueContext!.newPage();
    await colleague.goto(`${server.url}/inbox?view=all`);
    await colleague.getByTestId('inbox-view-mentions').waitFor();

    await page.goto(`${server.url}/inbox?view=all&c=${conversationId}`);
    await page.getByTestId('thread-note').first().waitFor();
    await page.getByTestId('composer-mode').getByText('Private note').click();
    await page.getByTestId('composer-text').fill('@Ana');
    await page.getByTestId('mention-picker').getByText('Ana Agent').waitFor();
    await screenshot(page, 'inbox-mention-autocomplete');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('composer-text').inputValue()).toBe('@Ana Agent ');
    await page.keyboard.type('can you check the refund?');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('thread-note').getByText('can you check the refund?').waitFor();

    await colleague.getByTestId('mention-alert').waitFor({ timeout: 15_000 });
    expect(await colleague.getByTestId('mention-alert').textContent()).toContain('Owner mentioned you');
    await expect.poll(() => colleague.getByTestId('inbox-count-mentions').textContent()).toBe('1');
    await colleague.getByTestId('inbox-view-mentions').click();
    await colleague.getByTestId('inbox-row-mention').waitFor();
    await screenshot(colleague, 'inbox-mentions-view');
    await colleague.getByTestId('inbox-row').first().click();
    await colleague.getByTestId('thread-note').first().waitFor();
    await expect.poll(() => colleague.getByTestId('inbox-count-mentions').textContent()).toBe('0');
    await colleague.close();
  });

  it('makes a canned response in Settings and inserts it with / filled with the customer’s name', async () => {
    await page.goto(`${server.url}/settings/canned-responses`);
    await page.getByTestId('canned-create').click();
    await page.getByTestId('canned-shortcut').fill('thanks');
    await page.getByTestId('canned-title').fill('Thanks');
    await page.getByTestId('canned-body').fill('Thanks {{customer.age}}');
    await page.getByTestId('canned-save').click();
    await page.getByText('unknown variable {{customer.age}}').waitFor();
    await page
      .getByTestId('canned-body')
      .fill('Thanks {{customer.first_name}}, I have looked at order {{order.number}}.');
    await page.getByTestId('canned-tab-es').click();
    await page.getByTestId('canned-body').fill('Gracias {{customer.first_name}}.');
    await page.getByTestId('canned-save').click();
    await page.getByTestId('canned-row').getByText('/thanks').waitFor();
    await screenshot(page, 'settings-canned-responses');

    await page.goto(`${server.url}/inbox?view=all&c=${conversationId}`);
    await page.getByTestId('composer-text').fill('/tha');
    await page.getByTestId('canned-picker').getByText('/thanks').waitFor();
    await screenshot(page, 'inbox-canned-picker');
    await page.keyboard.press('Enter');
    // Lucía has no language on file: English, her first name filled by the server, no order yet.
    await expect
      .poll(() => page.getByTestId('composer-text').inputValue())
      .toBe('Thanks Lucía, I have looked at order .');
    await page.getByTestId('composer-text').fill('');
  });

  it('splits a message off into a new conversation and merges the old one back from the sidebar', async () => {
    await page.goto(`${server.url}/inbox?view=all&c=${conversationId}`);
    const count = await (async () => {
      await page.getByTestId('thread-note').first().waitFor();
      return (await api<{ data: unknown[] }>('GET', `/v1/conversations/${conversationId}/messages`)).data
        .length;
    })();
    await page.getByTestId('message-menu').last().click();
    await page.getByTestId('message-split').click();
    await page.waitForURL((url) => !url.search.includes(conversationId));
    const splitId = new URL(page.url()).searchParams.get('c')!;
    expect(
      (await api<{ data: unknown[] }>('GET', `/v1/conversations/${splitId}/messages`)).data,
    ).toHaveLength(1);

    await page.getByTestId('sidebar-history-row').first().waitFor();
    await page.getByTestId('sidebar-merge').first().click();
    await screenshot(page, 'inbox-merge-confirm');
    await page.getByTestId('sidebar-merge-confirm').click();
    await expect
      .poll(async () => (await api<{ status: string }>('GET', `/v1/conversations/${conversationId}`)).status)
      .toBe('merged');
    await expect.poll(() => page.getByTestId('thread').locator('[data-direction]').count()).toBe(count);
    await screenshot(page, 'inbox-merged');
    await page.goto(`${server.url}/inbox?view=all&c=${conversationId}`);
    await page.getByTestId('pane-merged').waitFor();
    expect(await page.getByTestId('composer').count()).toBe(0);
    await screenshot(page, 'inbox-merged-source');
    await page.getByTestId('pane-merged-open').click();
    await page.waitForURL((url) => url.search.includes(splitId));
  });

  it('undoes the merge from the merged conversation: its messages come back and it can be answered again', async () => {
    const splitOff = (await api<{ merged_into_id: string }>('GET', `/v1/conversations/${conversationId}`))
      .merged_into_id;
    const survivorBefore = (await api<{ data: unknown[] }>('GET', `/v1/conversations/${splitOff}/messages`))
      .data.length;
    await page.goto(`${server.url}/inbox?view=all&c=${conversationId}`);
    await page.getByTestId('pane-unmerge').click();
    await page.getByTestId('pane-unmerge-confirm').waitFor();
    await screenshot(page, 'inbox-unmerge-confirm');
    await page.getByTestId('pane-unmerge-confirm').click();
    await page.getByTestId('composer').waitFor();
    expect(await page.getByTestId('pane-merged').count()).toBe(0);
    const restored = await api<{ status: string; merged_into_id: string | null }>(
      'GET',
      `/v1/conversations/${conversationId}`,
    );
    expect(restored).toMatchObject({ merged_into_id: null });
    expect(restored.status).not.toBe('merged');
    const back = (await api<{ data: unknown[] }>('GET', `/v1/conversations/${conversationId}/messages`)).data;
    expect(back.length).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('thread').locator('[data-direction]').count()).toBe(back.length);
    expect(
      (await api<{ data: unknown[] }>('GET', `/v1/conversations/${splitOff}/messages`)).data.length,
    ).toBe(survivorBefore - back.length);
    await screenshot(page, 'inbox-unmerged');
  });
});
