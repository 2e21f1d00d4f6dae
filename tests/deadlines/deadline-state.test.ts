import { describe, expect, it } from 'vitest';
import {
  deadlineState,
  nearDueEnd,
  resolvedState,
  workingDaysLeft,
} from '../../src/deadlines/deadline-state.js';
import { dueRule } from '../../src/deadlines/due-rule.js';
import { catalogueOf } from '../../src/deadlines/procedures.js';
import { loadCalendar } from '../../src/runtime/node/calendar.js';
import { weekendCalendar } from '../helpers/weekend-calendar.js';

const calendar = loadCalendar('config/calendar').calendar;
const at = (iso: string) => Date.parse(iso);
const open = (dueIso: string) => ({ status: 'processing', dueAtMs: at(dueIso), closedAtMs: null });

// Tết Bính Ngọ: Saturday 14/02/2026 to Sunday 22/02/2026 off; Friday 13/02 and Monday 23/02 are worked.
const BEFORE_TET = at('2026-02-12T09:00:00+07:00'); // Thursday

describe('deadline states around Tết 2026 (real calendar)', () => {
  it('counts working days across the Tết block', () => {
    expect(workingDaysLeft(calendar, BEFORE_TET, at('2026-02-13T17:00:00+07:00'))).toBe(1);
    expect(workingDaysLeft(calendar, BEFORE_TET, at('2026-02-23T17:00:00+07:00'))).toBe(2);
    expect(workingDaysLeft(calendar, BEFORE_TET, at('2026-02-24T17:00:00+07:00'))).toBe(3);
    expect(workingDaysLeft(calendar, BEFORE_TET, at('2026-02-11T17:00:00+07:00'))).toBe(-1);
    // The weekends-only double counts the Tết weekdays: the real calendar is what makes these differ.
    expect(workingDaysLeft(weekendCalendar, BEFORE_TET, at('2026-02-23T17:00:00+07:00'))).toBe(7);
  });

  it('a dossier due the Monday after Tết is near due two working days before, not three', () => {
    const due = open('2026-02-23T17:00:00+07:00');
    expect(deadlineState(calendar, due, BEFORE_TET)).toBe('near_due');
    expect(deadlineState(calendar, due, BEFORE_TET, 1)).toBe('on_time');
    expect(deadlineState(calendar, open('2026-02-24T08:00:00+07:00'), BEFORE_TET)).toBe('on_time');
    expect(deadlineState(calendar, open('2026-02-24T08:00:00+07:00'), BEFORE_TET, 3)).toBe('near_due');
    // During Tết the next working day is the Monday after it.
    expect(deadlineState(calendar, due, at('2026-02-18T10:00:00+07:00'), 0)).toBe('on_time');
    expect(deadlineState(calendar, due, at('2026-02-18T10:00:00+07:00'), 1)).toBe('near_due');
  });

  it('is overdue once the due day has passed, not at the due instant', () => {
    const due = open('2026-02-13T10:00:00+07:00');
    expect(deadlineState(calendar, due, at('2026-02-13T16:00:00+07:00'))).toBe('near_due');
    expect(deadlineState(calendar, due, at('2026-02-14T00:00:00+07:00'))).toBe('overdue');
    expect(workingDaysLeft(calendar, at('2026-02-23T09:00:00+07:00'), due.dueAtMs)).toBe(-1);
  });

  it('the near-due window ends at midnight after the n-th working day', () => {
    expect(nearDueEnd(calendar, BEFORE_TET, 0)).toBe(at('2026-02-13T00:00:00+07:00'));
    expect(nearDueEnd(calendar, BEFORE_TET, 1)).toBe(at('2026-02-14T00:00:00+07:00'));
    expect(nearDueEnd(calendar, BEFORE_TET, 2)).toBe(at('2026-02-24T00:00:00+07:00'));
  });

  it('computes a due date from the catalogue across Tết', () => {
    const rule = dueRule(
      catalogueOf({ procedures: [{ code: '2.000477', name: 'Phiếu lý lịch tư pháp', workingDays: 10 }] }),
      calendar,
    );
    // Received Thursday 05/02: 06, 09–13 (6), then 23, 24, 25, 26/02 after Tết.
    expect(rule.computedDueMs('2.000477', at('2026-02-05T08:00:00+07:00'))).toBe(
      at('2026-02-26T08:00:00+07:00'),
    );
    expect(rule.computedDueMs('9.999999', at('2026-02-05T08:00:00+07:00'))).toBeNull();
  });
});

describe('resolved and closed states', () => {
  const due = at('2026-11-20T17:00:00+07:00');
  it('compares the day resolved with the due day', () => {
    expect(resolvedState(at('2026-11-19T17:00:00+07:00'), due)).toBe('resolved_early');
    expect(resolvedState(at('2026-11-20T20:00:00+07:00'), due)).toBe('resolved_on_time');
    expect(resolvedState(at('2026-11-21T08:00:00+07:00'), due)).toBe('resolved_late');
  });
  it('names dossiers closed without a result and those without a due date', () => {
    const now = at('2026-11-25T08:00:00+07:00');
    expect(deadlineState(calendar, { status: 'rejected', dueAtMs: due, closedAtMs: due }, now)).toBe(
      'closed',
    );
    expect(deadlineState(calendar, { status: 'returned', dueAtMs: null, closedAtMs: due }, now)).toBe(
      'no_due',
    );
    expect(deadlineState(calendar, { status: 'processing', dueAtMs: null, closedAtMs: null }, now)).toBe(
      'no_due',
    );
    expect(deadlineState(calendar, { status: 'resolved', dueAtMs: due, closedAtMs: due }, now)).toBe(
      'resolved_on_time',
    );
  });
});
