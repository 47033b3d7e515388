/** @module The channels module's one door: its service, routes, tables, migrations and event types. */
import type { NamedMigrations } from '../../platform/db/migrator';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import * as channels0100 from './migrations/2026-11-22-0100-channels';

export { createChannelsService, type ChannelsService, type CreateChannelInput } from './channel.service';
export { channelsRoutes } from './channel.routes';
export { channelKinds, type Channel, type ChannelKind } from './channel.repository';
import type { ChannelsTables as RegistryTables } from './channel.table';
import type { WebchatTables } from './webchat/webchat.table';
import * as webchat0720 from './webchat/migrations/2026-11-22-0720-webchat';
/** The registry's table and each adapter's own tables (web chat's visitors and uploads). */
export type ChannelsTables = RegistryTables & WebchatTables;

export const channelsMigrations: NamedMigrations = {
  '2026-11-22-0100-channels': channels0100,
  '2026-11-22-0720-webchat': webchat0720,
};

/** Channels describe the business's touchpoints, not people. */
export const channelsNoCustomerData = {
  channels: 'touchpoint settings and provider credentials, no customer data',
};

export const channelsEventTypes: EventTypeDefinition[] = [
  { type: 'channel.created', description: 'A channel was registered', permission: 'channels:read' },
  {
    type: 'channel.updated',
    description: 'A channel changed (name, config, secrets, active)',
    permission: 'channels:read',
  },
];
