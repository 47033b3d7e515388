/** @module Distances between stored coordinates: haversine on a sphere of the Earth's mean radius. */

const EARTH_RADIUS_KM = 6371.0088;
const toRad = (deg: number) => (deg * Math.PI) / 180;

export interface Point {
  latitude: number;
  longitude: number;
}

/**
 * Great-circle distance in kilometres, to the metre. Good to about 0.5% anywhere, far finer than any delivery
 * radius needs.
 * @example distanceKm({ latitude: 40.4168, longitude: -3.7038 }, { latitude: 41.3874, longitude: 2.1686 }) // ≈ 505
 */
export function distanceKm(a: Point, b: Point): number {
  const dLat = toRad(b.latitude - a.latitude);
  const dLon = toRad(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRad(a.latitude)) * Math.cos(toRad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  const km = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  return Math.round(km * 1000) / 1000;
}
