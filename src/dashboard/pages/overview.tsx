/** The overview: each destination's health, backlog and circuit, and the outage timeline. */
import type { FC } from 'hono/jsx';
import type { Health } from '../../transfers/destination-health.js';
import type { OutageTimeline } from '../outage-timeline.js';
import { CIRCUIT_LABELS, DESTINATION_LABELS, duration, label, STATUS_LABELS, vnTime } from './format.js';
import { type Flash, Layout, type Viewer } from './layout.js';
import { TimelineSvg } from './timeline.js';

type Row = Health['destinations'][number];

const DestinationRow: FC<{ d: Row }> = ({ d }) => (
  <tr class={d.alert ? 'bad' : d.circuit !== 'closed' || d.dead > 0 ? 'warn' : undefined}>
    <th scope="row">{label(DESTINATION_LABELS, d.name)}</th>
    <td>{label(CIRCUIT_LABELS, d.circuit)}</td>
    <td class="num">{d.pending}</td>
    <td>{duration(d.oldestPendingAgeMs)}</td>
    <td class="num">
      {d.dead > 0 ? <a href={`/ops/dead-letters?destination=${encodeURIComponent(d.name)}`}>{d.dead}</a> : 0}
    </td>
    <td class="num">{d.blocked}</td>
    <td class="num">{d.held}</td>
    <td>{vnTime(d.lastSuccessAt)}</td>
    <td class="wrap">
      {d.alert ? <strong>{d.alert}</strong> : (d.lastError ?? '—')}
      {d.lastErrorAt ? <span class="muted"> ({vnTime(d.lastErrorAt)})</span> : null}
    </td>
  </tr>
);

export const OverviewPage: FC<{
  viewer: Viewer;
  health: Health;
  timeline: OutageTimeline;
  flash?: Flash | undefined;
}> = ({ viewer, health, timeline, flash }) => {
  const outages = timeline.destinations
    .flatMap((d) => d.outages.map((o) => ({ ...o, destination: d.destination })))
    .sort((a, b) => b.fromMs - a.fromMs)
    .slice(0, 15);
  return (
    <Layout title="Tổng quan" active="overview" viewer={viewer} flash={flash}>
      <p class={`status ${health.status}`}>
        Tình trạng chung: <strong>{label(STATUS_LABELS, health.status)}</strong> · Hồ sơ trùng chờ xem xét:{' '}
        <a href="/ops/reviews">{health.reviewsPending}</a>
      </p>
      <h2>Nơi nhận</h2>
      <table class="grid">
        <thead>
          <tr>
            <th>Nơi nhận</th>
            <th>Cầu dao</th>
            <th>Chờ gửi</th>
            <th>Chờ lâu nhất</th>
            <th>Thất bại</th>
            <th>Bị chặn</th>
            <th>Tạm giữ</th>
            <th>Giao thành công gần nhất</th>
            <th>Lỗi gần nhất</th>
          </tr>
        </thead>
        <tbody>
          {[...health.destinations, health.sms, ...health.departments].map((d) => (
            <DestinationRow d={d} />
          ))}
        </tbody>
      </table>
      <h2>Gián đoạn 7 ngày qua</h2>
      <TimelineSvg timeline={timeline} />
      <p class="hint">
        Màu đỏ: khoảng thời gian mọi lần gửi đều thất bại do sự cố (tính theo nhật ký đối soát, mỗi ô 10
        phút).
      </p>
      {outages.length === 0 ? (
        <p>Không có gián đoạn nào trong 7 ngày qua.</p>
      ) : (
        <table class="grid compact">
          <thead>
            <tr>
              <th>Nơi nhận</th>
              <th>Bắt đầu</th>
              <th>Kết thúc</th>
              <th>Thời lượng</th>
            </tr>
          </thead>
          <tbody>
            {outages.map((o) => (
              <tr>
                <td>{label(DESTINATION_LABELS, o.destination)}</td>
                <td>{vnTime(o.fromMs)}</td>
                <td>{o.ongoing ? 'Đang gián đoạn' : vnTime(o.toMs)}</td>
                <td>{duration(o.toMs - o.fromMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
};
