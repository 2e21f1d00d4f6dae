/**
 * The SMS provider client (docs/sms.md, Provider): the request it sends and how each answer is
 * classified, against an msw fake; then over real loopback sockets against the provider simulator
 * (refused connections, a slow provider, a refused number).
 */
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSmsClient, retryAfterMs } from '../../../adapters/sms/client.js';
import { startSmsSimulator } from '../../../adapters/sms/simulator.js';
import type { SmsProviderRequest } from '../../../schemas/sms.js';

const URL = 'http://sms.test/api/';
const MESSAGE: SmsProviderRequest = {
  to: '+84912345678',
  text: 'Ho so 000.00.15.H24-261128-0001 da duoc tiep nhan.',
  encoding: 'gsm7',
  reference: 'sms:abc:received',
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = () => createSmsClient({ url: URL, token: 'secret-token', timeoutMs: 200, now: () => 0 });

describe('against a fake provider', () => {
  it('posts {to, text, encoding, reference} to /messages with a bearer token; 2xx with an id is accepted', async () => {
    const seen: { body: unknown; auth: string | null }[] = [];
    server.use(
      http.post('http://sms.test/api/messages', async ({ request }) => {
        seen.push({ body: await request.json(), auth: request.headers.get('authorization') });
        return HttpResponse.json({ id: 'p-1' }, { status: 202 });
      }),
    );
    expect(await client().send(MESSAGE)).toEqual({ kind: 'accepted', providerId: 'p-1' });
    expect(seen).toEqual([{ body: MESSAGE, auth: 'Bearer secret-token' }]);
  });

  it.each([
    [400, 'refused'],
    [401, 'refused'],
    [422, 'refused'],
    [408, 'outage'],
    [429, 'outage'],
    [500, 'outage'],
    [503, 'outage'],
  ])('classifies HTTP %i as %s', async (status, kind) => {
    server.use(
      http.post('http://sms.test/api/messages', () => HttpResponse.json({ error: 'x' }, { status })),
    );
    const outcome = await client().send(MESSAGE);
    expect(outcome).toMatchObject({ kind, status });
  });

  it('reads Retry-After in seconds or as an HTTP date', async () => {
    server.use(
      http.post('http://sms.test/api/messages', () =>
        HttpResponse.json({}, { status: 429, headers: { 'retry-after': '7' } }),
      ),
    );
    expect(await client().send(MESSAGE)).toMatchObject({ kind: 'outage', status: 429, retryAfterMs: 7000 });
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 0)).toBe(10_000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
  });

  it('calls a 2xx without a message id, a network error and a timeout outages', async () => {
    server.use(http.post('http://sms.test/api/messages', () => HttpResponse.json({}, { status: 200 })));
    expect(await client().send(MESSAGE)).toMatchObject({ kind: 'outage', status: 200 });
    server.use(http.post('http://sms.test/api/messages', () => HttpResponse.error()));
    expect(await client().send(MESSAGE)).toMatchObject({
      kind: 'outage',
      message: expect.stringMatching(/unreachable/),
    });
    server.use(
      http.post('http://sms.test/api/messages', async () => {
        await delay(1_000);
        return HttpResponse.json({ id: 'late' });
      }),
    );
    expect(await client().send(MESSAGE)).toMatchObject({
      kind: 'outage',
      message: expect.stringMatching(/200 ms/),
    });
  });
});

describe('against the simulator, over real sockets', () => {
  it('accepts, refuses a number, fails on command, refuses connections and answers slowly', async () => {
    server.close(); // msw must not intercept the loopback calls
    const sim = await startSmsSimulator({ token: 'tok' });
    try {
      const c = createSmsClient({ url: sim.url, token: 'tok', timeoutMs: 300 });
      expect(await c.send(MESSAGE)).toEqual({ kind: 'accepted', providerId: 'sim-1' });
      expect(
        await createSmsClient({ url: sim.url, token: 'wrong', timeoutMs: 300 }).send(MESSAGE),
      ).toMatchObject({
        kind: 'refused',
        status: 401,
      });
      sim.control.refuseNumber(MESSAGE.to);
      expect(await c.send(MESSAGE)).toMatchObject({ kind: 'refused', status: 400 });
      sim.control.reset();
      sim.control.fail(500, 1);
      expect(await c.send(MESSAGE)).toMatchObject({ kind: 'outage', status: 500 });
      await sim.control.refuseConnections(true);
      expect(await c.send(MESSAGE)).toMatchObject({
        kind: 'outage',
        message: expect.stringMatching(/unreachable/),
      });
      await sim.control.refuseConnections(false);
      expect(await c.send(MESSAGE)).toMatchObject({ kind: 'accepted' });
      expect(sim.received.map((m) => m.id)).toEqual(['sim-1', 'sim-2']);
      expect(sim.calls).toBe(5); // the refused connection never reached it
      // A slow provider: the client gives up (an outage), whatever the provider does with it later.
      sim.control.slow(1_000);
      expect(await c.send(MESSAGE)).toMatchObject({
        kind: 'outage',
        message: expect.stringMatching(/300 ms/),
      });
    } finally {
      await sim.close();
      server.listen({ onUnhandledRequest: 'error' });
    }
  });
});
