/**
 * The whole postal path over real sockets: the gateway served on 127.0.0.1, the portal simulator on
 * its own loopback port behind the delivery worker, and postal clients calling over HTTP (by hand, and
 * the sandbox's postal client simulator). Also the claim under 8 concurrent claimers.
 */
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostalSimulator, s10Number } from '../../adapters/postal/simulator.js';
import { createSmsClient } from '../../adapters/sms/client.js';
import { startSmsSimulator } from '../../adapters/sms/simulator.js';
import { insertJobOnce } from '../../src/postal/job.store.js';
import { SmsWorker } from '../../src/sms/sms-worker.js';
import { createHarness, FAST, type Harness } from '../helpers/delivery.js';
import { dossierBody } from '../helpers/gateway.js';

let h: Harness;
let server: ServerType;
let url: string;

beforeEach(async () => {
  h = await createHarness();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: h.gw.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await h.close();
});

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** A dossier pushed and resolved over HTTP, to be returned by post. */
async function resolvedDossier(): Promise<{ id: string; code: string }> {
  const key = h.gw.keys.motcua;
  const pushed = await call('POST', '/v1/dossiers', key, dossierBody({ results: [{ name: 'Giấy phép' }] }));
  expect(pushed.status).toBe(201);
  const id = pushed.body.id as string;
  for (const [status, at] of [
    ['processing', '2026-11-30T09:00:00+07:00'],
    ['resolved', '2026-12-01T10:00:00+07:00'],
  ]) {
    expect((await call('POST', `/v1/dossiers/${id}/events`, key, { status, at })).status).toBe(201);
  }
  return { id, code: pushed.body.code as string };
}

describe('the postal path over real sockets', () => {
  it('resolved → job → claimed → accepted → delivered → the portal holds status 10 with NgayTra', async () => {
    const { code } = await resolvedDossier();
    const postal = h.gw.keys.postal;
    const claimed = await call('POST', '/v1/postal/jobs/claim', postal, { limit: 5, kinds: ['return'] });
    expect(claimed.status).toBe(200);
    const [job] = claimed.body.jobs;
    expect(job.orderNumber).toBe(code);
    const accepted = await call('POST', `/v1/postal/jobs/${job.id}/accept`, postal, {
      leaseToken: job.lease.token,
      trackingNumber: 'EB123456785VN',
    });
    expect(accepted.status).toBe(200);
    const delivered = await call('POST', `/v1/postal/jobs/${job.id}/events`, postal, {
      type: 'delivered',
      at: '2026-12-03T14:05:00+07:00',
      recipientName: 'Nguyễn Văn An',
    });
    expect(delivered.body.outcome).toBe('applied');
    await h.drain();
    const held = h.sim.stats.snapshot().dossiers[code];
    expect(held?.TrangThaiHoSo).toBe('10');
    expect(held?.NgayTra).toBe('20261203140500');
  });

  it('texts the applicant at each step of the path, through the SMS provider over its socket', async () => {
    await h.close();
    await new Promise((resolve) => server.close(resolve));
    h = await createHarness(
      {},
      { env: { SMS_ENABLED: 'true', SMS_QUIET_HOURS: 'off', SMS_ENCODING: 'ucs2' } },
    );
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: h.gw.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = await startSmsSimulator({ token: 't' });
    try {
      const { code } = await resolvedDossier();
      const postal = h.gw.keys.postal;
      const [job] = (await call('POST', '/v1/postal/jobs/claim', postal, {})).body.jobs;
      await call('POST', `/v1/postal/jobs/${job.id}/accept`, postal, {
        leaseToken: job.lease.token,
        trackingNumber: 'EB123456785VN',
      });
      await call('POST', `/v1/postal/jobs/${job.id}/events`, postal, {
        type: 'delivered',
        at: '2026-12-03T14:05:00+07:00',
        recipientName: 'Nguyễn Văn An',
      });
      const texts = new SmsWorker({
        store: h.gw.services.store,
        clock: h.gw.services.clock,
        logger: h.gw.services.logger,
        sms: createSmsClient({ url: provider.url, token: 't', timeoutMs: 2_000 }),
        config: FAST,
        quietHours: 'off',
        owner: 'test-sms',
      });
      while ((await texts.tick()) > 0) {}
      const received = provider.received.map((m) => m.text);
      expect(received).toHaveLength(4);
      expect(received.every((t) => t.includes(code))).toBe(true);
      expect(received[0]).toContain('tiếp nhận');
      expect(received[1]).toContain('bưu điện');
      expect(received[2]).toContain('EB123456785VN');
      expect(received[3]).toContain('đã được trả');
    } finally {
      await provider.close();
    }
  });

  it('the sandbox postal client simulator moves jobs to delivered, and the portal sees status 10', async () => {
    const { code } = await resolvedDossier();
    const sim = createPostalSimulator({
      url,
      key: h.gw.keys.postal,
      intervalMs: 0,
      firstSerial: 1000,
      now: () => h.gw.services.clock.now() - 60_000,
    });
    for (let i = 0; i < 6; i++) await sim.round();
    await sim.stop();
    expect(sim.stats()).toMatchObject({ claimed: 1, accepted: 1, events: { delivered: 1 } });
    await h.drain();
    expect(h.sim.stats.snapshot().dossiers[code]?.TrangThaiHoSo).toBe('10');
  });

  it('8 concurrent claimers over 1,000 jobs: every job accepted exactly once', async () => {
    const { store } = h.gw.services;
    await store.transaction(async (trx) => {
      for (let i = 0; i < 1000; i++) {
        await insertJobOnce(trx, {
          id: `job-${String(i).padStart(4, '0')}`,
          kind: 'return',
          dossierId: `d-${i}`,
          agency: '000.00.15.H24',
          orderNumber: `000.00.15.H24-261128-${String(i).padStart(4, '0')}`,
          payload: {
            sender: { name: 'Sở' },
            receiver: { name: 'A', address: { original: 'x' } },
            contents: [],
            codAmount: 0,
            note: null,
          },
          createdAtMs: 1_000 + i,
          dueByMs: 2_000_000,
        });
      }
    });
    const keys = await Promise.all(
      Array.from(
        { length: 8 },
        async (_, n) =>
          (await h.gw.services.clients.add({ name: `claimer ${n}`, role: 'postal', agencies: [] })).key,
      ),
    );
    const acceptedBy = new Map<string, number>();
    const claimer = async (key: string, n: number) => {
      let serial = n * 100_000;
      for (;;) {
        const res = await call('POST', '/v1/postal/jobs/claim', key, { limit: 20 });
        const jobs = res.body.jobs as { id: string; lease: { token: string } }[];
        if (jobs.length === 0) return;
        for (const job of jobs) {
          serial += 1;
          const accepted = await call('POST', `/v1/postal/jobs/${job.id}/accept`, key, {
            leaseToken: job.lease.token,
            trackingNumber: s10Number(serial),
          });
          expect(accepted.status).toBe(200);
          acceptedBy.set(job.id, (acceptedBy.get(job.id) ?? 0) + 1);
        }
      }
    };
    await Promise.all(keys.map((key, n) => claimer(key, n)));
    expect(acceptedBy.size).toBe(1000);
    expect([...acceptedBy.values()].every((n) => n === 1)).toBe(true);
    const states = h.gw.sqlite.prepare('SELECT state, count(*) AS n FROM postal_jobs GROUP BY state').all();
    expect(states).toEqual([{ state: 'accepted', n: 1000 }]);
  }, 120_000);
});
