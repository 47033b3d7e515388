/**
 * @module TanStack Query keys for every resource, in one place so mutations and realtime events invalidate
 * exactly what they change. Each key is a prefix: invalidating `channels.all` refreshes every channel query.
 */

export const queryKeys = {
  me: ['me'] as const,
  roles: ['roles'] as const,
  users: { all: ['users'] as const },
  channels: { all: ['channels'] as const },
  apiKeys: { all: ['api-keys'] as const },
  eventTypes: ['event-types'] as const,
  webhooks: {
    all: ['webhooks'] as const,
    list: () => ['webhooks', 'list'] as const,
    detail: (id: string) => ['webhooks', 'detail', id] as const,
    deliveries: (id: string) => ['webhooks', 'deliveries', id] as const,
    delivery: (id: string, deliveryId: string) => ['webhooks', 'deliveries', id, deliveryId] as const,
  },
  audit: { all: ['audit'] as const },
};
