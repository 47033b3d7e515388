/**
 * @module Types of the inventory API, mirroring the server's TypeBox response schemas
 * (server/src/modules/inventory/*.routes.ts), and the closed sets the screens offer as choices.
 */
export const LOCATION_KINDS = ['store', 'warehouse', 'dark_store', 'locker'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
export const CAPABILITIES = ['ship', 'pickup', 'same_day', 'returns', 'ship_from_store'] as const;
export type Capability = (typeof CAPABILITIES)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type OpeningHours = Record<Weekday, Array<[string, string]>>;
export const DELIVERY_MODES = ['ship', 'pickup', 'same_day'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const MOVEMENT_KINDS = [
  'receipt',
  'sale',
  'pos_sale',
  'reservation',
  'release',
  'adjustment',
  'cycle_count',
  'transfer_out',
  'transfer_in',
  'return_restock',
  'damage',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export const RESERVATION_STATUSES = [
  'active',
  'confirmed',
  'in_transit',
  'released',
  'expired',
  'fulfilled',
] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];
export const TRANSFER_STATUSES = ['in_transit', 'received'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export interface Address {
  line1: string;
  line2?: string;
  postal_code: string;
  city: string;
  region?: string;
  country: string;
}

export interface Location {
  id: string;
  kind: LocationKind;
  name: string;
  code: string;
  address: Address;
  latitude: number;
  longitude: number;
  timezone: string;
  opening_hours: OpeningHours;
  channel_id: string | null;
  capabilities: Capability[];
  pickup_preparation_minutes: number;
  same_day_cutoff: string | null;
  same_day_radius_km: number | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export type LocationInput = Omit<Location, 'id' | 'created_at' | 'updated_at' | 'channel_id'> & {
  channel_id?: string | null;
};

export interface StockLevel {
  sku: string;
  location_id: string;
  on_hand: number;
  reserved: number;
  safety_stock: number;
  incoming: number;
  available: number;
  low_stock_threshold: number | null;
  updated_at: string;
}

export interface Movement {
  id: string;
  sku: string;
  location_id: string;
  kind: MovementKind;
  on_hand_delta: number;
  reserved_delta: number;
  incoming_delta: number;
  on_hand_after: number;
  reserved_after: number;
  reason: string | null;
  actor: { type: string; id: string | null };
  channel_id: string | null;
  reference: { type: string; id: string } | null;
  occurred_at: string;
}

export interface Reservation {
  id: string;
  key: string | null;
  status: ReservationStatus;
  channel_id: string;
  sku: string;
  location_id: string;
  quantity: number;
  reference: { type: string; id: string };
  expires_at: string | null;
  confirmed_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Transfer {
  id: string;
  from_location_id: string;
  to_location_id: string;
  status: TransferStatus;
  eta: string;
  reason: string | null;
  lines: Array<{ sku: string; quantity: number; received_quantity: number | null }>;
  shipped_at: string;
  received_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The lead time from one location to another; a pair without a lane uses the global lead time. */
export interface TransferLane {
  id: string;
  from_location_id: string;
  to_location_id: string;
  lead_hours: number;
  /** Weekdays transfers leave on (source's time zone); null: any day. */
  departure_days: Weekday[] | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveryPromise {
  mode: DeliveryMode;
  ready_at: string;
  delivery_date: string;
  factors: string[];
}

export interface Point {
  latitude: number;
  longitude: number;
}

export interface LocationAvailability {
  location_id: string;
  code: string;
  name: string;
  kind: string;
  distance_km: number | null;
  available: number;
  incoming: Array<{ quantity: number; eta: string }>;
  promise: DeliveryPromise | null;
  /** mode=pickup: the store has it now, or another location sends it by transfer (the promise counts it). */
  pickup: 'available_now' | 'available_after_transfer' | null;
  /** Where the units would come from, and when a transfer sent now arrives. */
  transfer_from: { location_id: string; name: string; eta: string } | null;
}

export interface Availability {
  channel_id: string;
  mode: DeliveryMode | null;
  near: Point | null;
  radius_km: number | null;
  quantity: number;
  skus: Array<{
    sku: string;
    available: number;
    locations_in_stock: number;
    promise: (DeliveryPromise & { location_id: string }) | null;
    locations: LocationAvailability[];
  }>;
}

export interface PlanLine {
  sku: string;
  quantity: number;
}

export interface SourcingPlan {
  channel_id: string;
  mode: DeliveryMode;
  near: Point | null;
  complete: boolean;
  shipments: Array<{
    location_id: string;
    code: string;
    name: string;
    distance_km: number | null;
    priority: number;
    lines: PlanLine[];
    promise: DeliveryPromise | null;
  }>;
  unfulfilled: PlanLine[];
  available: Record<string, number>;
  explanation: Array<{
    location_id: string;
    code: string;
    name: string;
    chosen: boolean;
    reason: string;
    detail: string;
  }>;
}

export interface Allocation {
  channel_id: string;
  locations: Array<{ location_id: string; code: string; name: string; priority: number; holdback: number }>;
}
