/**
 * @module Meta's webhook: `GET /hooks/meta/:channel` answers the verification handshake (hub.challenge, only
 * with the channel's verify token) and `POST /hooks/meta/:channel` takes signed notifications. The signature
 * covers the exact bytes Meta sent, so this scope keeps JSON bodies raw and checks X-Hub-Signature-256 before
 * reading a field; a bad or missing signature is refused and nothing is stored. Each message in the body is
 * stored as its own delivery before Meta gets its 200.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../../platform/errors';
import { strictObject } from '../../../platform/http/schemas';
import type { MetaChannel } from './index';
import { sameSecret, verifyMetaSignature } from './meta.signature';
import { metaObjectOf, splitMetaWebhook } from './meta.webhook';

/** Meta's notifications are small; a body this large is not one. */
const BODY_LIMIT = 1024 * 1024;

export function metaHooksRoutes(meta: MetaChannel): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );
    const params = strictObject({ channel: Type.String({ minLength: 1, maxLength: 64 }) });

    app.get(
      '/hooks/meta/:channel',
      {
        config: { access: 'public' },
        schema: {
          tags: ['hooks'],
          summary: 'Meta webhook verification: answers hub.challenge when hub.verify_token is the channel’s',
          params,
          querystring: Type.Object({
            'hub.mode': Type.Optional(Type.String({ maxLength: 32 })),
            'hub.verify_token': Type.Optional(Type.String({ maxLength: 512 })),
            'hub.challenge': Type.Optional(Type.String({ maxLength: 512 })),
          }),
          response: { 200: Type.String() },
        },
      },
      async (request, reply) => {
        const { channel, secrets } = await meta.metaChannel(request.params.channel);
        const q = request.query;
        const expected = secrets.verify_token;
        if (q['hub.mode'] !== 'subscribe' || !expected || !sameSecret(expected, q['hub.verify_token'])) {
          request.log.warn(
            { channel_id: channel.id },
            'Meta verification refused: wrong hub.verify_token or mode',
          );
          throw new AppError('forbidden', 'hub.verify_token does not match this channel’s verify token.');
        }
        return reply.type('text/plain').send(q['hub.challenge'] ?? '');
      },
    );

    app.post(
      '/hooks/meta/:channel',
      {
        config: { access: 'public' },
        schema: {
          tags: ['hooks'],
          summary:
            'Meta notifications (Messenger, Instagram, WhatsApp Cloud), X-Hub-Signature-256 over the raw body',
          params,
          response: {
            200: Type.Object({
              received: Type.Integer({ description: 'messages stored (new or already known)' }),
              duplicates: Type.Integer(),
              statuses: Type.Integer({ description: 'delivery reports applied' }),
            }),
          },
        },
      },
      async (request) => {
        const { channel, secrets } = await meta.metaChannel(request.params.channel);
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const secret = secrets.app_secret;
        const header = request.headers['x-hub-signature-256'];
        const signature = typeof header === 'string' ? header : undefined;
        if (!signature)
          throw new AppError('unauthenticated', 'X-Hub-Signature-256 is required on Meta notifications.');
        if (!secret || !verifyMetaSignature(secret, signature, raw)) {
          request.log.warn(
            { channel_id: channel.id },
            'Meta webhook refused: X-Hub-Signature-256 does not match',
          );
          throw new AppError(
            'forbidden',
            'The X-Hub-Signature-256 does not match this channel’s app secret.',
          );
        }
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new AppError('malformed_json', 'The notification is not valid JSON.', {
            errors: [{ field: 'body', message: 'is not valid JSON' }],
          });
        }
        const hook = splitMetaWebhook(body);
        const expected = metaObjectOf[channel.kind as keyof typeof metaObjectOf];
        if (hook.object !== expected) {
          // Answered 200 all the same: Meta would otherwise retry a subscription set up on the wrong channel.
          request.log.warn(
            { channel_id: channel.id, object: hook.object },
            'Meta notification for another object ignored',
          );
          return { received: 0, duplicates: 0, statuses: 0 };
        }
        let duplicates = 0;
        for (const { providerMessageId, delivery } of hook.deliveries) {
          const result = await meta.acceptInbound(channel, {
            providerMessageId,
            payload: Buffer.from(JSON.stringify(delivery)),
            // Who wrote it, kept beside the raw delivery so erasure finds it even if processing fails.
            sender:
              delivery.object === 'whatsapp_business_account'
                ? `+${String(delivery.message.from ?? '').replace(/^\+/, '')}`
                : (delivery.event.sender?.id ?? null),
          });
          if (result.duplicate) duplicates++;
        }
        let statuses = 0;
        for (const s of hook.statuses)
          if (await meta.recordDelivery(channel.id, s.providerMessageId, s.status, s.error)) statuses++;
        return { received: hook.deliveries.length, duplicates, statuses };
      },
    );
  };
}
