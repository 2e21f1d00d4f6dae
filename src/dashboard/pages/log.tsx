/** The reconciliation log's chain: the last verification and a button to verify now (docs/dashboard.md). */
import type { FC } from 'hono/jsx';
import type { LogAudit } from '../../reconciliation/audit.js';
import { vnTime } from './format.js';
import { Csrf, type Flash, Layout, type Viewer } from './layout.js';

export interface ShownAudit {
  audit: LogAudit;
  atMs: number;
}

const Verdict: FC<{ shown: ShownAudit }> = ({ shown }) => {
  const { chain, anchoring } = shown.audit;
  return (
    <dl class="facts" id="verdict" data-ok={String(shown.audit.ok)}>
      <dt>Kiểm tra lúc</dt>
      <dd>{vnTime(shown.atMs)}</dd>
      <dt>Kết quả</dt>
      <dd class={shown.audit.ok ? 'good' : 'bad'}>
        <strong>{shown.audit.ok ? 'Toàn vẹn' : 'KHÔNG toàn vẹn'}</strong>
      </dd>
      <dt>Chuỗi băm</dt>
      <dd>
        {chain.ok
          ? `${chain.entries} mục, chuỗi liền mạch`
          : `đứt tại mục ${chain.brokenAt}: ${chain.reason} (${chain.entries} mục hợp lệ trước đó)`}
      </dd>
      <dt>Điểm neo (checkpoint)</dt>
      <dd>
        {!anchoring.checked
          ? 'Chưa kiểm tra: chưa cấu hình khóa ký điểm neo (LOG_CHECKPOINT_KEY)'
          : anchoring.problem
            ? `Có vấn đề: ${anchoring.problem.reason}`
            : anchoring.lastAnchored
              ? `${anchoring.checkpoints} điểm neo hợp lệ; mục được neo gần nhất: ${anchoring.lastAnchored.entryId} (ký lúc ${vnTime(anchoring.lastAnchored.signedAtMs)}); ${anchoring.unanchored} mục sau đó chưa được neo`
              : `Chưa có điểm neo nào; ${anchoring.unanchored} mục chưa được neo`}
      </dd>
    </dl>
  );
};

export const LogPage: FC<{ viewer: Viewer; shown?: ShownAudit | undefined; flash?: Flash | undefined }> = ({
  viewer,
  shown,
  flash,
}) => (
  <Layout title="Nhật ký đối soát" active="log" viewer={viewer} flash={flash}>
    <p>
      Nhật ký đối soát chỉ được ghi thêm, mỗi mục nối với mục trước bằng mã băm; điểm neo được ký bằng khóa
      giữ ngoài cơ sở dữ liệu.
    </p>
    {shown ? <Verdict shown={shown} /> : <p class="empty">Chưa có lần kiểm tra nào được lưu.</p>}
    <form method="post" action="/ops/log/verify">
      <Csrf token={viewer.csrfToken} />
      <button type="submit">Kiểm tra ngay</button>
    </form>
  </Layout>
);
