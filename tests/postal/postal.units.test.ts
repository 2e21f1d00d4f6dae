/**
 * The postal use cases and stores called directly in units of work on a real SQLite file: jobs created
 * once (twice resolved, two systems, a merge, a held dossier), what a job carries, the claim's order,
 * kinds and expired leases, accept and events, and findings.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POSTAL } from '../../schemas/config.js';
import { push } from '../../src/intake/push.js';
import { recordEvent } from '../../src/intake/record-event.js';
import { Conflict } from '../../src/lib/errors.js';
import { acceptJob } from '../../src/postal/accept-job.js';
import { claimJobs } from '../../src/postal/claim-jobs.js';
import { createPostalJobs, jobPayload } from '../../src/postal/create-jobs.js';
import { listOpenFindings } from '../../src/postal/finding.store.js';
import { claimOpenJobs, findJob, insertJobOnce, type NewJob } from '../../src/postal/job.store.js';
import type { PostalContext } from '../../src/postal/postal.context.js';
import { recordPostalEvent } from '../../src/postal/record-postal-event.js';
import {
  closeTestStore,
  countOf,
  input,
  inUnit,
  motcua,
  NOW,
  openTestStore,
  record,
  rejectionOf,
  rows,
  sameDossierFrom,
  type TestStore,
  xaydung,
} from '../intake/intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const postalClient = { id: 'c-postal', name: 'postal', role: 'postal' as const, system: null, agencies: [] };

function asPostal<T>(fn: (ctx: PostalContext) => Promise<T>, now = NOW): Promise<T> {
  return inUnit(s, (ctx) => fn({ ...ctx, principal: postalClient }), { now });
}

function newJob(i: number, over: Partial<NewJob> = {}): NewJob {
  return {
    id: `job-${i}`,
    kind: 'return',
    dossierId: `d-${i}`,
    agency: '000.00.15.H24',
    orderNumber: `O-${i}`,
    payload: {
      sender: { name: 'S' },
      receiver: { name: 'R', address: { original: 'x' } },
      contents: [],
      codAmount: 0,
      note: null,
    },
    createdAtMs: 1_000 + i,
    dueByMs: 9_000,
    ...over,
  };
}

describe('job creation', () => {
  it('creates one return job per resolved postal dossier, however often it is asked', async () => {
    const resolved = record({ id: 'd-1', status: 'resolved' });
    const ids = await inUnit(s, async (ctx) => [
      await createPostalJobs(ctx, resolved),
      await createPostalJobs(ctx, resolved),
    ]);
    expect(ids[0]).toBeTruthy();
    expect(ids[1]).toBeUndefined();
    expect(countOf(s, 'postal_jobs')).toBe(1);
    expect(countOf(s, 'reconciliation_log', "kind = 'postal.job_created'")).toBe(1);
  });

  it('creates nothing for a counter return, a held dossier, or a dossier not yet resolved', async () => {
    await inUnit(s, async (ctx) => {
      await createPostalJobs(
        ctx,
        record({ id: 'a', status: 'resolved' }, { resultReturn: { method: 'counter' } }),
      );
      await createPostalJobs(ctx, record({ id: 'b', status: 'resolved', held: true }));
      await createPostalJobs(ctx, record({ id: 'c', status: 'processing' }));
    });
    expect(countOf(s, 'postal_jobs')).toBe(0);
  });

  it('makes one job when two systems push the same resolved dossier (merged by code)', async () => {
    const body = input({ status: 'resolved', resolvedAt: '2026-12-01T10:00:00+07:00' });
    await inUnit(s, (ctx) => push(ctx, motcua, body));
    const code = rows<{ code: string }>(s, 'SELECT code FROM dossiers')[0]?.code;
    await inUnit(s, (ctx) => push(ctx, xaydung, sameDossierFrom(body, 'XD-1', { code })));
    expect(countOf(s, 'dossier_sources')).toBe(2);
    expect(countOf(s, 'postal_jobs')).toBe(1);
  });

  it('makes one job when the resolved event comes from two systems', async () => {
    const body = input({ code: '000.00.15.H24-261128-0042' });
    await inUnit(s, (ctx) => push(ctx, motcua, body));
    await inUnit(s, (ctx) => push(ctx, xaydung, sameDossierFrom(body, 'XD-2', { code: body.code })));
    const id = rows<{ id: string }>(s, 'SELECT id FROM dossiers WHERE merged_into IS NULL')[0]?.id ?? '';
    const processing = { status: 'processing' as const, at: '2026-11-30T09:00:00+07:00' };
    await inUnit(s, (ctx) => recordEvent(ctx, motcua, { dossierId: id }, processing));
    for (const [who, at] of [
      [motcua, '2026-12-01T10:00:00+07:00'],
      [xaydung, '2026-12-01T10:05:00+07:00'],
    ] as const) {
      await inUnit(s, (ctx) => recordEvent(ctx, who, { dossierId: id }, { status: 'resolved', at }));
    }
    expect(countOf(s, 'dossiers')).toBe(1);
    expect(countOf(s, 'postal_jobs')).toBe(1);
  });

  it('carries the receiver of resultReturn (else the applicant), the result names and the fees owed', () => {
    const d = record(
      { status: 'resolved' },
      {
        resultReturn: {
          method: 'postal',
          address: { original: 'Thôn 2, xã Yên Phụ, huyện Yên Phong, Bắc Ninh' },
        },
        results: [{ name: 'Giấy phép' }],
        fees: [
          { name: 'a', amount: 100 },
          { name: 'b', amount: 20, paid: true },
          { name: 'c', amount: 3, paid: false },
        ],
      },
    );
    const p = jobPayload(d, 'return', { ...DEFAULT_POSTAL, senderAddress: 'Số 1' });
    expect(p.receiver.address).toEqual({ original: 'Thôn 2, xã Yên Phụ, huyện Yên Phong, Bắc Ninh' });
    expect(p.contents).toEqual(['Giấy phép']);
    expect(p.codAmount).toBe(103);
    expect(p.sender).toEqual({ name: 'Sở Xây dựng tỉnh Bắc Ninh', address: 'Số 1' });
    const own = jobPayload(record({ status: 'resolved' }), 'return', DEFAULT_POSTAL);
    expect(own.receiver.address.communeCode).toBe('09187');
    expect(JSON.stringify(own)).not.toContain(d.data.applicant.idNumber ?? 'none');
  });
});

describe('claim store', () => {
  it('hands out the oldest open jobs of the asked kinds, and an expired lease comes back', async () => {
    await inUnit(s, async (ctx) => {
      for (const i of [3, 1, 2]) await insertJobOnce(ctx.trx, newJob(i));
      await insertJobOnce(ctx.trx, newJob(0, { kind: 'collect' }));
    });
    const first = await inUnit(s, (ctx) =>
      claimOpenJobs(ctx.trx, {
        owner: 'a',
        token: 't',
        kinds: ['return'],
        now: NOW,
        leaseMs: 1000,
        limit: 2,
      }),
    );
    expect(first.map((j) => j.id)).toEqual(['job-1', 'job-2']);
    expect(new Set(first.map((j) => j.leaseToken)).size).toBe(2);
    const later = await asPostal(
      (ctx) => claimJobs(ctx, { limit: 10, kinds: ['return'], leaseSeconds: 60 }),
      NOW + 2000,
    );
    expect(later.jobs.map((j) => j.id)).toEqual(['job-1', 'job-2', 'job-3']);
  });
});

describe('accept and events', () => {
  async function accepted(): Promise<string> {
    await inUnit(s, (ctx) => insertJobOnce(ctx.trx, newJob(1)));
    const { jobs } = await asPostal((ctx) =>
      claimJobs(ctx, { limit: 1, kinds: ['return'], leaseSeconds: 60 }),
    );
    const token = jobs[0]?.lease?.token ?? '';
    await asPostal((ctx) => acceptJob(ctx, 'job-1', { leaseToken: token, trackingNumber: 'EB123456785VN' }));
    return token;
  }

  it('accepts once; the same accept again is harmless, another number is refused', async () => {
    const token = await accepted();
    const again = await asPostal((ctx) =>
      acceptJob(ctx, 'job-1', { leaseToken: token, trackingNumber: 'EB123456785VN' }),
    );
    expect(again.state).toBe('accepted');
    const other = await rejectionOf(
      asPostal((ctx) => acceptJob(ctx, 'job-1', { leaseToken: token, trackingNumber: 'EB000000005VN' })),
    );
    expect(other).toBeInstanceOf(Conflict);
    expect((other as Conflict).extra?.reason).toBe('already_accepted');
  });

  it('counts failed deliveries and opens one finding at the configured one', async () => {
    await accepted();
    for (const at of [
      '2026-12-02T09:00:00+07:00',
      '2026-12-03T09:00:00+07:00',
      '2026-12-04T09:00:00+07:00',
    ]) {
      await asPostal((ctx) =>
        recordPostalEvent(ctx, 'job-1', { type: 'delivery_failed', at, reason: 'vắng' }),
      );
    }
    expect((await findJob(s.db, 'job-1'))?.failedDeliveries).toBe(3);
    const findings = await listOpenFindings(s.db);
    expect(findings.map((f) => [f.kind, f.jobId, f.dossierId])).toEqual([
      ['delivery_failed', 'job-1', 'd-1'],
    ]);
    expect(findings[0]?.detail).not.toContain('vắng');
  });

  it('stores an event after the final one without moving the job back', async () => {
    await accepted();
    const cancel = await asPostal((ctx) =>
      recordPostalEvent(ctx, 'job-1', { type: 'cancelled', at: '2026-12-02T09:00:00+07:00', reason: 'hủy' }),
    );
    expect(cancel.job.state).toBe('cancelled');
    const late = await asPostal((ctx) =>
      recordPostalEvent(ctx, 'job-1', { type: 'in_transit', at: '2026-12-01T09:00:00+07:00' }),
    );
    expect(late.outcome).toBe('recorded_only');
    expect(late.job.state).toBe('cancelled');
    expect(countOf(s, 'postal_events', 'applied = 0')).toBe(1);
    expect(countOf(s, 'findings')).toBe(1);
  });
});
