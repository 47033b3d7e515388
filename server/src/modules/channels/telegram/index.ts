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
    secretsOf: (id: string) => channels.channelSecrets(id),
    /** An active Telegram channel by id; another kind, inactive or unknown → 404. */
    async telegramChannel(id: string): Promise<Channel> {
      if (!(await channels.channelExists(id))) throw notFound('channel', id);
      const channel = await channels.retrieveChannel(id);
      if (channel.kind !== 'telegram' || !channel.active) throw notFound('Telegram channel', id);
      return channel;
    },
  };
}

export type TelegramChannel = ReturnType<typeof createTelegramChannel>;
