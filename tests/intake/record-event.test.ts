/** The status-event use case, called directly in a unit of work: each outcome and each refusal. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusEventInput } from '../../schemas/dossier.js';
import type { Principal } from '../../src/clients/client.service.js';
import { ApiError } from '../../src/http/errors.js';
import { findDossier, insertDossier, markMerged } from '../../src/intake/dossier.store.js';
import { push } from '../../src/intake/push.js';
import { type EventTarget, recordEvent } from '../../src/intake/record-event.js';
import { Forbidden, IllegalTransition, NotFound, Validation } from '../../src/lib/errors.js';
import {
  closeTestStore,
  countOf,
  input,
  inUnit,
  logOf,
  motcua,
  NOW,
  openTestStore,
  operator,
  record,
  rejectionOf,
  rows,
  type TestStore,
  transfersOf,
  tuphap,
  xaydung,
} from './intake-fixture.js';

let s: TestStore;
let dossierId: string;
let recordId: string;
beforeEach(async () => {
  s = await openTestStore();
  const body = input();
  recordId = body.source.recordId;
  dossierId = (await inUnit(s, (ctx) => push(ctx, motcua, body))).dossierId;
});
afterEach(async () => {
  await closeTestStore(s);
});

const event = (target: EventTarget, e: StatusEventInput, o: { principal?: Principal; now?: number } = {}) =>
  inUnit(s, (ctx) => recordEvent(ctx, o.principal ?? motcua, target, e), { now: o.now ?? NOW + 1000 });

const PROCESSING: StatusEventInput = {
  status: 'processing',
  at: '2026-11-29T09:00:00+07:00',
  note: 'Chuyển phòng chuyên môn',
  officer: { name: 'Cán bộ B', title: 'Chuyên viên' },
};

describe('recordEvent: a newer legal step', () => {
  it('is applied: new status and version, an applied step, a portal update and progress, a log entry', async () => {
    const result = await event({ recordId }, PROCESSING);
    expect(result.outcome).toBe('applied');
    expect(result.dossier).toMatchObject({
      id: dossierId,
      status: 'processing',
      statusAtMs: Date.parse('2026-11-29T09:00:00+07:00'),
      version: 2,
      updatedAtMs: NOW + 1000,
    });
    expect(await findDossier(s.db, dossierId)).toEqual(result.dossier);
    expect(result.step).toMatchObject({
      status: 'processing',
      at: '2026-11-29T09:00:00+07:00',
      applied: true,
      note: 'Chuyển phòng chuyên môn',
      officer: { name: 'Cán bộ B', title: 'Chuyên viên' },
      sourceSystem: 'motcua',
      sourceRecordId: recordId,
      recordedAtMs: NOW + 1000,
    });
    const transfers = transfersOf(s, dossierId);
    expect(transfers.map((t) => [t.kind, t.payload.op])).toEqual([
      ['dossier_sync', 'insert'],
      ['dossier_sync', 'update'],
      ['progress', undefined],
    ]);
    expect(transfers[2]?.payload).toMatchObject({
      historyId: result.step.id,
      status: 'processing',
      at: '2026-11-29T09:00:00+07:00',
      officer: { name: 'Cán bộ B', title: 'Chuyên viên' },
    });
    expect(logOf(s, dossierId).at(-1)).toEqual({
      kind: 'event.applied',
      actor: 'motcua',
      data: {
        from: 'received',
        to: 'processing',
        at: '2026-11-29T09:00:00+07:00',
        historyId: result.step.id,
      },
    });
  });

  it('sends the step’s own start and deadline with its progress, never the dossier’s dates', async () => {
    await event(
      { recordId },
      {
        ...PROCESSING,
        stepStartedAt: '2026-11-29T02:00:00Z',
        stepDueAt: '2026-12-03T17:00:00+07:00',
      },
    );
    const plain = await event({ recordId }, { status: 'resolved', at: '2026-12-01T10:00:00+07:00' });
    const progress = transfersOf(s, dossierId)
      .filter((t) => t.kind === 'progress')
      .map((t) => t.payload);
    expect(progress[0]).toMatchObject({
      stepStartedAt: '2026-11-29T09:00:00+07:00',
      stepDueAt: '2026-12-03T17:00:00+07:00',
    });
    for (const payload of progress) {
      expect(payload).not.toHaveProperty('receivedAt');
      expect(payload).not.toHaveProperty('dueAt');
    }
    expect(progress[1]).not.toHaveProperty('stepStartedAt');
    expect(plain.dossier.data).not.toHaveProperty('stepStartedAt');
  });

  it('is addressed by gateway id as well, and names the caller’s record on the step', async () => {
    const result = await event({ dossierId }, PROCESSING);
    expect(result.outcome).toBe('applied');
    expect(result.step.sourceRecordId).toBe(recordId);
  });

  it('reaches the live dossier when addressed to one merged away', async () => {
    await insertDossier(s.db, record({ id: 'gone', code: 'GONE', mergedInto: dossierId }));
    await markMerged(s.db, 'gone', dossierId, NOW);
    const result = await event({ dossierId: 'gone' }, PROCESSING);
    expect(result.dossier.id).toBe(dossierId);
  });

  it('writes the result date of a resolved dossier and a new due date the event gives', async () => {
    await event({ recordId }, PROCESSING);
    const result = await event(
      { recordId },
      {
        status: 'resolved',
        at: '2026-12-01T10:00:00Z',
        dueAt: '2026-12-20T10:00:00Z',
      },
    );
    expect(result.dossier.data).toMatchObject({
      resolvedAt: '2026-12-01T17:00:00+07:00',
      dueAt: '2026-12-20T17:00:00+07:00',
    });
    expect((await findDossier(s.db, dossierId))?.data.resolvedAt).toBe('2026-12-01T17:00:00+07:00');
  });

  it('accepts an event time a few minutes ahead of the gateway’s clock', async () => {
    const at = new Date(NOW + 5 * 60_000).toISOString();
    expect((await event({ recordId }, { status: 'processing', at }, { now: NOW })).outcome).toBe('applied');
  });
});

describe('recordEvent: steps that do not move the dossier', () => {
  it('recognises the same status at the same time as a duplicate and writes nothing', async () => {
    const first = await event({ recordId }, PROCESSING);
    const history = countOf(s, 'status_history');
    const transfers = countOf(s, 'transfers');
    const again = await event({ recordId }, PROCESSING, { now: NOW + 2000 });
    expect(again.outcome).toBe('duplicate');
    expect(again.step.id).toBe(first.step.id);
    expect(again.dossier.version).toBe(2);
    expect(countOf(s, 'status_history')).toBe(history);
    expect(countOf(s, 'transfers')).toBe(transfers);
  });

  it('records an older step in the history only, and logs it', async () => {
    const result = await event({ recordId }, { status: 'submitted', at: '2026-11-27T08:00:00+07:00' });
    expect(result.outcome).toBe('recorded_only');
    expect(result.step).toMatchObject({ status: 'submitted', applied: false });
    expect(await findDossier(s.db, dossierId)).toMatchObject({ status: 'received', version: 1 });
    expect(transfersOf(s, dossierId)).toHaveLength(1);
    expect(logOf(s, dossierId).at(-1)).toMatchObject({
      kind: 'event.recorded_only',
      data: { status: 'submitted', current: 'received' },
    });
  });
});

describe('recordEvent: refusals', () => {
  it('throws IllegalTransition for a move off the state machine, naming the allowed moves', async () => {
    const error = await rejectionOf(
      event({ recordId }, { status: 'resolved', at: '2026-11-30T09:00:00+07:00' }),
    );
    expect(error).toBeInstanceOf(IllegalTransition);
    expect(error).not.toBeInstanceOf(ApiError);
    expect((error as IllegalTransition).extra).toEqual({
      from: 'received',
      to: 'resolved',
      allowed: ['processing'],
    });
    expect(countOf(s, 'status_history')).toBe(1);
    expect((await findDossier(s.db, dossierId))?.status).toBe('received');
  });

  it('throws Validation (not_in_future) for an event time ahead of the clock', async () => {
    const error = await rejectionOf(
      event({ recordId }, { status: 'processing', at: '2027-02-01T00:00:00+07:00' }),
    );
    expect(error).toBeInstanceOf(Validation);
    expect((error as Validation).errors).toEqual([
      expect.objectContaining({ path: 'at', rule: 'not_in_future' }),
    ]);
    expect(countOf(s, 'status_history')).toBe(1);
  });

  it('receives a dossier without a due date, and takes one when a later event gives it', async () => {
    const body = input({ status: 'submitted', dueAt: undefined });
    const submitted = await inUnit(s, (ctx) => push(ctx, motcua, body));
    const target = { dossierId: submitted.dossierId };
    const received = await event(target, { status: 'received', at: '2026-11-29T08:00:00+07:00' });
    expect(received.outcome).toBe('applied');
    expect(received.dossier.status).toBe('received');
    expect(received.dossier.data).not.toHaveProperty('dueAt');
    const appointed = await event(target, {
      status: 'processing',
      at: '2026-11-29T09:00:00+07:00',
      dueAt: '2026-12-10T17:00:00+07:00',
    });
    expect(appointed.dossier.data.dueAt).toBe('2026-12-10T17:00:00+07:00');
  });

  it('throws NotFound for a record or dossier it does not know', async () => {
    expect(await rejectionOf(event({ recordId: 'MC-unknown' }, PROCESSING))).toBeInstanceOf(NotFound);
    expect(await rejectionOf(event({ dossierId: 'no-such-id' }, PROCESSING))).toBeInstanceOf(NotFound);
    // another system's record ids are not the caller's
    expect(await rejectionOf(event({ recordId }, PROCESSING, { principal: xaydung }))).toBeInstanceOf(
      NotFound,
    );
  });

  it('throws NotFound for a department that may not see the dossier, and Forbidden for non-departments', async () => {
    const error = await rejectionOf(event({ dossierId }, PROCESSING, { principal: tuphap }));
    expect(error).toBeInstanceOf(NotFound);
    expect(await rejectionOf(event({ dossierId }, PROCESSING, { principal: operator }))).toBeInstanceOf(
      Forbidden,
    );
    expect(rows(s, 'SELECT status FROM dossiers')).toEqual([{ status: 'received' }]);
  });
});
