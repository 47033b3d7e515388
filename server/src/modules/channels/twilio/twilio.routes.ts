/**
 * @module Twilio webhooks: `POST /hooks/twilio/:channel` (an inbound SMS or WhatsApp message) and
 * `POST /hooks/twilio/:channel/status` (delivery status callbacks, for agents' replies and for customer
 * notifications alike). Both are form-encoded and signed; a bad or missing X-Twilio-Signature is a 403 and nothing
 * is stored. A report for a message Omnis does not know is still a 204: any other answer makes Twilio retry it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../../platform/errors';
import { strictObject } from '../../../platform/http/schemas';
import type { Channel } from '../index';
import { parseForm } from './twilio.adapter';
import { verifyTwilioSignature } from './twilio.signature';
import type { TwilioChannel } from './index';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const deliveryStatuses = ['queued', 'sent', 'delivered', 'read', 'failed', 'undelivered'] as const;

export function twilioHooksRoutes(twilio: TwilioChannel): FastifyPluginAsyncTypebox {
  /** The channel, its signature checked over the URL Twilio called and the form parameters. */
  async function verified(
    request: FastifyRequest,
    channelId: string,
  ): Promise<{ channel: Channel; params: Record<string, string> }> {
    const { channel, secrets } = await twilio.twilioChannel(channelId);
    const params = parseForm(typeof request.body === 'string' ? request.body : '');
    const token = secrets.auth_token;
    const signature = request.headers['x-twilio-signature'];
    if (
      !token ||
      !verifyTwilioSignature(
        token,
        typeof signature === 'string' ? signature : undefined,
        twilio.urlsOf(request),
        params,
      )
    ) {
      request.log.warn(
        { channel_id: channel.id, url: request.url },
        'Twilio webhook refused: bad or missing X-Twilio-Signature',
      );
      throw new AppError('forbidden', 'The X-Twilio-Signature does not match this channel’s auth token.');
    }
    return { channel, params };
  }

  return async (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 256 * 1024 },
      (_req, body, done) => done(null, body),
    );
    const params = strictObject({ channel: Type.String({ minLength: 1, maxLength: 64 }) });

    app.post(
      '/hooks/twilio/:channel',
      {
        config: { access: 'public' },
        schema: {
          tags: ['hooks'],
          summary:
            'Inbound SMS / WhatsApp from Twilio (form-encoded, X-Twilio-Signature); answers empty TwiML',
          params,
        },
      },
      async (request, reply) => {
        const { channel, params: form } = await verified(request, request.params.channel);
        if (!form.MessageSid || !form.From)
          throw new AppError('validation_failed', 'A Twilio message needs MessageSid and From.', {
            errors: [
              ...(!form.MessageSid ? [{ field: 'body.MessageSid', message: 'is required' }] : []),
              ...(!form.From ? [{ field: 'body.From', message: 'is required' }] : []),
            ],
          });
        await twilio.acceptInbound(channel, {
          providerMessageId: form.MessageSid,
          payload: Buffer.from(String(request.body)),
          sender: form.From,
        });
        return reply.type('text/xml').send(EMPTY_TWIML);
      },
    );

    app.post(
      '/hooks/twilio/:channel/status',
      {
        config: { access: 'public' },
        schema: {
          tags: ['hooks'],
          summary:
            'Twilio delivery status callback (signed): moves a reply’s or a customer notification’s delivery status; an unknown MessageSid → 204, nothing changed',
          params,
        },
      },
      async (request, reply) => {
        const { channel, params: form } = await verified(request, request.params.channel);
        const status = form.MessageStatus as (typeof deliveryStatuses)[number];
        if (form.MessageSid && deliveryStatuses.includes(status))
          await twilio.recordDelivery(
            channel.id,
            form.MessageSid,
            status,
            form.ErrorCode ? `Twilio error ${form.ErrorCode}` : null,
          );
        return reply.status(204).send();
      },
    );
  };
}
