/**
 * The working-day calendar over the shipped year files (docs/calendar.md): real dates around Tết and
 * 2 September of 2025 and 2026, the swapped working days, and Vietnam time at the day's edges.
 */
import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/runtime/node/calendar.js';
import { bundledCalendar } from '../../src/runtime/workers/calendar.js';

const { calendar } = loadCalendar('config/calendar');
/** An instant written in Vietnam time. */
const vn = (local: string) => new Date(`${local}+07:00`);
/** The instant `days` working days after `local`, back in Vietnam time. */
const add = (local: string, days: number) =>
  calendar.addWorkingDays(vn(local), days).getTime() - vn('1970-01-01T00:00:00').getTime();
const at = (local: string) => vn(local).getTime() - vn('1970-01-01T00:00:00').getTime();
const between = (from: string, to: string) => calendar.workingDaysBetween(vn(from), vn(to));
/** Every day from `first` to `last` inclusive, `yyyy-MM-dd`. */
function days(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

describe('the Tết block', () => {
  it('2025: no working day from Saturday 25/1 to Sunday 2/2, working again on Monday 3/2', () => {
    expect(calendar.isWorkingDay('2025-01-24')).toBe(true);
    for (const day of days('2025-01-25', '2025-02-02')) expect(calendar.isWorkingDay(day), day).toBe(false);
    expect(calendar.isWorkingDay('2025-02-03')).toBe(true);
  });

  it('2026: no working day from Saturday 14/2 to Sunday 22/2, working again on Monday 23/2', () => {
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
    for (const day of days('2026-02-14', '2026-02-22')) expect(calendar.isWorkingDay(day), day).toBe(false);
    expect(calendar.isWorkingDay('2026-02-23')).toBe(true);
  });

  it('adds working days across the block, keeping the time of day', () => {
    expect(add('2025-01-24T10:00:00', 1)).toBe(at('2025-02-03T10:00:00'));
    expect(add('2025-01-23T14:30:00', 5)).toBe(at('2025-02-06T14:30:00'));
    expect(add('2026-02-13T16:45:00', 1)).toBe(at('2026-02-23T16:45:00'));
    // A 10-working-day procedure received on Tuesday 10/2/2026: 3 days before Tết, 7 after.
    expect(add('2026-02-10T08:00:00', 10)).toBe(at('2026-03-03T08:00:00'));
  });

  it('counts a receipt during the block as received on the first working day after it', () => {
    expect(add('2025-01-29T09:00:00', 0)).toBe(at('2025-02-03T09:00:00'));
    expect(add('2025-01-29T09:00:00', 1)).toBe(at('2025-02-04T09:00:00'));
    expect(add('2026-02-17T20:00:00', 2)).toBe(at('2026-02-25T20:00:00'));
  });

  it('counts working days left over the block, and negative ones when late', () => {
    expect(between('2025-01-24T09:00:00', '2025-02-03T16:00:00')).toBe(1);
    expect(between('2025-02-03T16:00:00', '2025-01-24T09:00:00')).toBe(-1);
    expect(between('2026-02-12T09:00:00', '2026-02-25T17:00:00')).toBe(4);
    expect(between('2026-02-25T17:00:00', '2026-02-12T09:00:00')).toBe(-4);
    // During the block, a due date on its first working day after it is one working day away.
    expect(between('2026-02-18T10:00:00', '2026-02-23T17:00:00')).toBe(1);
  });
});

describe('2 September', () => {
  it('2025: off from Saturday 30/8 to Tuesday 2/9', () => {
    expect(calendar.isWorkingDay('2025-08-29')).toBe(true);
    for (const day of days('2025-08-30', '2025-09-02')) expect(calendar.isWorkingDay(day), day).toBe(false);
    expect(calendar.isWorkingDay('2025-09-03')).toBe(true);
    expect(add('2025-08-29T11:00:00', 1)).toBe(at('2025-09-03T11:00:00'));
    expect(between('2025-09-04T08:00:00', '2025-08-29T17:00:00')).toBe(-2);
  });

  it('2026: Monday 31/8 swapped for Saturday 22/8, off from Saturday 29/8 to Wednesday 2/9', () => {
    expect(calendar.isWorkingDay('2026-08-22')).toBe(true);
    expect(calendar.isWorkingDay('2026-08-23')).toBe(false);
    expect(calendar.isWorkingDay('2026-08-28')).toBe(true);
    for (const day of days('2026-08-29', '2026-09-02')) expect(calendar.isWorkingDay(day), day).toBe(false);
    expect(calendar.isWorkingDay('2026-09-03')).toBe(true);
    expect(add('2026-08-21T15:00:00', 1)).toBe(at('2026-08-22T15:00:00'));
    expect(add('2026-08-28T15:00:00', 1)).toBe(at('2026-09-03T15:00:00'));
    // 17/8 to 21/8 (5), Saturday 22/8 (6), 24/8 to 28/8 (11), then 3/9 (12).
    expect(between('2026-08-14T09:00:00', '2026-09-03T09:00:00')).toBe(12);
    expect(between('2026-09-03T10:00:00', '2026-08-28T17:00:00')).toBe(-1);
  });
});

describe('the other swaps and holidays', () => {
  it('2025: Friday 2/5 off, Saturday 26/4 worked; Hùng Kings on Monday 7/4', () => {
    expect(calendar.isWorkingDay('2025-04-26')).toBe(true);
    expect(calendar.isWorkingDay('2025-05-02')).toBe(false);
    expect(calendar.isWorkingDay('2025-04-07')).toBe(false);
    expect(add('2025-04-25T08:00:00', 1)).toBe(at('2025-04-26T08:00:00'));
    expect(add('2025-04-29T10:00:00', 1)).toBe(at('2025-05-05T10:00:00'));
    expect(between('2025-04-25T08:00:00', '2025-05-05T08:00:00')).toBe(4);
  });

  it('2026: New Year from Thursday 1/1 to Sunday 4/1 with Saturday 10/1 worked, across the year end', () => {
    expect(calendar.isWorkingDay('2026-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-01-10')).toBe(true);
    expect(add('2025-12-31T09:00:00', 1)).toBe(at('2026-01-05T09:00:00'));
    expect(add('2026-01-09T09:00:00', 1)).toBe(at('2026-01-10T09:00:00'));
    expect(between('2025-12-30T09:00:00', '2026-01-12T09:00:00')).toBe(8);
  });

  it('2026: Hùng Kings on Sunday 26/4 gives Monday 27/4 off, then 30/4 and 1/5', () => {
    expect(calendar.isWorkingDay('2026-04-27')).toBe(false);
    expect(add('2026-04-24T14:00:00', 1)).toBe(at('2026-04-28T14:00:00'));
    expect(add('2026-04-24T14:00:00', 3)).toBe(at('2026-05-04T14:00:00'));
  });

  it('counts weekends only in a year without a file, and keeps working days at zero on the same day', () => {
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true);
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2024-09-02')).toBe(true);
    expect(add('2027-03-05T10:00:00', 1)).toBe(at('2027-03-08T10:00:00'));
    expect(between('2026-12-31T08:00:00', '2027-01-04T08:00:00')).toBe(2);
    expect(between('2026-11-30T08:00:00', '2026-11-30T17:00:00')).toBe(0);
    expect(between('2026-11-28T08:00:00', '2026-11-29T17:00:00')).toBe(0);
  });
});

describe('Vietnam time', () => {
  it('reads an instant at 23:30 UTC as the next day in Vietnam', () => {
    // Friday 13/2/2026 23:30 UTC is Saturday 14/2 06:30 in Vietnam: inside the Tết block.
    const friday = new Date('2026-02-13T23:30:00Z');
    expect(calendar.addWorkingDays(friday, 0).toISOString()).toBe('2026-02-22T23:30:00.000Z');
    expect(calendar.addWorkingDays(friday, 1).toISOString()).toBe('2026-02-23T23:30:00.000Z');
    // Friday 13/2 16:59 UTC is still Friday 23:59 in Vietnam, a working day.
    const late = new Date('2026-02-13T16:59:00Z');
    expect(calendar.addWorkingDays(late, 0).toISOString()).toBe('2026-02-13T16:59:00.000Z');
    expect(calendar.addWorkingDays(late, 1).toISOString()).toBe('2026-02-23T16:59:00.000Z');
    // Sunday 31/8/2025 23:30 UTC is Monday 1/9 in Vietnam (a holiday); 2/9 is one too.
    expect(
      calendar.workingDaysBetween(new Date('2025-08-31T23:30:00Z'), new Date('2025-09-02T23:30:00Z')),
    ).toBe(1);
  });

  it('refuses a malformed day key and a count that is no whole number of days', () => {
    expect(() => calendar.isWorkingDay('2026-2-3')).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(vn('2026-02-03T08:00:00'), 1.5)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(vn('2026-02-03T08:00:00'), -1)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('the bundled calendar of Workers', () => {
  it('answers like the files read from config/calendar, every day of 2024 to 2027', () => {
    const bundled = bundledCalendar().calendar;
    const differ = days('2024-01-01', '2027-12-31').filter(
      (day) => bundled.isWorkingDay(day) !== calendar.isWorkingDay(day),
    );
    expect(differ).toEqual([]);
  });
});
