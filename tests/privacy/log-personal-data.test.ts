/**
 * The reconciliation log cannot be erased, so it holds references and digests, never an applicant's
 * details (docs/privacy.md). Dossiers with known personal values go through every path that appends
 * to the log: create, update, merge with conflicts, hold, keep apart, confirm merge, events (applied,
 * older, with notes and officers), and split. Then the raw table is searched for each value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../../src/reconciliation/log.js';
import { AGENCY, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
/** A third system of the same agency: a record of it without an id is held beside the merged dossier. */
let third: string;
beforeAll(async () => {
  gw = await createTestGateway();
  third = (
    await gw.services.clients.add({ name: 'land', role: 'department', system: 'datdai', agencies: [AGENCY] })
  ).key;
});
afterAll(async () => {
  await gw.close();
});

/** Every personal value pushed below, in the forms it may be stored in. */
const PERSONAL: string[] = [];
const personal = (...values: string[]): string => {
  PERSONAL.push(...values);
  return values[0] ?? '';
};

function applicant(n: number, variant: 'a' | 'b') {
  const id = personal(`02719065432${n}`);
  const [local, e164] = variant === 'a' ? ['0987 654 32', '+8498765432'] : ['0976 111 22', '+8497611122'];
  return {
    type: 'citizen',
    fullName: personal(variant === 'a' ? `Trần Thị Bích Ngọc ${n}` : `TRAN THI BICH NGOC ${n}`),
    idNumber: id,
    phone: personal(`${local}${n}`, `${e164}${n}`, `${e164.slice(1)}${n}`),
    email: personal(`ngoc${n}.${variant}@example.vn`),
    address: {
      line: personal(variant === 'a' ? `Số ${40 + n} phố Nguyễn Trãi` : `So ${40 + n} pho Nguyen Trai`),
      communeCode: '09187',
      provinceCode: '24',
    },
  };
}

const push = async (body: unknown, key = gw.keys.motcua) =>
  json(await gw.request('POST', '/v1/dossiers', { body, key }));
const event = async (id: string, body: unknown, key = gw.keys.motcua) =>
  json(await gw.request('POST', `/v1/dossiers/${id}/events`, { body, key }));

/** One dossier keyed by both systems; the second push merges with conflicts over the applicant. */
async function mergedPair(n: number) {
  const a = dossierBody({ applicant: applicant(n, 'a'), summary: personal(`Nhà của chị Ngọc ${n}`) });
  const first = await push(a);
  const { code: _code, ...rest } = a;
  const b = {
    ...rest,
    source: { recordId: `XD-PD-${n}` },
    applicant: { ...applicant(n, 'b'), phone: (a.applicant as { phone: string }).phone },
    receivedAt: '2026-11-28T10:15:00+07:00',
    summary: personal(`Chị Ngọc ${n} xin phép xây nhà`),
  };
  const merged = await push(b, gw.keys.xaydung);
  expect(merged.outcome).toBe('merged');
  return { first, a, b };
}

/** A possible duplicate without an identifier: held for an operator. */
async function heldPair(n: number) {
  const { first, a, b } = await mergedPair(n);
  const c = { ...b, source: { recordId: `XD-PD-${n}-held` }, applicant: { ...b.applicant } };
  c.applicant.idNumber = undefined as unknown as string;
  const held = await push(c, third);
  expect(held.outcome).toBe('held_for_review');
  return { first, held, a };
}

describe('the reconciliation log and personal data', () => {
  it('holds none of the personal values pushed through every path that appends to it', async () => {
    // create, update (a changed phone, address and e-mail), merge with conflicts
    const { first, a } = await mergedPair(1);
    const changed = { ...(a.applicant as Record<string, unknown>) };
    Object.assign(changed, {
      phone: personal('0911 222 333', '+84911222333'),
      email: personal('moi.ngoc@example.vn'),
      address: { line: personal('Số 7 ngõ Hòa Bình'), communeCode: '09187', provinceCode: '24' },
    });
    expect((await push({ ...a, applicant: changed })).outcome).toBe('updated');
    // events: applied, older (recorded only), with a note and an officer naming people
    const note = personal('Đã gọi chị Ngọc theo số 0987654321');
    const officer = { name: personal('Lê Văn Thụ Lý'), title: 'Chuyên viên' };
    await event(first.id, { status: 'processing', at: '2026-11-29T09:00:00+07:00', note, officer });
    await event(first.id, { status: 'received', at: '2026-11-28T09:00:00+07:00', note });
    // split the merged pair
    const split = await gw.request('POST', `/v1/ops/dossiers/${first.id}/split`, {
      key: gw.keys.operator,
      body: { system: 'xaydung', recordId: 'XD-PD-1' },
    });
    expect(split.status).toBe(200);
    // hold, then keep apart; hold, then confirm the merge
    const apart = await heldPair(2);
    const keep = await gw.request('POST', `/v1/ops/reviews/${apart.held.review.id}/keep-apart`, {
      key: gw.keys.operator,
    });
    expect(keep.status).toBe(200);
    const joined = await heldPair(3);
    const merge = await gw.request('POST', `/v1/ops/reviews/${joined.held.review.id}/merge`, {
      key: gw.keys.operator,
      body: {},
    });
    expect(merge.status).toBe(200);

    const rows = gw.sqlite.prepare('SELECT * FROM reconciliation_log ORDER BY id').all() as {
      kind: string;
      data: string;
    }[];
    const kinds = new Set(rows.map((r) => r.kind));
    for (const kind of [
      'intake.created',
      'intake.updated',
      'dedup.merged',
      'event.applied',
      'event.recorded_only',
      'dedup.split',
      'dedup.held_for_review',
      'dedup.review_kept_apart',
      'dedup.review_merged',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const text = JSON.stringify(rows).toLowerCase();
    const found = PERSONAL.filter((value) => text.includes(value.toLowerCase()));
    expect(found).toEqual([]);
    // The dossiers themselves still hold them (they are erased with the dossier, not with the log).
    const stored = JSON.stringify(gw.sqlite.prepare('SELECT data FROM dossiers').all());
    expect(stored).toContain('Trần Thị Bích Ngọc 1');
    expect(await verifyLog(gw.services.store.db)).toMatchObject({ ok: true });
  });

  it('names what differed by path, with keyed digests of both values', async () => {
    const { first } = await mergedPair(4);
    const entry = gw.sqlite
      .prepare("SELECT data FROM reconciliation_log WHERE kind = 'dedup.merged' AND dossier_id = ?")
      .get(first.id) as { data: string };
    const conflicts = JSON.parse(entry.data).conflicts as Record<string, unknown>[];
    expect(conflicts).toContainEqual({
      field: 'applicant',
      keptSystem: 'motcua',
      otherSystem: 'xaydung',
      paths: ['applicant.address.line', 'applicant.email', 'applicant.fullName'],
      kept: expect.stringMatching(/^hmac:[0-9a-f]{16}$/),
      other: expect.stringMatching(/^hmac:[0-9a-f]{16}$/),
    });
    // A field about the procedure keeps its values.
    expect(conflicts).toContainEqual(
      expect.objectContaining({ field: 'receivedAt', kept: '2026-11-28T08:30:00+07:00' }),
    );
  });
});
