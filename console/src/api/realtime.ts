/**
 * @module The console's live connection (`/v1/realtime`): domain events refresh the screens they affect, so
 * two admins see each other's changes and a delivery log moves without reloading. Reconnects with backoff;
 * the console works without it (queries still refetch on focus).
 */
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';
import { queryKeys } from './query-keys';
import type { RealtimeMessage } from './types';

const MAX_BACKOFF_MS = 30_000;
/** Webhook deliveries are attempted just after the event goes out; look again once the first attempt is likely done. */
const DELIVERY_REFRESH_DELAY_MS = 1500;

/** Event type prefix → the queries it makes stale. */
const invalidations: [prefix: string, key: QueryKey][] = [
  ['channel.', queryKeys.channels.all],
  ['webhook_endpoint.', queryKeys.webhooks.all],
  ['webhook_delivery.', ['webhooks', 'deliveries']],
  ['staff_user.', queryKeys.users.all],
  ['api_key.', queryKeys.apiKeys.all],
  ['conversation.', ['conversations']],
  ['message.', ['conversations']],
  // SLA timers, surveys, teams and presence are read under the inbox's key too (conversations-routing.ts).
  ['sla.', ['conversations']],
  ['csat.', ['conversations']],
  ['team.', ['conversations']],
  ['agent.', ['conversations']],
];

type RealtimeListener = (message: unknown) => void;
const listeners = new Set<RealtimeListener>();

/** Hears every frame the hub sends (events and others, e.g. typing); returns the unsubscribe. */
export function subscribeRealtime(listener: RealtimeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let openSocket: WebSocket | null = null;
/** The conversation this tab has open: told again after a reconnect, since the hub forgets it with the socket. */
let viewing: string | null = null;

/**
 * Sends a message up the socket (`{type:'typing',…}`); dropped while disconnected — typing is ephemeral.
 * A `view` message is remembered and repeated whenever the socket (re)opens.
 */
export function sendRealtime(message: { type: string } & Record<string, unknown>): void {
  if (message.type === 'view')
    viewing = typeof message.conversation_id === 'string' ? message.conversation_id : null;
  if (openSocket?.readyState === WebSocket.OPEN) openSocket.send(JSON.stringify(message));
}

function isRealtimeMessage(value: unknown): value is RealtimeMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; event?: { type?: unknown } };
  return message.type === 'event' && typeof message.event?.type === 'string';
}

export function useRealtime(token: string | null): void {
  const client = useQueryClient();

  useEffect(() => {
    if (!token) return;
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let deliveriesTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const connect = () => {
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      socket = new WebSocket(
        `${scheme}://${window.location.host}/v1/realtime?access_token=${encodeURIComponent(token)}`,
      );
      socket.onopen = () => {
        // Anything may have changed while we were disconnected.
        if (failures > 0) void client.invalidateQueries();
        failures = 0;
        openSocket = socket;
        if (viewing) socket?.send(JSON.stringify({ type: 'view', conversation_id: viewing }));
      };
      socket.onmessage = (message: MessageEvent<string>) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(message.data);
        } catch {
          return;
        }
        for (const listener of listeners) listener(parsed);
        if (!isRealtimeMessage(parsed)) return;
        for (const [prefix, key] of invalidations) {
          // Typing is live-only: it changes no stored data, so it must not refetch on every keystroke.
          if (parsed.event.type.startsWith(prefix) && !parsed.event.type.endsWith('.typing'))
            void client.invalidateQueries({ queryKey: key });
        }
        // Any event may be delivered to a webhook; an open delivery log refreshes (closed ones are not fetched).
        clearTimeout(deliveriesTimer);
        deliveriesTimer = setTimeout(
          () => void client.invalidateQueries({ queryKey: ['webhooks', 'deliveries'] }),
          DELIVERY_REFRESH_DELAY_MS,
        );
      };
      socket.onclose = () => {
        if (openSocket === socket) openSocket = null;
        if (stopped) return;
        failures += 1;
        timer = setTimeout(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures));
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(deliveriesTimer);
      // Closing a socket that is still connecting logs a browser warning; let it open, then close it.
      if (socket?.readyState === WebSocket.CONNECTING) socket.onopen = () => socket?.close();
      else socket?.close();
    };
  }, [token, client]);
}
