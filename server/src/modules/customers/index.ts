/** @module The customers module's one door: profiles, identity resolution, their routes, tables, migrations and events. */
import type { NamedMigrations } from '../../platform/db/migrator';
import type { EventTypeDefinition } from '../../platform/events/envelope';
import * as customers0300 from './migrations/2026-11-22-0300-customers';
import * as suppressions0340 from './migrations/2026-11-22-0340-suppressions';
import * as search0350 from './migrations/2026-11-22-0350-customer-search';
import * as nameKeys0370 from './migrations/2026-11-22-0370-customer-name-keys';
import * as tracking0310 from './migrations/2026-11-22-0310-tracking';
import type { TrackingTables } from './tracking.table';
import * as consent0320 from './migrations/2026-11-22-0320-consent';
import type { CustomersTables as ProfileTables } from './customer.table';
import type { ConsentTables } from './consent.table';
import * as segments0330 from './migrations/2026-11-22-0330-segments';
import type { SegmentsTables } from './segment.table';
import * as selfService0360 from './migrations/2026-11-22-0360-self-service';
import type { SelfServiceTables } from './self-service.table';
import { selfServiceEventTypes } from './self-service.service';

export { createCustomersService, type CustomersService } from './customer.service';
export {
  createIdentityService,
  type IdentityService,
  type ResolveInput,
  type ResolveResult,
} from './identity.service';
export { customersRoutes } from './customer.routes';
export { privacyRoutes } from './privacy.routes';
export { createRetention } from './retention';
export { createCustomerPrivacyService, profilePrivacyHandler, type CustomerPrivacyService } from './privacy';
export { foldForSearch, nameSearchColumns, type Customer } from './customer.repository';
export {
  createConsentService,
  type ConsentService,
  type ConsentInput,
  type PreferencesInput,
} from './consent.service';
export { consentRoutes } from './consent.routes';
export { consentPrivacyHandler } from './consent.privacy';
export {
  communicationChannels,
  consentPurposes,
  type CanResult,
  type CommunicationChannel,
  type ConsentPurpose,
} from './consent.rules';

export { createIngestService, type IngestService } from './ingest.service';
export { ingestRoutes } from './ingest.routes';
export { createTimelineService, type TimelineService, type TimelineEntry } from './timeline.service';
export { timelineRoutes } from './timeline.routes';
export { trackingPrivacyHandler } from './tracking.privacy';
export { createSegmentsService, type SegmentsService } from './segment.service';
export { segmentsRoutes } from './segment.routes';
export { segmentsPrivacyHandler } from './segment.privacy';
export { createSelfService, type SelfService } from './self-service.service';
export { createAccessTokens, type AccessTokens, type MintedLink } from './self-service.tokens';
export { selfServiceRoutes } from './self-service.routes';
export { selfServiceStaffRoutes } from './self-service.staff.routes';
export { selfServicePrivacyHandler } from './self-service.privacy';

export type CustomersTables = ProfileTables &
  ConsentTables &
  TrackingTables &
  SegmentsTables &
  SelfServiceTables;

export const customersMigrations: NamedMigrations = {
  '2026-11-22-0300-customers': customers0300,
  '2026-11-22-0310-tracking': tracking0310,
  '2026-11-22-0320-consent': consent0320,
  '2026-11-22-0340-suppressions': suppressions0340,
  '2026-11-22-0350-customer-search': search0350,
  '2026-11-22-0360-self-service': selfService0360,
  '2026-11-22-0370-customer-name-keys': nameKeys0370,
  '2026-11-22-0330-segments': segments0330,
};

export const customersEventTypes: EventTypeDefinition[] = [
  {
    type: 'customer.erased',
    description: 'A person’s data was erased everywhere',
    permission: 'customers:read',
  },
  {
    type: 'customer.restricted',
    description: 'Processing of a person’s data was restricted',
    permission: 'customers:read',
  },
  {
    type: 'customer.unrestricted',
    description: 'A restriction of processing was lifted',
    permission: 'customers:read',
  },
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
  {
    type: 'consent.granted',
    description:
      'A customer granted consent for a purpose (and channel); data.current is false for a late record',
    permission: 'customers:read',
  },
  { type: 'consent.denied', description: 'A customer refused consent', permission: 'customers:read' },
  { type: 'consent.withdrawn', description: 'A customer withdrew consent', permission: 'customers:read' },
  {
    type: 'consent.confirmation_requested',
    description: 'Email marketing consent awaits double opt-in (the token is never in the event)',
    permission: 'customers:read',
  },
  {
    type: 'preferences.updated',
    description: 'Preferred channel or quiet hours changed',
    permission: 'customers:read',
  },
  { type: 'segment.created', description: 'A segment was saved and filled', permission: 'campaigns:read' },
  {
    type: 'segment.updated',
    description: 'A segment was renamed or its rule changed',
    permission: 'campaigns:read',
  },
  { type: 'segment.deleted', description: 'A segment was deleted', permission: 'campaigns:read' },
  { type: 'segment.entered', description: 'A customer entered a segment', permission: 'campaigns:read' },
  { type: 'segment.exited', description: 'A customer left a segment', permission: 'campaigns:read' },
  ...selfServiceEventTypes,
];

/** Tables of this module kept on purpose after an erasure, with the reason. */
export const customersNoCustomerData = {
  privacy_suppressions:
    'salted hashes of erased identifiers, kept so a re-import does not re-create the person',
  installation_secrets: 'the salt for those hashes',
  segment_jobs: 'progress of the segment jobs (names and times), no customer data',
};
