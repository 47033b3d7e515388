/** @module The inventory module's one door: its services, routes, tables, migrations and event types. */
import type { NamedMigrations } from '../../platform/db/migrator';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import type { LocationTables } from './location.table';
import * as locations0200 from './migrations/2026-11-22-0200-locations';

export {
  createLocationsService,
  type CreateLocationInput,
  type LocationsService,
  type UpdateLocationInput,
} from './location.service';
export { locationsRoutes } from './location.routes';
export {
  locationKinds,
  weekdays,
  type Address,
  type Location,
  type LocationKind,
  type OpeningHours,
  type Weekday,
} from './location.repository';

/** Every table the inventory module owns. */
export type InventoryTables = LocationTables;

export const inventoryMigrations: NamedMigrations = {
  '2026-11-22-0200-locations': locations0200,
};

export const inventoryEventTypes: EventTypeDefinition[] = [
  { type: 'location.created', description: 'A stock location was registered', permission: 'inventory:read' },
  {
    type: 'location.updated',
    description: 'A location changed (name, code, address, coordinates, hours, channel, active)',
    permission: 'inventory:read',
  },
];

/** Locations are shops and warehouses: addresses of places, not of people. */
export const inventoryNoCustomerData = { locations: 'store and warehouse addresses, not people' };
