/**
 * @module The live side of web chat: the visitors' open sockets (in this process), the adapter that delivers an
 * agent's reply to them the moment it is sent, typing both ways, and the console's side through the realtime hub
 * (`conversation.typing`, ephemeral: a visitor typing, and an agent typing as the collision signal "Ana is
 * replying" to other agents viewing the conversation). A visitor who is away gets the reply on resume; one who
 * chose to continue by email while nobody was available gets it by email, if her consent allows.
 */
import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../../platform/db/database';
import type { Principal } from '../../../platform/auth/principal';
import type { RealtimeHub } from '../../../platform/events/realtime';
import type { ChannelsService } from '../index';
import type { ConsentService } from '../../customers';
import type { ChannelAdapter, OutboundMessage, SendResult } from '../../conversations';
import { findVisitorRow, visitorFromRow, visitorIdsOfConversation, type Visitor } from './webchat.repository';

/** Beyond this much unsent data a visitor's socket is too slow to keep up and is closed (she resumes later). */
const MAX_BUFFERED_BYTES = 256 * 1024;

export interface WebchatLiveDeps {
  db: Db;
  channels: ChannelsService;
  consent: Pick<ConsentService, 'can'>;
  /** The realtime hub, bound late (it is built after the adapters). */
  hub: () => Pick<RealtimeHub, 'publish'> | null;
  /** Whether an agent is online with room for a chat (routing's presence and capacity, `teams.agentsAvailable`). */
  agentsAvailable: () => Promise<boolean>;
  /** The email adapter, for replies to a visitor who continues by email. */
  emailAdapter: () => ChannelAdapter | null;
  log?: FastifyBaseLogger | undefined;
}

export function createWebchatLive(deps: WebchatLiveDeps) {
  const sockets = new Map<string, Set<WebSocket>>();

  function push(visitorId: string, message: object): number {
    const open = sockets.get(visitorId);
    if (!open) return 0;
    const text = JSON.stringify(message);
    for (const socket of open) {
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.close(1013, 'too slow to keep up; reconnect');
      else socket.send(text);
    }
    return open.size;
  }

  /** The email channel replies fall back to: the one the webchat channel names, else the first active one. */
  async function fallbackEmailChannel(webchatChannelId: string) {
    const webchat = await deps.channels.retrieveChannel(webchatChannelId);
    const named = webchat.config.email_channel_id;
    if (typeof named === 'string' && (await deps.channels.channelExists(named))) {
      const channel = await deps.channels.retrieveChannel(named);
      if (channel.kind === 'email' && channel.active) return channel;
    }
    const { data } = await deps.channels.listChannels({ kind: 'email', active: true, limit: 1 });
    return data[0] ?? null;
  }

  async function sendByEmail(visitor: Visitor, message: OutboundMessage): Promise<SendResult | null> {
    const adapter = deps.emailAdapter();
    const channel = await fallbackEmailChannel(visitor.channelId);
    if (!adapter || !channel || !visitor.email || !visitor.customerId) return null;
    const can = await deps.consent.can(visitor.customerId, 'service', 'email');
    if (!can.allowed) return null;
    const result = await adapter.send({
      ...message,
      channel,
      secrets: await deps.channels.channelSecrets(channel.id),
      to: visitor.email,
      subject: message.subject ?? String(message.channel.config.email_subject ?? 'Your chat with us'),
    });
    return {
      ...result,
      meta: { ...result.meta, via: 'email', email_channel_id: channel.id, to: visitor.email },
    };
  }

  const adapter: ChannelAdapter = {
    kinds: ['webchat'],
    parseInbound: () => Promise.reject(new Error('bound in createWebchatChannel')),
    async send(message) {
      const delivered = push(message.to, {
        type: 'message',
        message: {
          id: message.messageId,
          direction: 'out',
          text: message.text,
          html: message.html,
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            content_type: a.contentType,
          })),
          created_at: new Date().toISOString(),
          // A CSAT survey: the widget shows a 1–5 scale and answers with a `csat` frame.
          ...(message.meta?.csat_survey_id
            ? { csat: { survey_id: message.meta.csat_survey_id, open: true, rating: null } }
            : {}),
        },
      });
      if (delivered) return { providerMessageId: message.messageId, status: 'sent' };
      const row = await findVisitorRow(deps.db, message.to);
      const visitor = row ? visitorFromRow(row) : null;
      if (visitor?.emailFallback) {
        const byEmail = await sendByEmail(visitor, message);
        if (byEmail) return byEmail;
      }
      // She is away: the reply is stored and reaches her when her widget reconnects and resumes.
      return { providerMessageId: message.messageId, status: 'queued', meta: { awaiting_visitor: true } };
    },
  };

  const typingEvent = (
    conversationId: string,
    state: string,
    who: { type: 'customer' | 'staff'; id: string | null; name: string | null },
    channelId: string | null,
  ) => ({
    type: 'conversation.typing',
    aggregate: { type: 'conversation', id: conversationId },
    channel_id: channelId,
    actor: { type: who.type, id: who.id },
    occurred_at: new Date().toISOString(),
    data: { conversation_id: conversationId, state, name: who.name },
  });

  return {
    adapter,
    push,
    /** Whether an agent is there to answer: one online with free capacity for web chat (routing's view). */
    agentsAvailable: () => deps.agentsAvailable(),

    attach(visitorId: string, socket: WebSocket): void {
      const open = sockets.get(visitorId) ?? new Set<WebSocket>();
      open.add(socket);
      sockets.set(visitorId, open);
      socket.on('close', () => {
        open.delete(socket);
        if (!open.size) sockets.delete(visitorId);
      });
    },

    /** The visitor is typing (or stopped): agents allowed to read conversations see it. */
    visitorTyping(visitor: Visitor, state: 'typing' | 'idle'): void {
      if (!visitor.conversationId) return;
      const event = typingEvent(
        visitor.conversationId,
        state,
        { type: 'customer', id: visitor.customerId, name: visitor.name },
        visitor.channelId,
      );
      deps
        .hub()
        ?.publish({ ...event, customer_id: visitor.customerId }, { permission: 'conversations:read' });
    },

    /**
     * A console user typing in a conversation (sent up `/v1/realtime` as `{ type: 'typing', conversation_id,
     * state }`): the visitor sees "typing…", and other agents viewing it see who is replying.
     */
    async agentTyping(principal: Principal, message: Record<string, unknown>): Promise<void> {
      if (message.type !== 'typing' || principal.kind !== 'staff') return;
      if (!principal.permissions.includes('conversations:write')) return;
      const conversationId = message.conversation_id;
      if (typeof conversationId !== 'string' || conversationId.length > 64) return;
      const state = message.state === 'idle' ? 'idle' : 'typing';
      const who = { type: 'staff' as const, id: principal.userId, name: principal.label };
      deps.hub()?.publish(typingEvent(conversationId, state, who, null), {
        permission: 'conversations:read',
        exceptUserId: principal.userId,
        viewing: conversationId,
      });
      for (const visitorId of await visitorIdsOfConversation(deps.db, conversationId))
        push(visitorId, { type: 'typing', from: 'agent', state, name: principal.label.split(/[\s@]/)[0] });
    },

    closeAll(): void {
      for (const open of sockets.values()) for (const s of open) s.close(1001, 'server shutting down');
      sockets.clear();
    },
  };
}

export type WebchatLive = ReturnType<typeof createWebchatLive>;
