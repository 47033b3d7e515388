/**
 * @module Realtime hub: the console's WebSocket `/v1/realtime`. Browsers cannot set headers on a WebSocket, so
 * the session token comes as `?access_token=`; the auth hook resolves it like a bearer token. Each connection
 * receives the events whose type its user's role may read, as `{ "type": "event", "event": {…} }`.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal';
import type { EventConsumer } from './dispatcher';
import type { DomainEvent, EventTypeDefinition } from './envelope';

interface Client {
  socket: WebSocket;
  principal: Principal;
}

export interface RealtimeHub {
  consumer: EventConsumer;
  register(app: FastifyInstance): void;
  connectionCount(): number;
  closeAll(): void;
}

export function createRealtimeHub(eventTypes: () => EventTypeDefinition[]): RealtimeHub {
  const clients = new Set<Client>();

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
            if (mayRead(client.principal, event))
              client.socket.send(JSON.stringify({ type: 'event', event }));
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
          const client: Client = { socket, principal: request.principal };
          clients.add(client);
          socket.send(JSON.stringify({ type: 'ready' }));
          socket.on('close', () => clients.delete(client));
        },
      );
    },
    connectionCount: () => clients.size,
    closeAll() {
      for (const c of clients) c.socket.close(1001, 'server shutting down');
      clients.clear();
    },
  };
}
