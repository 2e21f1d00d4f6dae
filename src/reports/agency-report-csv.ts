/**
 * Use case: the agency report as a CSV file (docs/reports.md, CSV): one line per agency, header names in
 * Vietnamese, UTF-8 with a BOM and CRLF; shares as decimals (0.8125), empty when nothing was counted.
 */
import type { WorkingCalendar } from '../calendar/calendar.js';
import { BOM, csvLines } from '../lib/csv.js';
import type { Db } from '../store/store.js';
import { type AgencyFigures, agencyReport, type ReportQuery } from './agency-report.js';

/** Header names; docs/reports.md gives each in English. */
export const REPORT_CSV_COLUMNS: [string, (f: AgencyFigures) => string | number | null][] = [
  ['Mã cơ quan', (f) => f.agency.code],
  ['Tên cơ quan', (f) => f.agency.name],
  ['Tiếp nhận', (f) => f.received],
  ['Đã giải quyết', (f) => f.resolved],
  ['Giải quyết trước hạn', (f) => f.resolvedEarly],
  ['Giải quyết đúng hạn', (f) => f.resolvedOnTime],
  ['Giải quyết quá hạn', (f) => f.resolvedLate],
  ['Giải quyết không có hạn', (f) => f.resolvedWithoutDue],
  ['Tỷ lệ đúng hạn', (f) => f.onTimeRate],
  ['Đang xử lý quá hạn', (f) => f.overdueInProgress],
  ['Yêu cầu bổ sung', (f) => f.supplementRequests],
  ['Từ chối tiếp nhận', (f) => f.rejections],
  ['Rút hồ sơ', (f) => f.withdrawn],
  ['Trả kết quả qua bưu chính', (f) => f.postalReturns],
  ['Nộp trực tuyến', (f) => f.online],
  ['Tỷ lệ trực tuyến', (f) => f.onlineShare],
  ['Hồ sơ số hóa', (f) => f.digitised],
  ['Tỷ lệ số hóa', (f) => f.digitisedShare],
  ['Số ngày làm việc giải quyết trung bình', (f) => f.averageWorkingDaysToResolve],
];

/** The report's CSV text (a handful of lines: one per agency). */
export async function agencyReportCsv(
  db: Db,
  calendar: WorkingCalendar,
  q: ReportQuery,
  nowMs: number,
): Promise<{ name: string; text: string }> {
  const report = await agencyReport(db, calendar, q, nowMs);
  const lines = [
    REPORT_CSV_COLUMNS.map(([name]) => name),
    ...report.agencies.map((f) => REPORT_CSV_COLUMNS.map(([, value]) => value(f))),
  ];
  return { name: `bao-cao-co-quan-${report.period.name}.csv`, text: BOM + csvLines(lines) };
}
