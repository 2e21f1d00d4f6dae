/**
 * The operators' filter templates (`?state=near_due&agency=&withinWorkingDays=2`, `?kind=&agency=&open=true`,
 * `?since=&kind=&dossier=`): an empty filter means "not given"; a wrong one is still named by its rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

describe('empty query filters', () => {
  it.each([
    '/v1/ops/deadlines?state=near_due&agency=&withinWorkingDays=2',
    '/v1/ops/deadlines.csv?state=overdue&agency=',
    '/v1/ops/reports/agencies?month=2026-11&agency=',
    '/v1/ops/findings?kind=&agency=&open=true',
    '/v1/ops/log?since=&kind=&dossier=',
  ])('%s answers 200', async (path) => {
    const res = await gw.request('GET', path, { key: gw.keys.operator });
    expect(res.status).toBe(200);
  });

  it.each([
    ['/v1/ops/deadlines?agency=15.H24', 'query.agency', 'agency_id_format'],
    ['/v1/ops/findings?kind=lost', 'query.kind', 'invalid_value'],
    ['/v1/ops/log?dossier=a%20b', 'query.dossier', 'id_format'],
  ])('%s names %s', async (path, field, rule) => {
    const res = await gw.request('GET', path, { key: gw.keys.operator });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.errors).toContainEqual(expect.objectContaining({ path: field, rule }));
  });
});
