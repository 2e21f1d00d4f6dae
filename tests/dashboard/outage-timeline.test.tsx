/**
 * The outage timeline derived from the delivery attempts in the reconciliation log
 * (docs/dashboard.md, Outage timeline), and its SVG.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUCKET_MS, outageTimeline } from '../../src/dashboard/outage-timeline.js';
import { TimelineSvg } from '../../src/dashboard/pages/timeline.js';
import { appendLog } from '../../src/reconciliation/log.js';
import { createTestGateway, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeEach(async () => {
  gw = await createTestGateway();
});
afterEach(async () => {
  await gw.close();
});

const NOW = Date.parse('2026-12-20T12:00:00+07:00');
const H = 3_600_000;

async function attempt(atMs: number, destination: string, outcome: string): Promise<void> {
  await gw.services.store.transaction((trx) =>
    appendLog(trx, { kind: 'transfer.attempt', actor: 'worker:test', data: { destination, outcome } }, atMs),
  );
}

describe('the outage timeline', () => {
  it('opens an outage at the first bucket of only failures and closes it at the next delivery', async () => {
    await attempt(NOW - 10 * 24 * H, 'portal', 'retry'); // before the window: not read
    await attempt(NOW - 50 * H, 'portal', 'delivered');
    await attempt(NOW - 48 * H, 'portal', 'retry');
    await attempt(NOW - 47 * H, 'portal', 'retry'); // the circuit was open in between: no attempts
    await attempt(NOW - 45 * H, 'portal', 'delivered');
    await attempt(NOW - 44 * H, 'portal', 'dead'); // a refused payload is not an outage
    await attempt(NOW - 3 * H, 'sms', 'config_fault'); // still down at the end
    const t = await outageTimeline(gw.services.store.db, NOW, ['portal', 'sms', 'xaydung']);
    expect(t.fromMs).toBe(NOW - 7 * 24 * H);
    const by = Object.fromEntries(t.destinations.map((d) => [d.destination, d]));
    expect(by.portal?.outages).toHaveLength(1);
    const o = by.portal?.outages[0];
    // Bucket-aligned: the outage starts in the bucket of the first failure and ends at the delivery's bucket.
    expect(o?.fromMs).toBeLessThanOrEqual(NOW - 48 * H);
    expect(o?.fromMs).toBeGreaterThan(NOW - 48 * H - BUCKET_MS);
    expect(o?.toMs).toBeLessThanOrEqual(NOW - 45 * H);
    expect(o?.toMs).toBeGreaterThan(NOW - 45 * H - BUCKET_MS);
    expect(o?.ongoing).toBe(false);
    expect(by.sms?.outages).toEqual([{ fromMs: expect.any(Number), toMs: NOW, ongoing: true }]);
    expect(by.xaydung?.outages).toEqual([]);
  });

  it('is drawn as an SVG with one red band per outage and a tick per day', async () => {
    await attempt(NOW - 30 * H, 'portal', 'retry');
    await attempt(NOW - 20 * H, 'portal', 'delivered');
    const t = await outageTimeline(gw.services.store.db, NOW, ['portal']);
    const svg = await (<TimelineSvg timeline={t} />).toString();
    expect(svg.match(/class="down"/g)).toHaveLength(1);
    expect(svg.match(/class="tick"/g)?.length).toBeGreaterThanOrEqual(6);
    expect(svg).toContain('Cổng dịch vụ công quốc gia');
  });
});
