/**
 * @module When a transfer sent now arrives: the lane's lead time for the pair, or the global `transferLeadHours`
 * when the pair has no lane. A lane with departure days waits for the next one in the source's time zone; a
 * transfer made on a departure day leaves that day (lanes carry no departure hour: the lead time includes it).
 */
import { DateTime } from 'luxon';
import { weekdays, type Weekday } from './location.repository';

const HOUR = 3_600_000;

export interface LaneTiming {
  lead_hours: number;
  /** Weekdays transfers leave on; null: any day. */
  departure_days: Weekday[] | null;
}

/**
 * Epoch ms the units reach the destination.
 * @example transferArrival({ lead_hours: 24, departure_days: ['mon'] }, 48, 'Europe/Madrid', Date.now())
 */
export function transferArrival(
  lane: LaneTiming | undefined,
  fallbackHours: number,
  sourceTimezone: string,
  now: number,
): number {
  if (!lane) return now + fallbackHours * HOUR;
  return departure(lane.departure_days, sourceTimezone, now) + lane.lead_hours * HOUR;
}

/** Now on a departure day (or with no days set), else the start of the next departure day in the source's zone. */
function departure(days: Weekday[] | null, timezone: string, now: number): number {
  if (!days || days.length === 0) return now;
  const today = DateTime.fromMillis(now, { zone: timezone }).startOf('day');
  for (let i = 0; i < 7; i += 1) {
    const day = today.plus({ days: i });
    if (days.includes(weekdays[day.weekday - 1]!)) return i === 0 ? now : day.toMillis();
  }
  return now; // unreachable: a non-empty list names at least one weekday
}
