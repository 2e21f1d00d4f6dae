/** The push use case, called directly in a unit of work: each outcome, and what it writes. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DossierInput, DossierInputSchema } from '../../schemas/dossier.js';
import type { Principal } from '../../src/clients/client.service.js';
import { ApiError } from '../../src/http/errors.js';
import { findDossier } from '../../src/intake/dossier.store.js';
import { type PushResult, push } from '../../src/intake/push.js';
import { listSources } from '../../src/intake/source.store.js';
import { Conflict, DomainError, Forbidden } from '../../src/lib/errors.js';
import { dossierBody } from '../helpers/gateway.js';
import {
  AGENCY,
  AGENCY_2,
  closeTestStore,
  countOf,
  input,
  inUnit,
  logOf,
  motcua,
  NOW,
  OTHER_AGENCY,
  openTestStore,
  operator,
  rejectionOf,
  rows,
  sameDossierFrom,
  type TestStore,
  transfersOf,
  xaydung,
} from './intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const pushAs = (principal: Principal, body: DossierInput, now = NOW): Promise<PushResult> =>
  inUnit(s, (ctx) => push(ctx, principal, body), { now });

/** The applicant of `a` without an identifier (a clerk who did not key it). */
function withoutId(a: DossierInput): Record<string, unknown> {
  const { idNumber: _id, idKind: _kind, ...applicant } = a.applicant;
  return applicant;
}

const CODE = `${AGENCY}-261101-0042`;

describe('push: a record the gateway has not seen', () => {
  it('creates a dossier with an issued code, its source, its first step, a portal insert and a log entry', async () => {
    const body = input();
    const result = await pushAs(motcua, body);
    expect(result.outcome).toBe('created');
    if (result.outcome !== 'created') return;
    const id = result.dossierId;
    expect(result.view).toMatchObject({
      id,
      code: `${AGENCY}-261128-0001`,
      status: 'received',
      statusAt: '2026-11-28T08:30:00+07:00',
      held: false,
      version: 1,
      sources: [{ system: 'motcua', recordId: body.source.recordId }],
      history: [{ status: 'received', at: '2026-11-28T08:30:00+07:00', applied: true }],
      aliases: [],
      conflicts: [],
    });
    expect(await findDossier(s.db, id)).toMatchObject({
      code: `${AGENCY}-261128-0001`,
      held: false,
      version: 1,
    });
    expect(await listSources(s.db, id)).toEqual([
      expect.objectContaining({
        system: 'motcua',
        recordId: body.source.recordId,
        code: null,
        firstSeenAtMs: NOW,
      }),
    ]);
    expect(transfersOf(s, id)).toEqual([
      expect.objectContaining({
        kind: 'dossier_sync',
        state: 'pending',
        payload: expect.objectContaining({ op: 'insert', version: 1, code: `${AGENCY}-261128-0001` }),
      }),
    ]);
    expect(logOf(s, id)).toEqual([
      {
        kind: 'intake.created',
        actor: 'motcua',
        data: { code: `${AGENCY}-261128-0001`, recordId: body.source.recordId, held: false },
      },
    ]);
  });

  it('keeps the code the source gave, and records it on the source', async () => {
    const result = await pushAs(motcua, input({ code: CODE }));
    expect(result.outcome).toBe('created');
    expect((await findDossier(s.db, result.dossierId))?.code).toBe(CODE);
    expect((await listSources(s.db, result.dossierId))[0]?.code).toBe(CODE);
  });

  it('issues the next code of the agency and day to the next new dossier', async () => {
    const first = await pushAs(motcua, input());
    const second = await pushAs(motcua, input());
    expect((await findDossier(s.db, first.dossierId))?.code).toBe(`${AGENCY}-261128-0001`);
    expect((await findDossier(s.db, second.dossierId))?.code).toBe(`${AGENCY}-261128-0002`);
  });
});

describe('push: the same system’s record again', () => {
  it('updates the dossier it feeds: a new version, a portal update and a log entry', async () => {
    const body = input();
    const created = await pushAs(motcua, body);
    const result = await pushAs(motcua, { ...body, summary: 'Nội dung mới' }, NOW + 1000);
    expect(result).toEqual({ outcome: 'updated', dossierId: created.dossierId });
    expect(await findDossier(s.db, created.dossierId)).toMatchObject({
      version: 2,
      updatedAtMs: NOW + 1000,
      data: { summary: 'Nội dung mới' },
    });
    expect(transfersOf(s, created.dossierId).map((t) => [t.kind, t.payload.op, t.payload.version])).toEqual([
      ['dossier_sync', 'insert', 1],
      ['dossier_sync', 'update', 2],
    ]);
    expect(logOf(s, created.dossierId).map((l) => [l.kind, l.data.version])).toEqual([
      ['intake.created', undefined],
      ['intake.updated', 2],
    ]);
    expect((await listSources(s.db, created.dossierId))[0]).toMatchObject({
      lastSeenAtMs: NOW + 1000,
      lastInput: { data: { summary: 'Nội dung mới' } },
    });
  });

  it('writes nothing new when the record did not change', async () => {
    const body = input();
    const created = await pushAs(motcua, body);
    expect(await pushAs(motcua, body, NOW + 1000)).toEqual({
      outcome: 'updated',
      dossierId: created.dossierId,
    });
    expect((await findDossier(s.db, created.dossierId))?.version).toBe(1);
    expect(transfersOf(s, created.dossierId)).toHaveLength(1);
    expect(logOf(s, created.dossierId)).toHaveLength(1);
  });

  it('moves the status with a step and a progress transfer when the record reports a later one', async () => {
    const body = input();
    const created = await pushAs(motcua, body);
    await pushAs(motcua, { ...body, status: 'processing' }, NOW + 1000);
    expect(await findDossier(s.db, created.dossierId)).toMatchObject({ status: 'processing', version: 2 });
    expect(
      rows(
        s,
        'SELECT status, applied FROM status_history WHERE dossier_id = ? ORDER BY id',
        created.dossierId,
      ),
    ).toEqual([
      { status: 'received', applied: 1 },
      { status: 'processing', applied: 1 },
    ]);
    expect(transfersOf(s, created.dossierId).map((t) => t.kind)).toEqual([
      'dossier_sync',
      'dossier_sync',
      'progress',
    ]);
  });

  it('refuses another code for a dossier whose code was issued, with a Conflict', async () => {
    const body = input();
    const created = await pushAs(motcua, body);
    const error = await rejectionOf(pushAs(motcua, { ...body, code: CODE }));
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).extra).toEqual({ field: 'code', code: `${AGENCY}-261128-0001` });
    expect((await findDossier(s.db, created.dossierId))?.version).toBe(1);
  });
});

describe('push: another system’s record of the same dossier', () => {
  it('merges a certain dual entry: a second source, fields under authority, no second portal insert', async () => {
    const a = input();
    const first = await pushAs(motcua, a);
    const b = sameDossierFrom(a, 'XD-1', { summary: 'Cấp phép xây dựng nhà 3 tầng' });
    const result = await pushAs(xaydung, b, NOW + 1000);
    expect(result).toMatchObject({
      outcome: 'merged',
      dossierId: first.dossierId,
      match: { dossierId: first.dossierId, autoMergeable: true },
    });
    expect((await listSources(s.db, first.dossierId)).map((x) => x.system)).toEqual(['motcua', 'xaydung']);
    const dossier = await findDossier(s.db, first.dossierId);
    // the one-stop software has the last word on the receipt time
    expect(dossier?.data.receivedAt).toBe('2026-11-28T08:30:00+07:00');
    const conflicts = rows<{ field: string; other_system: string }>(
      s,
      'SELECT field, other_system FROM dossier_conflicts WHERE dossier_id = ?',
      first.dossierId,
    );
    expect(conflicts).toContainEqual({ field: 'receivedAt', other_system: 'xaydung' });
    expect(transfersOf(s, first.dossierId).filter((t) => t.payload.op === 'insert')).toHaveLength(1);
    expect(logOf(s, first.dossierId).at(-1)).toMatchObject({
      kind: 'dedup.merged',
      actor: 'xaydung',
      data: { recordId: 'XD-1', rule: 'dual_entry' },
    });
    expect(countOf(s, 'dossiers')).toBe(1);
  });

  it('keeps the merged record’s own code as an alias of the dossier', async () => {
    const a = input();
    const first = await pushAs(motcua, a);
    await pushAs(xaydung, sameDossierFrom(a, 'XD-1', { code: CODE }));
    expect(rows(s, 'SELECT code, dossier_id, system FROM dossier_aliases')).toEqual([
      { code: CODE, dossier_id: first.dossierId, system: 'xaydung' },
    ]);
  });

  it('holds a possible dual entry for review: a held dossier, held transfers, a pending review', async () => {
    const a = input();
    const first = await pushAs(motcua, a);
    const b = sameDossierFrom(a, 'XD-2', { applicant: withoutId(a) });
    const result = await pushAs(xaydung, b, NOW + 1000);
    expect(result.outcome).toBe('held_for_review');
    if (result.outcome !== 'held_for_review') return;
    expect(result.dossierId).not.toBe(first.dossierId);
    expect(result.review.candidates.map((c) => c.dossierId)).toEqual([first.dossierId]);
    expect(result.view.held).toBe(true);
    expect(await findDossier(s.db, result.dossierId)).toMatchObject({ held: true, mergedInto: null });
    expect(transfersOf(s, result.dossierId).map((t) => [t.kind, t.state, t.payload.op])).toEqual([
      ['dossier_sync', 'held', 'insert'],
    ]);
    const [review] = rows<{ id: string; dossier_id: string; state: string; candidates: string }>(
      s,
      'SELECT id, dossier_id, state, candidates FROM dedup_reviews',
    );
    expect(review).toMatchObject({ id: result.review.id, dossier_id: result.dossierId, state: 'pending' });
    expect(JSON.parse(review?.candidates ?? '[]')[0].dossierId).toBe(first.dossierId);
    expect(logOf(s, result.dossierId).map((l) => [l.kind, l.data.held])).toEqual([
      ['intake.created', true],
      ['dedup.held_for_review', undefined],
    ]);
  });

  it('creates a dossier of its own when nothing matches', async () => {
    const a = input();
    await pushAs(motcua, a);
    const b = sameDossierFrom(a, 'XD-3', {
      applicant: { type: 'citizen', fullName: 'Lê Thị Hoa', idNumber: '001190123456' },
      resultReturn: { method: 'counter' },
    });
    expect((await pushAs(xaydung, b)).outcome).toBe('created');
    expect(countOf(s, 'dossiers')).toBe(2);
  });
});

describe('push: a new record naming a code the gateway holds', () => {
  it('joins the dossier of that code by the same-code rule', async () => {
    const a = input({ code: CODE });
    const first = await pushAs(motcua, a);
    const b = sameDossierFrom(a, 'XD-1', {
      code: CODE,
      applicant: { type: 'citizen', fullName: 'Người khác hẳn', idNumber: a.applicant.idNumber },
      receivedAt: '2026-11-20T08:00:00+07:00',
      resultReturn: { method: 'counter' },
    });
    const result = await pushAs(xaydung, b);
    expect(result).toEqual({ outcome: 'merged', dossierId: first.dossierId });
    expect(logOf(s, first.dossierId).at(-1)).toMatchObject({
      kind: 'dedup.merged',
      data: { rule: 'same_code', score: 1, code: CODE },
    });
    expect(countOf(s, 'dossier_aliases')).toBe(0);
  });

  it('refuses a second record of the same system under that code', async () => {
    const first = await pushAs(motcua, input({ code: CODE }));
    const error = await rejectionOf(pushAs(motcua, input({ code: CODE })));
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).message).toMatch(/already belongs to another record of motcua/);
    expect((error as Conflict).extra).toEqual({ field: 'code', dossierId: first.dossierId });
    expect(countOf(s, 'dossier_sources')).toBe(1);
  });

  it('refuses a record of another applicant under that code', async () => {
    const a = input({ code: CODE });
    await pushAs(motcua, a);
    const b = sameDossierFrom(a, 'XD-1', {
      code: CODE,
      applicant: { ...a.applicant, idNumber: '001190123456' },
    });
    const error = await rejectionOf(pushAs(xaydung, b));
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).message).toMatch(/different applicant/);
  });

  it('refuses a record of another procedure under that code', async () => {
    const a = input({ code: CODE });
    await pushAs(motcua, a);
    const b = sameDossierFrom(a, 'XD-1', {
      code: CODE,
      procedure: { code: '1.000001', name: 'Thủ tục khác' },
    });
    const error = await rejectionOf(pushAs(xaydung, b));
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).message).toMatch(/different procedure/);
    expect(countOf(s, 'dossier_sources')).toBe(1);
  });

  it('refuses a code whose agency prefix is not the dossier’s agency, before anything is looked up', () => {
    const squatted = DossierInputSchema.safeParse(
      dossierBody({ code: CODE, agency: { code: AGENCY_2, name: 'Sở khác' } }),
    );
    expect(squatted.success).toBe(false);
    expect(squatted.error?.issues).toEqual([
      expect.objectContaining({ path: ['code'], params: { rule: 'code_agency' } }),
    ]);
    expect(DossierInputSchema.safeParse(dossierBody({ code: CODE })).success).toBe(true);
  });
});

describe('push: the dossier’s agency', () => {
  it('is never moved by a push: a co-source with wider scope cannot take a shared dossier out of another source’s reach', async () => {
    const a = input({ code: CODE });
    const created = await pushAs(xaydung, a);
    const joined = await pushAs(motcua, sameDossierFrom(a, 'MC-1', { code: CODE }));
    expect(joined).toMatchObject({ outcome: 'merged', dossierId: created.dossierId });
    // motcua may act for AGENCY and AGENCY_2; xaydung only for AGENCY.
    const moved = sameDossierFrom(a, 'MC-1', { agency: { code: AGENCY_2, name: 'Sở khác' } });
    expect(await pushAs(motcua, moved)).toMatchObject({ outcome: 'updated' });
    expect((await findDossier(s.db, created.dossierId))?.data.agency.code).toBe(AGENCY);
    expect(rows(s, 'SELECT field, other_system FROM dossier_conflicts WHERE field = ?', 'agency')).toEqual([
      { field: 'agency', other_system: 'motcua' },
    ]);
    // The other source still reaches its dossier.
    const again = sameDossierFrom(a, a.source.recordId, { summary: 'Đã bổ sung' });
    expect(await pushAs(xaydung, again)).toMatchObject({ outcome: 'updated' });
  });

  it('is not moved by the only source either: moving a dossier is an operator action', async () => {
    const a = input();
    const created = await pushAs(motcua, a);
    const moved = sameDossierFrom(a, a.source.recordId, { agency: { code: AGENCY_2, name: 'Sở khác' } });
    await pushAs(motcua, moved);
    expect((await findDossier(s.db, created.dossierId))?.data.agency.code).toBe(AGENCY);
  });
});

describe('push: who may push', () => {
  it('refuses a department pushing for an agency outside its own, and writes nothing', async () => {
    const error = await rejectionOf(
      pushAs(motcua, input({ agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp' } })),
    );
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).extra).toEqual({ agency: OTHER_AGENCY });
    expect(countOf(s, 'dossiers')).toBe(0);
    expect(countOf(s, 'dossier_code_sequences')).toBe(0);
  });

  it('refuses a record naming another system than the caller’s', async () => {
    const error = await rejectionOf(
      pushAs(motcua, input({ source: { system: 'xaydung', recordId: 'R-1' } })),
    );
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).extra).toEqual({ field: 'source.system' });
  });

  it('refuses a client that is not a department bound to a system', async () => {
    expect(await rejectionOf(pushAs(operator, input()))).toBeInstanceOf(Forbidden);
    expect(await rejectionOf(pushAs({ ...motcua, system: null }, input()))).toBeInstanceOf(Forbidden);
  });

  it('throws domain errors, never HTTP errors', async () => {
    const error = await rejectionOf(pushAs(operator, input()));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).not.toBeInstanceOf(ApiError);
  });
});
