/**
 * The postal settings, the sandbox's switch for the postal client simulator, the simulator's plans and
 * tracking numbers, and the receiver address as the intake checked it against a catalogue.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { returnPlan, s10Number } from '../../adapters/postal/simulator.js';
import { ConfigError, parseConfig } from '../../schemas/config.js';
import { checkS10 } from '../../schemas/identifiers.js';
import { sandboxPostal } from '../../src/runtime/node/postal-sim.js';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway | undefined;
let dir: string | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('postal settings', () => {
  it('has documented defaults and refuses values out of range', () => {
    expect(parseConfig({}).postal).toEqual({
      dueDays: 5,
      failedDeliveriesFinding: 2,
      senderAddress: undefined,
      senderPhone: undefined,
      sandboxSimulator: true,
    });
    const set = parseConfig({
      POSTAL_DUE_DAYS: '7',
      SANDBOX_POSTAL_SIMULATOR: 'false',
      POSTAL_SENDER_ADDRESS: 'Số 1',
    });
    expect(set.postal).toMatchObject({ dueDays: 7, sandboxSimulator: false, senderAddress: 'Số 1' });
    expect(() => parseConfig({ POSTAL_FAILED_DELIVERIES_FINDING: '0' })).toThrow(ConfigError);
  });

  it('gives dueBy the configured number of days after the job appears', async () => {
    gw = await createTestGateway({ env: { POSTAL_DUE_DAYS: '3' } });
    const id = (await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }))).id;
    for (const [status, at] of [
      ['processing', '2026-11-30T09:00:00+07:00'],
      ['resolved', '2026-12-01T10:00:00+07:00'],
    ])
      await gw.request('POST', `/v1/dossiers/${id}/events`, { body: { status, at } });
    const [job] = (
      await json(await gw.request('POST', '/v1/postal/jobs/claim', { key: gw.keys.postal, body: {} }))
    ).jobs;
    expect(Date.parse(job.dueBy) - Date.parse(job.createdAt)).toBe(3 * 86_400_000);
  });
});

describe('the sandbox postal client', () => {
  it('starts with a key of its own only in sandbox mode and when switched on', async () => {
    gw = await createTestGateway();
    const { clients, logger } = gw.services;
    const named = async () =>
      (await clients.list()).filter((c) => c.name === 'demo: postal client simulator');
    const off = sandboxPostal(parseConfig({ SANDBOX_POSTAL_SIMULATOR: 'false' }), clients, logger);
    await off.start('http://127.0.0.1:9');
    await off.stop();
    expect(await named()).toHaveLength(0);
    const on = sandboxPostal(parseConfig({}), clients, logger);
    await on.start('http://127.0.0.1:9');
    await on.stop();
    expect((await named()).map((c) => c.role)).toEqual(['postal']);
  });

  it('plans deliveries, failed attempts and returns to sender, and makes valid S10 numbers', () => {
    const plans = Array.from({ length: 10 }, (_, n) => returnPlan(n).at(-1));
    expect(plans.filter((p) => p === 'delivered')).toHaveLength(9);
    expect(plans.filter((p) => p === 'returned_to_sender')).toHaveLength(1);
    expect(
      Array.from({ length: 10 }, (_, n) => returnPlan(n)).some((p) => p.includes('delivery_failed')),
    ).toBe(true);
    for (const serial of [0, 1, 12345678, 99_999_999]) expect(checkS10(s10Number(serial)).ok).toBe(true);
  });
});

describe('the receiver address', () => {
  it('is the address as the intake checked it: a known commune gets its province from the catalogue', async () => {
    dir = mkdtempSync(join(tmpdir(), 'postal-units-'));
    const path = join(dir, 'units.json');
    const catalogue = {
      provinces: [{ code: '24', name: 'Tỉnh A', units: [{ code: '09187', name: 'Xã B' }] }],
    };
    writeFileSync(path, JSON.stringify(catalogue));
    gw = await createTestGateway({ env: { ADMIN_UNITS_PATH: path } });
    const address = { line: 'Số 3', communeCode: '09187' };
    const body = dossierBody({ resultReturn: { method: 'postal', address } });
    const id = (await json(await gw.request('POST', '/v1/dossiers', { body }))).id;
    for (const [status, at] of [
      ['processing', '2026-11-30T09:00:00+07:00'],
      ['resolved', '2026-12-01T10:00:00+07:00'],
    ])
      await gw.request('POST', `/v1/dossiers/${id}/events`, { body: { status, at } });
    const [job] = (
      await json(await gw.request('POST', '/v1/postal/jobs/claim', { key: gw.keys.postal, body: {} }))
    ).jobs;
    expect(job.receiver.address).toEqual({ line: 'Số 3', communeCode: '09187', provinceCode: '24' });
    const unknown = dossierBody({ resultReturn: { method: 'postal', address: { communeCode: '99999' } } });
    expect((await gw.request('POST', '/v1/dossiers', { body: unknown })).status).toBe(400);
  });
});
