/** @module Row type of the locations registry: the stores, warehouses, dark stores and lockers that hold stock. */

export interface LocationRow {
  id: string;
  kind: string;
  name: string;
  /** Short unique code people use for the location (`MAD01`). */
  code: string;
  /** `{ line1, line2?, postal_code, city, region?, country }`. */
  address: unknown;
  /**
   * Coordinates in microdegrees (degrees × 1e6, ~11 cm). Integers, not floats: our columns never hold floats, so
   * SQLite's REAL and PostgreSQL's double precision can never round a value differently; the mapper converts.
   */
  latitude_e6: number;
  longitude_e6: number;
  /** IANA time zone name (`Europe/Madrid`). */
  timezone: string;
  /** `{ mon: [['10:00', '21:00']], …, sun: [] }`. */
  opening_hours: unknown;
  /** The store channel that sells from this location, if any. */
  channel_id: string | null;
  /** `["pickup", "returns", "ship_from_store"]`: what the location does (see locationCapabilities). */
  capabilities: unknown;
  /** Working minutes between an order and its pickup being ready. */
  pickup_preparation_minutes: number;
  /** Same-day orders taken until this local time ('HH:MM'); null when it does not deliver the same day. */
  same_day_cutoff: string | null;
  /** How far from the location it delivers the same day, in metres. */
  same_day_radius_m: number | null;
  active: number | boolean;
  created_at: number;
  updated_at: number;
}

export interface LocationTables {
  locations: LocationRow;
}
