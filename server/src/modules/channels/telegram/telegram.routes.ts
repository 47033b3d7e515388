/**
 * @module Telegram's webhook: `POST /hooks/telegram/:channel` with one Update. Telegram proves itself only by
 * echoing the secret_token given to setWebhook in X-Telegram-Bot-Api-Secret-Token: missing → 401, wrong → 403,
 * compared in constant time, and nothing is stored either way. A message update is stored raw before Telegram
 * gets its 200 (deduplicated by chat and message id, so a redelivered update is one message); other updates
 * (edits, joins, callbacks) are acknowledged and left alone.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../../platform/errors';
import { Nullable, strictObject } from '../../../platform/http/schemas';
import { sameSecret } from '../meta';
import type { TelegramChannel } from './index';
import { telegramMessageKey, type TelegramUpdate } from './telegram.adapter';

/** Telegram's updates are small JSON documents; files come separately through getFile. */
const BODY_LIMIT = 1024 * 1024;

export function telegramHooksRoutes(telegram: TelegramChannel): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );

    app.post(
      '/hooks/telegram/:channel',
      {
        config: { access: 'public' },
        schema: {
          tags: ['hooks'],
          summary:
            'Telegram Bot API update (X-Telegram-Bot-Api-Secret-Token); message updates become messages',
          params: strictObject({ channel: Type.String({ minLength: 1, maxLength: 64 }) }),
          response: {
            200: Type.Object({
              stored: Type.Boolean({ description: 'false for updates that carry no customer message' }),
              duplicate: Type.Boolean(),
              message_id: Nullable(Type.String()),
              conversation_id: Nullable(Type.String()),
            }),
          },
        },
      },
      async (request) => {
        const { channel, secrets } = await telegram.telegramChannel(request.params.channel);
        const header = request.headers['x-telegram-bot-api-secret-token'];
        const given = typeof header === 'string' ? header : undefined;
        if (!given) throw new AppError('unauthenticated', 'X-Telegram-Bot-Api-Secret-Token is required.');
        const expected = secrets.secret_token;
        if (!expected || !sameSecret(expected, given)) {
          request.log.warn({ channel_id: channel.id }, 'Telegram webhook refused: wrong secret token');
          throw new AppError('forbidden', 'X-Telegram-Bot-Api-Secret-Token does not match this channel’s.');
        }
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        let update: TelegramUpdate;
        try {
          update = JSON.parse(raw.toString('utf8')) as TelegramUpdate;
        } catch {
          throw new AppError('malformed_json', 'The update is not valid JSON.', {
            errors: [{ field: 'body', message: 'is not valid JSON' }],
          });
        }
        const message = update?.message;
        if (typeof update?.update_id !== 'number')
          throw new AppError('validation_failed', 'An update needs update_id.', {
            errors: [{ field: 'body.update_id', message: 'is required' }],
          });
        if (!message?.from || message.from.is_bot || typeof message.chat?.id !== 'number')
          return { stored: false, duplicate: false, message_id: null, conversation_id: null };
        const result = await telegram.acceptInbound(channel, {
          providerMessageId: telegramMessageKey(message.chat.id, message.message_id),
          payload: raw,
          sender: String(message.from.id),
        });
        return {
          stored: true,
          duplicate: result.duplicate,
          message_id: result.message_id,
          conversation_id: result.conversation_id,
        };
      },
    );
  };
}
