/** Signing in to the dashboard through `app.request`, and the pieces the dashboard tests share. */
import { AGENCY, dossierBody, type TestGateway } from '../helpers/gateway.js';

export const ORIGIN = 'http://localhost';

export interface Signed {
  cookie: string;
  csrf: string;
}

/** The `name=value` of the session cookie an answer sets, and the whole header. */
export function sessionCookieOf(res: Response): { pair: string; header: string } | undefined {
  const header = res.headers.getSetCookie().find((h) => h.startsWith('lt_ops='));
  if (!header) return undefined;
  return { pair: header.split(';')[0] ?? '', header };
}

/** The form token a signed-in page carries. */
export function csrfOf(html: string): string {
  const m = /name="csrf" value="([0-9a-f]{64})"/.exec(html);
  if (!m?.[1]) throw new Error('no csrf field on the page');
  return m[1];
}

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Posts a form as a browser on this site would. */
export function post(
  gw: TestGateway,
  path: string,
  fields: Record<string, string>,
  o: { cookie?: string; headers?: Record<string, string>; url?: string } = {},
): Promise<Response> {
  return Promise.resolve(
    gw.app.request(o.url ?? path, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: ORIGIN,
        ...(o.cookie ? { Cookie: o.cookie } : {}),
        ...o.headers,
      },
      body: form(fields),
    }),
  );
}

export function get(gw: TestGateway, path: string, cookie?: string): Promise<Response> {
  return Promise.resolve(gw.app.request(path, { headers: cookie ? { Cookie: cookie } : {} }));
}

/** Signs in with `key` and reads the form token from the overview. */
export async function signIn(gw: TestGateway, key = gw.keys.operator): Promise<Signed> {
  const res = await post(gw, '/ops/sign-in', { key });
  const c = sessionCookieOf(res);
  if (res.status !== 303 || !c) throw new Error(`sign-in failed: ${res.status}`);
  const page = await get(gw, '/ops', c.pair);
  return { cookie: c.pair, csrf: csrfOf(await page.text()) };
}

let serial = 0;

/** Two pushes of one dossier that the gateway holds for review (the second has no id number). */
export async function heldDualEntry(
  gw: TestGateway,
): Promise<{ heldId: string; firstId: string; recordId: string }> {
  serial += 1;
  const a = dossierBody({ code: `${AGENCY}-261101-${String(8000 + serial)}` });
  Object.assign(a.applicant as Record<string, unknown>, {
    idNumber: `02719077${serial}`,
    fullName: `Trần Thị Mai ${serial}`,
    phone: `09${String(7000 + serial).padStart(8, '0')}`,
  });
  const { code: _code, ...rest } = a;
  const b = {
    ...rest,
    source: { recordId: `XD-DASH-${serial}` },
    applicant: {
      ...(a.applicant as Record<string, unknown>),
      idNumber: undefined,
      fullName: `TRAN THI MAI ${serial}`,
    },
    receivedAt: '2026-11-28T10:15:00+07:00',
  };
  const first = await gw.request('POST', '/v1/dossiers', { body: a });
  if (first.status !== 201) throw new Error(`push a: ${first.status} ${await first.text()}`);
  const firstId = ((await first.json()) as { id: string }).id;
  const second = await gw.request('POST', '/v1/dossiers', { body: b, key: gw.keys.xaydung });
  const held = (await second.json()) as { outcome: string; id: string };
  if (held.outcome !== 'held_for_review') throw new Error(`push b: ${held.outcome}`);
  return { heldId: held.id, firstId, recordId: `XD-DASH-${serial}` };
}
