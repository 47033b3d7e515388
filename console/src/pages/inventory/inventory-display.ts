/**
 * @module Small pieces every inventory screen shares: location lookups by id, select options, distances and
 * the SKU shape the server accepts (checked here too, so a typo is caught before a round trip).
 */
import { useMemo } from 'react';
import { useLocations, type Location } from '../../api/inventory';
import { formatNumber } from '../../lib/format';

export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** The locations and a lookup by id; unknown ids (a location deleted since) show as their id. */
export function useLocationIndex() {
  const locations = useLocations();
  const byId = useMemo(() => new Map((locations.data ?? []).map((l) => [l.id, l])), [locations.data]);
  const nameOf = (id: string) => {
    const location = byId.get(id);
    return location ? `${location.code} · ${location.name}` : id;
  };
  const options = useMemo(
    () => (locations.data ?? []).map((l: Location) => ({ value: l.id, label: `${l.code} · ${l.name}` })),
    [locations.data],
  );
  return { locations, byId, nameOf, options };
}

/** "3.2 km", "850 m", in the reader's number format. */
export function formatDistance(km: number | null): string {
  if (km === null) return '—';
  if (km < 1) return `${formatNumber(Math.round(km * 1000))} m`;
  return `${formatNumber(km, { maximumFractionDigits: km < 10 ? 1 : 0 })} km`;
}

/** Splits "A-1, B-2  C-3" into SKUs, dropping blanks and repeats. */
export function parseSkus(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}
