/**
 * The postal pull API through the app on a real SQLite file: jobs appear with the change that causes
 * them (once), claim/accept/release with leases, tracking events and their effects on the dossier,
 * findings, and what a job never carries.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

const START = Date.parse('2027-01-15T00:00:00Z');
let offset = 0;
const clock = { now: () => START + offset };
let gw: TestGateway;

beforeEach(async () => {
  offset = 0;
  gw = await createTestGateway({ clock, env: { POSTAL_SENDER_PHONE: '0222 3822 000' } });
});
afterEach(async () => {
  await gw.close();
});

async function pushResolvable(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await gw.request('POST', '/v1/dossiers', { body: dossierBody(overrides) });
  expect(res.status).toBe(201);
  const id = (await json(res)).id as string;
  const at = '2026-11-30T09:00:00+07:00';
  const moved = await gw.request('POST', `/v1/dossiers/${id}/events`, { body: { status: 'processing', at } });
  expect(moved.status).toBe(201);
  return id;
}

async function resolve(id: string, at = '2026-12-01T10:00:00+07:00'): Promise<Response> {
  return gw.request('POST', `/v1/dossiers/${id}/events`, { body: { status: 'resolved', at } });
}

async function claim(body: Record<string, unknown> = {}, key = gw.keys.postal) {
  const res = await gw.request('POST', '/v1/postal/jobs/claim', { key, body });
  expect(res.status).toBe(200);
  return (await json(res)).jobs as Record<string, any>[];
}

function post(path: string, body: unknown, key = gw.keys.postal) {
  return gw.request('POST', path, { key, body });
}

async function acceptedJob(tracking = 'EB123456785VN') {
  const id = await pushResolvable({
    fees: [
      { name: 'Lệ phí', amount: 75000 },
      { name: 'Phí thẩm định', amount: 25000, paid: true },
      { name: 'Phí cấp bản sao', amount: 5000, paid: false },
    ],
    results: [{ name: 'Giấy phép xây dựng số 12/GPXD' }],
  });
  expect((await resolve(id)).status).toBe(201);
  const [job] = await claim();
  if (!job) throw new Error('no job');
  const res = await post(`/v1/postal/jobs/${job.id}/accept`, {
    leaseToken: job.lease.token,
    trackingNumber: tracking,
  });
  expect(res.status).toBe(200);
  return { dossierId: id, job };
}

describe('jobs appear by themselves', () => {
  it('creates one return job when a postal-return dossier is resolved, even when the event comes twice', async () => {
    const id = await pushResolvable();
    expect(count(gw, 'postal_jobs')).toBe(0);
    expect((await resolve(id)).status).toBe(201);
    expect((await resolve(id)).status).toBe(200);
    expect(count(gw, 'postal_jobs')).toBe(1);
  });

  it('gives a held dual entry no job, so merging it into a resolved dossier leaves one job', async () => {
    const first = await pushResolvable();
    await resolve(first);
    const again = dossierBody({ status: 'resolved', resolvedAt: '2026-12-01T10:00:00+07:00' });
    const { idNumber: _id, ...applicant } = again.applicant as Record<string, unknown>;
    const held = await json(
      await gw.request('POST', '/v1/dossiers', { key: gw.keys.xaydung, body: { ...again, applicant } }),
    );
    expect(held.outcome).toBe('held_for_review');
    expect(count(gw, 'postal_jobs')).toBe(1);
    const merged = await gw.request('POST', `/v1/ops/reviews/${held.review.id}/merge`, {
      key: gw.keys.operator,
      body: {},
    });
    expect(merged.status).toBe(200);
    expect(count(gw, 'postal_jobs')).toBe(1);
  });

  it('creates no job for a counter return, and a collect job for a submitted postal-channel dossier', async () => {
    const counter = await pushResolvable({ resultReturn: { method: 'counter' } });
    await resolve(counter);
    expect(count(gw, 'postal_jobs')).toBe(0);
    const res = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ status: 'submitted', channel: 'postal', submittedAt: '2026-11-27T08:00:00+07:00' }),
    });
    expect(res.status).toBe(201);
    const [job] = await claim({ kinds: ['collect'] });
    expect(job?.kind).toBe('collect');
    expect(job?.contents).toEqual(['Đơn đề nghị cấp giấy phép xây dựng']);
    expect(job?.codAmount).toBe(0);
  });

  it('carries only what delivery needs: receiver, sender, contents, fees still owed', async () => {
    const id = await pushResolvable({
      fees: [
        { name: 'Lệ phí', amount: 75000 },
        { name: 'Phí thẩm định', amount: 25000, paid: true },
      ],
      results: [{ name: 'Giấy phép xây dựng số 12/GPXD' }],
      resultReturn: {
        method: 'postal',
        address: { line: 'Số 3 ngõ 5', communeCode: '09187', provinceCode: '24' },
      },
    });
    await resolve(id);
    const [job] = await claim();
    expect(job).toMatchObject({
      kind: 'return',
      sender: { name: 'Sở Xây dựng tỉnh Bắc Ninh', phone: '0222 3822 000' },
      receiver: {
        name: 'Nguyễn Văn An',
        phone: '+84912345678',
        address: { line: 'Số 3 ngõ 5', communeCode: '09187' },
      },
      contents: ['Giấy phép xây dựng số 12/GPXD'],
      codAmount: 75000,
    });
    expect(job?.orderNumber).toMatch(/^000\.00\.15\.H24-/);
    expect(JSON.stringify(job)).not.toContain('027090');
    expect(Object.keys(job ?? {}).sort()).toEqual(
      [
        'codAmount',
        'contents',
        'createdAt',
        'dueBy',
        'id',
        'kind',
        'lease',
        'note',
        'orderNumber',
        'receiver',
        'sender',
        'state',
        'trackingNumber',
      ].sort(),
    );
  });
});

describe('claim, accept, release', () => {
  it('leases a job once; an expired lease returns it to the pool', async () => {
    await resolve(await pushResolvable());
    expect(await claim()).toHaveLength(1);
    expect(await claim()).toHaveLength(0);
    offset += 301_000;
    expect(await claim()).toHaveLength(1);
  });

  it('refuses accept with a wrong token, after expiry, for a job another client holds, and a bad S10', async () => {
    await resolve(await pushResolvable());
    const [job] = await claim({ leaseSeconds: 60 });
    if (!job) throw new Error('no job');
    const path = `/v1/postal/jobs/${job.id}/accept`;
    const bad = await post(path, { leaseToken: job.lease.token, trackingNumber: 'EB123456784VN' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json(bad))).toContain('s10_check_digit');
    const wrong = await post(path, { leaseToken: 'nope', trackingNumber: 'EB123456785VN' });
    expect(wrong.status).toBe(409);
    expect((await json(wrong)).reason).toBe('lease_token_mismatch');
    const other = await gw.services.clients.add({ name: 'postal 2', role: 'postal', agencies: [] });
    const held = await post(
      path,
      { leaseToken: job.lease.token, trackingNumber: 'EB123456785VN' },
      other.key,
    );
    expect((await json(held)).reason).toBe('held_by_other');
    offset += 61_000;
    const late = await post(path, { leaseToken: job.lease.token, trackingNumber: 'EB123456785VN' });
    expect(late.status).toBe(409);
    expect((await json(late)).reason).toBe('lease_expired');
  });

  it('refuses a tracking number another job uses, and shows a job only to the client that holds it', async () => {
    const { job } = await acceptedJob('EB123456785VN');
    await resolve(await pushResolvable());
    const [second] = await claim();
    const res = await post(`/v1/postal/jobs/${second?.id}/accept`, {
      leaseToken: second?.lease.token,
      trackingNumber: 'EB123456785VN',
    });
    expect(res.status).toBe(409);
    expect((await json(res)).reason).toBe('tracking_number_taken');
    expect((await gw.request('GET', `/v1/postal/jobs/${job.id}`, { key: gw.keys.postal })).status).toBe(200);
    const other = await gw.services.clients.add({ name: 'postal 2', role: 'postal', agencies: [] });
    expect((await gw.request('GET', `/v1/postal/jobs/${job.id}`, { key: other.key })).status).toBe(404);
  });

  it('answers a retried claim with the same Idempotency-Key with the same jobs', async () => {
    await resolve(await pushResolvable());
    await resolve(await pushResolvable());
    const headers = { 'Idempotency-Key': 'claim-1' };
    const body = { limit: 1 };
    const first = await json(
      await gw.request('POST', '/v1/postal/jobs/claim', { key: gw.keys.postal, body, headers }),
    );
    const again = await json(
      await gw.request('POST', '/v1/postal/jobs/claim', { key: gw.keys.postal, body, headers }),
    );
    expect(again).toEqual(first);
    expect(await claim()).toHaveLength(1);
  });

  it('releases a leased job to the pool', async () => {
    await resolve(await pushResolvable());
    const [job] = await claim();
    const res = await post(`/v1/postal/jobs/${job?.id}/release`, { leaseToken: job?.lease.token });
    expect(res.status).toBe(200);
    expect(await claim()).toHaveLength(1);
  });
});

describe('events drive the dossier', () => {
  it('delivered makes the dossier returned at the delivery time and queues the portal update once', async () => {
    const { dossierId, job } = await acceptedJob();
    const at = '2026-12-03T14:05:00+07:00';
    const path = `/v1/postal/jobs/${job.id}/events`;
    const res = await post(path, { type: 'delivered', at, recipientName: 'Nguyễn Văn An' });
    expect(res.status).toBe(200);
    expect((await json(res)).outcome).toBe('applied');
    const again = await post(path, { type: 'delivered', at, recipientName: 'Nguyễn Văn An' });
    expect((await json(again)).outcome).toBe('duplicate');
    const dossier = await json(await gw.request('GET', `/v1/dossiers/${dossierId}`));
    expect(dossier.status).toBe('returned');
    expect(dossier.returnedAt).toBe(at);
    const progress = gw.sqlite
      .prepare("SELECT payload FROM transfers WHERE dossier_id = ? AND kind = 'progress'")
      .all(dossierId) as { payload: string }[];
    expect(progress.filter((p) => p.payload.includes('"returned"'))).toHaveLength(1);
    const late = await post(path, {
      type: 'delivery_failed',
      at: '2026-12-02T09:00:00+07:00',
      reason: 'vắng nhà',
    });
    expect((await json(late)).outcome).toBe('recorded_only');
    expect(count(gw, 'postal_events')).toBe(2);
  });

  it('opens a finding at the second failed delivery and at a return to sender, without personal data', async () => {
    const { job } = await acceptedJob();
    const path = `/v1/postal/jobs/${job.id}/events`;
    await post(path, {
      type: 'delivery_failed',
      at: '2026-12-02T09:00:00+07:00',
      reason: 'Nguyễn Văn An vắng nhà',
    });
    expect(count(gw, 'findings')).toBe(0);
    await post(path, { type: 'delivery_failed', at: '2026-12-03T09:00:00+07:00', reason: 'vắng nhà' });
    expect(count(gw, 'findings')).toBe(1);
    await post(path, { type: 'returned_to_sender', at: '2026-12-04T09:00:00+07:00' });
    expect(count(gw, 'findings')).toBe(2);
    const health = await json(await gw.request('GET', '/v1/ops/health', { key: gw.keys.operator }));
    expect(health.postal.openFindings).toBe(2);
    const text = JSON.stringify(gw.sqlite.prepare('SELECT * FROM findings').all());
    const log = JSON.stringify(
      gw.sqlite.prepare("SELECT data FROM reconciliation_log WHERE kind LIKE 'finding%'").all(),
    );
    for (const t of [text, log]) expect(t).not.toMatch(/Nguyễn|vắng/);
  });

  it('handed_over makes a collect job’s dossier received; future and foreign event types are refused', async () => {
    const res = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ status: 'submitted', channel: 'postal', submittedAt: '2026-11-27T08:00:00+07:00' }),
    });
    const dossierId = (await json(res)).id as string;
    const [job] = await claim({ kinds: ['collect'] });
    await post(`/v1/postal/jobs/${job?.id}/accept`, {
      leaseToken: job?.lease.token,
      trackingNumber: 'EB000000005VN',
    });
    const path = `/v1/postal/jobs/${job?.id}/events`;
    const future = await post(path, { type: 'handed_over', at: '2027-02-01T09:00:00+07:00' });
    expect(future.status).toBe(400);
    expect(JSON.stringify(await json(future))).toContain('not_in_future');
    expect((await post(path, { type: 'delivered', at: '2026-11-28T09:00:00+07:00' })).status).toBe(400);
    expect((await post(path, { type: 'handed_over', at: '2026-11-28T09:00:00+07:00' })).status).toBe(200);
    expect((await json(await gw.request('GET', `/v1/dossiers/${dossierId}`))).status).toBe('received');
  });
});

describe('operators', () => {
  it('lists jobs by state with cursor pages, and health shows the oldest unclaimed job', async () => {
    for (let i = 0; i < 3; i++) await resolve(await pushResolvable());
    offset += 60_000;
    const health = await json(await gw.request('GET', '/v1/ops/health', { key: gw.keys.operator }));
    expect(health.postal.oldestUnclaimedJobAgeMs).toBeGreaterThanOrEqual(60_000);
    const page = await json(
      await gw.request('GET', '/v1/ops/postal/jobs?state=open&limit=2', { key: gw.keys.operator }),
    );
    expect(page.items).toHaveLength(2);
    const next = await json(
      await gw.request('GET', `/v1/ops/postal/jobs?state=open&limit=2&cursor=${page.nextCursor}`, {
        key: gw.keys.operator,
      }),
    );
    expect(next.items).toHaveLength(1);
    expect(next.nextCursor).toBeNull();
    expect((await gw.request('GET', '/v1/ops/postal/jobs?bogus=1', { key: gw.keys.operator })).status).toBe(
      400,
    );
  });
});
