/**
 * @module An offline map of locations: an SVG drawn from their coordinates alone, because Omnis runs without
 * tile servers or any external request. The projection is equirectangular around the middle latitude (x is
 * longitude × cos φ₀), which keeps distances true to within a few per cent over a country; a graticule, a
 * scale bar, labels, same-day radii and an optional search point with its radius make it readable.
 */
import { Box, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { Location, LocationKind } from '../../api/inventory';
import { formatNumber } from '../../lib/format';
import { label, useInventoryT } from './inventory-i18n';

const W = 800;
const H = 440;
const PAD = 48;
// Labels sit to the right of their markers: keep room for them on that side.
const LABEL_ROOM = 110;
const KM_PER_DEGREE = 111.32;

const KIND_COLOURS: Record<LocationKind, string> = {
  store: '#228be6',
  warehouse: '#7048e8',
  dark_store: '#2b8a3e',
  locker: '#e8590c',
};

export interface MapPoint {
  latitude: number;
  longitude: number;
  radius_km?: number | undefined;
}

interface Props {
  locations: Location[];
  selectedId?: string | null;
  onSelect?: (id: string) => void;
  /** A search point (the availability checker's "here"), drawn as a cross with its radius. */
  point?: MapPoint | null;
  /** Draw each location's same-day delivery radius. */
  showSameDay?: boolean;
  /** Numbers to print under a marker (units available there), keyed by location id. */
  badges?: Map<string, string>;
  'data-testid'?: string;
}

/** 1, 2 or 5 × 10ⁿ: the largest "round" value not above `max`. */
function niceBelow(max: number): number {
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [5, 2, 1]) if (step * power <= max) return step * power;
  return power;
}

export function LocationMap(props: Props) {
  const { t } = useInventoryT();
  const { locations, point } = props;

  const view = useMemo(() => {
    const lats = locations.map((l) => l.latitude);
    const lons = locations.map((l) => l.longitude);
    if (point) {
      // The search radius should fit on the map too, not only its centre.
      const dLat = (point.radius_km ?? 0) / KM_PER_DEGREE;
      const dLon = dLat / Math.max(Math.cos((point.latitude * Math.PI) / 180), 0.1);
      lats.push(point.latitude - dLat, point.latitude + dLat);
      lons.push(point.longitude - dLon, point.longitude + dLon);
    }
    if (lats.length === 0) return null;
    let [minLat, maxLat] = [Math.min(...lats), Math.max(...lats)];
    let [minLon, maxLon] = [Math.min(...lons), Math.max(...lons)];
    // One location, or several in one street: show at least ~20 km around them.
    const minSpan = 0.2;
    if (maxLat - minLat < minSpan)
      [minLat, maxLat] = [(minLat + maxLat) / 2 - minSpan / 2, (minLat + maxLat) / 2 + minSpan / 2];
    if (maxLon - minLon < minSpan)
      [minLon, maxLon] = [(minLon + maxLon) / 2 - minSpan / 2, (minLon + maxLon) / 2 + minSpan / 2];
    const cos = Math.max(Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180), 0.05);
    const scale = Math.min(
      (W - 2 * PAD - LABEL_ROOM) / ((maxLon - minLon) * cos),
      (H - 2 * PAD) / (maxLat - minLat),
    );
    const offX = PAD + (W - 2 * PAD - LABEL_ROOM - (maxLon - minLon) * cos * scale) / 2;
    const offY = (H - (maxLat - minLat) * scale) / 2;
    const x = (lon: number) => offX + (lon - minLon) * cos * scale;
    const y = (lat: number) => offY + (maxLat - lat) * scale;
    const pxPerKm = scale / KM_PER_DEGREE;
    // Graticule every "round" number of degrees, about five lines across.
    const spanLat = (H / scale) * 1;
    const step = niceBelow(spanLat / 4);
    const lonAt = (px: number) => minLon + (px - offX) / (cos * scale);
    const latAt = (py: number) => maxLat - (py - offY) / scale;
    const meridians: number[] = [];
    for (let lon = Math.ceil(lonAt(0) / step) * step; lon <= lonAt(W); lon += step) meridians.push(lon);
    const parallels: number[] = [];
    for (let lat = Math.ceil(latAt(H) / step) * step; lat <= latAt(0); lat += step) parallels.push(lat);
    const barKm = niceBelow(160 / pxPerKm);
    return { x, y, pxPerKm, meridians, parallels, step, barKm };
  }, [locations, point]);

  if (!view) {
    return (
      <Box p="xl" ta="center" data-testid={props['data-testid'] ?? 'location-map'}>
        <Text c="dimmed">{t('inventory.map.empty')}</Text>
      </Box>
    );
  }

  const decimals = view.step < 1 ? Math.min(3, Math.ceil(-Math.log10(view.step))) : 0;
  const barPx = view.barKm * view.pxPerKm;
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={t('inventory.map.label')}
      style={{ width: '100%', height: 'auto', display: 'block', background: '#f1f6fb', borderRadius: 8 }}
      data-testid={props['data-testid'] ?? 'location-map'}
    >
      <g stroke="#d0dbe6" strokeWidth={1}>
        {view.meridians.map((lon) => (
          <line key={`m${lon}`} x1={view.x(lon)} x2={view.x(lon)} y1={0} y2={H} />
        ))}
        {view.parallels.map((lat) => (
          <line key={`p${lat}`} y1={view.y(lat)} y2={view.y(lat)} x1={0} x2={W} />
        ))}
      </g>
      <g fill="#8aa0b6" fontSize={10}>
        {view.meridians.map((lon) => (
          <text key={`mt${lon}`} x={view.x(lon) + 3} y={H - 4}>
            {`${formatNumber(Math.abs(lon), { maximumFractionDigits: decimals })}°${lon < 0 ? 'W' : 'E'}`}
          </text>
        ))}
        {view.parallels.map((lat) => (
          <text key={`pt${lat}`} x={3} y={view.y(lat) - 3}>
            {`${formatNumber(Math.abs(lat), { maximumFractionDigits: decimals })}°${lat < 0 ? 'S' : 'N'}`}
          </text>
        ))}
      </g>
      {props.showSameDay &&
        locations
          .filter((l) => l.same_day_radius_km && l.capabilities.includes('same_day'))
          .map((l) => (
            <circle
              key={`sd${l.id}`}
              cx={view.x(l.longitude)}
              cy={view.y(l.latitude)}
              r={(l.same_day_radius_km ?? 0) * view.pxPerKm}
              fill="#2b8a3e"
              fillOpacity={0.06}
              stroke="#2b8a3e"
              strokeOpacity={0.4}
              strokeDasharray="4 3"
            />
          ))}
      {point && (
        <g data-testid="map-search-point">
          {point.radius_km !== undefined && (
            <circle
              cx={view.x(point.longitude)}
              cy={view.y(point.latitude)}
              r={point.radius_km * view.pxPerKm}
              fill="#fa5252"
              fillOpacity={0.05}
              stroke="#fa5252"
              strokeOpacity={0.6}
              strokeDasharray="6 4"
            />
          )}
          <g stroke="#e03131" strokeWidth={2.5}>
            <line
              x1={view.x(point.longitude) - 8}
              x2={view.x(point.longitude) + 8}
              y1={view.y(point.latitude)}
              y2={view.y(point.latitude)}
            />
            <line
              y1={view.y(point.latitude) - 8}
              y2={view.y(point.latitude) + 8}
              x1={view.x(point.longitude)}
              x2={view.x(point.longitude)}
            />
          </g>
        </g>
      )}
      {locations.map((l) => {
        const cx = view.x(l.longitude);
        const cy = view.y(l.latitude);
        const selected = props.selectedId === l.id;
        const badge = props.badges?.get(l.id);
        return (
          <g
            key={l.id}
            onClick={() => props.onSelect?.(l.id)}
            style={{ cursor: props.onSelect ? 'pointer' : undefined }}
            opacity={l.active ? 1 : 0.45}
            data-testid={`map-marker-${l.code}`}
          >
            <title>{`${l.name} (${label('kinds', l.kind)})`}</title>
            <circle
              cx={cx}
              cy={cy}
              r={selected ? 10 : 7}
              fill={KIND_COLOURS[l.kind]}
              stroke={selected ? '#212529' : '#fff'}
              strokeWidth={selected ? 3 : 2}
            />
            <text
              x={cx + 12}
              y={cy + 4}
              fontSize={13}
              fontWeight={600}
              fill="#212529"
              stroke="#f1f6fb"
              strokeWidth={3}
              paintOrder="stroke"
            >
              {l.code}
            </text>
            {badge !== undefined && (
              <text
                x={cx + 12}
                y={cy + 19}
                fontSize={11}
                fill="#495057"
                stroke="#f1f6fb"
                strokeWidth={3}
                paintOrder="stroke"
              >
                {badge}
              </text>
            )}
          </g>
        );
      })}
      <g transform={`translate(${W - barPx - 24}, ${H - 28})`} data-testid="map-scale">
        <rect x={-6} y={-16} width={barPx + 12} height={26} fill="#fff" fillOpacity={0.8} rx={4} />
        <line x1={0} x2={barPx} y1={0} y2={0} stroke="#212529" strokeWidth={2} />
        <line x1={0} x2={0} y1={-4} y2={4} stroke="#212529" strokeWidth={2} />
        <line x1={barPx} x2={barPx} y1={-4} y2={4} stroke="#212529" strokeWidth={2} />
        <text x={barPx / 2} y={-5} fontSize={11} textAnchor="middle" fill="#212529">
          {`${formatNumber(view.barKm)} km`}
        </text>
      </g>
      <g transform="translate(12, 12)">
        <rect
          x={-4}
          y={-4}
          width={Object.keys(KIND_COLOURS).length * 100 + 8}
          height={22}
          fill="#fff"
          fillOpacity={0.8}
          rx={4}
        />
        {(Object.keys(KIND_COLOURS) as LocationKind[]).map((kind, i) => (
          <g key={kind} transform={`translate(${i * 100}, 0)`}>
            <circle cx={6} cy={7} r={5} fill={KIND_COLOURS[kind]} />
            <text x={15} y={11} fontSize={11} fill="#495057">
              {label('kinds', kind)}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}
