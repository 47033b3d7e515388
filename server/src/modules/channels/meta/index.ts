/**
 * @module The Meta channels' one door (Messenger, Instagram, WhatsApp Cloud): the adapters the conversations
 * pipeline uses, and the webhook (`GET` verification handshake, `POST` signed with X-Hub-Signature-256).
 */
import type { Config } from '../../../config';
import { notFound } from '../../../platform/errors';
import type { Channel, ChannelsService } from '../index';
import type { AcceptResult } from '../../conversations';
import { createMessengerAdapter, createWhatsAppCloudAdapter } from './meta.adapter';

export { metaHooksRoutes } from './meta.routes';
export { metaSignature, sameSecret } from './meta.signature';
export { fetchAll, fetchMedia, plainText, type SkippedAttachment } from './meta.media';
export type { MetaChannelConfig } from './meta.adapter';

export interface MetaChannelDeps {
  config: Config;
  channels: ChannelsService;
  acceptInbound: (
    channel: Channel,
    input: { providerMessageId: string | null; payload: Buffer; sender?: string | null },
  ) => Promise<AcceptResult>;
  recordDelivery: (
    channelId: string,
    providerMessageId: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    error: string | null,
  ) => Promise<boolean>;
}

/** Whether Meta serves this channel: Messenger and Instagram always, WhatsApp when its config names Meta. */
export const isMetaChannel = (channel: Channel) =>
  channel.kind === 'messenger' ||
  channel.kind === 'instagram' ||
  (channel.kind === 'whatsapp' && channel.config.provider === 'meta');

export function createMetaChannel(deps: MetaChannelDeps) {
  const { config, channels } = deps;
  const graph = {
    baseUrl: () => config.metaGraphApiBaseUrl,
    version: () => config.metaGraphApiVersion,
    secrets: (id: string) => channels.channelSecrets(id),
    limits: { maxBytes: config.attachmentMaxBytes, types: config.attachmentTypes },
  };
  return {
    adapters: [createMessengerAdapter(graph), createWhatsAppCloudAdapter(graph)],
    acceptInbound: deps.acceptInbound,
    recordDelivery: deps.recordDelivery,
    /** An active Meta channel by id with its credentials (one read); another kind, inactive or unknown → 404. */
    async metaChannel(id: string): Promise<{ channel: Channel; secrets: Record<string, string> }> {
      const found = await channels.retrieveChannelWithSecrets(id); // unknown → 404 naming the channel
      if (!isMetaChannel(found.channel) || !found.channel.active) throw notFound('Meta channel', id);
      return found;
    },
  };
}

export type MetaChannel = ReturnType<typeof createMetaChannel>;
