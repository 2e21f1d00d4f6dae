/**
 * The dashboard's deadline, report and findings pages through `app.request`: they show what the
 * deadline, report and reconciliation use cases give, and the CSV routes give the same file as the API.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toVnIso } from '../../src/lib/time.js';
import { AGENCY, createTestGateway, dossierBody, type TestGateway } from '../helpers/gateway.js';
import { get, type Signed, signIn } from './dashboard-fixture.js';

let gw: TestGateway;
let s: Signed;
beforeEach(async () => {
  gw = await createTestGateway();
  s = await signIn(gw);
});
afterEach(async () => {
  await gw.close();
});

const DAY = 86_400_000;

/** One overdue dossier (due in December 2026) and one due on the next working day. */
async function seed(): Promise<{ overdue: string; nearDue: string }> {
  const now = gw.services.clock.now();
  const a = await gw.request('POST', '/v1/dossiers', { body: dossierBody() });
  const b = await gw.request('POST', '/v1/dossiers', {
    body: dossierBody({ receivedAt: toVnIso(now - 3 * DAY), dueAt: toVnIso(now + 3 * DAY) }),
  });
  const codeOf = async (r: Response) => ((await r.json()) as { code: string }).code;
  return { overdue: await codeOf(a), nearDue: await codeOf(b) };
}

describe('the deadlines page', () => {
  it('counts near-due and overdue dossiers per agency and lists them', async () => {
    const { overdue, nearDue } = await seed();
    const html = await (await get(gw, '/ops/deadlines?state=&agency=&withinWorkingDays=5', s.cookie)).text();
    expect(html).toMatch(new RegExp(`${AGENCY}</span></td><td class="num">1</td><td class="num">1</td>`));
    expect(html).toContain(overdue);
    expect(html).toContain(nearDue);
    expect(html).toContain('href="/ops/deadlines.csv?withinWorkingDays=5"');
  });

  it('downloads the same CSV as the API, under the session cookie', async () => {
    await seed();
    const mine = await get(gw, '/ops/deadlines.csv?state=overdue', s.cookie);
    expect(mine.headers.get('Content-Disposition')).toMatch(/^attachment; filename="han-xu-ly-overdue-/);
    const api = await gw.request('GET', '/v1/ops/deadlines.csv?state=overdue', { key: gw.keys.operator });
    const body = await mine.text();
    expect(body).toBe(await api.text());
    expect(body.split('\r\n').length).toBeGreaterThan(2);
  });

  it('refuses a bad filter naming the field, and asks for a session for the CSV', async () => {
    const bad = await get(gw, '/ops/deadlines?state=late', s.cookie);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('state');
    expect((await get(gw, '/ops/deadlines.csv')).status).toBe(303);
  });
});

describe('the report page', () => {
  it("shows this month's agency report as a table and a bar chart", async () => {
    const now = gw.services.clock.now();
    const body = dossierBody({ receivedAt: toVnIso(now - 2 * DAY), dueAt: toVnIso(now + 9 * DAY) });
    expect((await gw.request('POST', '/v1/dossiers', { body })).status).toBe(201);
    const html = await (await get(gw, '/ops/reports', s.cookie)).text();
    expect(html).toContain('Báo cáo cơ quan tháng 01/2027');
    expect(html).toContain('<svg class="chart"');
    expect(html).toMatch(new RegExp(`${AGENCY}</span></td><td class="num">1</td>`));
    const csv = await get(gw, '/ops/reports.csv?month=2027-01', s.cookie);
    expect(csv.headers.get('Content-Type')).toContain('text/csv');
    const future = await get(gw, '/ops/reports?month=2030-01', s.cookie);
    expect(future.status).toBe(400);
  });
});

describe('the findings page', () => {
  it('lists open findings after a reconciliation run', async () => {
    await seed();
    const run = await gw.request('POST', '/v1/ops/reconciliation/runs', { key: gw.keys.operator, body: {} });
    expect(run.status).toBe(202);
    const { id } = (await run.json()) as { id: string };
    let state = 'running';
    for (let i = 0; i < 100 && state === 'running'; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      const r = await gw.request('GET', `/v1/ops/reconciliation/runs/${id}`, { key: gw.keys.operator });
      state = ((await r.json()) as { state: string }).state;
    }
    const api = await gw.request('GET', '/v1/ops/findings?open=true', { key: gw.keys.operator });
    const { items } = (await api.json()) as { items: { id: number }[] };
    expect(items.length).toBeGreaterThan(0);
    const html = await (await get(gw, '/ops/findings', s.cookie)).text();
    for (const f of items) expect(html).toContain(`<td class="num">${f.id}</td>`);
    expect(html).toContain('Quá hạn');
  });
});

describe('the overview', () => {
  it('lists each registered departmental destination beside the portal and SMS', async () => {
    const res = await gw.request('POST', '/v1/admin/destinations', {
      key: gw.keys.admin,
      body: {
        system: 'vpdk',
        profile: 'land-registry',
        baseUrl: 'http://127.0.0.1:9/land',
        credentials: 'token-of-the-land-registry',
        agencies: [AGENCY],
      },
    });
    expect(res.status).toBe(201);
    const html = await (await get(gw, '/ops', s.cookie)).text();
    expect(html).toContain('Cổng dịch vụ công quốc gia');
    expect(html).toMatch(/<th scope="row">vpdk<\/th>/);
    expect(html).not.toContain('token-of-the-land-registry');
  });
});
