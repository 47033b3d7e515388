/**
 * @module The domain event envelope every module emits (ARCHITECTURE.md §4) and the registry of event types.
 * Each type names the permission a console user needs to see it in realtime.
 */
import type { Permission } from '../auth/permissions';
import type { Actor } from '../auth/principal';

export type EventActor = Pick<Actor, 'type' | 'id'>;

export interface DomainEvent<T = unknown> {
  id: string;
  /** `noun.past_verb`, e.g. `channel.created`. */
  type: string;
  aggregate: { type: string; id: string };
  customer_id: string | null;
  channel_id: string | null;
  /** Who caused it, by type and id only: names stay out of event payloads (and so out of webhooks). */
  actor: EventActor;
  occurred_at: string;
  data: T;
  /** Position in the outbox; events of one aggregate are delivered in this order. */
  position: number;
}

export interface NewEvent<T = unknown> {
  type: string;
  aggregate: { type: string; id: string };
  customerId?: string | null;
  channelId?: string | null;
  actor: Actor;
  /** Ids rather than copies of personal data, so erasure has little to scrub. */
  data: T;
}

export interface EventTypeDefinition {
  type: string;
  description: string;
  /** Who may see this event in the console's realtime stream. */
  permission: Permission;
  /**
   * For an event meant for one staff user (a mention): her user id, read from the event. The realtime hub then
   * sends it to that user's sockets only (and only while her role has `permission`); anything but a string
   * reaches nobody. Webhooks are unaffected: an endpoint subscribed to the type receives every such event.
   */
  recipient?: ((event: DomainEvent) => unknown) | undefined;
}

export const platformEventTypes: EventTypeDefinition[] = [
  { type: 'staff_user.created', description: 'A staff user was created', permission: 'users:read' },
  {
    type: 'staff_user.updated',
    description: 'A staff user changed (name, role, active, locale)',
    permission: 'users:read',
  },
  { type: 'api_key.created', description: 'An API key was created', permission: 'api_keys:read' },
  { type: 'api_key.revoked', description: 'An API key was revoked', permission: 'api_keys:read' },
  {
    type: 'webhook_endpoint.created',
    description: 'A webhook endpoint was created',
    permission: 'webhooks:read',
  },
  {
    type: 'webhook_endpoint.updated',
    description: 'A webhook endpoint changed',
    permission: 'webhooks:read',
  },
  {
    type: 'webhook_endpoint.deleted',
    description: 'A webhook endpoint was deleted',
    permission: 'webhooks:read',
  },
];
