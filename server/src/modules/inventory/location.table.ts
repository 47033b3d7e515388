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
  active: number | boolean;
  created_at: number;
  updated_at: number;
}

export interface LocationTables {
  locations: LocationRow;
}
