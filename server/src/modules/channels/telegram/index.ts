/**
 * @module The Telegram channel's one door: the Bot API adapter the conversations pipeline uses, and the webhook
 * `POST /hooks/telegram/:channel`, accepted only with the channel's X-Telegram-Bot-Api-Secret-Token.
 */
import type { Config } from '../../../config';
import { notFound } from '../../../platform/errors';
import type { Channel, ChannelsService } from '../index';
import type { AcceptResult } from '../../conversations';
import { createTelegramAdapter } from './telegram.adapter';

export { telegramHooksRoutes } from './telegram.routes';
export type { TelegramChannelConfig, TelegramUpdate } from './telegram.adapter';

export interface TelegramChannelDeps {
  config: Config;
  channels: ChannelsService;
  acceptInbound: (
    channel: Channel,
    input: { providerMessageId: string | null; payload: Buffer; sender?: string | null },
  ) => Promise<AcceptResult>;
}

export function createTelegramChannel(deps: TelegramChannelDeps) {
  const { config, channels } = deps;
  return {
    adapter: createTelegramAdapter({
      baseUrl: () => config.telegramBotApiBaseUrl,
      secrets: (id) => channels.channelSecrets(id),
      limits: { maxBytes: config.attachmentMaxBytes, types: config.attachmentTypes },
    }),
    acceptInbound: deps.acceptInbound,
    /** An active Telegram channel by id with its credentials (one read); another kind, inactive or unknown → 404. */
    async telegramChannel(id: string): Promise<{ channel: Channel; secrets: Record<string, string> }> {
      const found = await channels.retrieveChannelWithSecrets(id); // unknown → 404 naming the channel
      if (found.channel.kind !== 'telegram' || !found.channel.active) throw notFound('Telegram channel', id);
      return found;
    },
  };
}

export type TelegramChannel = ReturnType<typeof createTelegramChannel>;
