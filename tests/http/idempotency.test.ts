/**
 * The Idempotency-Key middleware as HTTP, on the admin client routes: the exact answers of a replay,
 * a reused key, a busy key and a malformed key, and the key freed after a failed request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/lib/crypto.js';
import { count, createTestGateway, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

const admin = (path: string, body: unknown, key: string) =>
  gw.request('POST', path, { key: gw.keys.admin, body, headers: { 'Idempotency-Key': key } });
const input = (name: string) => ({ name, role: 'operator', agencies: [] });

describe('the Idempotency-Key middleware', () => {
  it('replays the stored answer byte for byte, marked as replayed, without doing the work twice', async () => {
    const created = await json(
      await gw.request('POST', '/v1/clients', { key: gw.keys.admin, body: input('idem one') }),
    );
    const first = await admin(`/v1/clients/${created.id}/revoke`, undefined, 'revoke-twice');
    expect(first.status).toBe(200);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    const text = await first.text();
    const again = await admin(`/v1/clients/${created.id}/revoke`, undefined, 'revoke-twice');
    expect(again.status).toBe(200);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(again.headers.get('Content-Type')).toBe('application/json');
    expect(again.headers.get('X-Request-Id')).toBeTruthy();
    expect(await again.text()).toBe(text);
    const row = gw.sqlite
      .prepare(
        "SELECT state, response_status, response_body FROM idempotency_keys WHERE key = 'revoke-twice'",
      )
      .get();
    expect(row).toEqual({ state: 'completed', response_status: 200, response_body: text });
  });

  it('never stores a new API key: a retry of the creation gets the client without its key', async () => {
    const first = await admin('/v1/clients', input('idem secret'), 'create-secret');
    expect(first.status).toBe(201);
    const created = await json(first);
    expect(created.key).toMatch(/^lt_/);
    const clients = count(gw, 'clients');
    const again = await admin('/v1/clients', input('idem secret'), 'create-secret');
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    const { key: _shownOnce, ...withoutKey } = created;
    expect(await json(again)).toEqual(withoutKey);
    expect(count(gw, 'clients')).toBe(clients);
    const stored = String(
      gw.sqlite
        .prepare("SELECT response_body FROM idempotency_keys WHERE key = 'create-secret'")
        .pluck()
        .get(),
    );
    expect(stored).not.toContain(created.key);
    expect(stored).not.toContain('"key"');
  });

  it('answers 422 idempotency_key_reused, naming the header, for the same key with another body', async () => {
    await admin('/v1/clients', input('idem two'), 'create-2');
    const res = await admin('/v1/clients', input('idem other'), 'create-2');
    expect(res.status).toBe(422);
    expect(res.headers.get('Content-Type')).toBe('application/problem+json');
    const problem = await json(res);
    expect(problem).toEqual({
      field: 'header.Idempotency-Key',
      type: '/problems/idempotency_key_reused',
      title: 'This Idempotency-Key was used with a different request',
      status: 422,
      detail: 'this Idempotency-Key was already used with a different request body',
      instance: '/v1/clients',
      code: 'idempotency_key_reused',
      requestId: res.headers.get('X-Request-Id'),
    });
  });

  it('answers 409 idempotency_in_progress while the same request still holds the key', async () => {
    const body = input('idem busy');
    const admin_ = gw.sqlite.prepare("SELECT id FROM clients WHERE name = 'admin'").get() as { id: string };
    const now = gw.services.clock.now();
    gw.sqlite
      .prepare(
        "INSERT INTO idempotency_keys (client_id, key, request_hash, state, created_at_ms, locked_until_ms) VALUES (?, 'busy-1', ?, 'in_progress', ?, ?)",
      )
      .run(admin_.id, sha256Hex(`POST /v1/clients\n${JSON.stringify(body)}`), now, now + 60_000);
    const res = await admin('/v1/clients', body, 'busy-1');
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({
      code: 'idempotency_in_progress',
      detail: 'a request with this Idempotency-Key is still being processed; retry later',
    });
    // The refused retry reserved nothing, so it frees nothing: the first request keeps its key.
    expect(
      gw.sqlite.prepare("SELECT count(*) FROM idempotency_keys WHERE key = 'busy-1'").pluck().get(),
    ).toBe(1);
  });

  it('refuses a key that is not 1 to 255 visible ASCII characters', async () => {
    for (const key of ['x'.repeat(256), 'with space', 'caf\u00e9']) {
      const res = await admin('/v1/clients', input('idem bad'), key);
      expect(res.status).toBe(400);
      expect((await json(res)).errors).toEqual([
        {
          path: 'header.Idempotency-Key',
          rule: 'idempotency_key_format',
          message: 'Idempotency-Key must be 1 to 255 visible ASCII characters',
        },
      ]);
    }
    expect((await admin('/v1/clients', input('idem max'), '~'.repeat(255))).status).toBe(201);
  });

  it('frees the key when the request fails (404 from a use case), so a retry runs again', async () => {
    const res = await admin('/v1/clients/nobody/revoke', undefined, 'revoke-1');
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ code: 'not_found', detail: 'no client nobody' });
    expect(
      gw.sqlite.prepare("SELECT count(*) FROM idempotency_keys WHERE key = 'revoke-1'").pluck().get(),
    ).toBe(0);
    const again = await admin('/v1/clients/nobody/revoke', undefined, 'revoke-1');
    expect(again.status).toBe(404);
    expect(again.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('ignores the header on GET and on requests without it', async () => {
    const list = await gw.request('GET', '/v1/clients', {
      key: gw.keys.admin,
      headers: { 'Idempotency-Key': 'get-1' },
    });
    expect(list.status).toBe(200);
    const before = count(gw, 'idempotency_keys');
    expect(
      (await gw.request('POST', '/v1/clients', { key: gw.keys.admin, body: input('no key') })).status,
    ).toBe(201);
    expect(count(gw, 'idempotency_keys')).toBe(before);
  });
});
