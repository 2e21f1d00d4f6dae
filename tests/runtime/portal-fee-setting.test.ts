/**
 * PORTAL_FEE_AMOUNT_AS: how `Gia` travels (a string of digits by default, as the direct client known to
 * work sends it, or a JSON number). Parsed once, then threaded into the mapper the Node runtime builds
 * for the delivery worker; checked here end to end against the sandbox simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorStatsSnapshot } from '../../adapters/portal/simulator.js';
import { parseConfig } from '../../schemas/config.js';
import { type Delivery, startDelivery } from '../../src/runtime/node/delivery.js';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway | undefined;
let delivery: Delivery | undefined;
afterEach(async () => {
  await delivery?.stop();
  await gw?.close();
  delivery = undefined;
  gw = undefined;
});

describe('PORTAL_FEE_AMOUNT_AS', () => {
  it('defaults to string, takes number, and refuses anything else by name', () => {
    expect(parseConfig({}).portalMapping).toEqual({ feeAmountAs: 'string' });
    expect(parseConfig({ PORTAL_FEE_AMOUNT_AS: 'number' }).portalMapping).toEqual({ feeAmountAs: 'number' });
    expect(() => parseConfig({ PORTAL_FEE_AMOUNT_AS: 'float' })).toThrow(/PORTAL_FEE_AMOUNT_AS/);
  });

  it.each([
    [undefined, '75000'],
    ['string', '75000'],
    ['number', 75000],
  ] as const)('set to %s, the worker sends Gia as %j', async (setting, expected) => {
    const env: Record<string, string> = setting ? { PORTAL_FEE_AMOUNT_AS: setting } : {};
    gw = await createTestGateway({ env });
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    const config = parseConfig({ DB_PATH: gw.dbPath, ...env });
    const { store, clock, logger } = gw.services;
    delivery = await startDelivery(config, { store, clock, logger }, { run: false });
    expect(delivery.sandbox).toBe(true);
    await delivery.worker.tick();
    const stats = (await (await fetch(`${delivery.portalUrl}/__sim/stats`)).json()) as SimulatorStatsSnapshot;
    expect(stats.dossiers[d.code]?.DanhSachLePhi).toEqual([
      { TenPhiLePhi: 'Lệ phí cấp giấy phép xây dựng', MaPhiLePhi: 'LPXD', Gia: expected },
    ]);
  });
});
