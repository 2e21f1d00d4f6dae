/**
 * The API when the disk is full, on a real SQLite file: the gateway's own connection gets
 * `max_page_count` pinned to the file's size, so SQLite answers SQLITE_FULL for real. Writes answer
 * 503 `storage_unavailable` with `Retry-After`, never 500; nothing of them is stored (every request of a
 * group commit alike); an Idempotency-Key is free for the retry; reads still work; `/healthz` answers
 * 503 while it lasts and recovers with the next write that commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

function fillDisk(): void {
  gw.sqlite.exec('VACUUM');
  const pages = gw.sqlite.pragma('page_count', { simple: true }) as number;
  gw.sqlite.pragma(`max_page_count = ${pages}`);
}
const freeDisk = () => gw.sqlite.pragma('max_page_count = 1073741823');

/** A dossier too big for the pages the file has: storing it needs new (overflow) pages. */
const bigDossier = () =>
  dossierBody({
    documents: Array.from({ length: 60 }, (_, i) => ({
      name: `Bản vẽ thiết kế số ${i + 1} kèm thuyết minh`,
      componentCode: `TP${i + 1}`,
      sha256: String(i % 10).repeat(64),
      digitized: true,
    })),
  });

const tables = [
  'dossiers',
  'dossier_sources',
  'status_history',
  'transfers',
  'reconciliation_log',
  'idempotency_keys',
];
const snapshot = () => Object.fromEntries(tables.map((t) => [t, count(gw, t)]));
const healthz = () => gw.request('GET', '/healthz', { key: null });

describe('a full disk', () => {
  it('answers 503 storage_unavailable with Retry-After, stores nothing and frees the key', async () => {
    expect(await json(await healthz())).toEqual({
      status: 'ok',
      storage: { state: 'ok', lastErrorAt: null, lastError: null },
    });
    fillDisk();
    const before = snapshot();
    const body = bigDossier();
    const headers = { 'Idempotency-Key': 'disk-full-1' };
    const res = await gw.request('POST', '/v1/dossiers', { body, headers });
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(res.headers.get('Retry-After')).toBe('30');
    expect(await json(res)).toEqual({
      type: '/problems/storage_unavailable',
      title: 'The database cannot take writes right now',
      status: 503,
      detail:
        'the database cannot take writes right now (disk full or a storage error); nothing of this request was stored, retry later',
      instance: '/v1/dossiers',
      code: 'storage_unavailable',
      requestId: res.headers.get('X-Request-Id'),
    });
    expect(snapshot()).toEqual(before);

    // Reads still work, and the health route says what is wrong.
    expect((await gw.request('GET', '/v1/dossiers')).status).toBe(200);
    const health = await healthz();
    expect(health.status).toBe(503);
    expect(await json(health)).toEqual({
      status: 'unavailable',
      storage: {
        state: 'unavailable',
        lastErrorAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*\+07:00$/),
        lastError: 'SQLITE_FULL',
      },
    });

    // Space again: the retry with the same key does the work (no 409, no replay of the 503).
    freeDisk();
    const retry = await gw.request('POST', '/v1/dossiers', { body, headers });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('Idempotent-Replayed')).toBeNull();
    expect(count(gw, 'dossiers')).toBe((before.dossiers ?? 0) + 1);
    const recovered = await healthz();
    expect(recovered.status).toBe(200);
    expect(await json(recovered)).toMatchObject({
      status: 'ok',
      storage: { state: 'ok', lastError: 'SQLITE_FULL' },
    });
  });

  it('fails every request of a group commit with 503, and none of them is half-written', async () => {
    fillDisk();
    const before = snapshot();
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => gw.request('POST', '/v1/dossiers', { body: bigDossier() })),
      );
      expect(answers.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 503]);
      for (const r of answers) expect((await json(r)).code).toBe('storage_unavailable');
      expect(snapshot()).toEqual(before);
    } finally {
      freeDisk();
    }
  });

  it('documents its problem type', async () => {
    const res = await gw.request('GET', '/problems/storage_unavailable', { key: null });
    expect(await json(res)).toEqual({
      type: '/problems/storage_unavailable',
      title: 'The database cannot take writes right now',
      status: 503,
    });
  });
});
