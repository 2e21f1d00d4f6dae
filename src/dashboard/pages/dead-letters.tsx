/**
 * Dead letters: transfers that gave up, with a replay button per transfer and per destination, and
 * the transfers of a dossier just replayed, so the operator watches them go out.
 */
import type { FC } from 'hono/jsx';
import type { TransferList } from '../../transfers/list-transfers.js';
import { DESTINATION_LABELS, label, TRANSFER_KIND_LABELS, TRANSFER_STATE_LABELS, vnTime } from './format.js';
import { Csrf, type Flash, Layout, type Viewer } from './layout.js';

type Item = TransferList['items'][number];

const TransferRow: FC<{ t: Item; csrf?: string | undefined }> = ({ t, csrf }) => (
  <tr id={`transfer-${t.id}`} data-state={t.state}>
    <td class="num">{t.id}</td>
    <td>{label(DESTINATION_LABELS, t.destination)}</td>
    <td>{label(TRANSFER_KIND_LABELS, t.kind)}</td>
    <td>
      <a href={`/ops/dead-letters?dossier=${encodeURIComponent(t.dossierId)}`}>
        {t.dossierCode ?? t.dossierId}
      </a>
    </td>
    <td>{t.agency}</td>
    <td class="num">{t.attempts}</td>
    <td class="state">{label(TRANSFER_STATE_LABELS, t.blocked ? 'blocked' : t.state)}</td>
    <td class="wrap">{t.lastError ?? '—'}</td>
    <td>{vnTime(t.updatedAt)}</td>
    <td>
      {csrf && t.state === 'dead' ? (
        <form method="post" action="/ops/dead-letters/replay">
          <Csrf token={csrf} />
          <input type="hidden" name="id" value={String(t.id)} />
          <input type="hidden" name="dossier" value={t.dossierId} />
          <button type="submit">Gửi lại</button>
        </form>
      ) : null}
    </td>
  </tr>
);

const TransferTable: FC<{ items: Item[]; csrf?: string | undefined; caption: string }> = ({
  items,
  csrf,
  caption,
}) => (
  <table class="grid">
    <caption>{caption}</caption>
    <thead>
      <tr>
        <th>Số</th>
        <th>Nơi nhận</th>
        <th>Loại</th>
        <th>Hồ sơ</th>
        <th>Cơ quan</th>
        <th>Lần thử</th>
        <th>Trạng thái</th>
        <th>Lỗi gần nhất</th>
        <th>Cập nhật</th>
        <th />
      </tr>
    </thead>
    <tbody>
      {items.map((t) => (
        <TransferRow t={t} csrf={csrf} />
      ))}
    </tbody>
  </table>
);

export const DeadLettersPage: FC<{
  viewer: Viewer;
  items: Item[];
  more: boolean;
  destination?: string | undefined;
  watched?: { dossierId: string; items: Item[] } | undefined;
  flash?: Flash | undefined;
}> = ({ viewer, items, more, destination, watched, flash }) => {
  const destinations = [...new Set(items.map((t) => t.destination))];
  return (
    <Layout title="Chuyển giao thất bại" active="dead" viewer={viewer} flash={flash}>
      {watched ? (
        <section class="watch">
          <h2>Chuyển giao của hồ sơ</h2>
          <p class="hint">Tải lại trang để xem trạng thái mới nhất.</p>
          <TransferTable items={watched.items} caption={`Hồ sơ ${watched.dossierId}`} />
        </section>
      ) : null}
      {destination ? (
        <p>
          Đang lọc theo nơi nhận: <strong>{label(DESTINATION_LABELS, destination)}</strong> ·{' '}
          <a href="/ops/dead-letters">Bỏ lọc</a>
        </p>
      ) : null}
      {items.length === 0 ? (
        <p class="empty">Không có chuyển giao thất bại nào.</p>
      ) : (
        <>
          <div class="actions">
            {destinations.map((d) => (
              <form method="post" action="/ops/dead-letters/replay">
                <Csrf token={viewer.csrfToken} />
                <input type="hidden" name="destination" value={d} />
                <button type="submit">Gửi lại tất cả: {label(DESTINATION_LABELS, d)}</button>
              </form>
            ))}
          </div>
          <TransferTable
            items={items}
            csrf={viewer.csrfToken}
            caption={more ? `${items.length} chuyển giao đầu tiên (còn nữa)` : `${items.length} chuyển giao`}
          />
        </>
      )}
    </Layout>
  );
};
