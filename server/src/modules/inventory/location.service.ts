/**
 * @module Locations registry: every place that holds stock — stores, warehouses, dark stores, lockers — with its
 * address, coordinates, time zone and opening hours, and the store channel that sells from it. Stock, capabilities
 * and availability build on these ids.
 */
import { AppError, notFound, type FieldError } from '../../platform/errors';
import { encodeBool, encodeJson } from '../../platform/db/codecs';
import type { Db } from '../../platform/db/database';
import { inTransaction } from '../../platform/db/transaction';
import { newId } from '../../platform/ids';
import type { Page, PageRequest } from '../../platform/http/pagination';
import type { Actor } from '../../platform/auth/principal';
import type { EventBus } from '../../platform/events/outbox';
import {
  findLocationRow,
  insertLocation,
  isDuplicateCode,
  listLocationRows,
  locationFromRow,
  toMicrodegrees,
  updateLocationRow,
  weekdays,
  defaultCapabilities,
  type Address,
  type Location,
  type LocationCapability,
  type LocationKind,
  type OpeningHours,
} from './location.repository';

export interface CreateLocationInput {
  kind: LocationKind;
  name: string;
  code: string;
  address: Address;
  latitude: number;
  longitude: number;
  timezone: string;
  /** Omitted: no published hours (every day empty), as for a warehouse closed to the public. */
  opening_hours?: OpeningHours | undefined;
  channel_id?: string | null | undefined;
  /** Omitted: what the kind usually does (a store: pickup, returns, ship_from_store). */
  capabilities?: LocationCapability[] | undefined;
  /** Working minutes to prepare a pickup; default 60. */
  pickup_preparation_minutes?: number | undefined;
  /** Required with the `same_day` capability. */
  same_day_cutoff?: string | null | undefined;
  same_day_radius_km?: number | null | undefined;
  active?: boolean | undefined;
}

export interface UpdateLocationInput {
  name?: string | undefined;
  code?: string | undefined;
  address?: Address | undefined;
  latitude?: number | undefined;
  longitude?: number | undefined;
  timezone?: string | undefined;
  opening_hours?: OpeningHours | undefined;
  /** A channel id links the location, null unlinks it, absent leaves it. */
  channel_id?: string | null | undefined;
  capabilities?: LocationCapability[] | undefined;
  pickup_preparation_minutes?: number | undefined;
  same_day_cutoff?: string | null | undefined;
  same_day_radius_km?: number | null | undefined;
  active?: boolean | undefined;
}

const DEFAULT_PICKUP_PREPARATION_MINUTES = 60;

/** Metres in the column, kilometres in the API; a metre is as fine as a radius needs to be. */
const toMetres = (km: number | null | undefined): number | null =>
  km == null ? null : Math.round(km * 1000);

/**
 * Same-day delivery needs a cut-off and a radius: without them no promise could be made. Checked on the state
 * the location would have after the change, so a PATCH adding `same_day` alone is refused too.
 */
function checkSameDay(
  state: { capabilities: LocationCapability[]; cutoff: string | null; radiusM: number | null },
  errors: FieldError[],
): void {
  if (!state.capabilities.includes('same_day')) return;
  if (state.cutoff === null)
    errors.push({ field: 'body.same_day_cutoff', message: 'is required for the same_day capability' });
  if (state.radiusM === null || state.radiusM <= 0)
    errors.push({ field: 'body.same_day_radius_km', message: 'is required for the same_day capability' });
}

const invalid = (errors: FieldError[]) =>
  new AppError('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });

const closedAllWeek = (): OpeningHours =>
  Object.fromEntries(weekdays.map((d) => [d, []])) as unknown as OpeningHours;

// An IANA name (`Europe/Madrid`, `UTC`); newer engines also accept offsets such as `+01:00`, which are not one.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/**
 * The time zone as the engine spells it (`europe/madrid` → `Europe/Madrid`), or null when it knows no such zone.
 * `Intl.DateTimeFormat` is the check rather than `Intl.supportedValuesOf('timeZone')`, which leaves out valid
 * names such as `UTC` and links such as `Europe/Kiev`. A link keeps the caller's spelling rather than becoming
 * its target (`EST` is not stored as `America/Panama`).
 */
export function canonicalTimeZone(name: string): string | null {
  if (!IANA_NAME.test(name)) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    return resolved.toLowerCase() === name.toLowerCase() ? resolved : name;
  } catch {
    return null;
  }
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** An ISO 3166-1 alpha-2 code the engine knows (`ES`), not merely two capital letters (`XX`). */
const isKnownCountry = (code: string): boolean =>
  /^[A-Z]{2}$/.test(code) && code !== 'ZZ' && regionNames.of(code) !== code;

function checkOpeningHours(hours: OpeningHours, errors: FieldError[]): void {
  for (const day of weekdays) {
    let previousClose = '';
    for (const [i, [open, close]] of (hours[day] ?? []).entries()) {
      const field = `body.opening_hours.${day}.${i}`;
      // HH:MM strings compare in time order; '24:00' may only close a day.
      if (!(open < close)) errors.push({ field, message: 'must open before it closes' });
      else if (open < previousClose)
        errors.push({ field, message: 'must start after the previous interval of the day ends' });
      previousClose = close;
    }
  }
}

function normalizeAddress(address: Address): Address {
  const line2 = address.line2?.trim();
  const region = address.region?.trim();
  return {
    line1: address.line1.trim(),
    ...(line2 ? { line2 } : {}),
    postal_code: address.postal_code.trim(),
    city: address.city.trim(),
    ...(region ? { region } : {}),
    country: address.country,
  };
}

export function createLocationsService(deps: {
  db: Db;
  events: EventBus;
  /** The channels service's check: a location may only name a channel that exists. */
  channelExists: (id: string) => Promise<boolean>;
}) {
  const { db, events } = deps;

  /**
   * Checks what the request schema cannot (time zone, country, hours, the linked channel) and reports every bad
   * field at once; returns the time zone as the engine spells it. Runs before any transaction: the channel check
   * reads through another service.
   */
  async function check(input: UpdateLocationInput): Promise<{ timezone: string | undefined }> {
    const errors: FieldError[] = [];
    let timezone: string | undefined;
    if (input.timezone !== undefined) {
      timezone = canonicalTimeZone(input.timezone) ?? undefined;
      if (!timezone) errors.push({ field: 'body.timezone', message: 'is not an IANA time zone' });
    }
    for (const [key, min, max] of [
      ['latitude', -90, 90],
      ['longitude', -180, 180],
    ] as const) {
      const value = input[key];
      if (value !== undefined && !(Number.isFinite(value) && value >= min && value <= max))
        errors.push({ field: `body.${key}`, message: `must be between ${min} and ${max}` });
    }
    if (input.address && !isKnownCountry(input.address.country))
      errors.push({ field: 'body.address.country', message: 'is not an ISO 3166-1 alpha-2 country code' });
    if (input.opening_hours) checkOpeningHours(input.opening_hours, errors);
    if (input.channel_id && !(await deps.channelExists(input.channel_id)))
      errors.push({ field: 'body.channel_id', message: 'is not a known channel' });
    if (errors.length > 0) throw invalid(errors);
    return { timezone };
  }

  /** Runs a write; a duplicate code refused by the unique index becomes a 409 naming the field. */
  async function guardCode<T>(code: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isDuplicateCode(err)) {
        throw new AppError('conflict', `Another location already has the code ${code}.`, {
          errors: [{ field: 'body.code', message: 'is already used by another location' }],
        });
      }
      throw err;
    }
  }

  return {
    async listLocations(
      filter: PageRequest & { kind?: LocationKind | undefined; active?: boolean | undefined },
    ): Promise<Page<Location>> {
      return listLocationRows(db, filter);
    },

    async retrieveLocation(id: string): Promise<Location> {
      const row = await findLocationRow(db, id);
      if (!row) throw notFound('location', id);
      return locationFromRow(row);
    },

    /**
     * Registers a location.
     * @example await locations.createLocation({ kind: 'store', name: 'Madrid — Fuencarral', code: 'MAD01',
     *   address: { line1: 'Calle de Fuencarral 45', postal_code: '28004', city: 'Madrid', country: 'ES' },
     *   latitude: 40.4232, longitude: -3.7017, timezone: 'Europe/Madrid', channel_id: 'cha_…' }, actor)
     */
    async createLocation(input: CreateLocationInput, actor: Actor): Promise<Location> {
      const { timezone } = await check(input);
      const capabilities = input.capabilities ?? defaultCapabilities[input.kind];
      const sameDay = { cutoff: input.same_day_cutoff ?? null, radiusM: toMetres(input.same_day_radius_km) };
      const errors: FieldError[] = [];
      checkSameDay({ capabilities, ...sameDay }, errors);
      if (errors.length > 0) throw invalid(errors);
      const now = Date.now();
      const row = {
        id: newId('loc'),
        kind: input.kind,
        name: input.name.trim(),
        code: input.code,
        address: encodeJson(normalizeAddress(input.address)),
        latitude_e6: toMicrodegrees(input.latitude),
        longitude_e6: toMicrodegrees(input.longitude),
        timezone: timezone ?? input.timezone,
        opening_hours: encodeJson(input.opening_hours ?? closedAllWeek()),
        channel_id: input.channel_id ?? null,
        capabilities: encodeJson(capabilities),
        pickup_preparation_minutes: input.pickup_preparation_minutes ?? DEFAULT_PICKUP_PREPARATION_MINUTES,
        same_day_cutoff: sameDay.cutoff,
        same_day_radius_m: sameDay.radiusM,
        active: encodeBool(input.active ?? true),
        created_at: now,
        updated_at: now,
      };
      await guardCode(input.code, () =>
        inTransaction(db, async (trx) => {
          await insertLocation(trx, row);
          await events.append(trx, {
            type: 'location.created',
            aggregate: { type: 'location', id: row.id },
            actor,
            data: { id: row.id, kind: row.kind, code: row.code, channel_id: row.channel_id },
          });
        }),
      );
      return locationFromRow(row);
    },

    /**
     * Changes a location; its kind is fixed once registered.
     * @example await locations.updateLocation('loc_…', { opening_hours: { …, sun: [['11:00', '15:00']] } }, actor)
     */
    async updateLocation(id: string, patch: UpdateLocationInput, actor: Actor): Promise<Location> {
      const { timezone } = await check(patch);
      return guardCode(patch.code, () =>
        inTransaction(db, async (trx) => {
          const current = await findLocationRow(trx, id);
          if (!current) throw notFound('location', id);
          const before = locationFromRow(current);
          const errors: FieldError[] = [];
          checkSameDay(
            {
              capabilities: patch.capabilities ?? before.capabilities,
              cutoff: patch.same_day_cutoff !== undefined ? patch.same_day_cutoff : before.same_day_cutoff,
              radiusM:
                patch.same_day_radius_km !== undefined
                  ? toMetres(patch.same_day_radius_km)
                  : current.same_day_radius_m,
            },
            errors,
          );
          if (errors.length > 0) throw invalid(errors);
          await updateLocationRow(trx, id, {
            ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
            ...(patch.code !== undefined ? { code: patch.code } : {}),
            ...(patch.address !== undefined ? { address: encodeJson(normalizeAddress(patch.address)) } : {}),
            ...(patch.latitude !== undefined ? { latitude_e6: toMicrodegrees(patch.latitude) } : {}),
            ...(patch.longitude !== undefined ? { longitude_e6: toMicrodegrees(patch.longitude) } : {}),
            ...(timezone !== undefined ? { timezone } : {}),
            ...(patch.opening_hours !== undefined ? { opening_hours: encodeJson(patch.opening_hours) } : {}),
            ...(patch.channel_id !== undefined ? { channel_id: patch.channel_id } : {}),
            ...(patch.active !== undefined ? { active: encodeBool(patch.active) } : {}),
            ...(patch.capabilities !== undefined ? { capabilities: encodeJson(patch.capabilities) } : {}),
            ...(patch.pickup_preparation_minutes !== undefined
              ? { pickup_preparation_minutes: patch.pickup_preparation_minutes }
              : {}),
            ...(patch.same_day_cutoff !== undefined ? { same_day_cutoff: patch.same_day_cutoff } : {}),
            ...(patch.same_day_radius_km !== undefined
              ? { same_day_radius_m: toMetres(patch.same_day_radius_km) }
              : {}),
            updated_at: Date.now(),
          });
          const fields = Object.keys(patch).filter(
            (k) => patch[k as keyof UpdateLocationInput] !== undefined,
          );
          await events.append(trx, {
            type: 'location.updated',
            aggregate: { type: 'location', id },
            actor,
            data: { id, fields },
          });
          return locationFromRow((await findLocationRow(trx, id))!);
        }),
      );
    },
  };
}

export type LocationsService = ReturnType<typeof createLocationsService>;
