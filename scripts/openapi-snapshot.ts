/**
 * Rewrites tests/fixtures/openapi.json, the committed OpenAPI document that
 * tests/http/openapi.snapshot.test.ts compares the served one with.
 *
 * Run it only when an API change is intended, then review the diff and commit it with the change:
 *   node --import tsx scripts/openapi-snapshot.ts
 *
 * The document is written in the same canonical form the test compares: object keys sorted, arrays in
 * their order, two-space indentation and a trailing newline.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../tests/helpers/canonical.js';
import { createTestGateway } from '../tests/helpers/gateway.js';

const FIXTURE = fileURLToPath(new URL('../tests/fixtures/openapi.json', import.meta.url));

const gw = await createTestGateway();
try {
  const res = await gw.request('GET', '/openapi.json', { key: null });
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  const doc: unknown = await res.json();
  writeFileSync(FIXTURE, canonicalJson(doc));
  console.log('wrote tests/fixtures/openapi.json');
} finally {
  await gw.close();
}
