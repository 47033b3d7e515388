/**
 * @module `POST /hooks/email/:channel`: a raw RFC 822 message handed over by a mail service. The channel's
 * `hook_token` secret is required (HTTP Basic password or Bearer): without a signature scheme, a shared secret is
 * what keeps strangers from posting mail as anyone.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../../platform/errors';
import { strictObject } from '../../../platform/http/schemas';
import { InboundAckSchema } from '../../conversations';
import type { EmailChannel } from './index';

const RAW_TYPES = ['message/rfc822', 'text/plain', 'application/octet-stream'];

function tokenOf(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value] = header.split(' ', 2);
  if (scheme?.toLowerCase() === 'bearer') return value ?? null;
  if (scheme?.toLowerCase() === 'basic' && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return null;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function emailHooksRoutes(email: EmailChannel, maxBytes: number): FastifyPluginAsyncTypebox {
  return async (app) => {
    for (const type of RAW_TYPES)
      app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) =>
        done(null, body),
      );
    app.post(
      '/hooks/email/:channel',
      {
        bodyLimit: maxBytes,
        config: { access: 'public' },
        schema: {
          tags: ['hooks'],
          summary:
            'Inbound email as raw RFC 822 (message/rfc822); the channel’s hook_token as Bearer or Basic password',
          params: strictObject({ channel: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: { 200: InboundAckSchema },
        },
      },
      async (request) => {
        const { channel, secrets } = await email.emailChannel(request.params.channel);
        const expected = secrets.hook_token;
        const given = tokenOf(request.headers.authorization);
        if (!expected || !given || !same(given, expected)) {
          request.log.warn(
            { channel_id: channel.id },
            'inbound email hook refused: bad or missing hook token',
          );
          throw new AppError('forbidden', 'The hook token is missing or wrong for this channel.');
        }
        if (!Buffer.isBuffer(request.body) || request.body.length === 0)
          throw new AppError('validation_failed', 'Send the raw message as message/rfc822.', {
            errors: [{ field: 'body', message: 'must be a raw RFC 822 message' }],
          });
        try {
          return await email.accept(channel, request.body);
        } catch (err) {
          if (err instanceof AppError)
            request.log.warn({ channel_id: channel.id, err: err.message }, 'inbound email refused');
          throw err;
        }
      },
    );
  };
}
