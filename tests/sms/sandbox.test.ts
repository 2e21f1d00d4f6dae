/**
 * Sandbox mode with SMS_ENABLED and no SMS_PROVIDER_URL: the delivery wiring starts the provider
 * simulator on a loopback port and the SMS worker beside the portal's, and a notice reaches it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../schemas/config.js';
import { type Delivery, startDelivery } from '../../src/runtime/node/delivery.js';
import {
  createTestGateway,
  dossierBody,
  removeTempDb,
  type TestGateway,
  tempDbPath,
} from '../helpers/gateway.js';

let gw: TestGateway | undefined;
let delivery: Delivery | undefined;
let dbPath = '';

afterEach(async () => {
  await delivery?.stop();
  await gw?.close();
  if (dbPath) removeTempDb(dbPath);
});

describe('sandbox SMS delivery', () => {
  it('sends the received notice to the simulator', async () => {
    const env = { SMS_ENABLED: 'true', WORKER_POLL_MS: '20' };
    dbPath = tempDbPath();
    gw = await createTestGateway({ dbPath, env });
    const config = parseConfig({ DB_PATH: dbPath, ...env });
    const { store, clock, logger } = gw.services;
    delivery = await startDelivery(config, { store, clock, logger }, { owner: 'sandbox-test' });
    expect(delivery.sms?.providerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
    expect(res.status).toBe(201);
    delivery.sms?.worker.poke();
    await vi.waitFor(() => expect(delivery?.sms?.simulator?.received).toHaveLength(1), { timeout: 15_000 });
    expect(delivery.sms?.simulator?.received[0]?.to).toBe('+84912345678');
    // The rest of the dossier's life: one text per step that has one, in order, over the socket.
    const { id } = (await res.json()) as { id: string };
    for (const [status, at] of [
      ['processing', '2026-11-29T08:00:00+07:00'],
      ['resolved', '2026-12-01T09:00:00+07:00'],
      ['returned', '2026-12-02T09:00:00+07:00'],
    ] as const) {
      const ev = await gw.request('POST', `/v1/dossiers/${id}/events`, { body: { status, at } });
      expect(ev.status).toBe(201);
    }
    delivery.sms?.worker.poke();
    await vi.waitFor(() => expect(delivery?.sms?.simulator?.received).toHaveLength(3), { timeout: 15_000 });
    expect(delivery.sms?.simulator?.received.map((m) => m.reference)).toEqual([
      `sms:${id}:received`,
      `sms:${id}:resolved`,
      `sms:${id}:returned`,
    ]);
    // What a newcomer reads off the simulator (the sandbox banner prints this URL).
    const shown = await fetch(`${delivery.sms?.simulator?.url}/__sim/messages`);
    expect(((await shown.json()) as { messages: unknown[] }).messages).toEqual(
      delivery.sms?.simulator?.received,
    );
  });

  it('starts no SMS worker when SMS is off', async () => {
    dbPath = tempDbPath();
    gw = await createTestGateway({ dbPath });
    const { store, clock, logger } = gw.services;
    delivery = await startDelivery(
      parseConfig({ DB_PATH: dbPath, SMS_ENABLED: 'false' }),
      { store, clock, logger },
      { run: false },
    );
    expect(delivery.sms).toBeUndefined();
  });
});
