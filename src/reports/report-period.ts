/**
 * A report period in Vietnam time (docs/reports.md, Periods): a month `yyyy-MM` or a quarter `yyyy-Qn`,
 * from midnight of its first day to midnight after its last; counted up to its end, or up to now while
 * it is current. A period that has not started is refused, naming the parameter.
 */
import { Validation } from '../lib/errors.js';

export interface ReportPeriod {
  kind: 'month' | 'quarter';
  name: string;
  fromMs: number;
  toMs: number;
  /** The instant the figures are counted at: the end, or now while the period runs. */
  asOfMs: number;
  current: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
const monthStart = (year: number, month: number) =>
  Date.parse(`${year + Math.floor((month - 1) / 12)}-${pad(((month - 1) % 12) + 1)}-01T00:00:00+07:00`);

/** The period of the query's month or quarter (already format-checked) at `nowMs`. */
export function reportPeriod(
  q: { month?: string | undefined; quarter?: string | undefined },
  nowMs: number,
): ReportPeriod {
  const param = q.month !== undefined ? 'month' : 'quarter';
  const text = q.month ?? q.quarter ?? '';
  const year = Number(text.slice(0, 4));
  const firstMonth = param === 'month' ? Number(text.slice(5, 7)) : (Number(text.slice(6, 7)) - 1) * 3 + 1;
  const fromMs = monthStart(year, firstMonth);
  const toMs = monthStart(year, firstMonth + (param === 'month' ? 1 : 3));
  if (year < 2000 || Number.isNaN(fromMs)) {
    throw new Validation([
      { path: `query.${param}`, rule: 'period_range', message: `${param} must be in the year 2000 or later` },
    ]);
  }
  if (fromMs > nowMs) {
    throw new Validation([
      { path: `query.${param}`, rule: 'period_in_future', message: `${param} ${text} has not started yet` },
    ]);
  }
  const current = toMs > nowMs;
  return { kind: param, name: text, fromMs, toMs, asOfMs: current ? nowMs : toMs, current };
}
