/**
 * The outage timeline of the last days as an SVG drawn on the server (docs/dashboard.md, Outage
 * timeline): one row per destination, a red band per outage, a tick per day in Vietnam.
 */
import type { FC } from 'hono/jsx';
import type { OutageTimeline } from '../outage-timeline.js';
import { DESTINATION_LABELS, duration, label, vnDay, vnTime } from './format.js';

const WIDTH = 1000;
const LEFT = 190;
const ROW = 30;
const TOP = 24;
const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;

/** The midnights (Vietnam) inside the window, for the day ticks. */
function midnights(fromMs: number, toMs: number): number[] {
  const first = Math.ceil((fromMs + VN_OFFSET_MS) / DAY_MS) * DAY_MS - VN_OFFSET_MS;
  const out: number[] = [];
  for (let t = first; t <= toMs && out.length < 40; t += DAY_MS) out.push(t);
  return out;
}

export const TimelineSvg: FC<{ timeline: OutageTimeline }> = ({ timeline }) => {
  const { fromMs, toMs, destinations } = timeline;
  const span = Math.max(1, toMs - fromMs);
  const x = (ms: number) => LEFT + ((ms - fromMs) / span) * (WIDTH - LEFT - 10);
  const height = TOP + destinations.length * ROW + 10;
  return (
    <svg
      class="timeline"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-label="Thời gian gián đoạn 7 ngày qua theo từng nơi nhận"
      xmlns="http://www.w3.org/2000/svg"
    >
      {midnights(fromMs, toMs).map((m) => (
        <g>
          <line x1={x(m)} x2={x(m)} y1={TOP - 6} y2={height - 6} class="tick" />
          <text x={x(m) + 3} y={TOP - 10} class="axis">
            {vnDay(m)}
          </text>
        </g>
      ))}
      {destinations.map((d, i) => {
        const y = TOP + i * ROW;
        return (
          <g>
            <text x={4} y={y + 19} class="name">
              {label(DESTINATION_LABELS, d.destination)}
            </text>
            <rect x={LEFT} y={y + 6} width={WIDTH - LEFT - 10} height={18} class="up" />
            {d.outages.map((o) => (
              <rect
                x={x(o.fromMs)}
                y={y + 6}
                width={Math.max(2, x(o.toMs) - x(o.fromMs))}
                height={18}
                class="down"
              >
                <title>{`Gián đoạn từ ${vnTime(o.fromMs)} đến ${o.ongoing ? 'nay' : vnTime(o.toMs)} (${duration(o.toMs - o.fromMs)})`}</title>
              </rect>
            ))}
          </g>
        );
      })}
    </svg>
  );
};
