/**
 * Use case: the near-due / overdue list as a CSV file (docs/deadlines.md, CSV), one line per dossier,
 * built page by page from `listDeadlines` at one instant. Applicant names only, never an id number.
 */
import type { WorkingCalendar } from '../calendar/calendar.js';
import { csvStream, csvTime } from '../lib/csv.js';
import type { Db } from '../store/store.js';
import { type DeadlineItem, type DeadlineListQuery, listDeadlines } from './list-deadlines.js';

/** Header names in Vietnamese; docs/deadlines.md gives each in English. */
export const DEADLINE_CSV_HEADER = [
  'Mã hồ sơ',
  'Mã thủ tục',
  'Tên thủ tục',
  'Mã cơ quan',
  'Tên cơ quan',
  'Người nộp hồ sơ',
  'Ngày tiếp nhận',
  'Ngày hẹn trả',
  'Tình trạng',
  'Số ngày làm việc còn lại',
  'Số ngày làm việc trễ hạn',
];

const PAGE = 500;
const STATE_NAMES = { near_due: 'Sắp đến hạn', overdue: 'Quá hạn' } as const;

function line(i: DeadlineItem): (string | number | null)[] {
  return [
    i.code,
    i.procedure.code,
    i.procedure.name,
    i.agency.code,
    i.agency.name,
    i.applicantName,
    csvTime(i.receivedAt),
    csvTime(i.dueAt),
    STATE_NAMES[i.state],
    i.workingDaysLeft >= 0 ? i.workingDaysLeft : null,
    i.workingDaysLeft < 0 ? -i.workingDaysLeft : null,
  ];
}

/** The CSV file as a stream of pages of `PAGE` dossiers. */
export function exportDeadlinesCsv(
  db: Db,
  calendar: WorkingCalendar,
  filter: Omit<DeadlineListQuery, 'cursor' | 'limit'>,
  nowMs: number,
): ReadableStream<Uint8Array> {
  let cursor: string | undefined;
  let done = false;
  return csvStream(DEADLINE_CSV_HEADER, async () => {
    if (done) return null;
    const page = await listDeadlines(db, calendar, { ...filter, cursor, limit: PAGE }, nowMs);
    cursor = page.nextCursor ?? undefined;
    done = page.nextCursor === null;
    return page.items.map(line);
  });
}
