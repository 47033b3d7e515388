/** @module The commerce module's one door: carts, pricing, checkout, payments, orders, fulfilment, returns, POS. */
import type { NamedMigrations } from '../../platform/db/migrator';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import type { PrivacyHandler } from '../../platform/privacy/privacy';

export { createCommerce, commerceRoutes, type Commerce, type CommerceDeps } from './commerce';

/** Every table the commerce module owns (each entity's `x.table.ts` adds its own). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the entity table types below
export interface CommerceTables {}

export const commerceMigrations: NamedMigrations = {};

export const commerceEventTypes: EventTypeDefinition[] = [];

/** Commerce tables that hold no customer data, with the reason (the privacy test reads this). */
export const commerceNoCustomerData: Record<string, string> = {};

/** Privacy handlers of the commerce tables that do hold customer data. */
export const commercePrivacyHandlers: PrivacyHandler[] = [];
