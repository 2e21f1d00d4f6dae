/**
 * OpenAPI guard: the document a fresh gateway serves at /openapi.json must equal the committed
 * tests/fixtures/openapi.json, character for character, once both are in canonical form (object keys
 * sorted at every level, arrays in their order, two-space indentation, trailing newline). Any change to
 * routes, schemas, examples or problem answers shows up here as a diff.
 *
 * This test only compares; it never writes. When an API change is intended, regenerate the fixture
 * deliberately, review the diff and commit it together with the change:
 *   node --import tsx scripts/openapi-snapshot.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../helpers/canonical.js';
import { createTestGateway, type TestGateway } from '../helpers/gateway.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/openapi.json', import.meta.url));

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

describe('OpenAPI document', () => {
  it('equals the committed fixture (regenerate with scripts/openapi-snapshot.ts when intended)', async () => {
    const res = await gw.request('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    const served = canonicalJson(await res.json());
    const committed = readFileSync(FIXTURE, 'utf8');
    // The fixture must itself be canonical, so a hand edit cannot hide a difference.
    expect(canonicalJson(JSON.parse(committed))).toBe(committed);
    expect(served).toBe(committed);
  });
});
