import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCY,
  AGENCY_2,
  count,
  createTestGateway,
  dossierBody,
  json,
  type TestGateway,
} from '../helpers/gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

const transfersOf = (id: string) =>
  gw.sqlite
    .prepare(
      'SELECT kind, seq, state, idempotency_key, payload FROM transfers WHERE dossier_id = ? ORDER BY seq',
    )
    .all(id) as { kind: string; seq: number; state: string; idempotency_key: string; payload: string }[];

describe('pushing a dossier', () => {
  it('creates it with 201, normalised identifiers, a gateway-issued code, history, source and links', async () => {
    const body = dossierBody();
    const res = await gw.request('POST', '/v1/dossiers', { body });
    expect(res.status).toBe(201);
    const d = await json(res);
    expect(d.outcome).toBe('created');
    expect(d.code).toMatch(/^000\.00\.15\.H24-261128-\d{4}$/);
    expect(d.status).toBe('received');
    expect(d.applicant.phone).toBe('+84912345678');
    expect(d.applicant.idKind).toBe('cccd');
    expect(d.receivedAt).toBe('2026-11-28T08:30:00+07:00');
    expect(d.sources).toEqual([
      expect.objectContaining({ system: 'motcua', recordId: (body.source as { recordId: string }).recordId }),
    ]);
    expect(d.history).toEqual([expect.objectContaining({ status: 'received', applied: true })]);
    expect(d.links.self).toBe(`/v1/dossiers/${d.id}`);
    expect(res.headers.get('Location')).toBe(`/v1/dossiers/${d.id}`);
    expect(res.headers.get('X-Request-Id')).toBeTruthy();
  });

  it('queues a portal dossier sync in the outbox with a stable idempotency key', async () => {
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    const transfers = transfersOf(d.id);
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({
      kind: 'dossier_sync',
      seq: 1,
      state: 'pending',
      idempotency_key: `portal:${d.id}:1`,
    });
    expect(JSON.parse(transfers[0]?.payload ?? '{}')).toMatchObject({ op: 'insert', code: d.code });
  });

  it('updates with 200 when the same system pushes the same record id again, and queues an update', async () => {
    const body = dossierBody();
    const created = await json(await gw.request('POST', '/v1/dossiers', { body }));
    const res = await gw.request('POST', '/v1/dossiers', {
      body: { ...body, summary: 'Xin cấp phép xây dựng nhà ở 4 tầng' },
    });
    expect(res.status).toBe(200);
    const updated = await json(res);
    expect(updated).toMatchObject({ id: created.id, code: created.code, outcome: 'updated', version: 2 });
    expect(updated.summary).toBe('Xin cấp phép xây dựng nhà ở 4 tầng');
    expect(transfersOf(created.id).map((t) => [t.kind, JSON.parse(t.payload).op])).toEqual([
      ['dossier_sync', 'insert'],
      ['dossier_sync', 'update'],
    ]);
  });

  it('queues nothing when a re-push changes nothing', async () => {
    const body = dossierBody();
    const created = await json(await gw.request('POST', '/v1/dossiers', { body }));
    const again = await gw.request('POST', '/v1/dossiers', { body });
    expect(again.status).toBe(200);
    expect((await json(again)).version).toBe(1);
    expect(transfersOf(created.id)).toHaveLength(1);
  });

  it('keeps a code the source supplied, and keeps the issued code when a re-push omits it', async () => {
    const body = dossierBody({ code: '000.00.15.H24-261127-0042' });
    const created = await json(await gw.request('POST', '/v1/dossiers', { body }));
    expect(created.code).toBe('000.00.15.H24-261127-0042');
    const { code: _omit, ...withoutCode } = body;
    const updated = await json(
      await gw.request('POST', '/v1/dossiers', { body: { ...withoutCode, summary: 'x' } }),
    );
    expect(updated.code).toBe('000.00.15.H24-261127-0042');
  });

  it('issues codes per agency and receipt day, counting up and never reusing one', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const d = await json(
        await gw.request('POST', '/v1/dossiers', {
          body: dossierBody({
            agency: { code: AGENCY_2, name: 'Sở Tư pháp' },
            receivedAt: '2026-11-20T23:30:00+07:00',
            dueAt: '2026-12-30T17:00:00+07:00',
          }),
        }),
      );
      codes.push(d.code);
    }
    expect(codes).toEqual([
      '000.00.16.H24-261120-0001',
      '000.00.16.H24-261120-0002',
      '000.00.16.H24-261120-0003',
    ]);
    // The receipt day is Vietnam's: 2026-11-20T17:30Z is already the 21st there.
    const nextDay = await json(
      await gw.request('POST', '/v1/dossiers', {
        body: dossierBody({
          agency: { code: AGENCY_2, name: 'Sở Tư pháp' },
          receivedAt: '2026-11-20T17:30:00Z',
          dueAt: '2026-12-30T17:00:00+07:00',
        }),
      }),
    );
    expect(nextDay.code).toBe('000.00.16.H24-261121-0001');
  });

  it('skips a sequence number a source already used for its own code', async () => {
    await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({
        agency: { code: AGENCY_2, name: 'x' },
        code: '000.00.16.H24-261001-0001',
        receivedAt: '2026-10-01T08:00:00+07:00',
        dueAt: '2026-12-30T17:00:00+07:00',
      }),
    });
    const issued = await json(
      await gw.request('POST', '/v1/dossiers', {
        body: dossierBody({
          agency: { code: AGENCY_2, name: 'x' },
          receivedAt: '2026-10-01T09:00:00+07:00',
          dueAt: '2026-12-30T17:00:00+07:00',
        }),
      }),
    );
    expect(issued.code).toBe('000.00.16.H24-261001-0002');
  });
});

describe('status events', () => {
  async function newDossier(extra: Record<string, unknown> = {}) {
    const body = dossierBody(extra);
    const d = await json(await gw.request('POST', '/v1/dossiers', { body }));
    return { id: d.id as string, recordId: (body.source as { recordId: string }).recordId };
  }

  it('moves the state along the state machine, by gateway id and by the system’s own record id', async () => {
    const { id, recordId } = await newDossier();
    const r1 = await gw.request('POST', `/v1/dossiers/${id}/events`, {
      body: {
        status: 'processing',
        at: '2026-11-29T09:00:00+07:00',
        note: 'Chuyển phòng chuyên môn',
        officer: { name: 'Trần Thị Bình', title: 'Chuyên viên', unit: 'Phòng Quản lý xây dựng' },
      },
    });
    expect(r1.status).toBe(201);
    expect(await json(r1)).toMatchObject({ dossierId: id, status: 'processing', outcome: 'applied' });
    const r2 = await gw.request('POST', `/v1/records/${recordId}/events`, {
      body: { status: 'resolved', at: '2026-11-30T10:00:00+07:00' },
    });
    expect(r2.status).toBe(201);
    const d = await json(await gw.request('GET', `/v1/dossiers/${id}`));
    expect(d.status).toBe('resolved');
    expect(d.resolvedAt).toBe('2026-11-30T10:00:00+07:00');
    expect(d.history.map((h: { status: string }) => h.status)).toEqual([
      'received',
      'processing',
      'resolved',
    ]);
    expect(d.history[1].officer).toEqual({
      name: 'Trần Thị Bình',
      title: 'Chuyên viên',
      unit: 'Phòng Quản lý xây dựng',
    });
    expect(transfersOf(id).map((t) => t.kind)).toEqual([
      'dossier_sync',
      'dossier_sync',
      'progress',
      'dossier_sync',
      'progress',
    ]);
  });

  it('stores an event older than the current state in the history without moving the state back', async () => {
    const { id } = await newDossier();
    await gw.request('POST', `/v1/dossiers/${id}/events`, {
      body: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
    });
    const before = transfersOf(id).length;
    const late = await gw.request('POST', `/v1/dossiers/${id}/events`, {
      body: { status: 'supplement_requested', at: '2026-11-28T10:00:00+07:00' },
    });
    expect(late.status).toBe(201);
    expect(await json(late)).toMatchObject({
      status: 'processing',
      outcome: 'recorded_only',
      event: { applied: false },
    });
    const d = await json(await gw.request('GET', `/v1/dossiers/${id}`));
    expect(d.status).toBe('processing');
    expect(d.history).toHaveLength(3);
    expect(transfersOf(id)).toHaveLength(before);
  });

  it('records the same event (status and time) once and answers 200 the second time', async () => {
    const { id } = await newDossier();
    const event = { status: 'processing', at: '2026-11-29T09:00:00+07:00' };
    expect((await gw.request('POST', `/v1/dossiers/${id}/events`, { body: event })).status).toBe(201);
    const again = await gw.request('POST', `/v1/dossiers/${id}/events`, { body: event });
    expect(again.status).toBe(200);
    expect((await json(again)).outcome).toBe('duplicate');
    expect((await json(await gw.request('GET', `/v1/dossiers/${id}`))).history).toHaveLength(2);
  });

  it('replaces the due date when an event carries a new one (apology and new appointment)', async () => {
    const { id } = await newDossier();
    await gw.request('POST', `/v1/dossiers/${id}/events`, {
      body: {
        status: 'processing',
        at: '2026-11-29T09:00:00+07:00',
        dueAt: '2026-12-20T17:00:00+07:00',
        note: 'Phiếu xin lỗi',
      },
    });
    expect((await json(await gw.request('GET', `/v1/dossiers/${id}`))).dueAt).toBe(
      '2026-12-20T17:00:00+07:00',
    );
  });
});

describe('reading dossiers', () => {
  it('lists by agency, status, code and updated-since with cursor pagination that visits each once', async () => {
    const fresh = await createTestGateway();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const d = await json(
          await fresh.request('POST', '/v1/dossiers', {
            body: dossierBody({ agency: { code: i % 2 === 0 ? AGENCY : AGENCY_2, name: 'x' } }),
          }),
        );
        ids.push(d.id);
      }
      const seen: string[] = [];
      let next: string | null = '/v1/dossiers?limit=3';
      let pages = 0;
      while (next) {
        const page = await json(await fresh.request('GET', next, { key: fresh.keys.operator }));
        seen.push(...page.items.map((d: { id: string }) => d.id));
        next = page.links.next;
        pages += 1;
      }
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...ids].sort());

      const byAgency = await json(
        await fresh.request('GET', `/v1/dossiers?agency=${AGENCY_2}`, { key: fresh.keys.operator }),
      );
      expect(byAgency.items).toHaveLength(3);
      expect(byAgency.items.every((d: { agency: { code: string } }) => d.agency.code === AGENCY_2)).toBe(
        true,
      );

      const first = await json(await fresh.request('GET', `/v1/dossiers/${ids[0]}`));
      const byCode = await json(await fresh.request('GET', `/v1/dossiers?code=${first.code}`));
      expect(byCode.items.map((d: { id: string }) => d.id)).toEqual([ids[0]]);

      await fresh.request('POST', `/v1/dossiers/${ids[1]}/events`, {
        body: { status: 'processing', at: '2026-11-28T09:00:00+07:00' },
      });
      const processing = await json(
        await fresh.request('GET', '/v1/dossiers?status=processing', { key: fresh.keys.operator }),
      );
      expect(processing.items.map((d: { id: string }) => d.id)).toEqual([ids[1]]);

      const future = await json(
        await fresh.request(
          'GET',
          `/v1/dossiers?updatedSince=${encodeURIComponent('2099-01-01T00:00:00+07:00')}`,
          {
            key: fresh.keys.operator,
          },
        ),
      );
      expect(future.items).toEqual([]);
      const updatedSinceNow = await json(
        await fresh.request('GET', `/v1/dossiers?updatedSince=${encodeURIComponent(first.updatedAt)}`, {
          key: fresh.keys.operator,
        }),
      );
      expect(updatedSinceNow.items.length).toBeGreaterThanOrEqual(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('Idempotency-Key', () => {
  it('returns the stored answer for the same key and body without doing the work again', async () => {
    const body = dossierBody();
    const headers = { 'Idempotency-Key': 'push-once-1' };
    const first = await gw.request('POST', '/v1/dossiers', { body, headers });
    const firstText = await first.text();
    const dossiers = count(gw, 'dossiers');
    const transfers = count(gw, 'transfers');
    const second = await gw.request('POST', '/v1/dossiers', { body, headers });
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await second.text()).toBe(firstText);
    expect(count(gw, 'dossiers')).toBe(dossiers);
    expect(count(gw, 'transfers')).toBe(transfers);
  });

  it('applies to events too: a retried event is answered from the store', async () => {
    const d = await json(await gw.request('POST', '/v1/dossiers', { body: dossierBody() }));
    const headers = { 'Idempotency-Key': `event-${d.id}` };
    const event = { status: 'processing', at: '2026-11-29T09:00:00+07:00' };
    const first = await gw.request('POST', `/v1/dossiers/${d.id}/events`, { body: event, headers });
    const second = await gw.request('POST', `/v1/dossiers/${d.id}/events`, { body: event, headers });
    expect(second.status).toBe(first.status);
    expect(await second.json()).toEqual(await first.json());
  });

  it('scopes keys per client: another client may use the same key for its own request', async () => {
    const headers = { 'Idempotency-Key': 'shared-key' };
    const a = await gw.request('POST', '/v1/dossiers', { body: dossierBody(), headers });
    // another applicant: the same one with an id a digit apart would be a possible dual entry (held)
    const other = {
      type: 'citizen',
      fullName: 'Trần Thị Bình',
      phone: '0987 111 222',
      address: { line: 'Thôn Đông', communeCode: '09187', provinceCode: '24' },
    };
    const b = await gw.request('POST', '/v1/dossiers', {
      body: dossierBody({ applicant: other }),
      headers,
      key: gw.keys.xaydung,
    });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect((await json(a)).id).not.toBe((await json(b)).id);
  });

  it('keeps keys for at least 24 hours', async () => {
    const clock = {
      t: Date.parse('2026-11-28T01:00:00Z'),
      now() {
        return this.t;
      },
    };
    const timed = await createTestGateway({ clock });
    try {
      const body = dossierBody();
      const headers = { 'Idempotency-Key': 'day-old' };
      const first = await json(await timed.request('POST', '/v1/dossiers', { body, headers }));
      clock.t += 23.9 * 3600_000;
      const replay = await timed.request('POST', '/v1/dossiers', { body, headers });
      expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
      expect((await json(replay)).id).toBe(first.id);
    } finally {
      await timed.close();
    }
  });
});
