/**
 * The operators' log API (docs/reconciliation.md): entries in id pages filtered by since (an id or an
 * instant), kind and dossier; `POST /v1/ops/log/verify` on a good copy and on a tampered one, and the
 * last verification kept. `/metrics`: Prometheus text with every family, and its token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';
import {
  createTestGateway,
  dossierBody,
  json,
  removeTempDb,
  type TestGateway,
  tempDbPath,
} from '../helpers/gateway.js';

const KEY = 'c3'.repeat(32);
let gw: TestGateway;
const dossiers: string[] = [];
const copies: string[] = [];
const op = () => gw.keys.operator;
const get = async (path: string) => {
  const res = await gw.request('GET', path, { key: op() });
  expect(res.status, path).toBe(200);
  return json(res);
};

beforeAll(async () => {
  gw = await createTestGateway({ env: { LOG_CHECKPOINT_KEY: KEY } });
  for (let i = 0; i < 3; i++) {
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    dossiers.push(d.id);
    await gw.request('POST', `/v1/dossiers/${d.id}/events`, {
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
  }
});
afterAll(async () => {
  await gw.close();
  for (const path of copies) removeTempDb(path);
});

describe('GET /v1/ops/log', () => {
  it('pages through the entries in id order', async () => {
    const all = await get('/v1/ops/log?limit=500');
    expect(all.items.length).toBeGreaterThanOrEqual(6);
    expect(all.nextAfter).toBeNull();
    const first = await get('/v1/ops/log?limit=2');
    expect(first.items.map((e: any) => e.id)).toEqual([1, 2]);
    expect(first.nextAfter).toBe(2);
    const second = await get(`/v1/ops/log?limit=2&after=${first.nextAfter}`);
    expect(second.items.map((e: any) => e.id)).toEqual([3, 4]);
    expect(second.items[0].prevHash).toBe(first.items[1].hash);
  });

  it('filters by kind, dossier and since (an entry id, or an instant)', async () => {
    const created = await get('/v1/ops/log?kind=intake.created');
    expect(created.items.map((e: any) => e.dossierId)).toEqual(dossiers);
    const one = await get(`/v1/ops/log?dossier=${dossiers[1]}`);
    expect(one.items.length).toBeGreaterThanOrEqual(2);
    expect(new Set(one.items.map((e: any) => e.dossierId))).toEqual(new Set([dossiers[1]]));
    const after3 = await get('/v1/ops/log?since=3&limit=1');
    expect(after3.items[0].id).toBe(4);
    const at = after3.items[0].at as string;
    const fromInstant = await get(`/v1/ops/log?since=${encodeURIComponent(at)}&limit=500`);
    expect(fromInstant.items.every((e: any) => Date.parse(e.at) >= Date.parse(at))).toBe(true);
    expect(fromInstant.items.map((e: any) => e.id)).toContain(4);
  });

  it('holds no personal data, and refuses bad parameters and other roles', async () => {
    const all = await get('/v1/ops/log?limit=500');
    expect(JSON.stringify(all)).not.toMatch(/Nguyễn|0912|027090|an\.nguyen/);
    for (const q of ['since=yesterday', 'kind=Bad Kind', 'color=red', 'limit=0']) {
      const res = await gw.request('GET', `/v1/ops/log?${q}`, { key: op() });
      expect(res.status, q).toBe(400);
    }
    expect((await gw.request('GET', '/v1/ops/log', { key: gw.keys.admin })).status).toBe(403);
  });
});

describe('POST /v1/ops/log/verify', () => {
  it('verifies a good log, and keeps the result for the dashboard', async () => {
    expect(await get('/v1/ops/log/verify')).toEqual({ last: null });
    const res = await gw.request('POST', '/v1/ops/log/verify', { key: op() });
    expect(res.status).toBe(200);
    const v = await json(res);
    expect(v).toMatchObject({ ok: true, reason: null, anchored: true, lastAnchored: null });
    expect(v.entries).toBeGreaterThanOrEqual(6);
    expect((await get('/v1/ops/log/verify')).last).toEqual(v);
  });

  it('reports a tampered copy, naming the entry', async () => {
    const path = tempDbPath();
    copies.push(path);
    gw.sqlite.prepare('VACUUM INTO ?').run(path);
    const copy = openSqliteStore(path, { groupCommit: false });
    copy.sqlite.exec('DROP TRIGGER reconciliation_log_no_update');
    copy.sqlite.prepare('UPDATE reconciliation_log SET data = ? WHERE id = 2').run('{"edited":true}');
    await copy.close();
    const other = await createTestGateway({ dbPath: path, env: { LOG_CHECKPOINT_KEY: KEY } });
    try {
      const res = await other.request('POST', '/v1/ops/log/verify', { key: other.keys.operator });
      expect(res.status).toBe(200);
      const v = await json(res);
      expect(v.ok).toBe(false);
      expect(v.reason).toBe('entry 2: content does not match its hash');
      expect(v.entries).toBe(1);
    } finally {
      await other.close();
    }
  });
});

/** Every line of the exposition: a comment, or `name{labels} value`. */
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

describe('/metrics', () => {
  it('answers Prometheus text with every family, without an API key', async () => {
    const res = await gw.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
      expect(line).toMatch(SAMPLE);
    }
    for (const [family, type] of [
      ['lienthong_intake_total', 'counter'],
      ['lienthong_dedup_outcomes_total', 'counter'],
      ['lienthong_transfer_attempts_total', 'counter'],
      ['lienthong_transfer_backlog', 'gauge'],
      ['lienthong_transfer_oldest_pending_age_seconds', 'gauge'],
      ['lienthong_circuit_state', 'gauge'],
      ['lienthong_postal_jobs', 'gauge'],
      ['lienthong_findings_open', 'gauge'],
      ['lienthong_dedup_reviews', 'gauge'],
      ['lienthong_http_request_duration_seconds', 'histogram'],
    ]) {
      expect(text, family).toContain(`# TYPE ${family} ${type}`);
    }
    expect(text).toContain('lienthong_intake_total{outcome="created"} 3');
    expect(text).toMatch(/lienthong_transfer_backlog\{destination="portal",state="pending"\} \d+/);
    // Routes by their pattern, never the raw path with an id.
    expect(text).toContain('route="/v1/dossiers/:id/events"');
    expect(text).not.toContain(dossiers[0]);
  });

  it('asks for the token when METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await createTestGateway({ env: { METRICS_TOKEN: token } });
    try {
      expect((await guarded.app.request('/metrics')).status).toBe(401);
      const wrong = await guarded.app.request('/metrics', { headers: { Authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('content-type')).toBe('application/problem+json');
      const right = await guarded.app.request('/metrics', { headers: { Authorization: `Bearer ${token}` } });
      expect(right.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
