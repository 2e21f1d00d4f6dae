/**
 * Possible dual entries held for an operator: merge into a candidate, keep apart, and split a wrong
 * merge back out (docs/dedup.md).
 */
import type { FC } from 'hono/jsx';
import type { Review } from '../../dedup/list-reviews.js';
import { vnTime } from './format.js';
import { Csrf, type Flash, Layout, type Viewer } from './layout.js';

type Summary = Review['dossier'];

const Who: FC<{ d: Summary | null }> = ({ d }) =>
  d ? (
    <span>
      <strong>{d.code}</strong> · {d.applicant.fullName} · {d.procedure.name} · nhận {vnTime(d.receivedAt)}
    </span>
  ) : (
    <span class="muted">(không còn)</span>
  );

const ReviewCard: FC<{ r: Review; csrf: string }> = ({ r, csrf }) => (
  <section class="card" id={`review-${r.id}`}>
    <h3>
      Hồ sơ tạm giữ: <Who d={r.dossier} />
    </h3>
    <p class="muted">Tạm giữ từ {vnTime(r.createdAt)}</p>
    <table class="grid compact">
      <thead>
        <tr>
          <th>Hồ sơ có thể trùng</th>
          <th>Điểm</th>
          <th>Lý do</th>
        </tr>
      </thead>
      <tbody>
        {r.candidates.map((c) => (
          <tr>
            <td>
              <Who d={c.dossier} />
            </td>
            <td class="num">{c.score.toFixed(2)}</td>
            <td class="wrap">{c.reasons.map((x) => `${x.field}: ${x.note}`).join('; ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
    <div class="actions">
      <form method="post" action={`/ops/reviews/${encodeURIComponent(r.id)}/merge`}>
        <Csrf token={csrf} />
        <label>
          Gộp vào{' '}
          <select name="into">
            {r.candidates.map((c) => (
              <option value={c.dossierId}>{c.code}</option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">Gộp hồ sơ</button>
      </form>
      <form method="post" action={`/ops/reviews/${encodeURIComponent(r.id)}/keep-apart`}>
        <Csrf token={csrf} />
        <button type="submit">Giữ riêng</button>
      </form>
    </div>
  </section>
);

const SplitForm: FC<{ csrf: string }> = ({ csrf }) => (
  <form method="post" action="/ops/split" class="stack">
    <Csrf token={csrf} />
    <label>
      Mã định danh hồ sơ đã gộp (id) <input name="dossierId" required maxlength={100} />
    </label>
    <label>
      Hệ thống nguồn cần tách <input name="system" required maxlength={64} />
    </label>
    <label>
      Số hồ sơ ở hệ thống nguồn <input name="recordId" required maxlength={200} />
    </label>
    <button type="submit">Tách hồ sơ</button>
  </form>
);

export const ReviewsPage: FC<{
  viewer: Viewer;
  pending: Review[];
  merged: Review[];
  flash?: Flash | undefined;
}> = ({ viewer, pending, merged, flash }) => (
  <Layout title="Hồ sơ trùng cần xem xét" active="reviews" viewer={viewer} flash={flash}>
    {pending.length === 0 ? <p class="empty">Không có hồ sơ nào chờ xem xét.</p> : null}
    {pending.map((r) => (
      <ReviewCard r={r} csrf={viewer.csrfToken} />
    ))}
    <h2>Tách một lần gộp sai</h2>
    <p class="hint">
      Hồ sơ của hệ thống nguồn được tách ra thành hồ sơ riêng với các sự kiện của nó; hồ sơ còn lại được dựng
      lại từ các nguồn còn lại.
    </p>
    <SplitForm csrf={viewer.csrfToken} />
    {merged.length > 0 ? (
      <>
        <h3>Các lần gộp gần đây</h3>
        <table class="grid compact">
          <thead>
            <tr>
              <th>Hồ sơ đã gộp đi</th>
              <th>Quyết định lúc</th>
              <th>Người quyết định</th>
            </tr>
          </thead>
          <tbody>
            {merged.map((r) => (
              <tr>
                <td>
                  <Who d={r.dossier} />
                </td>
                <td>{vnTime(r.decidedAt)}</td>
                <td>{r.decidedBy ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ) : null}
  </Layout>
);
