/** @module Location queries and the row mapper; every function takes the database or a transaction first. */
import type { Insertable, Selectable } from 'kysely';
import { isUniqueViolation } from '../../platform/db/errors';
import { decodeBool, decodeJson, encodeBool, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { LocationRow } from './location.table';

export const locationKinds = ['store', 'warehouse', 'dark_store', 'locker'] as const;
export type LocationKind = (typeof locationKinds)[number];

/**
 * What a location does: `ship` parcels (warehouses, dark stores), `pickup` (click and collect, lockers),
 * `same_day` delivery within a radius, take `returns`, and `ship_from_store` (a store sending online orders).
 */
export const locationCapabilities = ['ship', 'pickup', 'same_day', 'returns', 'ship_from_store'] as const;
export type LocationCapability = (typeof locationCapabilities)[number];

/** The capabilities a new location gets when it names none: what its kind usually does. */
export const defaultCapabilities: Record<LocationKind, LocationCapability[]> = {
  store: ['pickup', 'returns', 'ship_from_store'],
  warehouse: ['ship'],
  dark_store: ['ship', 'same_day'],
  locker: ['pickup'],
};

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** Opening intervals per weekday, local time of the location: `[['10:00', '14:00'], ['17:00', '21:00']]`. */
export type OpeningHours = Record<Weekday, Array<[string, string]>>;

export interface Address {
  line1: string;
  line2?: string | undefined;
  postal_code: string;
  city: string;
  region?: string | undefined;
  /** ISO 3166-1 alpha-2. */
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
  capabilities: LocationCapability[];
  /** Working minutes (within opening hours) to prepare a pickup. */
  pickup_preparation_minutes: number;
  /** Same-day orders are taken until this local time ('14:00'); null: no same-day delivery. */
  same_day_cutoff: string | null;
  same_day_radius_km: number | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}

const MICRO = 1_000_000;

/** Degrees → stored microdegrees; anything finer than a microdegree (~11 cm) is rounded away. */
export const toMicrodegrees = (degrees: number): number => Math.round(degrees * MICRO);

/**
 * Stored microdegrees → degrees. Dividing the exact integer by 1e6 gives back the very number a client sent
 * with up to six decimals, on both dialects.
 */
export const fromMicrodegrees = (micro: number): number => micro / MICRO;

export function locationFromRow(row: Selectable<LocationRow>): Location {
  return {
    id: row.id,
    kind: row.kind as LocationKind,
    name: row.name,
    code: row.code,
    address: decodeJson<Address>(row.address),
    latitude: fromMicrodegrees(Number(row.latitude_e6)),
    longitude: fromMicrodegrees(Number(row.longitude_e6)),
    timezone: row.timezone,
    opening_hours: decodeJson<OpeningHours>(row.opening_hours),
    channel_id: row.channel_id,
    capabilities: decodeJson<LocationCapability[]>(row.capabilities),
    pickup_preparation_minutes: Number(row.pickup_preparation_minutes),
    same_day_cutoff: row.same_day_cutoff,
    same_day_radius_km: row.same_day_radius_m == null ? null : Number(row.same_day_radius_m) / 1000,
    active: decodeBool(row.active),
    created_at: toIsoRequired(row.created_at),
    updated_at: toIsoRequired(row.updated_at),
  };
}

/**
 * Whether an error is the unique index on `locations.code` refusing a second location with the same code.
 * The index, not a read before the write, is what keeps codes unique under concurrent requests.
 */
export const isDuplicateCode = (error: unknown): boolean =>
  isUniqueViolation(error, { constraint: 'locations_code_uq', column: 'locations.code' });

export async function findLocationRow(db: DbOrTrx, id: string): Promise<Selectable<LocationRow> | undefined> {
  return db.selectFrom('locations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertLocation(db: DbOrTrx, row: Insertable<LocationRow>): Promise<void> {
  await db.insertInto('locations').values(row).execute();
}

export async function updateLocationRow(
  db: DbOrTrx,
  id: string,
  set: Partial<Selectable<LocationRow>>,
): Promise<void> {
  await db.updateTable('locations').set(set).where('id', '=', id).execute();
}

export async function listLocationRows(
  db: DbOrTrx,
  filter: PageRequest & { kind?: string | undefined; active?: boolean | undefined },
): Promise<Page<Location>> {
  let q = db.selectFrom('locations').selectAll();
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.active !== undefined) q = q.where('active', '=', encodeBool(filter.active));
  return paginate(q, 'id', filter, locationFromRow);
}

/** Which of these ids name a location (one query, for checking every line of a request at once). */
export async function existingLocationIds(db: DbOrTrx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('locations')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function findLocationRows(db: DbOrTrx, ids: string[]): Promise<Array<Selectable<LocationRow>>> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('locations')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
}
