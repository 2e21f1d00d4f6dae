/** The applicant is texted the tracking number once the postal service accepts the return job. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeEach(async () => {
  gw = await createTestGateway({ env: { SMS_ENABLED: 'true', SMS_QUIET_HOURS: 'off' } });
});
afterEach(async () => {
  await gw.close();
});

const notices = (dossierId: string) =>
  gw.sqlite
    .prepare('SELECT event, outcome, transfer_id FROM sms_notices WHERE dossier_id = ? ORDER BY event')
    .all(dossierId) as { event: string; outcome: string; transfer_id: number | null }[];

describe('postal acceptance and SMS', () => {
  it('queues one postal_accepted notice with the tracking number, and none for a repeated accept', async () => {
    const id = (await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }))).id as string;
    for (const [status, at] of [
      ['processing', '2026-11-30T09:00:00+07:00'],
      ['resolved', '2026-12-01T10:00:00+07:00'],
    ]) {
      expect((await gw.request('POST', `/v1/dossiers/${id}/events`, { body: { status, at } })).status).toBe(
        201,
      );
    }
    const claimed = await json(
      await gw.request('POST', '/v1/postal/jobs/claim', { key: gw.keys.postal, body: {} }),
    );
    const job = claimed.jobs[0];
    const accept = () =>
      gw.request('POST', `/v1/postal/jobs/${job.id}/accept`, {
        key: gw.keys.postal,
        body: { leaseToken: job.lease.token, trackingNumber: 'EB123456785VN' },
      });
    expect((await accept()).status).toBe(200);
    expect((await accept()).status).toBe(200);
    const accepted = notices(id).filter((n) => n.event === 'postal_accepted');
    expect(accepted).toEqual([expect.objectContaining({ outcome: 'queued' })]);
    const payload = gw.sqlite
      .prepare('SELECT payload FROM transfers WHERE id = ?')
      .pluck()
      .get(accepted[0]?.transfer_id) as string;
    expect(JSON.parse(payload).text).toContain('EB123456785VN');
  });
});
