/**
 * The forwarding rules (docs/departments.md, Forwarding) on a real SQLite file, through the API: what is
 * queued for a departmental destination, once, never back to the system a change came from; the admin
 * API never answers or logs the credentials; a record id attaches once and never moves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachRecord } from '../../src/departments/attach-record.js';
import { AGENCY_2, createTestGateway, dossierBody, json, type TestGateway } from '../helpers/gateway.js';

const LAND_AGENCY = { code: AGENCY_2, name: 'Văn phòng đăng ký đất đai tỉnh Bắc Ninh' };
const SECRET = 'vbd-unit-secret-93ab';
let gw: TestGateway;
let landKey: string;

beforeEach(async () => {
  gw = await createTestGateway();
  landKey = (
    await gw.services.clients.add({
      name: 'land',
      role: 'department',
      system: 'land-registry',
      agencies: [AGENCY_2],
    })
  ).key;
  const res = await gw.request('POST', '/v1/admin/destinations', {
    key: gw.keys.admin,
    body: {
      system: 'land-registry',
      profile: 'land-registry',
      baseUrl: 'http://127.0.0.1:9',
      credentials: SECRET,
      agencies: [AGENCY_2],
    },
  });
  expect(res.status).toBe(201);
});
afterEach(() => gw.close());

function queued() {
  return gw.sqlite
    .prepare("SELECT kind, state, payload FROM transfers WHERE destination = 'land-registry' ORDER BY id")
    .all()
    .map((r) => {
      const row = r as { kind: string; state: string; payload: string };
      return { kind: row.kind, state: row.state, payload: JSON.parse(row.payload) };
    });
}

async function push(key: string, overrides: Record<string, unknown>) {
  const res = await gw.request('POST', '/v1/dossiers', { key, body: dossierBody(overrides) });
  expect(res.status).toBeLessThan(300);
  return json(res);
}

async function event(key: string, path: string, status: string, at: string) {
  const res = await gw.request('POST', path, { key, body: { status, at } });
  expect(res.status).toBe(201);
}

describe('forwarding rules', () => {
  it('forwards a dossier of a served agency once, then each step from other systems, never one from itself', async () => {
    const body = dossierBody({ agency: LAND_AGENCY });
    const d = await push(gw.keys.motcua, body);
    expect(queued()).toEqual([
      {
        kind: 'dossier_sync',
        state: 'pending',
        payload: { kind: 'dossier', dossier: expect.objectContaining({ code: d.code, status: 'received' }) },
      },
    ]);
    await event(gw.keys.motcua, `/v1/dossiers/${d.id}/events`, 'processing', '2026-11-29T09:00:00.250+07:00');
    expect(queued()[1]).toMatchObject({
      kind: 'progress',
      payload: {
        kind: 'event',
        code: d.code,
        event: { status: 'processing', at: '2026-11-29T09:00:00+07:00' },
      },
    });
    await gw.services.store.transaction((trx) =>
      attachRecord(
        trx,
        { dossierId: d.id, system: 'land-registry', recordId: 'VBD-2026-000123' },
        Date.now(),
      ),
    );
    await event(landKey, '/v1/records/VBD-2026-000123/events', 'resolved', '2026-12-01T10:00:00+07:00');
    expect(queued()).toHaveLength(2); // its own step is not sent back to it
    // The same dossier pushed again by the one-stop software, without a new step: nothing new.
    await push(gw.keys.motcua, body);
    expect(queued()).toHaveLength(2);
  });

  it('does not forward a dossier of another agency, nor one the department pushed itself', async () => {
    await push(gw.keys.motcua, {});
    const own = await push(landKey, { agency: LAND_AGENCY, source: { recordId: 'VBD-2026-000500' } });
    expect(queued()).toEqual([]);
    // A later step by the one-stop software reaches it as a step only: it holds the dossier already.
    await event(gw.keys.motcua, `/v1/dossiers/${own.id}/events`, 'processing', '2026-11-29T09:00:00+07:00');
    expect(queued().map((t) => t.payload.kind)).toEqual(['event']);
  });

  it('a step moved by a re-push (not an event) is forwarded too', async () => {
    const body = dossierBody({ agency: LAND_AGENCY });
    await push(gw.keys.motcua, body);
    await push(gw.keys.motcua, { ...body, status: 'processing' });
    expect(queued().map((t) => [t.kind, t.payload.event?.status])).toEqual([
      ['dossier_sync', undefined],
      ['progress', 'processing'],
    ]);
  });

  it('removing the destination stops forwarding', async () => {
    expect(
      (await gw.request('DELETE', '/v1/admin/destinations/land-registry', { key: gw.keys.admin })).status,
    ).toBe(204);
    await push(gw.keys.motcua, { agency: LAND_AGENCY });
    expect(queued()).toEqual([]);
  });
});

describe('the destinations API', () => {
  it('never answers, lists or logs the credentials; refuses duplicates and unknown profiles', async () => {
    const list = await gw.request('GET', '/v1/admin/destinations', { key: gw.keys.admin });
    const text = await list.text();
    expect(JSON.parse(text).items).toEqual([expect.objectContaining({ system: 'land-registry' })]);
    expect(text).not.toContain(SECRET);
    expect(gw.logs.join('\n')).not.toContain(SECRET);
    const log = gw.sqlite.prepare('SELECT data FROM reconciliation_log').all();
    expect(JSON.stringify(log)).not.toContain(SECRET);
    const body = {
      system: 'land-registry',
      profile: 'land-registry',
      baseUrl: 'http://x.vn',
      credentials: 'c',
      agencies: [AGENCY_2],
    };
    expect((await gw.request('POST', '/v1/admin/destinations', { key: gw.keys.admin, body })).status).toBe(
      409,
    );
    const unknown = { ...body, system: 'cadastre', profile: 'cadastre' };
    const refused = await gw.request('POST', '/v1/admin/destinations', { key: gw.keys.admin, body: unknown });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('unknown_profile');
    // The civil-status profile speaks SOAP, which forwarding sends (docs/departments.md, Transports).
    const soap = { ...body, system: 'hotich', profile: 'civil-status', credentials: 'hotich:secret' };
    const sendable = await gw.request('POST', '/v1/admin/destinations', { key: gw.keys.admin, body: soap });
    expect(sendable.status).toBe(201);
    expect(await sendable.text()).not.toContain('hotich:secret');
    const reserved = { ...body, system: 'portal' };
    expect(
      (await gw.request('POST', '/v1/admin/destinations', { key: gw.keys.admin, body: reserved })).status,
    ).toBe(400);
    expect((await gw.request('GET', '/v1/admin/destinations', { key: gw.keys.operator })).status).toBe(403);
  });
});

describe('attachRecord', () => {
  it('attaches a record id once and never moves one that feeds another dossier', async () => {
    const a = await push(gw.keys.motcua, { agency: LAND_AGENCY });
    const b = await push(gw.keys.motcua, { agency: LAND_AGENCY });
    const ref = { dossierId: a.id, system: 'land-registry', recordId: 'VBD-2026-000777' };
    const attach = (r: typeof ref) =>
      gw.services.store.transaction((trx) => attachRecord(trx, r, Date.now()));
    expect(await attach(ref)).toBe('attached');
    expect(await attach(ref)).toBe('already');
    expect(await attach({ ...ref, dossierId: b.id })).toBe('clash');
    const rows = gw.sqlite
      .prepare("SELECT dossier_id FROM dossier_sources WHERE system = 'land-registry'")
      .all() as { dossier_id: string }[];
    expect(rows.map((r) => r.dossier_id)).toEqual([a.id]);
  });
});
