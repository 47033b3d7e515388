/**
 * @module Figures the reports page derives from `GET /v1/reports/conversations` rows: totals over the groups
 * (SLA hit rate from met/breached counts, CSAT weighted by answers — never an average of averages) and one
 * time unit per chart so bars stay readable whether answers take seconds or hours.
 */
import type { ReportRow } from '../../api/conversations';
import { formatNumber } from '../../lib/format';

export interface Totals {
  conversations: number;
  inbound: number;
  slaMet: number;
  slaBreached: number;
  hitRate: number | null;
  csatCount: number;
  csatAverage: number | null;
}

export function totals(rows: ReportRow[]): Totals {
  const sum = (f: (r: ReportRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const slaMet = sum((r) => r.sla.met);
  const slaBreached = sum((r) => r.sla.breached);
  const csatCount = sum((r) => r.csat.count);
  const csatPoints = sum((r) => (r.csat.average ?? 0) * r.csat.count);
  return {
    conversations: sum((r) => r.conversations),
    inbound: sum((r) => r.inbound_messages),
    slaMet,
    slaBreached,
    hitRate: slaMet + slaBreached ? slaMet / (slaMet + slaBreached) : null,
    csatCount,
    csatAverage: csatCount ? Math.round((csatPoints / csatCount) * 100) / 100 : null,
  };
}

type Unit = 'second' | 'minute' | 'hour';
const UNIT_MS: Record<Unit, number> = { second: 1_000, minute: 60_000, hour: 3_600_000 };

/** The unit that keeps the largest value between about 1 and 120. */
export function unitFor(values: Array<number | null>): Unit {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return max < 2 * UNIT_MS.minute ? 'second' : max < 2 * UNIT_MS.hour ? 'minute' : 'hour';
}

export const inUnit = (ms: number | null, unit: Unit) =>
  ms === null ? 0 : Math.round((ms / UNIT_MS[unit]) * 10) / 10;

/** The unit's short localized name ("min", "мин"), for a chart's axis. */
export function unitName(unit: Unit): string {
  return formatNumber(1, { style: 'unit', unit, unitDisplay: 'short' }).replace(/[\d\s.,]/g, '');
}

/** "45 s", "12.5 min", "3.2 h" in the reader's language; "—" when there is no figure. */
export function formatSpan(ms: number | null): string {
  if (ms === null) return '—';
  const unit = unitFor([ms]);
  return formatNumber(inUnit(ms, unit), { style: 'unit', unit, unitDisplay: 'short' });
}
