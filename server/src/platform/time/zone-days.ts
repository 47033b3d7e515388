/**
 * @module Calendar days of an IANA time zone as SQL can bucket them. A zone's UTC offset is constant between its
 * transitions (DST changes), so over a range it is a short list of segments; within a segment the local date of an
 * instant is `floor((t + offset) / 1 day)` exactly, days of 23 or 25 hours included. Reports group by that day
 * number with one CASE over the segments (two a year in Europe), instead of a join against a list of day ranges.
 */

export const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();
function formatOf(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/**
 * The zone's offset from UTC at instant `t`, in milliseconds (whole seconds).
 * @example offsetAt('Europe/Madrid', Date.parse('2026-07-01T00:00:00Z')) // 7_200_000
 */
export function offsetAt(zone: string, t: number): number {
  const p = Object.fromEntries(
    formatOf(zone)
      .formatToParts(new Date(t))
      .map((x) => [x.type, x.value]),
  );
  const wall = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
  return wall - Math.floor(t / 1000) * 1000;
}

/** A stretch of time `[from, to)` over which the zone keeps one offset. */
export interface OffsetSegment {
  from: number;
  to: number;
  offset: number;
}

/**
 * The zone's constant-offset segments covering `[from, to)`: probed once a day, and where two probes differ the
 * transition is found by bisection to the millisecond (zones change offset at most once in a day).
 * @example offsetSegments('Europe/Madrid', Date.parse('2026-03-28T00:00Z'), Date.parse('2026-03-31T00:00Z'))
 *   // [{ offset: 3_600_000, to: Date.parse('2026-03-29T01:00Z') }, { offset: 7_200_000, … }]
 */
export function offsetSegments(zone: string, from: number, to: number): OffsetSegment[] {
  const out: OffsetSegment[] = [];
  let start = from;
  let offset = offsetAt(zone, from);
  for (let t = from; t < to;) {
    const next = Math.min(t + DAY_MS, to);
    const after = offsetAt(zone, next);
    if (after !== offset) {
      // Bisect: offsetAt(lo) === offset, offsetAt(hi) !== offset.
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(zone, mid) === offset) lo = mid;
        else hi = mid;
      }
      out.push({ from: start, to: hi, offset });
      start = hi;
      offset = offsetAt(zone, hi);
    }
    t = next;
  }
  out.push({ from: start, to, offset });
  return out;
}

/**
 * Days since 1970-01-01 of a local date (`'2026-03-29'` → 20541), the number SQL computes for instants on that day.
 * @example dayNumber('1970-01-02') // 1
 */
export const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** The local date (`YYYY-MM-DD`) of a day number. */
export const dayDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Today's local date in the zone.
 * @example today('Pacific/Auckland')
 */
export const today = (zone: string, now = Date.now()): string =>
  dayDate(Math.floor((now + offsetAt(zone, now)) / DAY_MS));
