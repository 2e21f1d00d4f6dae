/**
 * The hook for the postal part (docs/sms.md, The tracking number): `notifyPostalAccepted` queues the
 * tracking-number notice once per dossier, refuses a number that is not S10, and does nothing when SMS
 * is off. The postal job's acceptance is not wired to it yet (the postal part owns it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { findDossier } from '../../src/intake/dossier.store.js';
import { writeContext } from '../../src/intake/intake.context.js';
import { Validation } from '../../src/lib/errors.js';
import { notifyPostalAccepted } from '../../src/sms/notify-postal-accepted.js';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
afterEach(async () => {
  await gw.close();
});

async function accept(tracking: string, id: string) {
  await gw.services.store.transaction(async (trx) => {
    const dossier = await findDossier(trx, id);
    if (!dossier) throw new Error('no dossier');
    await notifyPostalAccepted(writeContext(trx, gw.services.intake), dossier, tracking);
  });
}

const payloads = () =>
  (
    gw.sqlite
      .prepare("SELECT payload FROM transfers WHERE destination = 'sms' ORDER BY id")
      .pluck()
      .all() as string[]
  ).map((p) => JSON.parse(p));

describe('notifyPostalAccepted', () => {
  it('queues the tracking number once per dossier', async () => {
    gw = await createTestGateway({ env: { SMS_ENABLED: 'true' } });
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    await accept('eb 123456785 vn', d.id);
    await accept('EB123456785VN', d.id);
    const sent = payloads();
    expect(sent.map((p) => p.event)).toEqual(['received', 'postal_accepted']);
    expect(sent[1]?.text).toContain('EB123456785VN');
    expect(sent[1]?.text).toContain(d.code);
    expect(sent[1]?.reference).toBe(`sms:${d.id}:postal_accepted`);
  });

  it('refuses a tracking number whose check digit is wrong, and does nothing when SMS is off', async () => {
    gw = await createTestGateway({ env: { SMS_ENABLED: 'true' } });
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    await expect(accept('EB123456784VN', d.id)).rejects.toThrow(Validation);
    expect(payloads()).toHaveLength(1);
    await gw.close();
    gw = await createTestGateway();
    const off = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    await accept('EB123456785VN', off.id);
    expect(payloads()).toHaveLength(0);
  });
});
