/**
 * msw handlers for the national portal: a scripted fake. Every request the client sends is parsed with
 * the gateway's envelope schemas (an invalid one is recorded in `invalid` and answered 400), and every
 * scripted answer is typed against the answer schema. Without a script, the login issues a new session
 * and an integration call answers "00" for a session it issued, and the fake's own refusal otherwise.
 */
import { delay, HttpResponse, http } from 'msw';
import type { z } from 'zod';
import { PortalAnswerSchema } from '../../../adapters/portal/answers.js';
import { type IntegrationRequest, IntegrationRequestSchema } from '../../../adapters/portal/wire.js';
import { PortalAuthRequestSchema } from '../../../schemas/portal.js';

export const PORTAL_URL = 'http://portal.test/lgsp/dvcqg';
export const PORTAL_CONFIG = {
  url: PORTAL_URL,
  username: 'lienthong',
  password: 'mat-khau',
  dstcode: 'DVCQG',
  madonvi: '000.00.00.H24',
} as const;

/** An application answer (HTTP 200) as the portal writes it. */
export type PortalAnswerInput = z.input<typeof PortalAnswerSchema>;

export type Reply =
  | { answer: PortalAnswerInput }
  | { status: number; headers?: Record<string, string>; body?: string }
  | { networkError: true }
  | { hangMs: number };

export const SUCCESS = { error_code: '00', message: 'Thành công' } satisfies PortalAnswerInput;
/** The fake's answer to an unknown session: a failure that names no dossier (its code is the fake's own). */
export const SESSION_REFUSED = {
  error_code: 'FAKE_SESSION',
  message: 'fake portal: unknown session',
} satisfies PortalAnswerInput;

export interface FakePortal {
  /** Scripted answers, used first-in first-out before the default behaviour. */
  authReplies: Reply[];
  integrationReplies: Reply[];
  logins: number;
  sessionsIssued: string[];
  /** Every integration request, as parsed by the schema. */
  integrations: IntegrationRequest[];
  /** Every integration request body as it came over the wire. */
  raw: unknown[];
  /** The dstcode header of every request, in order. */
  dstcodes: (string | null)[];
  /** Requests the schemas refused (a test fails if this is not empty). */
  invalid: string[];
}

export function createFakePortal(): FakePortal {
  return {
    authReplies: [],
    integrationReplies: [],
    logins: 0,
    sessionsIssued: [],
    integrations: [],
    raw: [],
    dstcodes: [],
    invalid: [],
  };
}

async function play(reply: Reply) {
  if ('answer' in reply) return HttpResponse.json(PortalAnswerSchema.parse(reply.answer));
  if ('networkError' in reply) return HttpResponse.error();
  if ('hangMs' in reply) {
    await delay(reply.hangMs);
    return HttpResponse.json(SUCCESS);
  }
  return new HttpResponse(reply.body ?? '', { status: reply.status, headers: reply.headers ?? {} });
}

/** The handlers of one fake portal at `base` (default `PORTAL_URL`) on these paths. */
export function portalHandlers(
  fake: FakePortal,
  paths: { base?: string; auth?: string; integration?: string } = {},
) {
  const base = paths.base ?? PORTAL_URL;
  return [
    http.post(`${base}${paths.auth ?? '/auth'}`, async ({ request }) => {
      fake.dstcodes.push(request.headers.get('dstcode'));
      const body = PortalAuthRequestSchema.safeParse(await request.json());
      if (!body.success) {
        fake.invalid.push(`auth: ${body.error.message}`);
        return HttpResponse.json({ error_code: 400, message: 'bad request' }, { status: 400 });
      }
      fake.logins++;
      const scripted = fake.authReplies.shift();
      if (scripted) {
        if ('answer' in scripted && scripted.answer.session)
          fake.sessionsIssued.push(scripted.answer.session);
        return play(scripted);
      }
      const session = `session-${fake.logins}`;
      fake.sessionsIssued.push(session);
      return HttpResponse.json({ error_code: 0, message: 'Thành công', session } satisfies PortalAnswerInput);
    }),
    http.post(`${base}${paths.integration ?? '/integration'}`, async ({ request }) => {
      fake.dstcodes.push(request.headers.get('dstcode'));
      const raw: unknown = await request.json();
      fake.raw.push(raw);
      const body = IntegrationRequestSchema.safeParse(raw);
      if (!body.success) {
        fake.invalid.push(`integration: ${body.error.message}`);
        return HttpResponse.json({ error_code: 400, message: 'bad request' }, { status: 400 });
      }
      fake.integrations.push(body.data);
      const scripted = fake.integrationReplies.shift();
      if (scripted) return play(scripted);
      return HttpResponse.json(fake.sessionsIssued.includes(body.data.session) ? SUCCESS : SESSION_REFUSED);
    }),
  ];
}
