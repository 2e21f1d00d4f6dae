/**
 * The Cloudflare Workers entry, run in plain Node: its `DB` binding is better-sqlite3 behind a
 * D1-shaped adapter and its `ASSETS` binding serves swagger-ui-dist from node_modules.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { ExecutionContext } from 'hono';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Unsupported } from '../../src/lib/errors.js';
import {
  createD1Store,
  D1_TRANSACTIONS_UNSUPPORTED,
  type D1DatabaseLike,
  type D1PreparedStatementLike,
} from '../../src/store/d1.js';
import { dossierBody } from '../helpers/gateway.js';

/** A D1 binding over an in-memory SQLite database; like D1's authorizer, it refuses to touch `_cf_*`. */
function fakeD1(sqlite: SQLite.Database): D1DatabaseLike {
  const statement = (query: string, values: unknown[]): D1PreparedStatementLike => ({
    bind: (...next) => statement(query, next),
    async all() {
      const stmt = sqlite.prepare(query);
      if (stmt.reader) {
        const results = stmt.all(...values);
        const touched = [...values, ...results.flatMap((row) => Object.values(row as object))];
        if (/pragma_table_info/i.test(query) && touched.some((v) => String(v).startsWith('_cf_'))) {
          throw new Error('D1_ERROR: not authorized: SQLITE_AUTH');
        }
        return { results, meta: { changes: 0, last_row_id: null } };
      }
      const info = stmt.run(...values);
      return { results: [], meta: { changes: info.changes, last_row_id: Number(info.lastInsertRowid) } };
    },
  });
  return { prepare: (query) => statement(query, []) };
}

const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const assets = {
  async fetch(request: Request) {
    try {
      return new Response(readFileSync(join(swaggerDir, new URL(request.url).pathname.slice(1))));
    } catch {
      return new Response('not found', { status: 404 });
    }
  },
};

const ctx: ExecutionContext = {
  waitUntil: () => undefined,
  passThroughOnException: () => undefined,
  props: {},
};

const sqlite = new SQLite(':memory:');
sqlite.exec('CREATE TABLE _cf_KV (key TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID'); // as D1 has
const env = { DB: fakeD1(sqlite), ASSETS: assets, LOG_LEVEL: 'silent', NOT_A_VAR: { binding: true } };
const KEY = 'lt_workersentrytestkey000000000000000000000';

afterAll(() => sqlite.close());

async function loadEntry() {
  vi.resetModules();
  return (await import('../../src/runtime/workers/index.js')).default;
}

describe('the Workers entry', () => {
  it('answers 503 problem+json when the configuration is invalid', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const worker = await loadEntry();
    const res = await worker.fetch(new Request('http://gw/healthz'), { ...env, LOG_LEVEL: 'loud' }, ctx);
    expect(res.status).toBe(503);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ code: 'service_unavailable', instance: '/healthz' });
    expect(log.mock.calls.join('\n')).toContain('LOG_LEVEL');
    log.mockRestore();
  });

  it('applies the migrations past D1 internal tables and serves /healthz and /openapi.json', async () => {
    const worker = await loadEntry();
    const health = await worker.fetch(new Request('http://gw/healthz'), env, ctx);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      storage: { state: 'ok', lastErrorAt: null, lastError: null },
    });
    const migrated = sqlite.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all();
    expect(migrated).toEqual([
      '0001_init',
      '0002_dedup',
      '0003_delivery',
      '0004_fewer_indexes',
      '0006_boots',
      '0007_log_checkpoints',
      '0008_match_within_agency',
      '0009_postal',
      '0010_sms',
      '0011_departments',
      '0012_department_pull',
      '0013_deadlines',
      '0014_reconciliation',
      '0015_ops_sessions',
    ]);
    const doc = await worker.fetch(new Request('http://gw/openapi.json'), env, ctx);
    expect(doc.status).toBe(200);
    expect(await doc.json()).toMatchObject({ openapi: '3.1.0' });
  });

  it('serves the swagger-ui assets through the ASSETS binding, and only those', async () => {
    const worker = await loadEntry();
    const css = await worker.fetch(new Request('http://gw/docs/assets/swagger-ui.css'), env, ctx);
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect((await css.text()).length).toBeGreaterThan(1000);
    const other = await worker.fetch(new Request('http://gw/docs/assets/index.html'), env, ctx);
    expect(other.status).toBe(404);
  });

  it('reads through D1 and refuses writes with a 501 problem, writing nothing', async () => {
    const worker = await loadEntry();
    const hash = Array.from(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(KEY))),
      (b) => b.toString(16).padStart(2, '0'),
    ).join('');
    sqlite
      .prepare(
        `INSERT INTO clients (id, name, role, system, agencies, key_hash, key_prefix, created_at_ms, revoked_at_ms)
         VALUES ('c1', 'dept', 'department', 'motcua', '["000.00.15.H24"]', ?, 'lt_workers', 0, NULL)`,
      )
      .run(hash);
    const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
    const list = await worker.fetch(new Request('http://gw/v1/dossiers', { headers }), env, ctx);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ items: [] });

    const variants: Record<string, string>[] = [{}, { 'Idempotency-Key': 'workers-1' }];
    for (const extra of variants) {
      const res = await worker.fetch(
        new Request('http://gw/v1/dossiers', {
          method: 'POST',
          headers: { ...headers, ...extra },
          body: JSON.stringify(dossierBody()),
        }),
        env,
        ctx,
      );
      expect(res.status).toBe(501);
      expect(res.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await res.json()).toMatchObject({
        type: '/problems/not_implemented',
        title: 'Not implemented on this runtime',
        code: 'not_implemented',
        status: 501,
        detail: D1_TRANSACTIONS_UNSUPPORTED,
        instance: '/v1/dossiers',
      });
      expect(res.headers.get('X-Request-Id')).toBeTruthy();
    }
    for (const table of ['dossiers', 'transfers', 'idempotency_keys', 'reconciliation_log']) {
      expect(sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });

  it('has the D1 store refuse units of work with the domain error Unsupported, running nothing', async () => {
    const store = createD1Store(fakeD1(sqlite));
    let ran = false;
    const refused = store.transaction(async () => {
      ran = true;
    });
    await expect(refused).rejects.toBeInstanceOf(Unsupported);
    await expect(refused).rejects.toThrow(D1_TRANSACTIONS_UNSUPPORTED);
    expect(ran).toBe(false);
  });
});
