/**
 * The contact centre's whole story (issue 6, "Done when") in a real browser against one real server with the demo
 * data. Lucía, who has an account at Alba with her email and mobile, chats on the web widget in /shop; later she
 * emails customer care (handed to the server's own SMTP listener by nodemailer, as a mail server would); later she
 * texts on WhatsApp (a Twilio webhook signed with the official `twilio` package). The agent signs in to the console
 * and finds ONE conversation with the three channels interleaved. Her reply leaves on WhatsApp, the channel Lucía
 * last used, and reaches a Twilio peer on loopback; she switches the composer to email and the next reply reaches
 * an SMTP peer on loopback. Provider peers are real servers speaking Twilio's REST API and SMTP.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  demoCredentials,
  launchBrowser,
  screenshot,
  startServer,
  type Api,
  type RunningServer,
} from './support';

/** The demo's made-up provider credentials (server/src/demo/demo-data.ts): what Twilio would sign with. */
const DEMO_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000a1ba00';
const DEMO_TWILIO_AUTH_TOKEN = 'alba-demo-twilio-auth-token';
const CARE_ADDRESS = 'hola@alba-home.example';
const AGENT = 'agent@alba-home.example';
const EMAIL = 'lucia.story@example.com';
const PHONE = '+34612000888';

interface Channel {
  id: string;
  kind: string;
  name: string;
  config: Record<string, unknown>;
}
interface Message {
  kind: string;
  direction: string;
  channel_kind: string | null;
  text: string | null;
}

/** A free loopback port for the server's SMTP listener (asked of the OS, then released). */
async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('contact centre story', () => {
  let server: RunningServer;
  let browser: Browser;
  let api: Api;
  const contexts: BrowserContext[] = [];
  let smtpPeer: SMTPServer;
  let twilioPeer: Server;
  let smtpListenerPort = 0;
  /** What the outbound relay received (raw RFC 822) and what Twilio's Messages resource was asked to send. */
  const mails: string[] = [];
  const texts: Array<{ path: string; auth: string; form: URLSearchParams }> = [];
  let channels: Channel[] = [];
  let customerId = '';
  let conversationId = '';
  let staffPassword = '';
  let shopKey = '';

  async function device(locale: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale });
    contexts.push(context);
    return context.newPage();
  }

  const channel = (kind: string) => channels.find((c) => c.kind === kind)!;

  /** Lucía's conversations, and the messages of the one she has, once `count` of her messages are stored. */
  async function herMessages(count: number): Promise<Message[]> {
    let messages: Message[] = [];
    await expect
      .poll(async () => {
        const list = await api<{ data: Array<{ id: string; customer_id: string }> }>(
          'GET',
          '/v1/conversations?view=all&limit=100',
        );
        const hers = list.data.filter((c) => c.customer_id === customerId);
        if (hers.length !== 1) return hers.length;
        conversationId = hers[0]!.id;
        messages = (
          await api<{ data: Message[] }>('GET', `/v1/conversations/${conversationId}/messages?limit=100`)
        ).data;
        return messages.filter((m) => m.direction === 'in').length >= count ? 1 : 0;
      })
      .toBe(1);
    return messages;
  }

  beforeAll(async () => {
    smtpPeer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          mails.push(data);
          callback();
        });
      },
    });
    // Twilio's Messages resource as Twilio answers it: 201 with the new message's SID.
    twilioPeer = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        texts.push({
          path: req.url ?? '',
          auth: req.headers.authorization ?? '',
          form: new URLSearchParams(body),
        });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: `SM${String(texts.length).padStart(32, '0')}`, status: 'queued' }));
      });
    });
    await Promise.all([
      new Promise<void>((resolve) => smtpPeer.listen(0, '127.0.0.1', resolve)),
      new Promise<void>((resolve) => twilioPeer.listen(0, '127.0.0.1', resolve)),
    ]);
    smtpListenerPort = await freePort();
    // The server under test talks to the peers above: its environment points it there.
    Object.assign(process.env, {
      OMNIS_SMTP_HOST: '127.0.0.1',
      OMNIS_SMTP_PORT: String(smtpListenerPort),
      OMNIS_EMAIL_RELAY_URL: `smtp://127.0.0.1:${(smtpPeer.server.address() as AddressInfo).port}`,
      OMNIS_TWILIO_API_BASE_URL: `http://127.0.0.1:${(twilioPeer.address() as AddressInfo).port}`,
    });
    [server, browser] = await Promise.all([startServer(['--demo']), launchBrowser()]);
    api = apiClient(server);
    ({ staffPassword, webShopKey: shopKey } = demoCredentials(server));
    expect(staffPassword).not.toBe('');
    channels = (await api<{ data: Channel[] }>('GET', '/v1/channels?limit=100')).data;
    // Lucía has an account at the shop with her email and mobile: every channel she uses leads to her.
    customerId = (
      await api<{ customer: { id: string } }>('POST', '/v1/customers', {
        identifiers: [
          { type: 'email', value: EMAIL },
          { type: 'phone', value: PHONE },
          { type: 'whatsapp', value: PHONE },
        ],
        first_name: 'Lucía',
        last_name: 'Navarro',
        locale: 'es',
      })
    ).customer.id;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
    await new Promise<void>((resolve) => smtpPeer?.close(() => resolve()));
    await new Promise((resolve) => twilioPeer?.close(resolve));
    for (const key of [
      'OMNIS_SMTP_HOST',
      'OMNIS_SMTP_PORT',
      'OMNIS_EMAIL_RELAY_URL',
      'OMNIS_TWILIO_API_BASE_URL',
    ])
      delete process.env[key];
  });

  it('Lucía chats on the web widget in the shop', async () => {
    expect(channel('web').config.webchat_channel_id).toBe(channel('webchat').id);
    const page = await device('es-ES');
    await page.goto(`${server.url}/shop?key=${shopKey}`);
    await page.getByRole('button', { name: 'Chatea con nosotros' }).click();
    await page.getByPlaceholder('Nombre').fill('Lucía Navarro');
    await page.getByPlaceholder('Correo electrónico').fill(EMAIL);
    await page.getByRole('button', { name: 'Empezar el chat' }).click();
    const input = page.getByPlaceholder('Escribe un mensaje…');
    await input.fill('Hola, ¿la chaqueta vaquera talla M llega antes del viernes?');
    await input.press('Enter');
    const messages = await herMessages(1);
    expect(messages.find((m) => m.direction === 'in')).toMatchObject({ channel_kind: 'webchat' });
    await screenshot(page, 'contact-centre-widget');
  });

  it('later she emails customer care through the SMTP listener', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpListenerPort,
      secure: false,
      ignoreTLS: true,
    });
    const info = await transport.sendMail({
      from: `Lucía Navarro <${EMAIL}>`,
      to: CARE_ADDRESS,
      subject: 'Chaqueta vaquera',
      text: 'Os escribo también por correo: necesito la chaqueta para el sábado.',
    });
    transport.close();
    expect(info.accepted).toEqual([CARE_ADDRESS]);
    const messages = await herMessages(2);
    expect(messages.filter((m) => m.direction === 'in').map((m) => m.channel_kind)).toContain('email');
  });

  it('later she texts on WhatsApp (a webhook Twilio signed)', async () => {
    const whatsapp = channel('whatsapp');
    const url = `${server.url}/hooks/twilio/${whatsapp.id}`;
    const params = {
      MessageSid: `SM${'7'.repeat(32)}`,
      AccountSid: DEMO_TWILIO_ACCOUNT_SID,
      From: `whatsapp:${PHONE}`,
      To: `whatsapp:${String(whatsapp.config.from)}`,
      Body: '¿Me avisáis por aquí cuando salga?',
      NumMedia: '0',
      ProfileName: 'Lucía',
    };
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(DEMO_TWILIO_AUTH_TOKEN, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const messages = await herMessages(3);
    // Newest first: WhatsApp, then email, then the web chat — all in her one conversation.
    expect(messages.filter((m) => m.direction === 'in').map((m) => m.channel_kind)).toEqual([
      'whatsapp',
      'email',
      'webchat',
    ]);
  });

  it('the agent sees one conversation with the three channels and replies on WhatsApp, then by email', async () => {
    const page = await device('en-US');
    // An agent's desk asks only for what her role may read: a refused request is an error in her browser's log.
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 403) refused.push(response.url());
    });
    await page.goto(server.url);
    await page.getByTestId('signin-email').fill(AGENT);
    await page.getByTestId('signin-password').fill(staffPassword);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('inbox-row').first().waitFor();
    await page.goto(`${server.url}/inbox?view=all&c=${conversationId}`);
    const thread = page.getByTestId('thread');
    await thread.locator('[data-direction="in"][data-channel-kind="whatsapp"]').waitFor();
    const kinds = await thread
      .locator('[data-direction="in"][data-channel-kind]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-channel-kind')));
    expect(kinds).toEqual(['webchat', 'email', 'whatsapp']);
    await page.getByTestId('customer-sidebar').getByText('Lucía').first().waitFor();
    await screenshot(page, 'contact-centre-inbox');
    // Agents do not read analytics: no Reports tab that would only answer "no access".
    await page.getByTestId('inbox-tab-desk').waitFor();
    expect(await page.getByTestId('inbox-tab-reports').count()).toBe(0);
    expect(refused).toEqual([]);

    // The reply goes where Lucía last wrote: WhatsApp, through Twilio's REST API.
    await page.getByTestId('composer-text').fill('¡Hola Lucía! Sale hoy y llega el jueves.');
    await page.getByTestId('composer-send').click();
    await expect.poll(() => texts.length).toBe(1);
    expect(texts[0]!.path).toBe(`/2010-04-01/Accounts/${DEMO_TWILIO_ACCOUNT_SID}/Messages.json`);
    expect(texts[0]!.auth).toBe(
      `Basic ${Buffer.from(`${DEMO_TWILIO_ACCOUNT_SID}:${DEMO_TWILIO_AUTH_TOKEN}`).toString('base64')}`,
    );
    expect(texts[0]!.form.get('To')).toBe(`whatsapp:${PHONE}`);
    expect(texts[0]!.form.get('Body')).toBe('¡Hola Lucía! Sale hoy y llega el jueves.');
    expect(mails).toHaveLength(0);

    // She switches the composer to email for the written confirmation.
    await page.getByTestId('composer-channel').click();
    await page.getByRole('option', { name: channel('email').name }).click();
    await page
      .getByTestId('composer-text')
      .fill('Te confirmo por correo: entrega el jueves antes de las 14:00.');
    await page.getByTestId('composer-send').click();
    await expect.poll(() => mails.length).toBe(1);
    expect(mails[0]).toContain(EMAIL);
    expect(mails[0]).toContain(CARE_ADDRESS);
    expect(mails[0]).toMatch(/entrega el jueves/);
    expect(texts).toHaveLength(1);
    await thread.locator('[data-direction="out"][data-channel-kind="email"]').waitFor();
    await screenshot(page, 'contact-centre-replies');

    const messages = (
      await api<{ data: Message[] }>('GET', `/v1/conversations/${conversationId}/messages?limit=100`)
    ).data.filter((m) => m.kind === 'message');
    expect(messages.map((m) => `${m.direction}:${m.channel_kind}`).slice(0, 2)).toEqual([
      'out:email',
      'out:whatsapp',
    ]);
  });
});
