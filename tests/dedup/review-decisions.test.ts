/**
 * The dedup review queue: its store, holding a possible dual entry, and the operator's decisions
 * (confirm a merge, keep apart, split a wrong merge), each called directly in a unit of work.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DossierInput } from '../../schemas/dossier.js';
import { confirmMerge } from '../../src/dedup/confirm-merge.js';
import { holdForReview } from '../../src/dedup/hold-for-review.js';
import { keepApart } from '../../src/dedup/keep-apart.js';
import { listReviews } from '../../src/dedup/list-reviews.js';
import type { Candidate } from '../../src/dedup/matcher.js';
import {
  countPendingReviews,
  decideReview,
  findReview,
  insertReview,
  listReviews as listReviewRows,
} from '../../src/dedup/review.store.js';
import { splitDossier } from '../../src/dedup/split-dossier.js';
import { ApiError } from '../../src/http/errors.js';
import { findAliasTarget, insertAlias, listAliases } from '../../src/intake/alias.store.js';
import { toData } from '../../src/intake/dossier.data.js';
import { findDossier, insertDossier, markMerged } from '../../src/intake/dossier.store.js';
import { getDossier } from '../../src/intake/get-dossier.js';
import { listSteps } from '../../src/intake/history.store.js';
import type { PushContext } from '../../src/intake/intake.context.js';
import { type PushResult, push } from '../../src/intake/push.js';
import { recordEvent } from '../../src/intake/record-event.js';
import { listSources, sourceSystems } from '../../src/intake/source.store.js';
import { Conflict, DomainError, NotFound, Validation } from '../../src/lib/errors.js';
import {
  AGENCY,
  closeTestStore,
  input,
  inUnit,
  logOf,
  motcua,
  NOW,
  OTHER_AGENCY,
  openTestStore,
  operator,
  record,
  rejectionOf,
  rows,
  sameDossierFrom,
  spyOutbox,
  type TestStore,
  transfersOf,
  xaydung,
} from '../intake/intake-fixture.js';

let s: TestStore;
beforeEach(async () => {
  s = await openTestStore();
});
afterEach(async () => {
  await closeTestStore(s);
});

const CODE_B = `${AGENCY}-261128-0777`;

function candidate(dossierId: string, score = 0.7): Candidate {
  return {
    dossierId,
    code: `CODE-${dossierId}`,
    score,
    autoMergeable: false,
    reasons: [{ field: 'name', similarity: 1, note: 'applicant name' }],
  };
}

function withoutId(a: DossierInput): Record<string, unknown> {
  const { idNumber: _id, idKind: _kind, ...applicant } = a.applicant;
  return applicant;
}

/** A dossier from the one-stop software (A), and the same dossier keyed without id by the department: held (B). */
async function heldPair() {
  const a = input();
  const first = await inUnit(s, (ctx) => push(ctx, motcua, a));
  const b = sameDossierFrom(a, 'XD-1', { applicant: withoutId(a), code: CODE_B });
  const held = await inUnit(s, (ctx) => push(ctx, xaydung, b), { now: NOW + 1000 });
  if (held.outcome !== 'held_for_review') throw new Error(`expected a held dossier, got ${held.outcome}`);
  return { a, b, aId: first.dossierId, bId: held.dossierId, reviewId: held.review.id };
}

describe('review store', () => {
  it('answers a review as written, its candidates decoded, pending and undecided', async () => {
    const candidates = [candidate('a', 0.9), candidate('b')];
    await insertReview(s.db, { id: 'r1', dossierId: 'h', candidates }, 10);
    expect(await findReview(s.db, 'r1')).toEqual({
      id: 'r1',
      dossierId: 'h',
      candidates,
      state: 'pending',
      createdAtMs: 10,
      decidedAtMs: null,
      decidedBy: null,
      decision: null,
    });
    expect(await findReview(s.db, 'r2')).toBeUndefined();
  });

  it('records a decision: state, who, when and what', async () => {
    await insertReview(s.db, { id: 'r1', dossierId: 'h', candidates: [candidate('a')] }, 10);
    await decideReview(s.db, 'r1', { state: 'merged', by: 'op-1', decision: { into: 'a' } }, 20);
    expect(await findReview(s.db, 'r1')).toMatchObject({
      state: 'merged',
      decidedAtMs: 20,
      decidedBy: 'op-1',
      decision: { into: 'a' },
    });
  });

  it('counts and lists the reviews of a state, oldest first, at most the limit', async () => {
    expect(await countPendingReviews(s.db)).toBe(0);
    await insertReview(s.db, { id: 'r3', dossierId: 'h3', candidates: [] }, 30);
    await insertReview(s.db, { id: 'r1', dossierId: 'h1', candidates: [] }, 10);
    await insertReview(s.db, { id: 'r2', dossierId: 'h2', candidates: [] }, 20);
    await decideReview(s.db, 'r2', { state: 'kept_apart', by: 'op', decision: { keptApart: true } }, 40);
    expect(await countPendingReviews(s.db)).toBe(2);
    expect((await listReviewRows(s.db, 'pending', 10)).map((r) => r.id)).toEqual(['r1', 'r3']);
    expect((await listReviewRows(s.db, 'pending', 1)).map((r) => r.id)).toEqual(['r1']);
    expect((await listReviewRows(s.db, 'kept_apart', 10)).map((r) => r.id)).toEqual(['r2']);
    expect(await listReviewRows(s.db, 'merged', 10)).toEqual([]);
  });

  it('refuses stored candidates or a decision that do not match their schema', async () => {
    await insertReview(s.db, { id: 'r1', dossierId: 'h', candidates: [candidate('a')] }, 10);
    s.sqlite.prepare('UPDATE dedup_reviews SET candidates = ? WHERE id = ?').run('[{"dossierId":"a"}]', 'r1');
    await expect(findReview(s.db, 'r1')).rejects.toThrow(
      /stored review candidates does not match its schema/,
    );
    await insertReview(s.db, { id: 'r2', dossierId: 'h', candidates: [] }, 10);
    s.sqlite.prepare("UPDATE dedup_reviews SET decision = '[1]' WHERE id = ?").run('r2');
    await expect(findReview(s.db, 'r2')).rejects.toThrow(/stored review decision does not match its schema/);
  });
});

describe('holdForReview', () => {
  it('writes the record as a held dossier, opens a pending review of its candidates, and logs it', async () => {
    const body = input();
    const a = record({ id: 'a', code: 'CODE-a' });
    await insertDossier(s.db, a);
    const candidates = [candidate('a', 0.75)];
    const held = await inUnit(s, (ctx) => {
      const push: PushContext = {
        ...ctx,
        principal: xaydung,
        system: 'xaydung',
        input: body,
        data: toData(body),
      };
      return holdForReview(push, candidates, new Map([['a', a]]));
    });
    expect(held).toMatchObject({ outcome: 'held_for_review', review: { candidates } });
    expect(held.view).toMatchObject({ held: true, sources: [{ system: 'xaydung' }] });
    expect(await findDossier(s.db, held.dossierId)).toMatchObject({ held: true });
    expect(await findReview(s.db, held.review.id)).toMatchObject({
      dossierId: held.dossierId,
      state: 'pending',
      candidates,
      createdAtMs: NOW,
    });
    expect(transfersOf(s, held.dossierId).map((t) => t.state)).toEqual(['held']);
    expect(logOf(s, held.dossierId).map((l) => [l.kind, l.actor])).toEqual([
      ['intake.created', 'xaydung'],
      ['dedup.held_for_review', 'xaydung'],
    ]);
    expect(logOf(s, held.dossierId)[1]?.data).toEqual({
      reviewId: held.review.id,
      candidates: [{ id: 'a', score: 0.75 }],
    });
  });

  it('names in its answer only the candidates the pusher may see; the stored review keeps every one', async () => {
    const mine = record({ id: 'mine', code: 'CODE-mine' });
    const theirs = record(
      { id: 'theirs', code: 'CODE-theirs' },
      { agency: { code: OTHER_AGENCY, name: 'Sở Tư pháp' }, code: `${OTHER_AGENCY}-261128-0001` },
    );
    for (const d of [mine, theirs]) await insertDossier(s.db, d);
    const candidates = [candidate('theirs', 0.8), candidate('mine', 0.75)];
    const body = input();
    const held = await inUnit(s, (ctx) =>
      holdForReview(
        { ...ctx, principal: xaydung, system: 'xaydung', input: body, data: toData(body) },
        candidates,
        new Map([
          ['mine', mine],
          ['theirs', theirs],
        ]),
      ),
    );
    expect(held.review.candidates.map((c) => c.dossierId)).toEqual(['mine']);
    expect((await findReview(s.db, held.review.id))?.candidates.map((c) => c.dossierId)).toEqual([
      'theirs',
      'mine',
    ]);
  });

  it('lists the held dossier and its candidates in the operators’ queue', async () => {
    const { aId, bId, reviewId } = await heldPair();
    const [item, ...rest] = await listReviews(s.db, { state: 'pending', limit: 10 });
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      id: reviewId,
      state: 'pending',
      decidedAt: null,
      dossier: { id: bId, held: true },
      candidates: [{ dossierId: aId, dossier: { id: aId } }],
    });
  });
});

describe('confirmMerge', () => {
  it('moves sources, aliases and history to the candidate, cancels held transfers through the outbox, and leaves a tombstone', async () => {
    const { aId, bId, reviewId } = await heldPair();
    await insertAlias(s.db, { code: 'OLD-B', dossierId: bId, system: 'xaydung' }, NOW);
    await inUnit(s, (ctx) =>
      recordEvent(
        ctx,
        xaydung,
        { recordId: 'XD-1' },
        { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
      ),
    );
    const outbox = spyOutbox();
    const now = NOW + 5000;
    const result = await inUnit(s, (ctx) => confirmMerge(ctx, { reviewId, actor: 'op-1' }), { outbox, now });
    expect(result).toEqual({ dossierId: aId });

    const cancels = outbox.calls.filter((c) => c.method === 'cancel');
    expect(cancels).toEqual([
      { method: 'cancel', dossierId: bId, args: [`merged into ${aId} by review ${reviewId}`, now] },
    ]);
    expect(outbox.calls.some((c) => c.method === 'release')).toBe(false);
    expect(transfersOf(s, bId).map((t) => [t.state, t.last_error])).toEqual(
      transfersOf(s, bId).map(() => ['cancelled', `merged into ${aId} by review ${reviewId}`]),
    );
    expect(transfersOf(s, bId).length).toBeGreaterThan(0);

    expect(await findDossier(s.db, bId)).toMatchObject({ mergedInto: aId, held: false });
    expect((await sourceSystems(s.db, aId)).sort()).toEqual(['motcua', 'xaydung']);
    expect(await listSources(s.db, bId)).toEqual([]);
    expect(await listAliases(s.db, aId)).toEqual([
      { code: CODE_B, system: 'xaydung' },
      { code: 'OLD-B', system: 'xaydung' },
    ]);
    expect(await listSteps(s.db, bId)).toEqual([]);
    const history = await listSteps(s.db, aId);
    expect(history.map((h) => [h.status, h.sourceSystem, h.applied])).toEqual([
      ['received', 'motcua', true],
      ['received', 'xaydung', false],
      ['processing', 'xaydung', true],
    ]);
    // the held dossier's newer step moved the candidate, and goes to the portal like any other
    expect(await findDossier(s.db, aId)).toMatchObject({ status: 'processing' });
    const toPortal = transfersOf(s, aId).filter((t) => t.kind === 'progress');
    expect(toPortal.map((t) => [t.state, t.payload.status])).toEqual([['pending', 'processing']]);

    expect(await findReview(s.db, reviewId)).toMatchObject({
      state: 'merged',
      decidedBy: 'op-1',
      decidedAtMs: now,
      decision: { into: aId },
    });
    expect(logOf(s, aId).at(-1)).toEqual({
      kind: 'dedup.review_merged',
      actor: 'op-1',
      data: { reviewId, merged: bId, into: aId },
    });
    const read = await getDossier(s.db, operator, bId);
    expect(read).toMatchObject({ mergedInto: aId, dossier: { id: aId } });
    expect(await findAliasTarget(s.db, CODE_B)).toBe(aId);
  });

  it('drops a step of the held dossier that the candidate already has', async () => {
    const { aId, bId, a, reviewId } = await heldPair();
    const processing = { status: 'processing' as const, at: '2026-11-29T09:00:00+07:00' };
    await inUnit(s, (ctx) => recordEvent(ctx, motcua, { recordId: a.source.recordId }, processing));
    await inUnit(s, (ctx) => recordEvent(ctx, xaydung, { dossierId: bId }, processing));
    await inUnit(s, (ctx) => confirmMerge(ctx, { reviewId, actor: 'op-1' }));
    const steps = (await listSteps(s.db, aId)).filter((h) => h.status === 'processing');
    expect(steps.map((h) => h.sourceSystem)).toEqual(['motcua']);
    expect(rows(s, 'SELECT count(*) AS n FROM status_history WHERE dossier_id = ?', bId)).toEqual([{ n: 0 }]);
  });

  it('throws NotFound for an unknown review, and Conflict for one already decided', async () => {
    const { reviewId } = await heldPair();
    const unknown = await rejectionOf(
      inUnit(s, (ctx) => confirmMerge(ctx, { reviewId: 'nope', actor: 'op' })),
    );
    expect(unknown).toBeInstanceOf(NotFound);
    await inUnit(s, (ctx) => confirmMerge(ctx, { reviewId, actor: 'op' }));
    const again = await rejectionOf(inUnit(s, (ctx) => confirmMerge(ctx, { reviewId, actor: 'op' })));
    expect(again).toBeInstanceOf(Conflict);
    expect((again as Conflict).extra).toEqual({ state: 'merged' });
    expect(again).not.toBeInstanceOf(ApiError);
  });

  it('throws Validation (not_a_candidate) for a dossier the review did not propose, and writes nothing', async () => {
    const { bId, reviewId } = await heldPair();
    const outbox = spyOutbox();
    const error = await rejectionOf(
      inUnit(s, (ctx) => confirmMerge(ctx, { reviewId, actor: 'op', into: bId }), { outbox }),
    );
    expect(error).toBeInstanceOf(Validation);
    expect((error as Validation).errors[0]).toMatchObject({ path: 'into', rule: 'not_a_candidate' });
    expect(outbox.calls).toEqual([]);
    expect(await findReview(s.db, reviewId)).toMatchObject({ state: 'pending' });
  });

  it('throws Conflict when the chosen candidate was itself merged away meanwhile', async () => {
    const { aId, bId, reviewId } = await heldPair();
    await insertDossier(s.db, record({ id: 'z', code: 'Z' }));
    await markMerged(s.db, aId, 'z', NOW);
    const error = await rejectionOf(inUnit(s, (ctx) => confirmMerge(ctx, { reviewId, actor: 'op' })));
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).extra).toEqual({ dossierId: aId });
    expect(await findDossier(s.db, bId)).toMatchObject({ held: true, mergedInto: null });
  });
});

describe('keepApart', () => {
  it('ends the hold, releases the held transfers through the outbox, and records the decision', async () => {
    const { aId, bId, reviewId } = await heldPair();
    const outbox = spyOutbox();
    const now = NOW + 5000;
    const result = await inUnit(s, (ctx) => keepApart(ctx, { reviewId, actor: 'op-2' }), { outbox, now });
    expect(result).toEqual({ dossierId: bId });
    expect(outbox.calls).toEqual([{ method: 'release', dossierId: bId, args: [now] }]);
    expect(await findDossier(s.db, bId)).toMatchObject({ held: false, mergedInto: null, updatedAtMs: now });
    expect(
      rows(s, 'SELECT state, next_attempt_at_ms AS due FROM transfers WHERE dossier_id = ?', bId),
    ).toEqual([{ state: 'pending', due: now }]);
    expect(await findReview(s.db, reviewId)).toMatchObject({
      state: 'kept_apart',
      decidedBy: 'op-2',
      decidedAtMs: now,
      decision: { keptApart: true },
    });
    expect(await countPendingReviews(s.db)).toBe(0);
    expect(logOf(s, bId).at(-1)).toEqual({
      kind: 'dedup.review_kept_apart',
      actor: 'op-2',
      data: { reviewId },
    });
    expect(await findDossier(s.db, aId)).toMatchObject({ version: 1, held: false });
  });

  it('throws Conflict for a review already decided, and NotFound for an unknown one', async () => {
    const { reviewId } = await heldPair();
    await inUnit(s, (ctx) => keepApart(ctx, { reviewId, actor: 'op' }));
    const again = await rejectionOf(inUnit(s, (ctx) => keepApart(ctx, { reviewId, actor: 'op' })));
    expect(again).toBeInstanceOf(Conflict);
    const merge = await rejectionOf(inUnit(s, (ctx) => confirmMerge(ctx, { reviewId, actor: 'op' })));
    expect(merge).toBeInstanceOf(Conflict);
    expect(
      await rejectionOf(inUnit(s, (ctx) => keepApart(ctx, { reviewId: 'x', actor: 'op' }))),
    ).toBeInstanceOf(NotFound);
  });
});

describe('splitDossier', () => {
  /** A dossier the department's record was merged into automatically, then moved by that record's event. */
  async function mergedPair(bOverrides: Record<string, unknown> = {}) {
    const a = input();
    const first = await inUnit(s, (ctx) => push(ctx, motcua, a));
    const b = sameDossierFrom(a, 'XD-1', { summary: 'Bản của sở', ...bOverrides });
    const merged: PushResult = await inUnit(s, (ctx) => push(ctx, xaydung, b), { now: NOW + 1000 });
    if (merged.outcome !== 'merged') throw new Error(`expected a merge, got ${merged.outcome}`);
    await inUnit(
      s,
      (ctx) =>
        recordEvent(
          ctx,
          xaydung,
          { recordId: 'XD-1' },
          { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
        ),
      { now: NOW + 2000 },
    );
    return { a, aId: first.dossierId };
  }
  const split = (dossierId: string, recordId = 'XD-1', system = 'xaydung') =>
    inUnit(s, (ctx) => splitDossier(ctx, { dossierId, source: { system, recordId }, actor: 'op-3' }), {
      now: NOW + 9000,
    });

  it('gives the leaving source a dossier of its own with its code, fields and events, and rebuilds the one it leaves', async () => {
    const { aId } = await mergedPair({ code: CODE_B });
    expect(await findAliasTarget(s.db, CODE_B)).toBe(aId);
    const { dossierId, splitId } = await split(aId);
    expect(dossierId).toBe(aId);

    const off = await findDossier(s.db, splitId);
    expect(off).toMatchObject({
      code: CODE_B,
      status: 'processing',
      statusAtMs: Date.parse('2026-11-29T09:00:00+07:00'),
      version: 1,
      held: false,
      data: { summary: 'Bản của sở', receivedAt: '2026-11-28T10:15:00+07:00' },
    });
    expect(await findAliasTarget(s.db, CODE_B)).toBeUndefined();
    expect(await sourceSystems(s.db, splitId)).toEqual(['xaydung']);
    expect(await sourceSystems(s.db, aId)).toEqual(['motcua']);
    expect((await listSteps(s.db, splitId)).map((h) => [h.status, h.sourceSystem])).toEqual([
      ['processing', 'xaydung'],
    ]);
    expect((await listSteps(s.db, aId)).map((h) => h.sourceSystem)).toEqual(['motcua']);

    const stays = await findDossier(s.db, aId);
    expect(stays).toMatchObject({
      status: 'received',
      statusAtMs: Date.parse('2026-11-28T08:30:00+07:00'),
      version: 3,
      updatedAtMs: NOW + 9000,
    });
    expect(stays?.data.summary).toBe('Xin cấp phép xây dựng nhà ở 3 tầng');
    expect(transfersOf(s, splitId).map((t) => [t.kind, t.payload.op, t.payload.code])).toEqual([
      ['dossier_sync', 'insert', CODE_B],
    ]);
    expect(transfersOf(s, aId).at(-1)?.payload).toMatchObject({
      op: 'update',
      status: 'received',
      version: 3,
    });
    expect(logOf(s, aId).at(-1)).toEqual({
      kind: 'dedup.split',
      actor: 'op-3',
      data: { source: 'xaydung', recordId: 'XD-1', newDossier: splitId, newCode: CODE_B, movedEvents: 1 },
    });
  });

  it('issues a new code when the leaving source gave none of its own', async () => {
    const { aId } = await mergedPair();
    const { splitId } = await split(aId);
    expect((await findDossier(s.db, aId))?.code).toBe(`${AGENCY}-261128-0001`);
    expect((await findDossier(s.db, splitId))?.code).toBe(`${AGENCY}-261128-0002`);
  });

  // Bug: a review merge keeps the held dossier as a tombstone that still owns its code, and the split
  // reuses the leaving source's code for the new dossier, so the insert breaks the unique dossier code
  // and the operator gets a raw SQLite error instead of a split (or a domain error).
  it('splits off again a source that joined by a confirmed review merge and gave its own code', async () => {
    const { aId, bId, reviewId } = await heldPair();
    await inUnit(s, (ctx) => confirmMerge(ctx, { reviewId, actor: 'op-1' }));
    const { splitId } = await split(aId);
    expect(await sourceSystems(s.db, splitId)).toEqual(['xaydung']);
    const off = await findDossier(s.db, splitId);
    expect(off).toMatchObject({ mergedInto: null, held: false });
    expect(rows(s, 'SELECT id FROM dossiers WHERE code = ?', off?.code)).toEqual([{ id: splitId }]);
    // The code stays the merged-away dossier's own; that dossier now leads to where its record went.
    expect(off?.code).not.toBe(CODE_B);
    expect((await findDossier(s.db, bId))?.mergedInto).toBe(splitId);
  });

  it('throws NotFound for an unknown dossier or source, Conflict naming where a merged-away one went, and Conflict for a single source', async () => {
    const { aId, a } = await mergedPair();
    expect(await rejectionOf(split('nope'))).toBeInstanceOf(NotFound);
    expect(await rejectionOf(split(aId, 'XD-404'))).toBeInstanceOf(NotFound);
    const single = await inUnit(s, (ctx) => push(ctx, motcua, input()));
    const error = await rejectionOf(split(single.dossierId, 'x', 'motcua'));
    expect(error).toBeInstanceOf(NotFound);
    const lone = await rejectionOf(
      split(single.dossierId, (await listSources(s.db, single.dossierId))[0]?.recordId ?? '', 'motcua'),
    );
    expect(lone).toBeInstanceOf(Conflict);
    expect(lone).toBeInstanceOf(DomainError);
    await insertDossier(s.db, record({ id: 'z', code: 'Z' }));
    await markMerged(s.db, aId, 'z', NOW);
    const away = await rejectionOf(split(aId, a.source.recordId, 'motcua'));
    expect(away).toBeInstanceOf(Conflict);
    expect((away as Conflict).extra).toEqual({ mergedInto: 'z' });
  });
});
