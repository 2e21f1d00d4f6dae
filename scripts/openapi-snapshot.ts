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
import { createTestGateway } from '../tests/helpers/gateway.js';

const FIXTURE = fileURLToPath(new URL('../tests/fixtures/openapi.json', import.meta.url));

/** Same rule as the test: keys sorted at every level, arrays kept in order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

const gw = await createTestGateway();
try {
  const res = await gw.request('GET', '/openapi.json', { key: null });
  if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
  const doc: unknown = await res.json();
  writeFileSync(FIXTURE, `${JSON.stringify(canonical(doc), null, 2)}\n`);
  console.log('wrote tests/fixtures/openapi.json');
} finally {
  await gw.close();
}
