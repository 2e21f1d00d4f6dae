import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../../src/reconciliation/log.js';
import { AGENCY, count, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

let serial = 500_000;
const GIVEN = ['An', 'Bình', 'Cường', 'Dũng', 'Đức', 'Giang', 'Hà', 'Hùng', 'Khánh', 'Linh', 'Minh', 'Nam'];
/** The same dossier as keyed by the one-stop clerk (a) and the department's clerk (b). */
function dualEntry(overridesB: Record<string, unknown> = {}) {
  serial += 1;
  const idNumber = `027190${serial}`;
  const a = dossierBody({ code: `${AGENCY}-261101-${String(serial % 10000).padStart(4, '0')}` });
  const given = GIVEN[serial % GIVEN.length] ?? 'An';
  const phone = `09${String(serial).padStart(8, '0')}`;
  Object.assign(a.applicant as Record<string, unknown>, {
    idNumber,
    fullName: `Nguyễn Văn ${given} ${serial}`,
    phone,
  });
  const applicantB = {
    ...(a.applicant as Record<string, unknown>),
    fullName: `${given.toUpperCase()} NGUYEN VAN ${serial}`,
    phone: `+849${String(serial).padStart(8, '0')}`,
    address: { line: 'So 12 Đ. Ly Thai To', communeCode: '09187', provinceCode: '24' },
  };
  const { code: _code, ...rest } = a;
  const b = {
    ...rest,
    source: { recordId: `XD-${serial}` },
    applicant: applicantB,
    receivedAt: '2026-11-28T10:15:00+07:00',
    summary: 'Cấp phép xây dựng nhà 3 tầng',
    ...overridesB,
  };
  return { a, b };
}

const push = (body: unknown, key?: string) =>
  gw.request('POST', '/v1/dossiers', { body, ...(key ? { key } : {}) });
const transfers = (id: string) =>
  gw.sqlite
    .prepare('SELECT kind, state, payload FROM transfers WHERE dossier_id = ? ORDER BY seq')
    .all(id) as {
    kind: string;
    state: string;
    payload: string;
  }[];

describe('dual entry from two systems', () => {
  it('merges the second system’s record into the first: one dossier, two sources, one portal insert', async () => {
    const { a, b } = dualEntry();
    const first = await json(await push(a));
    const res = await push(b, gw.keys.xaydung);
    expect(res.status).toBe(200);
    const merged = await json(res);
    expect(merged.outcome).toBe('merged');
    expect(merged.id).toBe(first.id);
    expect(merged.match).toMatchObject({ dossierId: first.id, autoMergeable: true });
    expect(merged.match.score).toBeGreaterThanOrEqual(0.8);
    expect(merged.sources.map((s: { system: string }) => s.system).sort()).toEqual(['motcua', 'xaydung']);
    const inserts = transfers(first.id).filter(
      (t) => t.kind === 'dossier_sync' && JSON.parse(t.payload).op === 'insert',
    );
    expect(inserts).toHaveLength(1);
  });

  it('lets the one-stop software win receipt time and the department software win status, and records the disagreement', async () => {
    const { a, b } = dualEntry({ status: 'processing' });
    const first = await json(await push(a));
    const merged = await json(await push(b, gw.keys.xaydung));
    expect(merged.receivedAt).toBe(first.receivedAt);
    expect(merged.status).toBe('processing');
    const fields = merged.conflicts.map((c: { field: string }) => c.field);
    expect(fields).toEqual(expect.arrayContaining(['receivedAt', 'applicant', 'summary']));
    const receipt = merged.conflicts.find((c: { field: string }) => c.field === 'receivedAt');
    expect(receipt).toMatchObject({ kept: first.receivedAt, keptSystem: 'motcua', otherSystem: 'xaydung' });
    const logged = gw.sqlite
      .prepare("SELECT data FROM reconciliation_log WHERE kind = 'dedup.merged' AND dossier_id = ?")
      .get(first.id) as { data: string };
    expect(JSON.parse(logged.data).conflicts.length).toBeGreaterThan(0);
  });

  it('keeps the second system’s own dossier code as an alias that finds the same dossier', async () => {
    const { a, b } = dualEntry();
    const first = await json(await push(a));
    const merged = await json(await push({ ...b, code: '000.00.15.H24-261128-8888' }, gw.keys.xaydung));
    expect(merged.code).toBe(first.code);
    expect(merged.aliases).toEqual([{ code: '000.00.15.H24-261128-8888', system: 'xaydung' }]);
    const found = await json(
      await gw.request('GET', '/v1/dossiers?code=000.00.15.H24-261128-8888', { key: gw.keys.operator }),
    );
    expect(found.items.map((d: { id: string }) => d.id)).toEqual([]);
    // the alias is accepted as this record's code on later pushes
    expect(
      (await push({ ...b, code: '000.00.15.H24-261128-8888', summary: 'đổi' }, gw.keys.xaydung)).status,
    ).toBe(200);
  });

  it('treats a record naming an existing dossier code as that dossier', async () => {
    const { a, b } = dualEntry();
    const first = await json(await push(a));
    const res = await push(
      { ...b, code: first.code, applicant: { ...(b.applicant as object), fullName: 'Nguyễn Văn An' } },
      gw.keys.xaydung,
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ outcome: 'merged', id: first.id });
  });

  it('applies events from either system to the one dossier, and records an event both report once', async () => {
    const { a, b } = dualEntry();
    const first = await json(await push(a));
    await push(b, gw.keys.xaydung);
    const event = { status: 'processing', at: '2026-11-29T09:00:00+07:00' };
    const r1 = await gw.request('POST', `/v1/records/${(a.source as { recordId: string }).recordId}/events`, {
      body: event,
    });
    const r2 = await gw.request('POST', `/v1/records/${(b.source as { recordId: string }).recordId}/events`, {
      body: event,
      key: gw.keys.xaydung,
    });
    expect(r1.status).toBe(201);
    expect(r2.status).toBe(200);
    expect((await json(r2)).outcome).toBe('duplicate');
    await gw.request('POST', `/v1/records/${(b.source as { recordId: string }).recordId}/events`, {
      body: { status: 'resolved', at: '2026-11-30T09:00:00+07:00' },
      key: gw.keys.xaydung,
    });
    const d = await json(await gw.request('GET', `/v1/dossiers/${first.id}`));
    expect(d.status).toBe('resolved');
    expect(d.history.filter((h: { status: string }) => h.status === 'processing')).toHaveLength(1);
    const progress = transfers(first.id).filter((t) => t.kind === 'progress');
    expect(progress.map((t) => JSON.parse(t.payload).status)).toEqual(['processing', 'resolved']);
  });
});

describe('hard cases that must stay apart', () => {
  const cases: [string, (a: Record<string, any>, b: Record<string, any>) => void, string][] = [
    [
      'namesakes with different ids',
      (_a, b) => {
        b.applicant.idNumber = '001190123456';
      },
      'created',
    ],
    [
      'the same person applying for another procedure',
      (_a, b) => {
        b.procedure = { code: '2.000477', name: 'Khác' };
      },
      'created',
    ],
    [
      'the same person and procedure a month later',
      (_a, b) => {
        b.receivedAt = '2026-12-29T08:30:00+07:00';
        b.dueAt = '2027-01-12T17:00:00+07:00';
      },
      'created',
    ],
    [
      'relatives sharing address and phone',
      (_a, b) => {
        b.applicant.idNumber = '027195000001';
        b.applicant.fullName = 'Nguyễn Thị Bình';
      },
      'created',
    ],
    [
      'same id typed on a completely different name',
      (_a, b) => {
        b.applicant.fullName = 'Trần Thị Bình';
        b.applicant.phone = '0987 654 321';
        b.applicant.address = { line: 'Thôn Đông', communeCode: '07210', provinceCode: '24' };
        b.documents = [];
      },
      'held_for_review',
    ],
    [
      'no identifier on one side, same name, phone and day',
      (_a, b) => {
        b.applicant.idNumber = undefined;
      },
      'held_for_review',
    ],
  ];
  for (const [name, mutate, expected] of cases) {
    it(`${name}: ${expected}`, async () => {
      const { a, b } = dualEntry();
      const aa = JSON.parse(JSON.stringify(a));
      const bb = JSON.parse(JSON.stringify(b));
      mutate(aa, bb);
      const first = await json(await push(aa));
      const res = await json(await push(bb, gw.keys.xaydung));
      expect(res.outcome).toBe(expected);
      if (expected !== 'merged') expect(res.id).not.toBe(first.id);
    });
  }

  it('never merges two records of the same system with different record ids', async () => {
    const { a } = dualEntry();
    const first = await json(await push(a));
    const again = await json(
      await push({
        ...a,
        code: undefined,
        source: { recordId: `${(a.source as { recordId: string }).recordId}-2` },
      }),
    );
    expect(again.outcome).toBe('held_for_review');
    expect(again.id).not.toBe(first.id);
    expect(again.review.candidates[0].autoMergeable).toBe(false);
  });
});

describe('review queue', () => {
  async function held() {
    const { a, b } = dualEntry();
    (b.applicant as Record<string, unknown>).idNumber = undefined;
    const first = await json(await push(a));
    const second = await json(await push(b, gw.keys.xaydung));
    expect(second.outcome).toBe('held_for_review');
    return { first, second, a, b };
  }

  it('lists pending pairs with scores and per-field reasons, and holds their transfers back', async () => {
    const { first, second } = await held();
    expect(transfers(second.id).every((t) => t.state === 'held')).toBe(true);
    const list = await json(await gw.request('GET', '/v1/ops/reviews', { key: gw.keys.operator }));
    const item = list.items.find((r: { id: string }) => r.id === second.review.id);
    expect(item.dossier.id).toBe(second.id);
    expect(item.candidates[0]).toMatchObject({ dossierId: first.id, autoMergeable: false });
    const fields = item.candidates[0].reasons.map((r: { field: string }) => r.field);
    expect(fields).toEqual(expect.arrayContaining(['identifier', 'name', 'phone', 'address']));
    expect((await gw.request('GET', '/v1/ops/reviews', { key: gw.keys.motcua })).status).toBe(403);
  });

  it('merges on confirmation: sources joined, held transfers cancelled, the held id now leads to the dossier', async () => {
    const { first, second, b } = await held();
    const res = await gw.request('POST', `/v1/ops/reviews/${second.review.id}/merge`, {
      key: gw.keys.operator,
      body: {},
    });
    expect(res.status).toBe(200);
    expect((await json(res)).dossierId).toBe(first.id);
    const d = await json(await gw.request('GET', `/v1/dossiers/${first.id}`));
    expect(d.sources.map((s: { system: string }) => s.system).sort()).toEqual(['motcua', 'xaydung']);
    expect(d.aliases.map((x: { code: string }) => x.code)).toContain(second.code);
    expect(transfers(second.id).every((t) => t.state === 'cancelled')).toBe(true);
    const viaOld = await gw.request('GET', `/v1/dossiers/${second.id}`);
    expect((await json(viaOld)).id).toBe(first.id);
    const ev = await gw.request('POST', `/v1/records/${(b.source as { recordId: string }).recordId}/events`, {
      key: gw.keys.xaydung,
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
    expect((await json(ev)).dossierId).toBe(first.id);
    const again = await gw.request('POST', `/v1/ops/reviews/${second.review.id}/keep-apart`, {
      key: gw.keys.operator,
    });
    expect(again.status).toBe(409);
    const log = gw.sqlite
      .prepare("SELECT actor FROM reconciliation_log WHERE kind = 'dedup.review_merged' AND dossier_id = ?")
      .get(first.id) as { actor: string };
    expect(log.actor).toContain('operator');
  });

  it('keeps apart on decision: the held dossier is released and its transfers go out', async () => {
    const { second } = await held();
    const res = await gw.request('POST', `/v1/ops/reviews/${second.review.id}/keep-apart`, {
      key: gw.keys.operator,
    });
    expect(res.status).toBe(200);
    expect(transfers(second.id).every((t) => t.state === 'pending')).toBe(true);
    expect((await json(await gw.request('GET', `/v1/dossiers/${second.id}`))).held).toBe(false);
  });

  it('splits a wrong merge: each source back on its own dossier with its own events', async () => {
    const { a, b } = dualEntry();
    const first = await json(await push(a));
    await push(b, gw.keys.xaydung);
    const bRecord = (b.source as { recordId: string }).recordId;
    await gw.request('POST', `/v1/records/${bRecord}/events`, {
      key: gw.keys.xaydung,
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00', note: 'from xaydung' },
    });
    const res = await gw.request('POST', `/v1/ops/dossiers/${first.id}/split`, {
      key: gw.keys.operator,
      body: { system: 'xaydung', recordId: bRecord },
    });
    expect(res.status).toBe(200);
    const { splitId } = await json(res);
    const original = await json(await gw.request('GET', `/v1/dossiers/${first.id}`));
    const split = await json(await gw.request('GET', `/v1/dossiers/${splitId}`));
    expect(original.sources.map((s: { system: string }) => s.system)).toEqual(['motcua']);
    expect(split.sources.map((s: { system: string }) => s.system)).toEqual(['xaydung']);
    expect(split.code).not.toBe(original.code);
    expect(split.history.map((h: { note?: string }) => h.note)).toContain('from xaydung');
    expect(original.history.some((h: { note?: string }) => h.note === 'from xaydung')).toBe(false);
    expect(original.status).toBe('received');
    expect(split.status).toBe('processing');
    expect(transfers(splitId)[0]).toMatchObject({ kind: 'dossier_sync' });
    expect(JSON.parse(transfers(splitId)[0]?.payload ?? '{}').op).toBe('insert');
    // the record's events now land on its own dossier
    const ev = await json(
      await gw.request('POST', `/v1/records/${bRecord}/events`, {
        key: gw.keys.xaydung,
        body: { status: 'resolved', at: '2026-11-30T09:00:00+07:00' },
      }),
    );
    expect(ev.dossierId).toBe(splitId);
    expect(await verifyLog(gw.services.store.db)).toMatchObject({ ok: true });
  });
});

describe('concurrency', () => {
  it('ends as one dossier when two systems push the same dossier at the same instant, every time', async () => {
    const before = count(gw, 'dossiers');
    for (let round = 0; round < 25; round++) {
      const { a, b } = dualEntry();
      const [ra, rb] = await Promise.all([push(a), push(b, gw.keys.xaydung)]);
      const [da, db] = [await json(ra), await json(rb)];
      expect(da.id).toBe(db.id);
      expect([da.outcome, db.outcome].sort()).toEqual(['created', 'merged']);
    }
    expect(count(gw, 'dossiers')).toBe(before + 25);
  });
});

describe('the answer to a push', () => {
  const stored = async (id: string) => json(await gw.request('GET', `/v1/dossiers/${id}`));
  const withoutOutcome = ({ outcome: _o, match: _m, review: _r, ...rest }: Record<string, unknown>) => rest;

  it('is the dossier as stored, for a created, a held and a merged dossier', async () => {
    const { a, b } = dualEntry();
    const created = await json(await push(a));
    expect(created.outcome).toBe('created');
    expect(withoutOutcome(created)).toEqual(await stored(created.id));

    const heldB = JSON.parse(JSON.stringify(b));
    heldB.applicant.idNumber = undefined;
    heldB.source = { recordId: `${heldB.source.recordId}-held` };
    const held = await json(await push(heldB, gw.keys.xaydung));
    expect(held.outcome).toBe('held_for_review');
    expect(withoutOutcome(held)).toEqual(await stored(held.id));

    const merged = await json(await push(b, gw.keys.xaydung));
    expect(merged.outcome).toBe('merged');
    expect(withoutOutcome(merged)).toEqual(await stored(merged.id));
  });
});
