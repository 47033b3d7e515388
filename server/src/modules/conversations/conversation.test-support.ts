/**
 * @module Factories and loopback peers for contact-centre tests: email and Twilio channels made through the
 * channels service, a webhook signed with the official `twilio` package, a real HTTP peer that plays Twilio's
 * REST API and records requests, and a real SMTP peer (smtp-server) that keeps the mail it receives.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import twilio from 'twilio';
import type { TestContext } from '../../../test/harness';
import type { Actor } from '../../platform/auth/principal';

export const testActor: Actor = { type: 'system', id: null, label: 'test' };
let serial = 0;
export const unique = (prefix: string) => `${prefix}${++serial}${Date.now().toString(36)}`;

export const HOOK_TOKEN = 'hook-secret-token';
export const AUTH_TOKEN = 'twilio-auth-token-0123456789';

export async function anEmailChannel(t: TestContext, config: Record<string, unknown> = {}) {
  const address = `${unique('support')}@shop.example`;
  const channel = await t.omnis.services.channels.createChannel(
    {
      kind: 'email',
      name: unique('Email '),
      config: { address, name: 'Shop Support', ...config },
      secrets: { hook_token: HOOK_TOKEN },
    },
    testActor,
  );
  return { ...channel, address };
}

export async function aTwilioChannel(
  t: TestContext,
  kind: 'sms' | 'whatsapp',
  config: Record<string, unknown> = {},
) {
  return t.omnis.services.channels.createChannel(
    {
      kind,
      name: unique(`${kind} `),
      config: { account_sid: 'AC0123456789abcdef0123456789abcdef', from: '+14155550100', ...config },
      secrets: { auth_token: AUTH_TOKEN },
    },
    testActor,
  );
}

/** A customer known by all these identifiers (as if she had shopped before). */
export async function aCustomer(t: TestContext, identifiers: Array<{ type: string; value: string }>) {
  return (await t.omnis.services.identity.resolve({ identifiers, actor: testActor, reason: 'test' }))
    .customerId;
}

let sidSerial = 0;
export const aMessageSid = () =>
  `SM${(++sidSerial).toString(16).padStart(8, '0')}${Date.now().toString(16).padStart(24, '0')}`;

/** POSTs a Twilio webhook to the app, signed the way Twilio signs (official package), unless `signature` is given. */
export async function postTwilio(
  t: TestContext,
  path: string,
  params: Record<string, string>,
  options: { signature?: string; token?: string } = {},
) {
  const url = `http://shop.example${path}`;
  const signature =
    options.signature ?? twilio.getExpectedTwilioSignature(options.token ?? AUTH_TOKEN, url, params);
  return t.omnis.app.inject({
    method: 'POST',
    url: path,
    headers: {
      host: 'shop.example',
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    },
    payload: new URLSearchParams(params).toString(),
  });
}

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  form: Record<string, string>;
}

/** A real HTTP server on loopback answering like Twilio's Messages resource, recording every request. */
export async function twilioPeer(): Promise<{
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        form,
      });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          sid: `SMout${(++n).toString().padStart(6, '0')}${Date.now()}`,
          status: 'queued',
          to: form.To,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real SMTP server on loopback standing in for the outbound relay; keeps each message parsed. */
export async function smtpPeer(): Promise<{ url: string; mails: ParsedMail[]; close(): Promise<void> }> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function messagesOf(t: TestContext, conversationId: string) {
  const res = await t.omnis.app.inject({
    method: 'GET',
    url: `/v1/conversations/${conversationId}/messages?limit=200`,
    headers: await t.as('agent'),
  });
  return (res.json() as { data: Array<Record<string, unknown>> }).data;
}

export async function countRows(
  t: TestContext,
  table: 'inbound_messages' | 'messages' | 'conversations',
  channelId?: string,
) {
  let q = t.omnis.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (channelId) q = q.where('channel_id' as never, '=', channelId as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
