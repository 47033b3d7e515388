/**
 * @module Realtime hub: the console's WebSocket `/v1/realtime`. Browsers cannot set headers on a WebSocket, so
 * the session token comes as `?access_token=`; the auth hook resolves it like a bearer token. Each connection
 * receives the events whose type its user's role may read, as `{ "type": "event", "event": {…} }`; a type that
 * names one recipient (a mention: `EventTypeDefinition.recipient`) goes to that staff user's sockets only.
 * Every connection's session is checked again periodically: signing out, deactivation or a role change closes
 * the socket (code 4401) or narrows what it receives. A client that stops reading is dropped (code 1013) rather
 * than buffered without bound. Besides stored events the hub carries ephemeral signals (typing, collision) that
 * modules publish, and hands the messages console clients send (`typing`) to the modules that registered for them;
 * `{ "type": "view", "conversation_id" }` it keeps itself, so a signal can go only to those viewing a conversation.
 * It also tells registered handlers when a staff user's console comes online or goes away (agents' presence).
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Permission } from '../auth/permissions';
import type { Principal } from '../auth/principal';
import type { EventConsumer } from './dispatcher';
import type { DomainEvent, EventTypeDefinition } from './envelope';

interface Client {
  socket: WebSocket;
  principal: Principal;
  token: string;
  /** The conversation the user has open (`{ "type": "view", "conversation_id": … }`), for collision signals. */
  viewing: string | null;
}

/** A message a console client sent up its socket (typing in a conversation…), with who sent it. */
export type ClientMessageHandler = (principal: Principal, message: Record<string, unknown>) => void;

/** Who receives an ephemeral (not stored) signal. */
export interface PublishFilter {
  permission: Permission;
  /** Leave out this user's own connections (their own typing). */
  exceptUserId?: string | undefined;
  /** Only connections that have this conversation open. */
  viewing?: string | undefined;
}

/**
 * A staff user's console came online (her first open socket) or went away (her last socket closed and she did not
 * reconnect within the grace period). The contact centre sets agents' presence from it.
 */
export type PresenceHandler = (principal: Principal & { kind: 'staff' }, online: boolean) => Promise<void>;

/** Beyond this much unsent data a client is too slow to keep up. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface RealtimeHub {
  consumer: EventConsumer;
  register(app: FastifyInstance): void;
  connectionCount(): number;
  /** Sends an ephemeral signal (typing, collision) to the connections the filter allows; nothing is stored. */
  publish(event: Record<string, unknown>, filter: PublishFilter): void;
  /** Registers a handler for messages console clients send (other than `view`, which the hub keeps itself). */
  onClientMessage(handler: ClientMessageHandler): void;
  /** Registers the handler told when a staff user's console comes online or goes away (see PresenceHandler). */
  onPresence(handler: PresenceHandler): void;
  closeAll(): void;
}

export function createRealtimeHub(options: {
  eventTypes: () => EventTypeDefinition[];
  /** Resolves a session token again (null when it no longer signs anyone in). */
  authenticate: (token: string) => Promise<Principal | null>;
  recheckMs: number;
  /** How long after a user's last socket closes she counts as gone (a console reload reconnects within it). */
  presenceGraceMs?: number | undefined;
}): RealtimeHub {
  const { eventTypes } = options;
  const clients = new Set<Client>();
  const handlers: ClientMessageHandler[] = [];
  const presenceHandlers: PresenceHandler[] = [];
  /** Users whose last socket closed, waiting out the grace period before they count as gone. */
  const leaving = new Map<string, NodeJS.Timeout>();

  /** How many sockets this staff user has open. */
  function socketsOf(userId: string): number {
    let n = 0;
    for (const { principal: p } of clients) if (p.kind === 'staff' && p.userId === userId) n++;
    return n;
  }

  async function announce(principal: Principal & { kind: 'staff' }, online: boolean): Promise<void> {
    // A handler's failure must not break the socket; handlers log their own errors.
    await Promise.all(presenceHandlers.map((h) => h(principal, online).catch(() => undefined)));
  }

  /** A staff socket opened: she comes online unless another of her sockets is open or she is only reloading. */
  async function arrived(principal: Principal): Promise<void> {
    if (principal.kind !== 'staff') return;
    const pending = leaving.get(principal.userId);
    if (pending) {
      clearTimeout(pending);
      leaving.delete(principal.userId);
      return;
    }
    if (socketsOf(principal.userId) === 1) await announce(principal, true);
  }

  function departed(principal: Principal): void {
    if (principal.kind !== 'staff' || socketsOf(principal.userId) > 0) return;
    if (leaving.has(principal.userId)) return;
    const timer = setTimeout(() => {
      leaving.delete(principal.userId);
      if (socketsOf(principal.userId) === 0) void announce(principal, false);
    }, options.presenceGraceMs ?? 0);
    timer.unref();
    leaving.set(principal.userId, timer);
  }
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

  /** Whether this connection receives the event: its role's permission, and for a one-user event, her socket. */
  function mayRead(principal: Principal, event: DomainEvent, definition: EventTypeDefinition | undefined) {
    if (principal.kind !== 'staff' && principal.kind !== 'secret_key') return false;
    if (!definition || !principal.permissions.includes(definition.permission)) return false;
    if (!definition.recipient) return true;
    return principal.kind === 'staff' && definition.recipient(event) === principal.userId;
  }

  return {
    consumer: {
      name: 'realtime',
      mode: 'transient',
      async handle(events) {
        const types = eventTypes();
        const batch = events.map((event) => ({
          event,
          definition: types.find((t) => t.type === event.type),
          message: JSON.stringify({ type: 'event', event }),
        }));
        for (const client of clients) {
          for (const { event, definition, message } of batch) {
            if (mayRead(client.principal, event, definition)) send(client, message);
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
          const client: Client = { socket, principal: request.principal, token, viewing: null };
          clients.add(client);
          socket.on('message', (raw) => {
            let message: Record<string, unknown>;
            try {
              message = JSON.parse(String(raw)) as Record<string, unknown>;
            } catch {
              return; // not JSON: nothing a console sends; ignored rather than closing the stream
            }
            if (message.type === 'view')
              client.viewing = typeof message.conversation_id === 'string' ? message.conversation_id : null;
            else for (const handle of handlers) handle(client.principal, message);
          });
          if (!recheck) {
            recheck = setInterval(() => void recheckAll(), options.recheckMs);
            recheck.unref();
          }
          socket.on('close', () => {
            clients.delete(client);
            departed(client.principal);
          });
          // Ready once her presence is recorded, so what the console does next sees her online.
          void arrived(client.principal).then(() => {
            if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'ready' }));
          });
        },
      );
    },
    connectionCount: () => clients.size,
    publish(event, filter) {
      const message = JSON.stringify({ type: 'event', event: { ...event, ephemeral: true } });
      for (const client of clients) {
        const p = client.principal;
        if (p.kind !== 'staff' && p.kind !== 'secret_key') continue;
        if (!p.permissions.includes(filter.permission)) continue;
        if (filter.exceptUserId && p.kind === 'staff' && p.userId === filter.exceptUserId) continue;
        if (filter.viewing && client.viewing !== filter.viewing) continue;
        send(client, message);
      }
    },
    onClientMessage(handler) {
      handlers.push(handler);
    },
    onPresence(handler) {
      presenceHandlers.push(handler);
    },
    closeAll() {
      if (recheck) clearInterval(recheck);
      recheck = null;
      // Shutting down is not the agents leaving: their consoles reconnect to the next process.
      for (const timer of leaving.values()) clearTimeout(timer);
      leaving.clear();
      for (const c of clients) c.socket.close(1001, 'server shutting down');
      clients.clear();
    },
  };
}
