/**
 * @module Test peers and factories for the messaging-app channels: a real HTTP server on loopback that plays a
 * provider's API (Graph API, Bot API) and records every request, Meta channels made through the channels
 * service, and notifications signed with node:crypto exactly as Meta documents (there is no signing package).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from '../../../../test/harness';
import { testActor, unique } from '../../conversations/conversation.test-support';

export interface PeerRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json: Record<string, unknown> | null;
}

export interface PeerAnswer {
  status?: number;
  json?: unknown;
  body?: Buffer;
  contentType?: string;
}

/** A real HTTP server on loopback: `answer` plays the provider, `requests` records what it was sent. */
export async function recordingPeer(answer: (req: PeerRequest, peerUrl: string) => PeerAnswer) {
  const requests: PeerRequest[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let json: Record<string, unknown> | null = null;
      if (req.headers['content-type']?.includes('json')) json = JSON.parse(body.toString('utf8'));
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
      requests.push(recorded);
      const out = answer(recorded, url);
      const payload = out.body ?? Buffer.from(JSON.stringify(out.json ?? {}));
      res.writeHead(out.status ?? 200, {
        'content-type': out.contentType ?? 'application/json',
        'content-length': payload.length,
      });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const APP_SECRET = 'meta-app-secret-0123456789abcdef';
export const VERIFY_TOKEN = 'meta-verify-token';
export const ACCESS_TOKEN = 'EAAG-meta-access-token';

export async function aMetaChannel(
  t: TestContext,
  kind: 'messenger' | 'instagram' | 'whatsapp',
  config: Record<string, unknown> = {},
) {
  return t.omnis.services.channels.createChannel(
    {
      kind,
      name: unique(`${kind} (Meta) `),
      config:
        kind === 'whatsapp'
          ? { provider: 'meta', phone_number_id: '106540352242922', ...config }
          : { page_id: '1122334455', ...config },
      secrets: { app_secret: APP_SECRET, verify_token: VERIFY_TOKEN, access_token: ACCESS_TOKEN },
    },
    testActor,
  );
}

/** Meta's X-Hub-Signature-256 of a body: `sha256=` + hex HMAC-SHA256 keyed with the app secret. */
export const signMeta = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

/** POSTs a notification to the app as Meta does: JSON, signed over the exact bytes sent. */
export async function postMeta(
  t: TestContext,
  channelId: string,
  notification: unknown,
  options: { signature?: string | null; secret?: string } = {},
) {
  const body = JSON.stringify(notification);
  const signature = options.signature === undefined ? signMeta(body, options.secret) : options.signature;
  return t.omnis.app.inject({
    method: 'POST',
    url: `/hooks/meta/${channelId}`,
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
    payload: body,
  });
}

let mid = 0;
export const aMid = () => `m_${(++mid).toString(36)}${Date.now().toString(36)}-AbCdEf`;
export const aWamid = () => `wamid.HBgL${(++mid).toString(36)}${Date.now().toString(36)}`;
