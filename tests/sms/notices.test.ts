/**
 * SMS notices as the intake makes them (docs/sms.md): one per dossier and event, whichever system
 * reports it and however often, into the canonical dossier after a merge; none without a mobile number
 * or for an opted-out one, with the reason recorded and no number in the log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;

beforeEach(async () => {
  gw = await createTestGateway({ env: { SMS_ENABLED: 'true', SMS_ENCODING: 'gsm7' } });
});
afterEach(async () => {
  await gw.close();
});

interface SmsRow {
  dossier_id: string;
  state: string;
  payload: string;
  next_attempt_at_ms: number;
}

function smsTransfers(): (SmsRow & { p: Record<string, any> })[] {
  const rows = gw.sqlite
    .prepare(
      "SELECT dossier_id, state, payload, next_attempt_at_ms FROM transfers WHERE destination = 'sms' ORDER BY id",
    )
    .all() as SmsRow[];
  return rows.map((r) => ({ ...r, p: JSON.parse(r.payload) }));
}

function notices(dossierId: string) {
  return gw.sqlite
    .prepare(
      'SELECT event, outcome, segments, encoding FROM sms_notices WHERE dossier_id = ? ORDER BY created_at_ms, event',
    )
    .all(dossierId) as { event: string; outcome: string; segments: number | null; encoding: string | null }[];
}

async function push(body: Record<string, unknown>, key = gw.keys.motcua) {
  const res = await gw.request('POST', '/v1/dossiers', { key, body });
  const answer = await json(res);
  expect(res.status, JSON.stringify(answer)).toBeLessThan(300);
  return answer;
}

async function event(id: string, status: string, at: string, key = gw.keys.motcua) {
  const res = await gw.request('POST', `/v1/dossiers/${id}/events`, { key, body: { status, at } });
  expect(res.status, JSON.stringify(await json(res.clone()))).toBeLessThan(300);
}

describe('one notice per dossier and event', () => {
  it('queues received, supplement, resolved (by post) and returned once each, through the outbox as sms', async () => {
    const d = await push(dossierBody());
    await event(d.id, 'processing', '2026-11-29T08:00:00+07:00');
    await event(d.id, 'supplement_requested', '2026-11-29T09:00:00+07:00');
    await event(d.id, 'processing', '2026-11-30T09:00:00+07:00');
    await event(d.id, 'resolved', '2026-12-01T09:00:00+07:00');
    await event(d.id, 'returned', '2026-12-02T09:00:00+07:00');
    const sent = smsTransfers();
    expect(sent.map((t) => t.p.event)).toEqual([
      'received',
      'supplement_requested',
      'resolved_postal',
      'returned',
    ]);
    for (const t of sent) {
      expect(t.dossier_id).toBe(d.id);
      expect(t.p.to).toBe('+84912345678');
      expect(t.p.code).toBe(d.code);
      expect(t.p.text).toContain(d.code);
      expect(t.p.text).toContain(`https://dichvucong.example.vn/tra-cuu?ma=${encodeURIComponent(d.code)}`);
      expect(t.p.encoding).toBe('gsm7');
    }
    expect(sent[2]?.p.text).toContain('buu dien');
    expect(notices(d.id).map((n) => [n.event, n.outcome])).toEqual([
      ['received', 'queued'],
      ['supplement_requested', 'queued'],
      ['resolved', 'queued'],
      ['returned', 'queued'],
    ]);
  });

  it('sends the counter variant when the result is collected at the counter', async () => {
    const d = await push(dossierBody({ resultReturn: { method: 'counter' } }));
    await event(d.id, 'processing', '2026-11-29T08:00:00+07:00');
    await event(d.id, 'resolved', '2026-12-01T09:00:00+07:00');
    expect(smsTransfers().map((t) => t.p.event)).toEqual(['received', 'resolved_counter']);
  });

  it('never sends a second notice when the same event is reported again or by another system', async () => {
    const body = dossierBody();
    const d = await push(body);
    await push(body); // the same record again
    // The construction department reports the same dossier by its code: a dual entry joined, not a new one.
    const dual = await push({ ...dossierBody(), code: d.code, applicant: body.applicant }, gw.keys.xaydung);
    expect(dual.id).toBe(d.id);
    await event(d.id, 'processing', '2026-11-29T08:00:00+07:00');
    await event(d.id, 'supplement_requested', '2026-11-29T09:00:00+07:00');
    await event(d.id, 'processing', '2026-11-30T09:00:00+07:00');
    await event(d.id, 'supplement_requested', '2026-11-30T10:00:00+07:00', gw.keys.xaydung);
    expect(smsTransfers().map((t) => t.p.event)).toEqual(['received', 'supplement_requested']);
  });

  it('keys the notice on the canonical dossier after a dedup merge', async () => {
    const first = dossierBody();
    const d = await push(first);
    // The same applicant keyed by the other department without a code: merged as a certain dual entry.
    const second = await push(
      dossierBody({ applicant: first.applicant, procedure: first.procedure, receivedAt: first.receivedAt }),
      gw.keys.xaydung,
    );
    expect(second.id).toBe(d.id);
    expect(smsTransfers()).toHaveLength(1);
  });

  it('holds the notice of a possible dual entry; a merge cancels it, keeping apart releases it', async () => {
    const applicant = (tag: string) => ({
      type: 'citizen',
      fullName: `Trần Thị ${tag}`,
      phone: '0987 654 301',
      address: { line: 'Số 3 đường Ngô Gia Tự', communeCode: '09187', provinceCode: '24' },
    });
    const pair = async (tag: string) => {
      const live = await push(dossierBody({ applicant: applicant(tag) }));
      const held = await push(dossierBody({ applicant: applicant(tag) }), gw.keys.xaydung);
      expect(held.review?.id, JSON.stringify(held)).toBeTruthy();
      return { live, held };
    };
    const merged = await pair('Lan');
    const apart = await pair('Hoa');
    const stateOf = (id: string) =>
      smsTransfers()
        .filter((t) => t.dossier_id === id)
        .map((t) => t.state);
    expect(stateOf(merged.held.id)).toEqual(['held']);
    const decide = (id: string, what: string) =>
      gw.request('POST', `/v1/ops/reviews/${id}/${what}`, { key: gw.keys.operator, body: {} });
    expect((await decide(merged.held.review.id, 'merge')).status).toBe(200);
    expect((await decide(apart.held.review.id, 'keep-apart')).status).toBe(200);
    expect(stateOf(merged.held.id)).toEqual(['cancelled']);
    expect(stateOf(merged.live.id)).toEqual(['pending']); // the survivor's own notice, and only that
    expect(stateOf(apart.held.id)).toEqual(['pending']);
  });

  it('records the encoding and the segments of each notice (ucs2: Vietnamese text in three parts)', async () => {
    const ucs2 = await createTestGateway({ env: { SMS_ENABLED: 'true', SMS_ENCODING: 'ucs2' } });
    try {
      const res = await ucs2.request('POST', '/v1/dossiers', { body: dossierBody() });
      const d = await json(res);
      const row = ucs2.sqlite
        .prepare('SELECT encoding, segments FROM sms_notices WHERE dossier_id = ?')
        .get(d.id);
      const payload = JSON.parse(
        ucs2.sqlite
          .prepare("SELECT payload FROM transfers WHERE destination = 'sms'")
          .pluck()
          .get() as string,
      );
      expect(payload.text).toContain('Hồ sơ');
      expect(row).toEqual({ encoding: 'ucs2', segments: payload.segments });
      expect(payload.segments).toBe(Math.ceil(payload.text.length / 67));
    } finally {
      await ucs2.close();
    }
    const d = await push(dossierBody());
    expect(notices(d.id)[0]).toMatchObject({ encoding: 'gsm7', segments: 1 });
  });

  it('sends nothing while SMS is off (the default)', async () => {
    const off = await createTestGateway();
    try {
      await off.request('POST', '/v1/dossiers', { body: dossierBody() });
      expect(
        off.sqlite.prepare("SELECT count(*) FROM transfers WHERE destination = 'sms'").pluck().get(),
      ).toBe(0);
    } finally {
      await off.close();
    }
  });
});

describe('no notice, and the reason recorded', () => {
  it('for a landline, without the number anywhere in the notice row or the log', async () => {
    const d = await push(
      dossierBody({ applicant: { ...(dossierBody().applicant as object), phone: '0222 3812 345' } }),
    );
    expect(smsTransfers()).toHaveLength(0);
    expect(notices(d.id)).toEqual([
      { event: 'received', outcome: 'not_mobile', segments: null, encoding: null },
    ]);
    const log = gw.sqlite
      .prepare("SELECT data FROM reconciliation_log WHERE kind = 'sms.skipped'")
      .pluck()
      .all() as string[];
    expect(log.map((l) => JSON.parse(l))).toEqual([{ event: 'received', reason: 'not_mobile' }]);
    expect(JSON.stringify(log)).not.toMatch(/3812|222/);
  });

  it('for a dossier without a phone', async () => {
    const { phone: _none, ...applicant } = dossierBody().applicant as Record<string, unknown>;
    const d = await push(dossierBody({ applicant }));
    expect(smsTransfers()).toHaveLength(0);
    expect(notices(d.id)[0]?.outcome).toBe('no_phone');
  });

  it('for an opted-out number (any written form), and again after the opt-out is removed', async () => {
    const add = await gw.request('POST', '/v1/ops/sms/optouts', {
      key: gw.keys.operator,
      body: { phone: '+84 912 345 678', note: 'Yêu cầu qua điện thoại' },
    });
    expect(add.status).toBe(201);
    const optOut = await json(add);
    expect(optOut.hint).toBe('***678');
    expect(JSON.stringify(optOut)).not.toContain('912345');
    const again = await gw.request('POST', '/v1/ops/sms/optouts', {
      key: gw.keys.operator,
      body: { phone: '0912345678' },
    });
    expect(again.status).toBe(200);
    const d = await push(dossierBody());
    expect(smsTransfers()).toHaveLength(0);
    expect(notices(d.id)[0]?.outcome).toBe('opted_out');
    const stored = gw.sqlite.prepare('SELECT * FROM sms_optouts').all();
    expect(JSON.stringify(stored)).not.toContain('912345');
    const list = await json(await gw.request('GET', '/v1/ops/sms/optouts', { key: gw.keys.operator }));
    expect(list.items.map((o: { id: string }) => o.id)).toEqual([optOut.id]);
    const del = await gw.request('DELETE', `/v1/ops/sms/optouts/${optOut.id}`, { key: gw.keys.operator });
    expect(del.status).toBe(204);
    expect(
      (await gw.request('DELETE', `/v1/ops/sms/optouts/${optOut.id}`, { key: gw.keys.operator })).status,
    ).toBe(404);
    await push(dossierBody());
    expect(smsTransfers()).toHaveLength(1);
  });

  it('refuses an opt-out that is not a Vietnamese number, without echoing it', async () => {
    const res = await gw.request('POST', '/v1/ops/sms/optouts', {
      key: gw.keys.operator,
      body: { phone: '12345' },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('12345');
  });
});
