/**
 * The near-due and overdue lists over HTTP (docs/deadlines.md) on a gateway whose clock stands on
 * Thursday 12/02/2026, just before the Tết block (Saturday 14/02 to Sunday 22/02/2026): states with the
 * real calendar, the threshold parameter, operator-only access, the agency filter, cursor pages, the
 * CSV bytes, and bad parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCY,
  AGENCY_2,
  createTestGateway,
  dossierBody,
  json,
  type TestGateway,
} from '../helpers/gateway.js';

const NOW = Date.parse('2026-02-12T09:00:00+07:00');
let gw: TestGateway;
const ids: Record<string, string> = {};

async function push(name: string, overrides: Record<string, unknown>): Promise<void> {
  const res = await gw.request('POST', '/v1/dossiers', {
    body: dossierBody({
      applicant: {
        type: 'citizen',
        fullName: `Trần Thị ${name}`,
        idNumber: `0270900${String(Object.keys(ids).length + 10).padStart(5, '0')}`,
      },
      resultReturn: { method: 'counter' },
      ...overrides,
    }),
  });
  expect(res.status).toBe(201);
  ids[name] = (await json(res)).id as string;
}

const ops = (path: string, key = gw.keys.operator) => gw.request('GET', path, { key });

beforeAll(async () => {
  gw = await createTestGateway({ clock: { now: () => NOW } });
  const received = '2026-02-02T08:00:00+07:00';
  await push('Một', { receivedAt: received, dueAt: '2026-02-13T17:00:00+07:00' }); // 1 working day left
  await push('Hai', { receivedAt: received, dueAt: '2026-02-23T17:00:00+07:00' }); // 2 (13/02, 23/02)
  await push('Ba', { receivedAt: received, dueAt: '2026-02-24T17:00:00+07:00' }); // 3
  await push('Bốn', { receivedAt: received, dueAt: '2026-02-11T17:00:00+07:00' }); // 1 late
  await push('Năm', {
    receivedAt: received,
    dueAt: '2026-02-10T17:00:00+07:00',
    agency: { code: AGENCY_2, name: 'Sở Tư pháp' },
  }); // 2 late, other agency
  // Resolved late: no longer in any list.
  await push('Sáu', { receivedAt: received, dueAt: '2026-02-09T17:00:00+07:00' });
  for (const [status, at] of [
    ['processing', '2026-02-03T09:00:00+07:00'],
    ['resolved', '2026-02-11T10:00:00+07:00'],
  ]) {
    const res = await gw.request('POST', `/v1/dossiers/${ids.Sáu}/events`, { body: { status, at } });
    expect(res.status).toBe(201);
  }
  // No dueAt: 2.000477 lasts 10 working days (config/procedures.json): from Tuesday 03/02, eight
  // working days to Friday 13/02, then 23/02 and 24/02 after Tết.
  await push('Bảy', {
    receivedAt: '2026-02-03T08:00:00+07:00',
    dueAt: undefined,
    procedure: { code: '2.000477', name: 'Cấp Phiếu lý lịch tư pháp' },
  });
  // Formula-looking name: neutralised in the CSV.
  await push('=HYPERLINK', {
    receivedAt: received,
    dueAt: '2026-02-12T17:00:00+07:00',
    applicant: { type: 'citizen', fullName: '=HYPERLINK("http://x.example")', idNumber: '027090999999' },
  });
});
afterAll(async () => {
  await gw.close();
});

const codesOf = async (res: Response) => {
  expect(res.status).toBe(200);
  const body = await json(res);
  return (body.items as { id: string }[]).map((i) => Object.entries(ids).find(([, id]) => id === i.id)?.[0]);
};

describe('GET /v1/ops/deadlines', () => {
  it('lists near-due dossiers across Tết with the default threshold of 2 working days', async () => {
    expect(await codesOf(await ops('/v1/ops/deadlines?state=near_due'))).toEqual([
      '=HYPERLINK',
      'Một',
      'Hai',
    ]);
    const body = await json(await ops('/v1/ops/deadlines?state=near_due'));
    const items = body.items as { workingDaysLeft: number; state: string; dueAt: string }[];
    expect(items.map((i) => i.workingDaysLeft)).toEqual([0, 1, 2]);
    expect(items.every((i) => i.state === 'near_due')).toBe(true);
    expect(body.asOf).toBe('2026-02-12T09:00:00+07:00');
  });

  it('takes the threshold from withinWorkingDays', async () => {
    expect(await codesOf(await ops('/v1/ops/deadlines?state=near_due&withinWorkingDays=0'))).toEqual([
      '=HYPERLINK',
    ]);
    expect(await codesOf(await ops('/v1/ops/deadlines?state=near_due&withinWorkingDays=3'))).toEqual([
      '=HYPERLINK',
      'Một',
      'Hai',
      'Bảy',
      'Ba',
    ]);
  });

  it('computes the due date of a dossier pushed without one from the catalogue and the calendar', async () => {
    const body = await json(await ops('/v1/ops/deadlines?state=near_due&withinWorkingDays=3'));
    const item = (body.items as { id: string; dueAt: string }[]).find((i) => i.id === ids.Bảy);
    expect(item?.dueAt).toBe('2026-02-24T08:00:00+07:00');
  });

  it('lists overdue dossiers, most overdue first, with the working days late', async () => {
    const res = await ops('/v1/ops/deadlines?state=overdue');
    const body = await json(res);
    expect(await codesOf(await ops('/v1/ops/deadlines?state=overdue'))).toEqual(['Năm', 'Bốn']);
    expect((body.items as { workingDaysLeft: number }[]).map((i) => i.workingDaysLeft)).toEqual([-2, -1]);
  });

  it('filters by agency', async () => {
    expect(await codesOf(await ops(`/v1/ops/deadlines?state=overdue&agency=${AGENCY}`))).toEqual(['Bốn']);
    expect(await codesOf(await ops(`/v1/ops/deadlines?agency=${AGENCY_2}`))).toEqual(['Năm']);
  });

  it('without a state lists both, and pages with a cursor', async () => {
    const first = await json(await ops('/v1/ops/deadlines?limit=3'));
    expect((first.items as unknown[]).length).toBe(3);
    const second = await json(await ops(`/v1/ops/deadlines?limit=3&cursor=${first.nextCursor}`));
    expect(second.nextCursor).toBeNull();
    const all = [...(first.items as { id: string }[]), ...(second.items as { id: string }[])].map(
      (i) => i.id,
    );
    expect(all).toEqual(['Năm', 'Bốn', '=HYPERLINK', 'Một', 'Hai'].map((n) => ids[n]));
  });

  it('is for operators only', async () => {
    for (const key of [gw.keys.motcua, gw.keys.admin, gw.keys.postal]) {
      expect((await ops('/v1/ops/deadlines', key)).status).toBe(403);
      expect((await ops('/v1/ops/deadlines.csv', key)).status).toBe(403);
    }
    expect((await gw.request('GET', '/v1/ops/deadlines', { key: null })).status).toBe(401);
  });

  it('refuses bad parameters with a problem naming them', async () => {
    for (const [query, path, rule] of [
      ['state=late', 'query.state', 'invalid_value'],
      ['withinWorkingDays=-1', 'query.withinWorkingDays', 'too_small'],
      ['withinWorkingDays=two', 'query.withinWorkingDays', 'invalid_type'],
      ['cursor=nonsense', 'query.cursor', 'cursor_format'],
      ['agency=x', 'query.agency', undefined],
      ['sort=due', 'query.sort', 'unknown_parameter'],
    ] as const) {
      const res = await ops(`/v1/ops/deadlines?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const errors = (await json(res)).errors as { path: string; rule: string }[];
      expect(errors[0]?.path, query).toBe(path);
      if (rule) expect(errors[0]?.rule, query).toBe(rule);
    }
    const csv = await ops('/v1/ops/deadlines.csv?withinWorkingDays=99');
    expect(csv.status).toBe(400);
    expect(csv.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('GET /v1/ops/deadlines.csv', () => {
  it('writes UTF-8 with a BOM and CRLF, Vietnamese headers, neutralised formulas and no id number', async () => {
    const res = await ops('/v1/ops/deadlines.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain(
      'attachment; filename="han-xu-ly-tat-ca-2026-02-12.csv"',
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const lines = text.split('\r\n').slice(0, -1);
    expect(lines[0]).toBe(
      'Mã hồ sơ,Mã thủ tục,Tên thủ tục,Mã cơ quan,Tên cơ quan,Người nộp hồ sơ,Ngày tiếp nhận,Ngày hẹn trả,Tình trạng,Số ngày làm việc còn lại,Số ngày làm việc trễ hạn',
    );
    expect(lines).toHaveLength(6);
    const formula = lines.find((l) => l.includes('HYPERLINK'));
    expect(formula).toContain(`"'=HYPERLINK(""http://x.example"")"`);
    const late = lines.find((l) => l.includes('Trần Thị Năm'));
    expect(late).toMatch(/,2026-02-02 08:00,2026-02-10 17:00,Quá hạn,,2$/);
    const soon = lines.find((l) => l.includes('Trần Thị Hai'));
    expect(soon).toMatch(/,Sắp đến hạn,2,$/);
    expect(text).not.toContain('027090');
  });

  it('takes the same filters', async () => {
    const text = await (await ops(`/v1/ops/deadlines.csv?state=overdue&agency=${AGENCY}`)).text();
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Trần Thị Bốn');
  });
});
