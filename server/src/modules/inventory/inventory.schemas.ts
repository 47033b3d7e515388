/** @module TypeBox schemas the inventory routes share: SKUs, quantities, references, points and the read models. */
import { Type } from 'typebox';
import { IsoTime, Nullable, strictObject } from '../../platform/http/schemas';
import { movementKinds } from './stock.repository';
import { deliveryModes } from './promise';

/** The catalog's SKU shape: inventory keys stock by it without reading catalog tables. */
export const Sku = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]*$',
  maxLength: 64,
  description: 'Stock keeping unit: letters, digits, . _ / -',
});
export const LocationId = Type.String({ minLength: 1, maxLength: 64, description: 'A location id (loc_…)' });
export const ChannelId = Type.String({ minLength: 1, maxLength: 64, description: 'A channel id (cha_…)' });
/** Whole units: fractions and negatives are refused by the schema, naming the field. */
export const Units = Type.Integer({ minimum: 1, maximum: 1_000_000 });
export const Reason = Type.String({ minLength: 1, maxLength: 500 });
export const ReferenceSchema = strictObject(
  {
    type: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$', description: 'cart, order, purchase_order, …' }),
    id: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { description: 'What caused it' },
);
export const PointSchema = strictObject({
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
});
export const ModeSchema = Type.Enum(deliveryModes);

export const StockLevelSchema = Type.Object(
  {
    sku: Type.String(),
    location_id: Type.String(),
    on_hand: Type.Integer(),
    reserved: Type.Integer(),
    safety_stock: Type.Integer(),
    incoming: Type.Integer(),
    available: Type.Integer({ description: 'on hand − reserved − safety stock, never below 0' }),
    low_stock_threshold: Nullable(Type.Integer()),
    updated_at: IsoTime,
  },
  { title: 'StockLevel' },
);

export const MovementSchema = Type.Object(
  {
    id: Type.String(),
    sku: Type.String(),
    location_id: Type.String(),
    kind: Type.Enum(movementKinds),
    on_hand_delta: Type.Integer(),
    reserved_delta: Type.Integer(),
    incoming_delta: Type.Integer(),
    on_hand_after: Type.Integer(),
    reserved_after: Type.Integer(),
    reason: Nullable(Type.String()),
    actor: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
    channel_id: Nullable(Type.String()),
    reference: Nullable(Type.Object({ type: Type.String(), id: Type.String() })),
    occurred_at: IsoTime,
  },
  { title: 'StockMovement' },
);

export const PromiseSchema = Type.Object(
  {
    mode: ModeSchema,
    ready_at: IsoTime,
    delivery_date: Type.String({ format: 'date' }),
    factors: Type.Array(Type.String()),
  },
  { title: 'DeliveryPromise' },
);
