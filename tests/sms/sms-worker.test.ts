/**
 * The SMS worker against the provider simulator on a real loopback socket (docs/sms.md, Delivery): a
 * notice is delivered once; outages are retried, a 4xx is a dead letter that the operators' replay sends
 * again; quiet hours hold a notice until 07:00 without counting an attempt; the backlog shows in health.
 * The clock is moved by hand.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSmsClient } from '../../adapters/sms/client.js';
import { type SmsSimulator, startSmsSimulator } from '../../adapters/sms/simulator.js';
import { SmsWorker } from '../../src/sms/sms-worker.js';
import { FAST } from '../helpers/delivery.js';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

const vn = (s: string) => Date.parse(`${s}+07:00`);
let now = vn('2027-01-15T10:00:00');
let gw: TestGateway;
let sim: SmsSimulator;
let worker: SmsWorker;

beforeEach(async () => {
  now = vn('2027-01-15T10:00:00');
  gw = await createTestGateway({ env: { SMS_ENABLED: 'true' }, clock: { now: () => now } });
  sim = await startSmsSimulator({ token: 't0ken' });
  worker = new SmsWorker({
    store: gw.services.store,
    clock: { now: () => now },
    logger: gw.services.logger,
    sms: createSmsClient({ url: sim.url, token: 't0ken', timeoutMs: 500 }),
    config: { ...FAST, retry: { baseMs: 1_000, capMs: 10_000, maxAttempts: 5, maxAgeMs: 3 * 86_400_000 } },
    quietHours: '21:00-07:00',
    owner: 'test-sms',
    random: () => 0.5,
  });
});
afterEach(async () => {
  await sim.close();
  await gw.close();
});

function sms() {
  return gw.sqlite
    .prepare(
      "SELECT id, state, attempts, next_attempt_at_ms, last_error FROM transfers WHERE destination = 'sms' ORDER BY id",
    )
    .all() as {
    id: number;
    state: string;
    attempts: number;
    next_attempt_at_ms: number;
    last_error: string | null;
  }[];
}

async function pushOne(phone = '0912 345 678') {
  const body = dossierBody({ applicant: { ...(dossierBody().applicant as object), phone } });
  const res = await gw.request('POST', '/v1/dossiers', { body });
  expect(res.status).toBe(201);
  return json(res);
}

describe('delivery', () => {
  it('sends a notice once, with its text, encoding and reference, and logs the attempt without the number', async () => {
    const d = await pushOne();
    expect(await worker.tick()).toBe(1);
    expect(await worker.tick()).toBe(0);
    expect(sim.received).toHaveLength(1);
    expect(sim.received[0]).toMatchObject({
      to: '+84912345678',
      encoding: 'gsm7',
      reference: `sms:${d.id}:received`,
    });
    expect(sim.received[0]?.text).toContain(d.code);
    expect(sms()[0]).toMatchObject({ state: 'delivered', attempts: 1 });
    const log = gw.sqlite
      .prepare("SELECT data FROM reconciliation_log WHERE kind = 'transfer.attempt'")
      .pluck()
      .all() as string[];
    expect(log.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ destination: 'sms', transferKind: 'notice', outcome: 'delivered' }),
    ]);
    expect(log.join()).not.toContain('912345');
    expect(gw.logs.some((l) => l.includes('transfers delivered'))).toBe(true);
    expect(gw.logs.join('\n')).not.toContain('912345');
  });

  it('retries a 5xx and a refused connection, then delivers', async () => {
    await pushOne();
    sim.control.fail(503, 1);
    await worker.tick();
    expect(sms()[0]).toMatchObject({ state: 'pending', attempts: 1, last_error: 'provider answered 503' });
    now = (sms()[0]?.next_attempt_at_ms ?? now) + 1;
    await sim.control.refuseConnections(true);
    await worker.tick();
    expect(sms()[0]).toMatchObject({ state: 'pending', attempts: 2 });
    expect(sms()[0]?.last_error).toMatch(/unreachable/);
    await sim.control.refuseConnections(false);
    now = (sms()[0]?.next_attempt_at_ms ?? now) + 1;
    await worker.tick();
    expect(sms()[0]).toMatchObject({ state: 'delivered', attempts: 3 });
    expect(sim.received).toHaveLength(1);
  });

  it('waits for Retry-After on a 429', async () => {
    await pushOne();
    sim.control.fail(429, 1, 30);
    await worker.tick();
    expect(sms()[0]).toMatchObject({ state: 'pending', next_attempt_at_ms: now + 30_000 });
    now += 29_000;
    expect(await worker.tick()).toBe(0);
    now += 1_001;
    await worker.tick();
    expect(sms()[0]?.state).toBe('delivered');
  });

  it('dead-letters a 4xx refusal; the operators list it by destination and replay it', async () => {
    await pushOne();
    sim.control.refuseNumber('+84912345678');
    await worker.tick();
    expect(sms()[0]).toMatchObject({ state: 'dead', attempts: 1 });
    expect(sms()[0]?.last_error).toMatch(/provider refused the message.*number refused: \*\*\*678/);
    expect(sms()[0]?.last_error).not.toContain('912345');
    expect(gw.logs.join('\n')).not.toContain('912345');
    const list = await json(
      await gw.request('GET', '/v1/ops/transfers?destination=sms', { key: gw.keys.operator }),
    );
    expect(list.items.map((t: { id: number }) => t.id)).toEqual([sms()[0]?.id]);
    const health = await json(await gw.request('GET', '/v1/ops/health', { key: gw.keys.operator }));
    expect(health.sms).toMatchObject({ name: 'sms', dead: 1, pending: 0 });
    expect(health.destinations.map((x: { name: string }) => x.name)).toEqual(['portal']);
    sim.control.reset();
    const replay = await gw.request('POST', '/v1/ops/transfers/replay', {
      key: gw.keys.operator,
      body: { filter: { destination: 'sms' } },
    });
    expect(await json(replay)).toEqual({ replayed: 1 });
    await worker.tick();
    expect(sms()[0]).toMatchObject({ state: 'delivered' });
    expect(sim.received).toHaveLength(1);
  });
});

describe('quiet hours', () => {
  it('holds a notice queued at 22:00 until 07:00, then sends it', async () => {
    now = vn('2027-01-15T22:00:00');
    await pushOne();
    expect(sms()[0]?.next_attempt_at_ms).toBe(vn('2027-01-16T07:00:00'));
    const health = await json(await gw.request('GET', '/v1/ops/health', { key: gw.keys.operator }));
    expect(health.sms).toMatchObject({ pending: 1, oldestPendingAgeMs: 0 });
    now = vn('2027-01-16T06:59:59');
    expect(await worker.tick()).toBe(0);
    expect(sim.calls).toBe(0);
    now = vn('2027-01-16T07:00:00');
    expect(await worker.tick()).toBe(1);
    expect(sim.received).toHaveLength(1);
    expect(sms()[0]?.state).toBe('delivered');
  });

  it('moves a retry that falls due in the window to its end, without counting an attempt', async () => {
    now = vn('2027-01-15T20:59:00');
    await pushOne();
    sim.control.fail(503, 1);
    await worker.tick();
    expect(sms()[0]).toMatchObject({ state: 'pending', attempts: 1 });
    now = vn('2027-01-15T21:05:00');
    expect(await worker.tick()).toBe(1);
    expect(sim.calls).toBe(1);
    expect(sms()[0]).toMatchObject({
      state: 'pending',
      attempts: 1,
      next_attempt_at_ms: vn('2027-01-16T07:00:00'),
    });
    now = vn('2027-01-16T07:00:00');
    await worker.tick();
    expect(sms()[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });
});
