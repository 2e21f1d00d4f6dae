import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../scripts/bench/fuzz.js';
import { count, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
let dossierId: string;
beforeAll(async () => {
  gw = await createTestGateway({ env: { BODY_LIMIT_BYTES: '65536' } });
  dossierId = (await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }))).id;
});
afterAll(async () => {
  await gw.close();
});

describe('bad input', () => {
  it('never answers 5xx, always problem+json for errors, and never half-writes a record', async () => {
    await fc.assert(
      fc.asyncProperty(cases(gw.keys.motcua, dossierId), async (c) => {
        const res = await gw.app.request(c.path, {
          method: c.method,
          headers: c.headers,
          ...(c.body !== undefined ? { body: c.body } : {}),
        });
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get('content-type')).toContain('application/problem+json');
      }),
      { numRuns: 1500, seed: 7 },
    );
    const orphans = gw.sqlite
      .prepare(
        "SELECT count(*) AS n FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM dossier_sources s WHERE s.dossier_id = d.id) OR NOT EXISTS (SELECT 1 FROM transfers t WHERE t.dossier_id = d.id AND t.kind = 'dossier_sync')",
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
    expect(count(gw, 'dossiers')).toBeGreaterThan(1);
  });
});
