import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cases,
  type FuzzTargets,
  problemFault,
  seedTargets,
  storeInvariants,
} from '../../scripts/bench/fuzz.js';
import { count, createTestGateway, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let targets: FuzzTargets;
beforeAll(async () => {
  gw = await createTestGateway({ env: { BODY_LIMIT_BYTES: '65536' } });
  const { motcua, xaydung, operator, admin, postal } = gw.keys;
  targets = await seedTargets(
    async (path, key, body) => json(await gw.request('POST', path, { key, body })),
    {
      department: motcua,
      second: xaydung,
      operator,
      admin,
      postal,
    },
  );
});
afterAll(async () => {
  await gw.close();
});

describe('bad input', () => {
  it('aims at a real dossier and a pending review', () => {
    expect(targets.dossierId).toBeTruthy();
    expect(targets.reviewId).toBeTruthy();
    expect(targets.postalJob).toBeTruthy();
  });

  it('never answers 5xx, always problem+json for errors, and never half-writes a record, on every endpoint', async () => {
    const paths = new Set<string>();
    await fc.assert(
      fc.asyncProperty(cases(targets), async (c) => {
        const path = (c.path.split('?')[0] ?? '')
          .replace(/\/[^/]*(\/(merge|keep-apart|split|agency|revoke|events|accept|release))$/, '/{id}$1')
          .replace(/^\/v1\/postal\/jobs\/(?!claim$)[^/]+$/, '/v1/postal/jobs/{id}')
          .replace(/^\/v1\/dossiers\/[^/]+$/, '/v1/dossiers/{id}')
          .replace(/^\/v1\/ops\/sms\/optouts\/[^/]+$/, '/v1/ops/sms/optouts/{id}')
          .replace(/^\/v1\/admin\/destinations\/[^/]+$/, '/v1/admin/destinations/{id}');
        paths.add(`${c.method} ${path}`);
        const res = await gw.app.request(c.path, {
          method: c.method,
          headers: c.headers,
          ...(c.body !== undefined ? { body: c.body } : {}),
        });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400)
          expect(problemFault(res.status, res.headers.get('content-type'), await res.text())).toBeUndefined();
      }),
      { numRuns: 2500, seed: 7 },
    );
    expect(storeInvariants(gw.sqlite)).toEqual([]);
    expect(count(gw, 'dossiers')).toBeGreaterThan(1);
    // Every route of the API is reached (the list grows with every new endpoint).
    for (const route of [
      'POST /v1/dossiers',
      'GET /v1/dossiers',
      'POST /v1/dossiers/{id}/events',
      'GET /v1/dossiers/{id}/events',
      'POST /v1/records/{id}/events',
      'GET /v1/ops/reviews',
      'POST /v1/ops/reviews/{id}/merge',
      'POST /v1/ops/reviews/{id}/keep-apart',
      'POST /v1/ops/dossiers/{id}/split',
      'POST /v1/ops/dossiers/{id}/agency',
      'GET /v1/ops/transfers',
      'POST /v1/ops/transfers/replay',
      'GET /v1/ops/health',
      'GET /v1/ops/deadlines',
      'GET /v1/ops/deadlines.csv',
      'GET /v1/ops/reports/agencies',
      'GET /v1/ops/reports/agencies.csv',
      'POST /v1/clients',
      'GET /v1/clients',
      'GET /v1/dossiers/{id}',
      'POST /v1/clients/{id}/revoke',
      'GET /v1/admin/destinations',
      'POST /v1/admin/destinations',
      'DELETE /v1/admin/destinations/{id}',
      'GET /v1/ops/sms/optouts',
      'POST /v1/ops/sms/optouts',
      'DELETE /v1/ops/sms/optouts/{id}',
      'POST /v1/postal/jobs/claim',
      'POST /v1/postal/jobs/{id}/accept',
      'POST /v1/postal/jobs/{id}/release',
      'POST /v1/postal/jobs/{id}/events',
      'GET /v1/postal/jobs/{id}',
      'GET /v1/ops/postal/jobs',
    ])
      expect(paths).toContain(route);
  });
});

describe('the problem check the fuzzers use', () => {
  const ok = { type: '/problems/x', title: 'T', detail: 'D', code: 'conflict', status: 409 };
  const ct = 'application/problem+json';
  it('accepts a complete problem and names what a broken one lacks', () => {
    expect(problemFault(409, ct, JSON.stringify(ok))).toBeUndefined();
    expect(problemFault(409, 'application/json', JSON.stringify(ok))).toMatch(/without problem\+json/);
    expect(problemFault(409, ct, 'oops')).toMatch(/not JSON/);
    expect(problemFault(400, ct, JSON.stringify(ok))).toMatch(/status says 409/);
    const { detail: _d, ...noDetail } = ok;
    expect(problemFault(409, ct, JSON.stringify(noDetail))).toMatch(/without detail/);
    const validation = { ...ok, code: 'validation_failed', status: 400 };
    expect(problemFault(400, ct, JSON.stringify(validation))).toMatch(/without field errors/);
    expect(
      problemFault(400, ct, JSON.stringify({ ...validation, errors: [{ path: 'a', message: 'm' }] })),
    ).toMatch(/without path or rule/);
    expect(
      problemFault(
        400,
        ct,
        JSON.stringify({ ...validation, errors: [{ path: 'a', rule: 'required', message: 'm' }] }),
      ),
    ).toBeUndefined();
  });
});
