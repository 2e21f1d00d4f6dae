/**
 * Reconciliation findings from the gateway's own state (docs/reconciliation.md): dead and stuck
 * transfers, waiting reviews, stalled postal jobs, postal delivery failures, overdue and near-due
 * dossiers; each closes itself when its condition clears. A run with no portal records that it could
 * not compare. The findings list's filters, pages and scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFinding } from '../../src/postal/finding.store.js';
import {
  AGENCY,
  AGENCY_2,
  createTestGateway,
  dossierBody,
  json,
  type TestGateway,
} from '../helpers/gateway.js';

// Thursday 10 December 2026, 10:00 in Vietnam; time moves on from there.
const NOW = Date.parse('2026-12-10T10:00:00+07:00');
const started = Date.now();
let gw: TestGateway;
const ids: Record<string, string> = {};

const op = () => gw.keys.operator;
const sql = (text: string, ...args: unknown[]) => gw.sqlite.prepare(text).run(...args);

async function run(): Promise<Record<string, any>> {
  const res = await gw.request('POST', '/v1/ops/reconciliation/runs', { key: op() });
  expect(res.status).toBe(202);
  for (let i = 0; i < 400; i++) {
    const r = await json(await gw.request('GET', res.headers.get('location') as string, { key: op() }));
    if (r.state !== 'running') return r;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the run did not end');
}

async function findings(query: string, key = op()): Promise<Record<string, any>> {
  const res = await gw.request('GET', `/v1/ops/findings?${query}`, { key });
  expect(res.status).toBe(200);
  return json(res);
}

const transferOf = (dossierId: string) =>
  (
    gw.sqlite.prepare('SELECT id FROM transfers WHERE dossier_id = ? ORDER BY id').get(dossierId) as {
      id: number;
    }
  ).id;

beforeAll(async () => {
  gw = await createTestGateway({ clock: { now: () => NOW + (Date.now() - started) } });
  const push = async (name: string, over: Record<string, unknown>) => {
    const res = await gw.request('POST', '/v1/dossiers', { body: dossierBody(over) });
    expect(res.status).toBe(201);
    ids[name] = (await json(res)).id;
  };
  await push('nearDue', { dueAt: '2026-12-14T17:00:00+07:00' }); // Monday: the 2nd working day
  await push('onTime', { dueAt: '2026-12-28T17:00:00+07:00' });
  await push('overdue', {
    dueAt: '2026-12-01T17:00:00+07:00',
    agency: { code: AGENCY_2, name: 'Sở Tư pháp' },
  });
  sql(
    "UPDATE transfers SET state = 'dead', last_error = 'refused' WHERE id = ?",
    transferOf(ids.onTime as string),
  );
  sql(
    'UPDATE transfers SET created_at_ms = ? WHERE id = ?',
    NOW - 2 * 3_600_000,
    transferOf(ids.nearDue as string),
  );
  // Just as old, but waiting for its backoff: not stuck.
  sql(
    'UPDATE transfers SET created_at_ms = ?, next_attempt_at_ms = ? WHERE id = ?',
    NOW - 2 * 3_600_000,
    NOW + 3_600_000,
    transferOf(ids.overdue as string),
  );
  sql(
    "INSERT INTO dedup_reviews (id, dossier_id, candidates, state, created_at_ms) VALUES ('rev-1', ?, '[]', 'pending', ?)",
    ids.onTime,
    NOW - 2 * 86_400_000,
  );
  sql(
    `INSERT INTO postal_jobs (id, kind, dossier_id, agency_code, order_number, payload, state, failed_deliveries,
       created_at_ms, due_by_ms, updated_at_ms) VALUES ('job-1', 'return', ?, ?, 'X', '{}', 'accepted', 2, ?, ?, ?)`,
    ids.onTime,
    AGENCY,
    NOW - 9 * 86_400_000,
    NOW - 86_400_000,
    NOW - 86_400_000,
  );
  // What the postal events raise (docs/postal.md): it belongs to the same list.
  await openFinding(gw.services.store.db, {
    kind: 'delivery_failed',
    dossierId: ids.onTime as string,
    jobId: 'job-1',
    detail: 'return job: delivery failed 2 times',
    openedAtMs: NOW - 86_400_000,
    subject: 'job:job-1',
    agency: AGENCY,
  });
});
afterAll(() => gw.close());

describe('a run without a portal', () => {
  let first: Record<string, any>;

  it('records that it could not compare, and still checks the invariants and deadlines', async () => {
    first = await run();
    expect(first).toMatchObject({ state: 'completed', portal: 'not_compared', dossiersCompared: 0 });
    expect(first.portalReason).toMatch(/^no_portal/);
    expect(first.opened).toEqual({
      dead_transfer: 1,
      stuck_transfer: 1,
      review_waiting: 1,
      postal_stalled: 1,
      overdue: 1,
      near_due: 1,
    });
    const open = await findings('open=true&limit=100');
    const byKind = Object.fromEntries(open.items.map((f: any) => [f.kind, f]));
    expect(byKind.dead_transfer).toMatchObject({
      dossierId: ids.onTime,
      transferId: transferOf(ids.onTime as string),
    });
    expect(byKind.stuck_transfer.dossierId).toBe(ids.nearDue);
    expect(byKind.review_waiting).toMatchObject({ reviewId: 'rev-1', agency: AGENCY });
    expect(byKind.postal_stalled.jobId).toBe('job-1');
    expect(byKind.delivery_failed).toMatchObject({ jobId: 'job-1', openedByRun: null });
    expect(byKind.overdue).toMatchObject({ dossierId: ids.overdue, agency: AGENCY_2 });
    expect(byKind.near_due.dossierId).toBe(ids.nearDue);
    expect(JSON.stringify(open)).not.toMatch(/Nguyễn|0912/);
  });

  it('filters by kind, agency and open, in id pages, for operators only', async () => {
    expect((await findings('kind=overdue')).items.map((f: any) => f.dossierId)).toEqual([ids.overdue]);
    const agency2 = await findings(`agency=${AGENCY_2}&open=true`);
    expect(agency2.items.map((f: any) => f.kind)).toEqual(['overdue']);
    expect((await findings('open=false')).items).toEqual([]);
    const page1 = await findings('open=true&limit=3');
    expect(page1.items).toHaveLength(3);
    const page2 = await findings(`open=true&limit=100&after=${page1.nextAfter}`);
    expect(page2.items).toHaveLength(4);
    expect(page2.nextAfter).toBeNull();
    expect((await gw.request('GET', '/v1/ops/findings', { key: gw.keys.motcua })).status).toBe(403);
    const bad = await gw.request('GET', '/v1/ops/findings?kind=nonsense&color=red', { key: op() });
    expect(bad.status).toBe(400);
  });

  it('opens nothing twice, and closes each finding when its condition clears, with the time', async () => {
    sql("UPDATE transfers SET state = 'pending' WHERE id = ?", transferOf(ids.onTime as string));
    sql("UPDATE dedup_reviews SET state = 'kept_apart' WHERE id = 'rev-1'");
    sql("UPDATE postal_jobs SET state = 'delivered' WHERE id = 'job-1'");
    const res = await gw.request('POST', `/v1/dossiers/${ids.overdue}/events`, {
      body: { status: 'processing', at: '2026-12-02T09:00:00+07:00' },
    });
    expect(res.status).toBe(201);
    const second = await run();
    expect(second.opened).toEqual({});
    expect(second.closed).toEqual({
      dead_transfer: 1,
      review_waiting: 1,
      postal_stalled: 1,
      delivery_failed: 1,
    });
    const closed = await findings('open=false');
    for (const f of closed.items) {
      expect(f.closedByRun).toBe(second.id);
      expect(Date.parse(f.closedAt)).toBeGreaterThan(Date.parse(f.openedAt));
    }
    expect((await findings('open=true')).items.map((f: any) => f.kind).sort()).toEqual([
      'near_due',
      'overdue',
      'stuck_transfer',
    ]);
  });

  it('answers 409 while a run is running, and 404 for an unknown run', async () => {
    const unknown = await gw.request('GET', '/v1/ops/reconciliation/runs/run-none', { key: op() });
    expect(unknown.status).toBe(404);
    sql(
      `INSERT INTO reconciliation_runs (id, trigger, state, period_from_ms, period_to_ms, portal, counts,
         started_at_ms, requested_by) VALUES ('run-busy', 'schedule', 'running', 0, 1, 'not_compared', '{"opened":{},"closed":{}}', ?, 'test')`,
      NOW + (Date.now() - started),
    );
    const busy = await gw.request('POST', '/v1/ops/reconciliation/runs', { key: op() });
    expect(busy.status).toBe(409);
    sql("UPDATE reconciliation_runs SET state = 'failed' WHERE id = 'run-busy'");
    const future = await gw.request('POST', '/v1/ops/reconciliation/runs', {
      key: op(),
      body: { from: '2026-12-01T00:00:00+07:00', to: '2099-01-01T00:00:00+07:00' },
    });
    expect(future.status).toBe(400);
  });
});
