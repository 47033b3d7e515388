/**
 * @module The web chat channel's one door: the adapter the conversations pipeline uses, the visitor service, the
 * live sockets and typing relay, the routes (`/widget.js`, `/chat/v1/…`) and its privacy handler (its tables and
 * migration are registered by the channels module's door). The widget itself is built with the console
 * (console/src/widget, vite.widget.config.ts) into console/dist/chat/widget.js.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../../config';
import type { Db } from '../../../platform/db/database';
import type { RealtimeHub } from '../../../platform/events/realtime';
import type { ChannelsService } from '../index';
import type { ConsentService, IdentityService } from '../../customers';
import type { ChannelAdapter } from '../../conversations';
import { createWebchatService, type WebchatConversations } from './webchat.service';
import { createWebchatLive } from './webchat.live';
import { webchatRoutes } from './webchat.routes';

export { webchatPrivacyHandler } from './webchat.privacy';
export type { WebchatTables } from './webchat.table';

export interface WebchatChannelDeps {
  db: Db;
  config: Config;
  channels: ChannelsService;
  identity: Pick<IdentityService, 'resolve'>;
  consent: Pick<ConsentService, 'can'>;
  /** The conversations core's door, bound late (it takes this adapter first). */
  conversations: () => WebchatConversations;
  /** The console's realtime hub, bound late. */
  hub: () => RealtimeHub | null;
  /** Whether an agent is online with room for a chat (the conversations module's `teams.agentsAvailable`). */
  agentsAvailable: () => Promise<boolean>;
  emailAdapter: () => ChannelAdapter | null;
  log?: FastifyBaseLogger | undefined;
}

/**
 * @example const webchat = createWebchatChannel({ db, config, channels, identity, consent, conversations: () => conversations, hub: () => realtime, emailAdapter: () => email.adapter })
 */
export function createWebchatChannel(deps: WebchatChannelDeps) {
  const service = createWebchatService({
    ...deps,
    attachments: { maxBytes: deps.config.attachmentMaxBytes, types: deps.config.attachmentTypes },
  });
  const live = createWebchatLive(deps);
  const adapter: ChannelAdapter = { ...live.adapter, parseInbound: (payload) => service.normalize(payload) };
  return {
    adapter,
    service,
    live,
    /** Hooks agents' typing on the console's socket to the visitors and other agents. */
    listen(hub: RealtimeHub): void {
      hub.onClientMessage((principal, message) => {
        live
          .agentTyping(principal, message)
          .catch((err: unknown) => deps.log?.warn({ err }, 'typing relay failed'));
      });
    },
    routes: () =>
      webchatRoutes({
        webchat: service,
        live,
        consoleDir: deps.config.consoleDir,
        maxUploadBytes: deps.config.attachmentMaxBytes,
      }),
    close: () => live.closeAll(),
  };
}

export type WebchatChannel = ReturnType<typeof createWebchatChannel>;
