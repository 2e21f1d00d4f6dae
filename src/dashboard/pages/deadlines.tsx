/** Near-due and overdue dossiers per agency, with the CSV download (docs/deadlines.md). */
import type { FC } from 'hono/jsx';
import type { DeadlinesOverview } from '../deadlines-by-agency.js';
import { vnTime } from './format.js';
import { type Flash, Layout, type Viewer } from './layout.js';

export interface DeadlineFilter {
  state?: 'near_due' | 'overdue' | undefined;
  agency?: string | undefined;
  withinWorkingDays: number;
}

const STATE_LABELS = { near_due: 'Sắp đến hạn', overdue: 'Quá hạn' } as const;

/** The query string of a filter (the page and its CSV share it). */
export function filterQuery(f: DeadlineFilter): string {
  const p = new URLSearchParams();
  if (f.state) p.set('state', f.state);
  if (f.agency) p.set('agency', f.agency);
  p.set('withinWorkingDays', String(f.withinWorkingDays));
  return p.toString();
}

const FilterForm: FC<{ f: DeadlineFilter }> = ({ f }) => (
  <form method="get" action="/ops/deadlines" class="stack">
    <label>
      Tình trạng
      <select name="state">
        <option value="">Cả hai</option>
        <option value="near_due" selected={f.state === 'near_due'}>
          Sắp đến hạn
        </option>
        <option value="overdue" selected={f.state === 'overdue'}>
          Quá hạn
        </option>
      </select>
    </label>
    <label>
      Mã cơ quan <input name="agency" value={f.agency ?? ''} maxlength={40} />
    </label>
    <label>
      Sắp đến hạn trong (ngày làm việc){' '}
      <input name="withinWorkingDays" type="number" min={0} max={60} value={String(f.withinWorkingDays)} />
    </label>
    <button type="submit">Lọc</button>
    <a class="button" id="csv" href={`/ops/deadlines.csv?${filterQuery(f)}`}>
      Tải tệp CSV
    </a>
  </form>
);

export const DeadlinesPage: FC<{
  viewer: Viewer;
  filter: DeadlineFilter;
  overview: DeadlinesOverview;
  flash?: Flash | undefined;
}> = ({ viewer, filter, overview, flash }) => (
  <Layout title="Hồ sơ sắp đến hạn và quá hạn" active="deadlines" viewer={viewer} flash={flash}>
    <FilterForm f={filter} />
    <h2>Theo cơ quan</h2>
    {overview.agencies.length === 0 ? (
      <p class="empty">Không có hồ sơ nào sắp đến hạn hoặc quá hạn.</p>
    ) : (
      <table class="grid compact" id="by-agency">
        <thead>
          <tr>
            <th>Cơ quan</th>
            <th class="num">Sắp đến hạn</th>
            <th class="num">Quá hạn</th>
          </tr>
        </thead>
        <tbody>
          {overview.agencies.map((a) => (
            <tr>
              <td>
                {a.name ?? ''} <span class="muted">{a.agency}</span>
              </td>
              <td class="num">{a.nearDue}</td>
              <td class="num">{a.overdue}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
    {overview.truncated ? (
      <p class="hint">Chỉ tính {overview.counted} hồ sơ đầu tiên; tệp CSV có đủ.</p>
    ) : null}
    {overview.items.length > 0 ? (
      <table class="grid">
        <caption>Quá hạn lâu nhất trước ({overview.items.length} hồ sơ đầu)</caption>
        <thead>
          <tr>
            <th>Mã hồ sơ</th>
            <th>Thủ tục</th>
            <th>Cơ quan</th>
            <th>Người nộp</th>
            <th>Tiếp nhận</th>
            <th>Hạn</th>
            <th>Tình trạng</th>
            <th class="num">Ngày làm việc</th>
          </tr>
        </thead>
        <tbody>
          {overview.items.map((i) => (
            <tr data-state={i.state}>
              <td>{i.code}</td>
              <td class="wrap">{i.procedure.name ?? i.procedure.code}</td>
              <td>{i.agency.code}</td>
              <td>{i.applicantName ?? '—'}</td>
              <td>{vnTime(i.receivedAt)}</td>
              <td>{vnTime(i.dueAt)}</td>
              <td>{STATE_LABELS[i.state]}</td>
              <td class="num">
                {i.workingDaysLeft < 0 ? `trễ ${-i.workingDaysLeft}` : `còn ${i.workingDaysLeft}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    ) : null}
  </Layout>
);
