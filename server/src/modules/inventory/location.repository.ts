/** @module Location queries and the row mapper; every function takes the database or a transaction first. */
import type { Insertable, Selectable } from 'kysely';
import { isUniqueViolation } from '../../platform/db/errors';
import { decodeBool, decodeJson, encodeBool, toIsoRequired } from '../../platform/db/codecs';
import type { DbOrTrx } from '../../platform/db/transaction';
import { paginate, type Page, type PageRequest } from '../../platform/http/pagination';
import type { LocationRow } from './location.table';

export const locationKinds = ['store', 'warehouse', 'dark_store', 'locker'] as const;
export type LocationKind = (typeof locationKinds)[number];

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
