/**
 * @module Promise dates: when an order can be picked up, dispatched or delivered from a location, counting its
 * preparation time only while it works (opening hours in its own time zone, DST included — luxon does the zone
 * arithmetic), its same-day cut-off, and stock that is still on its way. A location without published hours
 * (a warehouse, a locker) works around the clock.
 */
import { DateTime } from 'luxon';
import { weekdays, type OpeningHours } from './location.repository';

export const deliveryModes = ['ship', 'pickup', 'same_day'] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

export interface Schedule {
  timezone: string;
  opening_hours: OpeningHours;
  pickup_preparation_minutes: number;
  same_day_cutoff: string | null;
}

export interface DeliveryPromise {
  mode: DeliveryMode;
  /** Pickup: ready for the customer. Ship and same day: leaves the location. */
  ready_at: string;
  /** Local date (YYYY-MM-DD, the location's zone) the customer has it: pickup day, delivery day. */
  delivery_date: string;
  /**
   * Why the date is what it is: `preparation`, `opens_later` (waits for opening hours), `after_cutoff`
   * (same day missed today's cut-off), `incoming` (waits for a transfer), `transit` (ship: days in transit).
   */
  factors: string[];
}

/** Days looked ahead for an opening: a location closed for longer makes no promise. */
const HORIZON_DAYS = 15;
const MINUTE = 60_000;

const alwaysOpen = (hours: OpeningHours): boolean => weekdays.every((d) => (hours[d] ?? []).length === 0);

/** Epoch ms of a local 'HH:MM' (or '24:00') on a local day; a time skipped by DST moves forward, as luxon does. */
function at(day: DateTime, hhmm: string): number {
  if (hhmm === '24:00') return day.plus({ days: 1 }).startOf('day').toMillis();
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return day.set({ hour: h, minute: m, second: 0, millisecond: 0 }).toMillis();
}

/** The open intervals of a local day as epoch-ms pairs. */
function intervals(schedule: Schedule, day: DateTime): Array<[number, number]> {
  const key = weekdays[day.weekday - 1]!; // luxon: Monday is 1
  return (schedule.opening_hours[key] ?? []).map(([o, c]) => [at(day, o), at(day, c)]);
}

/**
 * The instant `minutes` of working time after `from`: time while the location is closed does not count.
 * Zero minutes gives `from` itself when open, else the next opening. Null when it does not open within the horizon.
 * @example addWorkingMinutes(store, Date.parse('2026-11-23T20:30:00Z'), 60) // next morning, an hour after opening
 */
export function addWorkingMinutes(schedule: Schedule, from: number, minutes: number): number | null {
  if (alwaysOpen(schedule.opening_hours)) return from + minutes * MINUTE;
  let remaining = minutes * MINUTE;
  let day = DateTime.fromMillis(from, { zone: schedule.timezone }).startOf('day');
  for (let i = 0; i < HORIZON_DAYS; i++, day = day.plus({ days: 1 })) {
    for (const [open, close] of intervals(schedule, day)) {
      const start = Math.max(open, from);
      const span = close - start;
      if (span <= 0) continue;
      if (remaining <= span) return start + remaining;
      remaining -= span;
    }
  }
  return null;
}

const localDate = (ms: number, zone: string): DateTime => DateTime.fromMillis(ms, { zone }).startOf('day');
const isoDate = (d: DateTime): string => d.toISODate()!;

/**
 * The promise of `mode` from a location for goods it can start preparing at `from` (now, or when incoming stock
 * arrives). Null when the location does not open (or take a same-day order) within the horizon.
 * @example promiseFrom('pickup', store, Date.now(), { transitDays: 2, incoming: false })
 */
export function promiseFrom(
  mode: DeliveryMode,
  schedule: Schedule,
  from: number,
  options: { transitDays: number; incoming: boolean },
): DeliveryPromise | null {
  const prep = schedule.pickup_preparation_minutes;
  const factors: string[] = [];
  if (options.incoming) factors.push('incoming');
  if (prep > 0) factors.push('preparation');
  const zone = schedule.timezone;
  if (mode === 'same_day') return sameDay(schedule, from, factors);
  const ready = addWorkingMinutes(schedule, from, prep);
  if (ready === null) return null;
  if (ready > from + prep * MINUTE) factors.push('opens_later');
  let date = localDate(ready, zone);
  if (mode === 'ship') {
    date = date.plus({ days: options.transitDays });
    factors.push('transit');
  }
  return { mode, ready_at: new Date(ready).toISOString(), delivery_date: isoDate(date), factors };
}

/**
 * Same day: the first local day on which an order placed (now, or at that day's start) is before the cut-off
 * and prepared before the day ends. An order after today's cut-off goes out on the next working day.
 */
function sameDay(schedule: Schedule, from: number, factors: string[]): DeliveryPromise | null {
  const cutoff = schedule.same_day_cutoff;
  if (!cutoff) return null;
  const zone = schedule.timezone;
  const first = localDate(from, zone);
  let day = first;
  for (let i = 0; i < HORIZON_DAYS; i++, day = day.plus({ days: 1 })) {
    const placed = i === 0 ? from : day.toMillis();
    if (placed >= at(day, cutoff)) continue;
    if (!alwaysOpen(schedule.opening_hours) && intervals(schedule, day).length === 0) continue;
    const ready = addWorkingMinutes(schedule, placed, schedule.pickup_preparation_minutes);
    if (ready === null) return null;
    if (!localDate(ready, zone).equals(day)) continue;
    if (i > 0) factors.push('after_cutoff');
    if (ready > placed + schedule.pickup_preparation_minutes * MINUTE) factors.push('opens_later');
    return {
      mode: 'same_day',
      ready_at: new Date(ready).toISOString(),
      delivery_date: isoDate(day),
      factors,
    };
  }
  return null;
}

/**
 * When `quantity` units can be counted on at a location that has `free` now and `incoming` lots on the way:
 * now if enough are free, else the ETA of the lot that makes up the difference, else null.
 */
export function startFor(
  quantity: number,
  free: number,
  incoming: Array<{ quantity: number; eta: number }>,
  now: number,
): { from: number; incoming: boolean } | null {
  if (free >= quantity) return { from: now, incoming: false };
  let have = free;
  for (const lot of incoming) {
    have += lot.quantity;
    if (have >= quantity) return { from: Math.max(now, lot.eta), incoming: true };
  }
  return null;
}
