/** This month's agency report (docs/reports.md) as a table and a bar chart drawn on the server. */
import type { FC } from 'hono/jsx';
import type { AgencyReport } from '../../reports/agency-report.js';
import { vnTime } from './format.js';
import { type Flash, Layout, type Viewer } from './layout.js';

type Figures = AgencyReport['agencies'][number];

const WIDTH = 1000;
const LEFT = 260;
const ROW = 26;
const TOP = 30;

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);
const agencyName = (f: Figures) => f.agency.name ?? f.agency.code;

/** One stacked bar per agency: resolved on time (early included), resolved late, overdue in progress. */
export const ReportChart: FC<{ agencies: Figures[] }> = ({ agencies }) => {
  const total = (f: Figures) => f.resolvedEarly + f.resolvedOnTime + f.resolvedLate + f.overdueInProgress;
  const max = Math.max(1, ...agencies.map(total));
  const w = (n: number) => (n / max) * (WIDTH - LEFT - 60);
  const height = TOP + agencies.length * ROW + 8;
  const legend = [
    ['ontime', 'Giải quyết đúng hạn'],
    ['late', 'Giải quyết trễ hạn'],
    ['overdue', 'Quá hạn đang xử lý'],
  ] as const;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label="Kết quả giải quyết theo cơ quan"
    >
      {legend.map(([cls, text], i) => (
        <g>
          <rect x={LEFT + i * 200} y={6} width={14} height={14} class={`bar ${cls}`} />
          <text x={LEFT + i * 200 + 20} y={18} class="axis">
            {text}
          </text>
        </g>
      ))}
      {agencies.map((f, i) => {
        const y = TOP + i * ROW;
        const onTime = f.resolvedEarly + f.resolvedOnTime;
        return (
          <g>
            <text x={4} y={y + 16} class="name">
              {agencyName(f).slice(0, 34)}
            </text>
            <rect x={LEFT} y={y + 4} width={w(onTime)} height={16} class="bar ontime" />
            <rect x={LEFT + w(onTime)} y={y + 4} width={w(f.resolvedLate)} height={16} class="bar late" />
            <rect
              x={LEFT + w(onTime + f.resolvedLate)}
              y={y + 4}
              width={w(f.overdueInProgress)}
              height={16}
              class="bar overdue"
            />
            <text x={LEFT + w(total(f)) + 6} y={y + 16} class="value">
              {String(total(f))}
            </text>
          </g>
        );
      })}
    </svg>
  );
};

const FigureRow: FC<{ f: Figures }> = ({ f }) => (
  <tr>
    <td class="wrap">
      {agencyName(f)} <span class="muted">{f.agency.code}</span>
    </td>
    <td class="num">{f.received}</td>
    <td class="num">{f.resolvedEarly}</td>
    <td class="num">{f.resolvedOnTime}</td>
    <td class="num">{f.resolvedLate}</td>
    <td class="num">{pct(f.onTimeRate)}</td>
    <td class="num">{f.overdueInProgress}</td>
    <td class="num">{f.supplementRequests}</td>
    <td class="num">{f.rejections}</td>
    <td class="num">{f.withdrawn}</td>
    <td class="num">{f.postalReturns}</td>
    <td class="num">{pct(f.onlineShare)}</td>
    <td class="num">{pct(f.digitisedShare)}</td>
    <td class="num">
      {f.averageWorkingDaysToResolve === null ? '—' : f.averageWorkingDaysToResolve.toFixed(1)}
    </td>
  </tr>
);

export const ReportsPage: FC<{
  viewer: Viewer;
  report: AgencyReport;
  month: string;
  flash?: Flash | undefined;
}> = ({ viewer, report, month, flash }) => (
  <Layout
    title={`Báo cáo cơ quan tháng ${month.slice(5, 7)}/${month.slice(0, 4)}`}
    active="reports"
    viewer={viewer}
    flash={flash}
  >
    <form method="get" action="/ops/reports" class="stack">
      <label>
        Tháng <input name="month" value={month} pattern="[0-9]{4}-[0-9]{2}" maxlength={7} />
      </label>
      <button type="submit">Xem</button>
      <a class="button" href={`/ops/reports.csv?month=${month}`}>
        Tải tệp CSV
      </a>
    </form>
    <p class="hint">
      Từ {vnTime(report.period.from)} đến{' '}
      {report.period.current ? `nay (${vnTime(report.period.asOf)})` : vnTime(report.period.to)}.
    </p>
    {report.agencies.length === 0 ? (
      <p class="empty">Không có hồ sơ nào trong tháng này.</p>
    ) : (
      <>
        <ReportChart agencies={report.agencies} />
        <table class="grid compact dense" id="report">
          <thead>
            <tr>
              <th>Cơ quan</th>
              <th class="num">Tiếp nhận</th>
              <th class="num">Trước hạn</th>
              <th class="num">Đúng hạn</th>
              <th class="num">Trễ hạn</th>
              <th class="num">Tỷ lệ đúng hạn</th>
              <th class="num">Quá hạn đang xử lý</th>
              <th class="num">Bổ sung</th>
              <th class="num">Từ chối</th>
              <th class="num">Rút hồ sơ</th>
              <th class="num">Bưu chính hoàn</th>
              <th class="num">Trực tuyến</th>
              <th class="num">Số hóa</th>
              <th class="num">Ngày làm việc TB</th>
            </tr>
          </thead>
          <tbody>
            {report.agencies.map((f) => (
              <FigureRow f={f} />
            ))}
          </tbody>
        </table>
      </>
    )}
  </Layout>
);
