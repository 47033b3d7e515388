/**
 * The web chat widget in a real browser: a shop's page on another origin (`<html lang="es">`, with CSS that
 * would restyle every button) embeds `/widget.js` with a web chat channel's publishable key. The visitor opens the
 * chat in Spanish, gives her name and email in the pre-chat form and asks about a size; an agent signed in to the
 * console sees the message arrive live on `/v1/realtime`, replies through the API, and the reply appears in the
 * widget. The page's styles do not reach inside the widget. Once the agent resolves the chat, the CSAT survey
 * shows as a row of five stars with a comment box: she rates 4, comments, sends, and the thanks replaces the scale
 * (the report counts it for the channel). With nobody available, a visitor whose pre-chat form
 * gave her email is told the reply will go there instead of being asked for it again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { launchBrowser, screenshot, startServer, type RunningServer } from './support';

describe('web chat widget', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let shopSite: Server;
  let shopUrl = '';
  let agentToken = '';
  let chatChannelId = '';
  let firstConversationId = '';
  const live: Array<{ type: string; event?: { type: string; data: Record<string, unknown> } }> = [];
  let agentSocket: WebSocket;

  async function api<T>(path: string, body: object, token = server.apiKey): Promise<T> {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  async function eventually<T>(what: string, find: () => T | undefined): Promise<T> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const channel = await api<{ id: string }>('/v1/channels', { kind: 'webchat', name: 'Web chat' });
    chatChannelId = channel.id;
    const { key } = await api<{ key: string }>('/v1/api-keys', {
      kind: 'publishable',
      name: 'Chat widget',
      channel_id: channel.id,
    });
    agentToken = (
      await api<{ token: string }>('/v1/auth/login', { email: server.email, password: server.password }, '')
    ).token;
    // The agent has the console open: her live stream is what makes her "available".
    agentSocket = new WebSocket(
      `${server.url.replace(/^http/, 'ws')}/v1/realtime?access_token=${encodeURIComponent(agentToken)}`,
    );
    agentSocket.on('message', (raw) => live.push(JSON.parse(String(raw)) as (typeof live)[number]));
    await eventually('the agent’s stream', () => live.find((m) => m.type === 'ready'));

    shopSite = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="es"><head><title>Tienda</title>
<style>button { background: red !important; font-size: 40px !important; } body { font-family: serif; }</style>
</head><body><h1>Tienda de ejemplo</h1><p>Chaquetas, camisetas y más.</p>
<script src="${server.url}/widget.js" data-key="${key}"></script></body></html>`);
    });
    await new Promise<void>((resolve) => shopSite.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(shopSite.address() as AddressInfo).port}/`;
    page = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
  }, 90_000);

  afterAll(async () => {
    agentSocket?.terminate();
    await browser?.close();
    await new Promise((resolve) => shopSite?.close(resolve));
    await server?.stop();
  });

  it('a visitor chats in Spanish from a shop’s page and the agent’s reply appears in the widget', async () => {
    await page.goto(shopUrl);
    const launcher = page.getByRole('button', { name: 'Chatea con nosotros' });
    // The shop's CSS restyles every button on its page, but not the widget's (it lives in a shadow root).
    const launcherColour = await launcher.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(launcherColour).not.toBe('rgb(255, 0, 0)');
    await launcher.click();

    await page.getByPlaceholder('Nombre').fill('Lucía Fernández');
    await page.getByPlaceholder('Correo electrónico').fill('lucia.webchat@example.com');
    await page.getByRole('button', { name: 'Empezar el chat' }).click();
    const input = page.getByPlaceholder('Escribe un mensaje…');
    await input.fill('Hola, ¿tenéis la chaqueta vaquera en talla M?');
    await input.press('Enter');

    const received = await eventually('message.received on the agent’s stream', () =>
      live.find((m) => m.event?.type === 'message.received'),
    );
    const conversationId = String(received.event!.data.conversation_id);
    firstConversationId = conversationId;
    const conversation = await fetch(`${server.url}/v1/conversations/${conversationId}`, {
      headers: { authorization: `Bearer ${agentToken}` },
    }).then((r) => r.json() as Promise<{ customer_id: string }>);
    const customer = await fetch(`${server.url}/v1/customers/${conversation.customer_id}`, {
      headers: { authorization: `Bearer ${agentToken}` },
    }).then((r) => r.json() as Promise<{ emails: string[]; first_name: string | null }>);
    expect(customer.emails).toContain('lucia.webchat@example.com');

    await api(
      `/v1/conversations/${conversationId}/messages`,
      { text: '¡Hola Lucía! Sí, nos quedan dos en talla M.' },
      agentToken,
    );
    await page.getByText('¡Hola Lucía! Sí, nos quedan dos en talla M.').waitFor();
    await expect(page.getByText('Solemos responder en pocos minutos').isVisible()).resolves.toBe(true);
    await screenshot(page, 'webchat-widget');
  });

  it('after the agent resolves the chat, the visitor rates it 4 stars with a comment in the widget and sees the thanks', async () => {
    const enable = await fetch(`${server.url}/v1/bot-settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ csat_enabled: true }),
    });
    expect(enable.status, await enable.text()).toBe(200);
    const since = new Date(Date.now() - 3_600_000).toISOString();
    await api(`/v1/conversations/${firstConversationId}/status`, { status: 'resolved' }, agentToken);

    // The survey arrives as a message with a 1–5 scale under it, in the widget's language.
    const four = page.getByRole('button', { name: '4 de 5: Bien' });
    await four.waitFor();
    await expect(page.getByRole('button', { name: '5 de 5: Excelente' }).isVisible()).resolves.toBe(true);
    const send = page.getByRole('button', { name: 'Enviar valoración' });
    await expect(send.isDisabled()).resolves.toBe(true);
    await four.click();
    await expect(four.getAttribute('aria-pressed')).resolves.toBe('true');
    await page.getByPlaceholder('¿Algo más? (opcional)').fill('Muy rápidos, gracias');
    await screenshot(page, 'webchat-widget-csat-scale');
    await send.click();

    await page.getByText('¡Gracias por tu valoración!').waitFor();
    // Answered in place: the scale is gone, four stars stay lit, it cannot be sent again.
    expect(await page.getByRole('button', { name: '4 de 5: Bien' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Enviar valoración' }).count()).toBe(0);
    await expect(page.getByRole('img', { name: '4 de 5: Bien' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'webchat-widget-csat');

    // Recorded for the web chat channel: the contact-centre report counts it.
    const report = await fetch(
      `${server.url}/v1/reports/conversations?from=${since}&to=${new Date(Date.now() + 3_600_000).toISOString()}&group_by=channel`,
      { headers: { authorization: `Bearer ${agentToken}` } },
    ).then(
      (r) => r.json() as Promise<{ data: Array<{ key: string; csat: { count: number; average: number } }> }>,
    );
    expect(report.data.find((row) => row.key === chatChannelId)?.csat).toEqual({ count: 1, average: 4 });
  });

  it('with nobody available, a visitor whose pre-chat form gave her email is told where the reply goes, not asked again', async () => {
    // The only agent steps away: nobody is available for a new chat.
    const away = await fetch(`${server.url}/v1/me/presence`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ presence: 'away' }),
    });
    expect(away.status).toBe(200);
    const visitor = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
    await visitor.goto(shopUrl);
    await visitor.getByRole('button', { name: 'Chatea con nosotros' }).click();
    await visitor.getByPlaceholder('Nombre').fill('Marta Gil');
    await visitor.getByPlaceholder('Correo electrónico').fill('marta.webchat@example.com');
    await visitor.getByRole('button', { name: 'Empezar el chat' }).click();
    const input = visitor.getByPlaceholder('Escribe un mensaje…');
    await input.fill('¿Hacéis envíos a Canarias?');
    await input.press('Enter');

    await visitor
      .getByText('Ahora mismo no hay nadie disponible: te responderemos a marta.webchat@example.com.')
      .waitFor();
    // Not asked again: no email field, no "continue by email" button.
    expect(await visitor.getByPlaceholder('Correo electrónico').count()).toBe(0);
    expect(await visitor.getByRole('button', { name: 'Seguir por correo' }).count()).toBe(0);
    await screenshot(visitor, 'webchat-widget-known-email');
  });
});
