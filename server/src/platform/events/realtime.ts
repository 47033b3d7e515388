/**
 * @module Realtime hub: the console's WebSocket `/v1/realtime`. Browsers cannot set headers on a WebSocket, so
 * the session token comes as `?access_token=`; the auth hook resolves it like a bearer token. Each connection
 * receives the events whose type its user's role may read, as `{ "type": "event", "event": {…} }`.
 * Every connection's session is checked again periodically: signing out, deactivation or a role change closes
 * the socket (code 4401) or narrows what it receives. A client that stops reading is dropped (code 1013) rather
 * than buffered without bound.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import type { EventConsumer } from './dispatcher';
import type { DomainEvent, EventTypeDefinition } from './envelope';

interface Client {
  socket: WebSocket;
  principal: Principal;
  token: string;
}

/** Beyond this much unsent data a client is too slow to keep up. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface RealtimeHub {
  consumer: EventConsumer;
  register(app: FastifyInstance): void;
  connectionCount(): number;
  closeAll(): void;
}

export function createRealtimeHub(options: {
  eventTypes: () => EventTypeDefinition[];
  /** Resolves a session token again (null when it no longer signs anyone in). */
  authenticate: (token: string) => Promise<Principal | null>;
  recheckMs: number;
}): RealtimeHub {
  const { eventTypes } = options;
  const clients = new Set<Client>();
  let recheck: NodeJS.Timeout | null = null;

  async function recheckAll(): Promise<void> {
    for (const client of clients) {
      const principal = await options.authenticate(client.token).catch(() => client.principal);
      if (!principal) client.socket.close(4401, 'session ended');
      else client.principal = principal;
    }
  }

  function send(client: Client, message: string): void {
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.socket.close(1013, 'too slow to keep up; reconnect');
      clients.delete(client);
      return;
    }
    client.socket.send(message);
  }

  function mayRead(principal: Principal, event: DomainEvent): boolean {
    if (principal.kind !== 'staff' && principal.kind !== 'secret_key') return false;
    const definition = eventTypes().find((t) => t.type === event.type);
    return definition !== undefined && principal.permissions.includes(definition.permission);
  }

  return {
    consumer: {
      name: 'realtime',
      mode: 'transient',
      async handle(events) {
        for (const client of clients) {
          for (const event of events) {
            if (mayRead(client.principal, event)) send(client, JSON.stringify({ type: 'event', event }));
          }
        }
      },
    },
    register(app) {
      app.get(
        '/v1/realtime',
        {
          websocket: true,
          config: { access: 'session' },
          schema: {
            summary: 'Live events for the signed-in user (WebSocket)',
            tags: ['events'],
            hide: false,
          },
        },
        (socket, request) => {
          const query = request.query as { access_token?: unknown };
          const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
          const token = typeof query.access_token === 'string' ? query.access_token : (bearer ?? '');
          const client: Client = { socket, principal: request.principal, token };
          clients.add(client);
          if (!recheck) {
            recheck = setInterval(() => void recheckAll(), options.recheckMs);
            recheck.unref();
          }
          socket.send(JSON.stringify({ type: 'ready' }));
          socket.on('close', () => clients.delete(client));
        },
      );
    },
    connectionCount: () => clients.size,
    closeAll() {
      if (recheck) clearInterval(recheck);
      recheck = null;
      for (const c of clients) c.socket.close(1001, 'server shutting down');
      clients.clear();
    },
  };
}
