/**
 * The reconciliation log's chain: the last verification (stored by `verify-log-now.ts`) and a button to
 * verify now (docs/dashboard.md).
 */
import type { FC } from 'hono/jsx';
import type { Verification } from '../../reconciliation/verify-log-now.js';
import { vnTime } from './format.js';
import { Csrf, type Flash, Layout, type Viewer } from './layout.js';

const Anchoring: FC<{ v: Verification }> = ({ v }) => {
  if (!v.anchored) return <>Chưa kiểm tra: chưa cấu hình khóa ký điểm neo (LOG_CHECKPOINT_KEY)</>;
  if (!v.lastAnchored) return <>Chưa có điểm neo nào; {v.unanchored ?? 0} mục chưa được neo</>;
  return (
    <>
      Mục được neo gần nhất: {v.lastAnchored.entryId} (điểm neo #{v.lastAnchored.checkpoint}, ký lúc{' '}
      {vnTime(v.lastAnchored.signedAt)}); {v.unanchored ?? 0} mục sau đó chưa được neo
    </>
  );
};

const Verdict: FC<{ v: Verification }> = ({ v }) => (
  <dl class="facts" id="verdict" data-ok={String(v.ok)}>
    <dt>Kiểm tra lúc</dt>
    <dd>{vnTime(v.verifiedAt)}</dd>
    <dt>Kết quả</dt>
    <dd class={v.ok ? 'good' : 'bad'}>
      <strong>{v.ok ? 'Toàn vẹn' : 'KHÔNG toàn vẹn'}</strong>
    </dd>
    <dt>Chuỗi băm</dt>
    <dd>{v.reason ? `${v.entries} mục hợp lệ; lỗi tại ${v.reason}` : `${v.entries} mục, chuỗi liền mạch`}</dd>
    <dt>Điểm neo (checkpoint)</dt>
    <dd>
      <Anchoring v={v} />
    </dd>
  </dl>
);

export const LogPage: FC<{ viewer: Viewer; last: Verification | null; flash?: Flash | undefined }> = ({
  viewer,
  last,
  flash,
}) => (
  <Layout title="Nhật ký đối soát" active="log" viewer={viewer} flash={flash}>
    <p>
      Nhật ký đối soát chỉ được ghi thêm, mỗi mục nối với mục trước bằng mã băm; điểm neo được ký bằng khóa
      giữ ngoài cơ sở dữ liệu.
    </p>
    <h2>Lần kiểm tra gần nhất</h2>
    {last ? <Verdict v={last} /> : <p class="empty">Chưa có lần kiểm tra nào.</p>}
    <form method="post" action="/ops/log/verify">
      <Csrf token={viewer.csrfToken} />
      <button type="submit">Kiểm tra ngay</button>
    </form>
  </Layout>
);
