/**
 * @module Routes: availability to promise (/v1/availability, and /store/v1/availability for a storefront's
 * publishable key, which answers for its own channel only) and sourcing plans (/v1/sourcing/plan).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../platform/errors';
import type { Principal } from '../../platform/auth/principal';
import { Nullable, strictObject } from '../../platform/http/schemas';
import type { AvailabilityService } from './availability.service';
import type { Point } from './geo';
import { ChannelId, ModeSchema, PointSchema, PromiseSchema, Sku, Units } from './inventory.schemas';
import type { SourcingService } from './sourcing.service';

const tags = ['inventory'];
const SKU = '[A-Za-z0-9][A-Za-z0-9._/-]{0,63}';

const AvailabilityQuery = {
  skus: Type.String({
    pattern: `^${SKU}(?:,${SKU}){0,99}$`,
    description: 'Up to 100 SKUs, comma-separated',
  }),
  latitude: Type.Optional(
    Type.Number({ minimum: -90, maximum: 90, description: 'Search point (with longitude)' }),
  ),
  longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  radius_km: Type.Optional(
    Type.Number({ exclusiveMinimum: 0, maximum: 20_000, description: 'Only locations this near' }),
  ),
  mode: Type.Optional(ModeSchema),
  quantity: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Units per SKU (default 1)' }),
  ),
};

const LocationAvailabilitySchema = Type.Object({
  location_id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  distance_km: Nullable(Type.Number()),
  available: Type.Integer(),
  incoming: Type.Array(Type.Object({ quantity: Type.Integer(), eta: Type.String() })),
  promise: Nullable(PromiseSchema),
  pickup: Nullable(
    Type.Union([Type.Literal('available_now'), Type.Literal('available_after_transfer')], {
      description:
        'mode=pickup: the store has the units now, or another location sends them by transfer (promise counts it)',
    }),
  ),
  transfer_from: Nullable(
    Type.Object({
      location_id: Type.String(),
      name: Type.String(),
      eta: Type.String({ format: 'date-time', description: 'When a transfer sent now arrives' }),
    }),
  ),
});

const AvailabilitySchema = Type.Object(
  {
    channel_id: Type.String(),
    mode: Nullable(ModeSchema),
    near: Nullable(Type.Object({ latitude: Type.Number(), longitude: Type.Number() })),
    radius_km: Nullable(Type.Number()),
    quantity: Type.Integer(),
    skus: Type.Array(
      Type.Object({
        sku: Type.String(),
        available: Type.Integer(),
        locations_in_stock: Type.Integer(),
        promise: Nullable(
          Type.Object({ ...PromiseSchema.properties, location_id: Type.String() }, { title: 'BestPromise' }),
        ),
        locations: Type.Array(LocationAvailabilitySchema),
      }),
    ),
  },
  { title: 'Availability' },
);

const PlanLineSchema = Type.Object({ sku: Type.String(), quantity: Type.Integer() });

const PlanSchema = Type.Object(
  {
    channel_id: Type.String(),
    mode: ModeSchema,
    near: Nullable(Type.Object({ latitude: Type.Number(), longitude: Type.Number() })),
    complete: Type.Boolean(),
    shipments: Type.Array(
      Type.Object({
        location_id: Type.String(),
        code: Type.String(),
        name: Type.String(),
        distance_km: Nullable(Type.Number()),
        priority: Type.Integer(),
        lines: Type.Array(PlanLineSchema),
        promise: Nullable(PromiseSchema),
      }),
    ),
    unfulfilled: Type.Array(PlanLineSchema),
    available: Type.Record(Type.String(), Type.Integer()),
    explanation: Type.Array(
      Type.Object({
        location_id: Type.String(),
        code: Type.String(),
        name: Type.String(),
        chosen: Type.Boolean(),
        reason: Type.String(),
        detail: Type.String(),
      }),
    ),
  },
  { title: 'SourcingPlan' },
);

/** The search point from query parameters: both coordinates or neither. */
function pointOf(query: {
  latitude?: number | undefined;
  longitude?: number | undefined;
}): Point | undefined {
  const { latitude, longitude } = query;
  if (latitude === undefined && longitude === undefined) return undefined;
  if (latitude === undefined || longitude === undefined) {
    const field = latitude === undefined ? 'query.latitude' : 'query.longitude';
    throw new AppError('validation_failed', `${field} is required with the other coordinate`, {
      errors: [{ field, message: 'is required with the other coordinate' }],
    });
  }
  return { latitude, longitude };
}

const channelOfKey = (principal: Principal): string => {
  if (principal.kind !== 'publishable_key')
    throw new AppError('forbidden', 'This endpoint is for publishable keys.');
  return principal.channelId;
};

export function availabilityRoutes(deps: {
  availability: AvailabilityService;
  sourcing: SourcingService;
}): FastifyPluginAsyncTypebox {
  const { availability, sourcing } = deps;
  return async (app) => {
    app.get(
      '/v1/availability',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary:
            'What a channel can sell of many SKUs: total, per location, near a point, with promise dates',
          querystring: strictObject({ channel_id: ChannelId, ...AvailabilityQuery }),
          response: { 200: AvailabilitySchema },
        },
      },
      async (request) =>
        availability.checkAvailability({
          ...request.query,
          skus: request.query.skus.split(','),
          near: pointOf(request.query),
        }),
    );

    app.get(
      '/store/v1/availability',
      {
        config: { access: 'publishable' },
        schema: {
          tags,
          summary: 'Availability for the storefront’s own channel (the publishable key’s)',
          querystring: strictObject(AvailabilityQuery),
          response: { 200: AvailabilitySchema },
        },
      },
      async (request) =>
        availability.checkAvailability({
          ...request.query,
          channel_id: channelOfKey(request.principal),
          skus: request.query.skus.split(','),
          near: pointOf(request.query),
        }),
    );

    app.post(
      '/v1/sourcing/plan',
      {
        config: { access: 'inventory:read' },
        schema: {
          tags,
          summary:
            'Propose a fulfilment plan (fewest shipments, then distance, then priority) and explain it',
          body: strictObject({
            channel_id: ChannelId,
            mode: ModeSchema,
            lines: Type.Array(strictObject({ sku: Sku, quantity: Units }), { minItems: 1, maxItems: 100 }),
            near: Type.Optional(PointSchema),
            radius_km: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 20_000 })),
          }),
          response: { 200: PlanSchema },
        },
      },
      async (request) => sourcing.planFulfilment(request.body),
    );
  };
}
