/**
 * @module The Twilio channel's one door (SMS and WhatsApp): the adapter the conversations pipeline uses, and the
 * signed webhooks for inbound messages and delivery status.
 */
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../../config';
import { notFound } from '../../../platform/errors';
import type { Channel, ChannelsService } from '../index';
import type { AcceptResult } from '../../conversations';
import { createTwilioAdapter } from './twilio.adapter';

export { twilioHooksRoutes } from './twilio.routes';
export { twilioSignature } from './twilio.signature';

export interface TwilioChannelDeps {
  config: Config;
  channels: ChannelsService;
  publicUrl: () => string;
  acceptInbound: (
    channel: Channel,
    input: { providerMessageId: string | null; payload: Buffer; sender?: string | null },
  ) => Promise<AcceptResult>;
  recordDelivery: (
    channelId: string,
    providerMessageId: string,
    status: 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered',
    error: string | null,
  ) => Promise<boolean>;
}

export function createTwilioChannel(deps: TwilioChannelDeps) {
  const { config, channels } = deps;
  const adapter = createTwilioAdapter({
    baseUrl: () => config.twilioApiBaseUrl,
    secrets: (id) => channels.channelSecrets(id),
    statusCallbackUrl: (id) => `${deps.publicUrl().replace(/\/$/, '')}/hooks/twilio/${id}/status`,
    limits: { maxBytes: config.attachmentMaxBytes, types: config.attachmentTypes },
  });
  return {
    adapter,
    acceptInbound: deps.acceptInbound,
    recordDelivery: deps.recordDelivery,
    secretsOf: (id: string) => channels.channelSecrets(id),
    /** An SMS or WhatsApp channel by id with its credentials (one read); another kind or unknown → 404. */
    async twilioChannel(id: string): Promise<{ channel: Channel; secrets: Record<string, string> }> {
      const found = await channels.retrieveChannelWithSecrets(id); // unknown → 404 naming the channel
      const { kind, active } = found.channel;
      if ((kind !== 'sms' && kind !== 'whatsapp') || !active) throw notFound('Twilio channel', id);
      return found;
    },
    /**
     * The URLs Twilio may have signed: the public URL when one is configured (behind a proxy the Host seen here
     * is not the one Twilio called), else the request's own.
     */
    urlsOf(request: FastifyRequest): string[] {
      const own = `${request.protocol}://${request.host}${request.url}`;
      return config.publicUrl ? [`${config.publicUrl.replace(/\/$/, '')}${request.url}`, own] : [own];
    },
  };
}

export type TwilioChannel = ReturnType<typeof createTwilioChannel>;
