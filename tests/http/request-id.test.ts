/**
 * Request ids: the caller's `X-Request-Id` is kept when it is 1–128 letters, digits, `_ . : -`
 * (README, operator notes), otherwise replaced by a new UUID; the id is on every answer, in problem
 * documents and in the access log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickRequestId } from '../../src/http/middleware.js';
import { createTestGateway, json, type TestGateway } from '../helpers/gateway.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

describe('pickRequestId', () => {
  it('keeps ids of 1 to 128 letters, digits, _ . : -', () => {
    for (const id of ['a', 'A-b_c.d:e', '0123', 'x'.repeat(128), 'req:2026.11.30-01']) {
      expect(pickRequestId(id)).toBe(id);
    }
  });

  it('replaces anything else with a new UUID, including what hono alone would accept', () => {
    for (const id of [undefined, '', 'x'.repeat(129), 'has space', 'a=b', 'abc==', 'ấ', 'a/b', 'a\tb']) {
      expect(pickRequestId(id)).toMatch(UUID);
    }
    expect(pickRequestId(undefined)).not.toBe(pickRequestId(undefined));
  });
});

describe('the request-id middleware', () => {
  const get = (path: string, id?: string, key?: string | null) =>
    gw.request('GET', path, { key: key ?? null, headers: id === undefined ? {} : { 'X-Request-Id': id } });

  it('echoes a valid caller id, with dots and colons, on a success', async () => {
    const res = await get('/healthz', 'caller.id:1-x_y');
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Request-Id')).toBe('caller.id:1-x_y');
  });

  it('replaces an invalid caller id, even one hono would take (with =, or 129 to 255 long)', async () => {
    for (const id of ['abc=', 'x'.repeat(129), 'bad id']) {
      const res = await get('/healthz', id);
      expect(res.headers.get('X-Request-Id')).toMatch(UUID);
    }
    expect((await get('/healthz', 'x'.repeat(128))).headers.get('X-Request-Id')).toBe('x'.repeat(128));
  });

  it('makes a UUID when the caller sends none', async () => {
    expect((await get('/healthz')).headers.get('X-Request-Id')).toMatch(UUID);
  });

  it('carries the id on 404s and problem answers, in the header and the document', async () => {
    const missing = await get('/nowhere', 'rid:404');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('X-Request-Id')).toBe('rid:404');
    expect(await json(missing)).toMatchObject({ code: 'route_not_found', requestId: 'rid:404' });

    const unauthorized = await get('/v1/dossiers', 'rid.401');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('X-Request-Id')).toBe('rid.401');
    expect(await json(unauthorized)).toMatchObject({ code: 'unauthorized', requestId: 'rid.401' });

    const generated = await get('/nowhere', 'not valid');
    const id = generated.headers.get('X-Request-Id');
    expect(id).toMatch(UUID);
    expect((await json(generated)).requestId).toBe(id);
  });

  it('puts the same id in the access-log line', async () => {
    await get('/healthz', 'rid-log-1');
    const line = gw.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === 'rid-log-1');
    expect(line).toMatchObject({ msg: 'request', path: '/healthz', status: 200 });
  });
});
