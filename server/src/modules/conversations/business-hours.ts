/**
 * @module Business hours: a team's weekly opening hours in its time zone, with holidays (whole local days
 * closed). Answers "open at t?", "when does it next open?", and does business-time arithmetic for SLA timers:
 * only time while the team is open counts. Times are epoch ms; local days are computed with luxon so daylight
 * saving changes move the opening with the wall clock.
 */
import { DateTime, IANAZone } from 'luxon';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];
export interface OpeningSpan {
  /** Local "HH:MM". */
  open: string;
  /** Local "HH:MM", after open; "24:00" closes at midnight. */
  close: string;
}
export type WeeklyHours = Partial<Record<Weekday, OpeningSpan[]>>;

export interface BusinessCalendar {
  timezone: string;
  /** null: open around the clock (holidays still close). */
  weekly: WeeklyHours | null;
  /** Local dates "YYYY-MM-DD" the team is closed. */
  holidays: string[];
}

/** Looking further than this for an opening means the calendar never opens. */
const HORIZON_DAYS = 370;

export const isValidZone = (zone: string) => IANAZone.isValidZone(zone);

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** The open intervals [start, end) of one local day, as epoch ms. */
function dayIntervals(calendar: BusinessCalendar, day: DateTime): Array<[number, number]> {
  if (calendar.holidays.includes(day.toISODate()!)) return [];
  if (!calendar.weekly) return [[day.toMillis(), day.plus({ days: 1 }).toMillis()]];
  const spans = calendar.weekly[weekdays[day.weekday - 1]!] ?? [];
  return spans
    .map((s): [number, number] => {
      // Wall-clock times through luxon: on a daylight-saving day 09:00 is still 09:00 local.
      const at = (mins: number) =>
        mins >= 1440
          ? day.plus({ days: 1 }).toMillis()
          : day.set({ hour: Math.floor(mins / 60), minute: mins % 60 }).toMillis();
      return [at(minutesOf(s.open)), at(minutesOf(s.close))];
    })
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
}

/** Open intervals from `from` onwards, clipped to start at `from`, day by day (bounded by the horizon). */
function* intervalsFrom(calendar: BusinessCalendar, from: number): Generator<[number, number]> {
  let day = DateTime.fromMillis(from, { zone: calendar.timezone }).startOf('day');
  for (let i = 0; i < HORIZON_DAYS; i++, day = day.plus({ days: 1 })) {
    for (const [a, b] of dayIntervals(calendar, day)) {
      if (b <= from) continue;
      yield [Math.max(a, from), b];
    }
  }
}

/**
 * Whether the calendar is open at an instant.
 * @example isOpenAt({ timezone: 'Europe/Madrid', weekly: { mon: [{ open: '09:00', close: '17:00' }] }, holidays: [] }, Date.now())
 */
export function isOpenAt(calendar: BusinessCalendar, at: number): boolean {
  const first = intervalsFrom(calendar, at).next();
  return !first.done && first.value[0] <= at;
}

/** When it next opens (`at` itself when open now); null when it never opens within a year. */
export function nextOpening(calendar: BusinessCalendar, at: number): number | null {
  const first = intervalsFrom(calendar, at).next();
  return first.done ? null : first.value[0];
}

/** Business time between two instants: only the open part counts. */
export function businessMsBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  for (const [a, b] of intervalsFrom(calendar, from)) {
    if (a >= to) break;
    total += Math.min(b, to) - a;
  }
  return total;
}

/**
 * The instant when `ms` of business time will have passed since `from`; null when the calendar never opens.
 * @example addBusinessMs(calendar, fridayAt1630, 3_600_000) // → Monday 09:30 with 09:00–17:00 weekdays
 */
export function addBusinessMs(calendar: BusinessCalendar, from: number, ms: number): number | null {
  if (!calendar.weekly && calendar.holidays.length === 0) return from + ms;
  let left = ms;
  for (const [a, b] of intervalsFrom(calendar, from)) {
    if (b - a >= left) return a + left;
    left -= b - a;
  }
  return null;
}

/** Around the clock, no holidays: what SLA timers use when a conversation has no team. */
export const alwaysOpen: BusinessCalendar = { timezone: 'UTC', weekly: null, holidays: [] };
