/** @module Loads the demo retailer into an empty database through the same services the API uses. */
import { systemActor } from '../platform/auth/principal';
import { UserFacingError } from '../platform/errors';
import type { ChannelsService } from '../modules/channels';
import {
  weekdays,
  type Address,
  type CreateLocationInput,
  type Location,
  type LocationsService,
  type OpeningHours,
  type Weekday,
} from '../modules/inventory';
import type { UsersService } from '../platform/auth/users.service';
import type { ApiKeysService } from '../platform/auth/api-keys.service';
import { generatePassword } from '../platform/auth/secrets';
import type { IdentityService } from '../modules/customers';
import { demoChannels, demoStaff, demoWarehouse } from './demo-data';
import { seedDemoCustomers, type DemoCustomersResult } from './demo-customers';
import { seedDemoCatalog, type DemoCatalogResult, type DemoCatalogServices } from './demo-catalog';
import { seedDemoCommerce } from './demo-commerce';
import type { Commerce } from '../modules/commerce';
import { seedDemoContactCentre, type DemoContactCentreServices } from './demo-contact-centre';

/** What a demo store channel's config says about the store, which its location takes over. */
interface StoreConfig {
  store_code: string;
  address: Address;
  coordinates: { lat: number; lng: number };
  timezone: string;
  /** One [open, close] pair per day, or null when closed. */
  opening_hours: Record<Weekday, [string, string] | null>;
}

/** `{ mon: ['10:00', '21:00'], sun: null }` → `{ mon: [['10:00', '21:00']], sun: [] }`. */
function toOpeningHours(hours: StoreConfig['opening_hours']): OpeningHours {
  return Object.fromEntries(
    weekdays.map((day) => {
      const pair = hours[day];
      return [day, pair ? [pair] : []];
    }),
  ) as OpeningHours;
}

export interface DemoSeedResult {
  channels: number;
  locations: number;
  staff: Array<{ email: string; role: string }>;
  staffPassword: string;
  webPublishableKey: string;
  /** Every demo storefront with its publishable key: the EUR web shop first, then the UK shop in GBP. */
  shops: Array<{ name: string; currency: string; key: string }>;
  customers: DemoCustomersResult;
  catalog: DemoCatalogResult;
}

export class DemoNotEmptyError extends UserFacingError {}

export async function seedDemo(
  services: {
    channels: ChannelsService;
    locations: LocationsService;
    users: UsersService;
    apiKeys: ApiKeysService;
    identity: IdentityService;
    /** Tax and shipping rates are seeded when given. */
    commerce?: Pick<Commerce, 'cartsModule'>;
    /** The contact centre's team, hours and SLA policies are seeded when given. */
    conversations?: DemoContactCentreServices['conversations'];
  } & DemoCatalogServices,
  progress: (line: string) => void = () => undefined,
): Promise<DemoSeedResult> {
  const existing = await services.channels.listChannels({ limit: 1 });
  if (existing.data.length > 0)
    throw new DemoNotEmptyError(
      'The database already has channels; demo data loads only into an empty database.',
    );
  let webChannelId = '';
  const channelIds: Record<string, string[]> = {};
  const locations: CreateLocationInput[] = [];
  for (const [i, input] of demoChannels.entries()) {
    const channel = await services.channels.createChannel(input, systemActor);
    // The first web channel is the main (EUR) web shop; a later one sells abroad in its own currency.
    if (input.kind === 'web' && !webChannelId) webChannelId = channel.id;
    (channelIds[input.kind] ??= []).push(channel.id);
    if (input.kind === 'store') {
      const store = input.config as unknown as StoreConfig;
      locations.push({
        kind: 'store',
        name: channel.name,
        code: store.store_code,
        address: store.address,
        latitude: store.coordinates.lat,
        longitude: store.coordinates.lng,
        timezone: store.timezone,
        opening_hours: toOpeningHours(store.opening_hours),
        channel_id: channel.id,
        // Every store hands over click-and-collect orders, takes returns and ships online orders; Madrid also
        // delivers the same day within 15 km when ordered before 14:00.
        ...(store.store_code === 'MAD01'
          ? {
              capabilities: ['pickup', 'returns', 'ship_from_store', 'same_day'],
              pickup_preparation_minutes: 30,
              same_day_cutoff: '14:00',
              same_day_radius_km: 15,
            }
          : { capabilities: ['pickup', 'returns', 'ship_from_store'] }),
      });
    }
    progress(`channels ${i + 1}/${demoChannels.length}: ${channel.name}`);
  }
  locations.push({
    kind: 'warehouse',
    name: demoWarehouse.name,
    code: demoWarehouse.code,
    address: demoWarehouse.address,
    latitude: demoWarehouse.coordinates.lat,
    longitude: demoWarehouse.coordinates.lng,
    timezone: demoWarehouse.timezone,
    opening_hours: demoWarehouse.opening_hours,
    capabilities: ['ship', 'returns'],
  });
  const created: Location[] = [];
  for (const [i, input] of locations.entries()) {
    const location = await services.locations.createLocation(input, systemActor);
    created.push(location);
    progress(`locations ${i + 1}/${locations.length}: ${location.code} ${location.name}`);
  }
  const staffPassword = generatePassword();
  const careTeam: Array<{ id: string; locale: string }> = [];
  for (const [i, person] of demoStaff.entries()) {
    const user = await services.users.createUser({ ...person, password: staffPassword }, null, systemActor);
    if (person.role === 'agent' || person.role === 'admin')
      careTeam.push({ id: user.id, locale: person.locale });
    progress(`staff ${i + 1}/${demoStaff.length}: ${person.email} (${person.role})`);
  }
  const first = (kind: string) => channelIds[kind]?.[0] ?? webChannelId;
  const customers = await seedDemoCustomers(
    services.identity,
    {
      web: first('web'),
      app: first('app'),
      stores: channelIds.store ?? [],
      whatsapp: first('whatsapp'),
      sms: first('sms'),
      email: first('email'),
    },
    2000,
    progress,
  );
  const catalog = await seedDemoCatalog(
    services,
    {
      web: first('web'),
      abroad: (channelIds.web ?? []).slice(1),
      app: first('app'),
      stores: created
        .filter((l) => l.kind === 'store')
        .map((location) => ({ channelId: location.channel_id!, location })),
      warehouse: created.find((l) => l.kind === 'warehouse')!,
    },
    2000,
    progress,
  );
  if (services.commerce) {
    const rates = await seedDemoCommerce(services.commerce);
    progress(`tax rates ${rates.taxRates}, shipping rates ${rates.shippingRates}`);
  }
  if (services.conversations) {
    const care = await seedDemoContactCentre(
      { channels: services.channels, conversations: services.conversations },
      { web: channelIds.web ?? [], webchat: channelIds.webchat![0]! },
      careTeam,
    );
    progress(
      `contact centre: team Customer care (${careTeam.length} agents), ${care.slaPolicies} SLA policies`,
    );
  }
  const shops: DemoSeedResult['shops'] = [];
  for (const input of demoChannels.filter((c) => c.kind === 'web')) {
    const channelId = channelIds.web![shops.length]!;
    const key = await services.apiKeys.createApiKey(
      { kind: 'publishable', name: `${input.name} (demo)`, channel_id: channelId },
      systemActor,
    );
    shops.push({ name: input.name, currency: String(input.config?.currency), key: key.key });
  }
  return {
    channels: demoChannels.length,
    locations: locations.length,
    staff: demoStaff.map(({ email, role }) => ({ email, role })),
    staffPassword,
    webPublishableKey: shops[0]!.key,
    shops,
    customers,
    catalog,
  };
}
