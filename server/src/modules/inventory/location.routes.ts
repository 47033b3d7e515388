/** @module Routes: the locations registry (/v1/locations). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth/principal';
import { IdParams, IsoTime, ListQuery, Nullable, listOf, strictObject } from '../../platform/http/schemas';
import { locationCapabilities, locationKinds } from './location.repository';
import type { LocationsService } from './location.service';

const KindSchema = Type.Enum(locationKinds);

const Code = Type.String({
  pattern: '^[A-Z0-9][A-Z0-9_-]{0,31}$',
  description: 'Short unique code in capitals, digits, - and _ (MAD01)',
});
const Latitude = Type.Number({ minimum: -90, maximum: 90, description: 'Degrees; kept to 6 decimals' });
const Longitude = Type.Number({ minimum: -180, maximum: 180, description: 'Degrees; kept to 6 decimals' });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone (Europe/Madrid)' });
const ChannelId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'The store channel selling from it',
});

const Capabilities = Type.Array(Type.Enum(locationCapabilities), {
  uniqueItems: true,
  maxItems: locationCapabilities.length,
  description: 'What the location does; omitted on creation: what its kind usually does',
});
const PreparationMinutes = Type.Integer({
  minimum: 0,
  maximum: 10_080,
  description: 'Working minutes (within opening hours) to prepare a pickup; default 60',
});
const Cutoff = Nullable(
  Type.String({
    pattern: '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$',
    description: 'Same-day orders are taken until this local time (HH:MM); required with same_day',
  }),
);
const RadiusKm = Nullable(
  Type.Number({
    exclusiveMinimum: 0,
    maximum: 500,
    description: 'How far it delivers the same day, in km (kept to the metre); required with same_day',
  }),
);

const AddressSchema = strictObject(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    postal_code: Type.String({ minLength: 1, maxLength: 20 }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    region: Type.Optional(Type.String({ maxLength: 100 })),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 (ES)' }),
  },
  { description: 'Postal address' },
);

// 00:00–23:59, and 24:00 to close at midnight.
const Hhmm = Type.String({ pattern: '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
const Day = Type.Array(Type.Tuple([Hhmm, Hhmm]), {
  maxItems: 4,
  description: 'Open intervals [open, close] in local time, in order; empty when closed',
});
const OpeningHoursSchema = strictObject(
  { mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day },
  { description: 'Opening hours per weekday in the location’s time zone' },
);

const LocationSchema = Type.Object(
  {
    id: Type.String(),
    kind: KindSchema,
    name: Type.String(),
    code: Type.String(),
    address: AddressSchema,
    latitude: Type.Number(),
    longitude: Type.Number(),
    timezone: Type.String(),
    opening_hours: OpeningHoursSchema,
    channel_id: Nullable(Type.String()),
    capabilities: Type.Array(Type.Enum(locationCapabilities)),
    pickup_preparation_minutes: Type.Integer(),
    same_day_cutoff: Nullable(Type.String()),
    same_day_radius_km: Nullable(Type.Number()),
    active: Type.Boolean(),
    created_at: IsoTime,
    updated_at: IsoTime,
  },
  { title: 'Location' },
);

export function locationsRoutes(locations: LocationsService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/v1/locations',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags: ['inventory'],
          summary: 'List locations',
          querystring: strictObject({
            ...ListQuery,
            kind: Type.Optional(KindSchema),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 200: listOf(LocationSchema) },
        },
      },
      async (request) => locations.listLocations(request.query),
    );

    app.post(
      '/v1/locations',
      {
        config: { access: 'inventory:write', audit: 'location.create' },
        schema: {
          tags: ['inventory'],
          summary: 'Register a location (store, warehouse, dark store, locker)',
          body: strictObject({
            kind: KindSchema,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            code: Code,
            address: AddressSchema,
            latitude: Latitude,
            longitude: Longitude,
            timezone: TimeZone,
            opening_hours: Type.Optional(OpeningHoursSchema),
            channel_id: Type.Optional(Nullable(ChannelId)),
            capabilities: Type.Optional(Capabilities),
            pickup_preparation_minutes: Type.Optional(PreparationMinutes),
            same_day_cutoff: Type.Optional(Cutoff),
            same_day_radius_km: Type.Optional(RadiusKm),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 201: LocationSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await locations.createLocation(request.body, actorOf(request.principal))),
    );

    app.get(
      '/v1/locations/:id',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags: ['inventory'],
          summary: 'Retrieve a location',
          params: IdParams,
          response: { 200: LocationSchema },
        },
      },
      async (request) => locations.retrieveLocation(request.params.id),
    );

    app.patch(
      '/v1/locations/:id',
      {
        config: { access: 'inventory:write', audit: 'location.update' },
        schema: {
          tags: ['inventory'],
          summary: 'Change a location; channel_id null unlinks it from its channel',
          params: IdParams,
          body: strictObject({
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            code: Type.Optional(Code),
            address: Type.Optional(AddressSchema),
            latitude: Type.Optional(Latitude),
            longitude: Type.Optional(Longitude),
            timezone: Type.Optional(TimeZone),
            opening_hours: Type.Optional(OpeningHoursSchema),
            channel_id: Type.Optional(Nullable(ChannelId)),
            capabilities: Type.Optional(Capabilities),
            pickup_preparation_minutes: Type.Optional(PreparationMinutes),
            same_day_cutoff: Type.Optional(Cutoff),
            same_day_radius_km: Type.Optional(RadiusKm),
            active: Type.Optional(Type.Boolean()),
          }),
          response: { 200: LocationSchema },
        },
      },
      async (request) =>
        locations.updateLocation(request.params.id, request.body, actorOf(request.principal)),
    );
  };
}
