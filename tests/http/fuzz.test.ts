import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, type FuzzTargets, seedTargets, storeInvariants } from '../../scripts/bench/fuzz.js';
import { count, createTestGateway, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let targets: FuzzTargets;
beforeAll(async () => {
  gw = await createTestGateway({ env: { BODY_LIMIT_BYTES: '65536' } });
  const { motcua, xaydung, operator, admin } = gw.keys;
  targets = await seedTargets(
    async (path, key, body) => json(await gw.request('POST', path, { key, body })),
    {
      department: motcua,
      second: xaydung,
      operator,
      admin,
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
  });

  it('never answers 5xx, always problem+json for errors, and never half-writes a record, on every endpoint', async () => {
    const paths = new Set<string>();
    await fc.assert(
      fc.asyncProperty(cases(targets), async (c) => {
        const path = (c.path.split('?')[0] ?? '')
          .replace(/\/[^/]*(\/(merge|keep-apart|split|revoke|events))$/, '/{id}$1')
          .replace(/^\/v1\/dossiers\/[^/]+$/, '/v1/dossiers/{id}');
        paths.add(`${c.method} ${path}`);
        const res = await gw.app.request(c.path, {
          method: c.method,
          headers: c.headers,
          ...(c.body !== undefined ? { body: c.body } : {}),
        });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
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
      'POST /v1/records/{id}/events',
      'GET /v1/ops/reviews',
      'POST /v1/ops/reviews/{id}/merge',
      'POST /v1/ops/reviews/{id}/keep-apart',
      'POST /v1/ops/dossiers/{id}/split',
      'GET /v1/ops/transfers',
      'POST /v1/ops/transfers/replay',
      'GET /v1/ops/health',
      'POST /v1/clients',
      'GET /v1/clients',
      'GET /v1/dossiers/{id}',
      'POST /v1/clients/{id}/revoke',
    ])
      expect(paths).toContain(route);
  });
});
