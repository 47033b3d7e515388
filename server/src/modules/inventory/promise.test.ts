/**
 * A shopper sees a promise date: preparation counts only while the shop works, in the shop's own time zone
 * (clock changes included); same-day orders respect the cut-off; a parcel adds its days in transit; stock on
 * its way promises from its ETA.
 */
import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, promiseFrom, startFor, type Schedule } from './promise';

const day = (open: string, close: string): Array<[string, string]> => [[open, close]];
const madridStore: Schedule = {
  timezone: 'Europe/Madrid',
  opening_hours: {
    mon: day('10:00', '21:00'),
    tue: day('10:00', '21:00'),
    wed: day('10:00', '21:00'),
    thu: day('10:00', '21:00'),
    fri: [
      ['10:00', '14:00'],
      ['17:00', '21:00'],
    ],
    sat: day('10:00', '21:00'),
    sun: [],
  },
  pickup_preparation_minutes: 60,
  same_day_cutoff: null,
};
const closedAllWeek = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
const warehouse: Schedule = {
  timezone: 'Europe/Madrid',
  opening_hours: closedAllWeek,
  pickup_preparation_minutes: 60,
  same_day_cutoff: null,
};
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('promise dates', () => {
  // November in Madrid is UTC+1: Monday 23 November 2026 12:00 local is 11:00Z.
  it('prepares a pickup within opening hours the same day', () => {
    expect(iso(addWorkingMinutes(madridStore, at('2026-11-23T11:00:00Z'), 60))).toBe(
      '2026-11-23T12:00:00.000Z',
    );
    const promise = promiseFrom('pickup', madridStore, at('2026-11-23T11:00:00Z'), {
      transitDays: 2,
      incoming: false,
    });
    expect(promise).toEqual({
      mode: 'pickup',
      ready_at: '2026-11-23T12:00:00.000Z',
      delivery_date: '2026-11-23',
      factors: ['preparation'],
    });
  });

  it('carries preparation over the night and over a closed Sunday', () => {
    // Monday 20:30 local: 30 minutes tonight, 30 tomorrow from 10:00.
    expect(iso(addWorkingMinutes(madridStore, at('2026-11-23T19:30:00Z'), 60))).toBe(
      '2026-11-24T09:30:00.000Z',
    );
    // Saturday 22:00 local: closed Sunday, ready Monday 11:00 local.
    const promise = promiseFrom('pickup', madridStore, at('2026-11-28T21:00:00Z'), {
      transitDays: 2,
      incoming: false,
    });
    expect(promise).toMatchObject({
      ready_at: '2026-11-30T10:00:00.000Z',
      delivery_date: '2026-11-30',
      factors: ['preparation', 'opens_later'],
    });
  });

  it('skips the Friday lunch break', () => {
    // Friday 13:30 local: 30 minutes before 14:00, 30 after reopening at 17:00.
    expect(iso(addWorkingMinutes(madridStore, at('2026-11-27T12:30:00Z'), 60))).toBe(
      '2026-11-27T16:30:00.000Z',
    );
  });

  it('counts real minutes across the spring clock change', () => {
    const allDay: Schedule = {
      ...madridStore,
      opening_hours: { ...closedAllWeek, sun: day('00:00', '24:00') },
    };
    // Sunday 29 March 2026, 00:30 CET (23:30Z the day before); clocks jump from 02:00 to 03:00.
    expect(iso(addWorkingMinutes(allDay, at('2026-03-28T23:30:00Z'), 120))).toBe('2026-03-29T01:30:00.000Z');
    // Opening at 02:30 that night does not exist: it opens at 03:30 CEST, as the wall clock shows then.
    const lateNight: Schedule = {
      ...madridStore,
      opening_hours: { ...closedAllWeek, sun: day('02:30', '05:00') },
    };
    expect(iso(addWorkingMinutes(lateNight, at('2026-03-28T23:30:00Z'), 0))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('works round the clock where no hours are published, and adds days in transit to a parcel', () => {
    const promise = promiseFrom('ship', warehouse, at('2026-11-23T22:50:00Z'), {
      transitDays: 2,
      incoming: false,
    });
    // 23:50 local + 60 minutes = 00:50 on Tuesday; two days in transit: Thursday.
    expect(promise).toEqual({
      mode: 'ship',
      ready_at: '2026-11-23T23:50:00.000Z',
      delivery_date: '2026-11-26',
      factors: ['preparation', 'transit'],
    });
  });

  it('delivers the same day before the cut-off and the next working day after it', () => {
    const darkStore: Schedule = {
      ...madridStore,
      opening_hours: { ...madridStore.opening_hours, fri: day('09:00', '22:00') },
      pickup_preparation_minutes: 30,
      same_day_cutoff: '14:00',
    };
    const before = promiseFrom('same_day', darkStore, at('2026-11-27T11:00:00Z'), {
      transitDays: 2,
      incoming: false,
    });
    expect(before).toMatchObject({ ready_at: '2026-11-27T11:30:00.000Z', delivery_date: '2026-11-27' });
    const after = promiseFrom('same_day', darkStore, at('2026-11-27T14:00:00Z'), {
      transitDays: 2,
      incoming: false,
    });
    // Friday 15:00 local is past the cut-off: Saturday, 30 minutes after it opens at 10:00.
    expect(after).toEqual({
      mode: 'same_day',
      ready_at: '2026-11-28T09:30:00.000Z',
      delivery_date: '2026-11-28',
      factors: ['preparation', 'after_cutoff', 'opens_later'],
    });
    // Saturday after the cut-off: Sunday is closed, so Monday.
    const weekend = promiseFrom('same_day', darkStore, at('2026-11-28T15:00:00Z'), {
      transitDays: 2,
      incoming: false,
    });
    expect(weekend?.delivery_date).toBe('2026-11-30');
    expect(
      promiseFrom('same_day', madridStore, at('2026-11-27T11:00:00Z'), { transitDays: 2, incoming: false }),
    ).toBeNull();
  });

  it('promises from the transfer that brings enough, or not at all', () => {
    const now = at('2026-11-23T11:00:00Z');
    const lots = [
      { quantity: 1, eta: at('2026-11-24T08:00:00Z') },
      { quantity: 5, eta: at('2026-11-26T08:00:00Z') },
    ];
    expect(startFor(2, 3, lots, now)).toEqual({ from: now, incoming: false });
    expect(startFor(2, 1, lots, now)).toEqual({ from: at('2026-11-24T08:00:00Z'), incoming: true });
    expect(startFor(4, 1, lots, now)).toEqual({ from: at('2026-11-26T08:00:00Z'), incoming: true });
    // Two held back: the transfer first has to cover the deficit.
    expect(startFor(1, -2, lots, now)).toEqual({ from: at('2026-11-26T08:00:00Z'), incoming: true });
    expect(startFor(10, 1, lots, now)).toBeNull();
    // A late lorry promises from now, not from the past.
    expect(startFor(1, 0, [{ quantity: 1, eta: now - 3_600_000 }], now)).toEqual({
      from: now,
      incoming: true,
    });
  });
});
