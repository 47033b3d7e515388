/** @module The customers module's one door: profiles, identity resolution, their routes, tables, migrations and events. */
import type { NamedMigrations } from '../../platform/db/migrator';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import * as customers0300 from './migrations/2026-11-22-0300-customers';

export { createCustomersService, type CustomersService } from './customer.service';
export {
  createIdentityService,
  type IdentityService,
  type ResolveInput,
  type ResolveResult,
} from './identity.service';
export { customersRoutes } from './customer.routes';
export type { Customer } from './customer.repository';
export type { CustomersTables } from './customer.table';

export const customersMigrations: NamedMigrations = {
  '2026-11-22-0300-customers': customers0300,
};

export const customersEventTypes: EventTypeDefinition[] = [
  {
    type: 'customer.created',
    description: 'A new customer profile was created by identity resolution',
    permission: 'customers:read',
  },
  { type: 'customer.updated', description: 'Profile data was corrected', permission: 'customers:read' },
  {
    type: 'customer.merged',
    description: 'Two profiles turned out to be one person and were merged',
    permission: 'customers:read',
  },
  { type: 'customer.unmerged', description: 'A merge was undone', permission: 'customers:read' },
];
