/** Open findings of the reconciliation runs (docs/reconciliation.md), filtered by kind. */
import type { FC } from 'hono/jsx';
import { FINDING_KINDS } from '../../../schemas/reconciliation.js';
import type { FindingList } from '../../reconciliation/list-findings.js';
import { label, vnTime } from './format.js';
import { type Flash, Layout, type Viewer } from './layout.js';

export const FINDING_LABELS: Record<string, string> = {
  missing_at_portal: 'Không có trên Cổng quốc gia',
  status_mismatch: 'Trạng thái lệch với Cổng',
  stuck_transfer: 'Chuyển giao bị treo',
  dead_transfer: 'Chuyển giao thất bại',
  overdue: 'Quá hạn',
  near_due: 'Sắp đến hạn',
  postal_stalled: 'Bưu chính chậm',
  delivery_failed: 'Phát không thành công',
  review_waiting: 'Hồ sơ trùng chờ lâu',
  postal_returned_to_sender: 'Bưu chính hoàn trả',
  postal_cancelled: 'Bưu chính hủy',
};

export const FindingsPage: FC<{
  viewer: Viewer;
  list: FindingList;
  kind?: string | undefined;
  flash?: Flash | undefined;
}> = ({ viewer, list, kind, flash }) => (
  <Layout title="Phát hiện đang mở" active="findings" viewer={viewer} flash={flash}>
    <form method="get" action="/ops/findings" class="stack">
      <label>
        Loại
        <select name="kind">
          <option value="">Tất cả</option>
          {FINDING_KINDS.map((k) => (
            <option value={k} selected={k === kind}>
              {label(FINDING_LABELS, k)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">Lọc</button>
    </form>
    {list.items.length === 0 ? (
      <p class="empty">Không có phát hiện nào đang mở.</p>
    ) : (
      <table class="grid">
        <caption>
          {list.nextAfter === null
            ? `${list.items.length} phát hiện`
            : `${list.items.length} phát hiện đầu tiên`}
        </caption>
        <thead>
          <tr>
            <th>Số</th>
            <th>Loại</th>
            <th>Đối tượng</th>
            <th>Cơ quan</th>
            <th>Chi tiết</th>
            <th>Mở lúc</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((f) => (
            <tr>
              <td class="num">{f.id}</td>
              <td>{label(FINDING_LABELS, f.kind)}</td>
              <td class="wrap">{f.subject}</td>
              <td>{f.agency ?? '—'}</td>
              <td class="wrap">{f.detail}</td>
              <td>{vnTime(f.openedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </Layout>
);
