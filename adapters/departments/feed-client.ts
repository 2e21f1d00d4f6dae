/**
 * The REST client of a departmental change feed (docs/departments.md, Pull): `GET {baseUrl}{path}?query`
 * with the profile's credentials, over ky, no retries of its own (the poller backs off). A 2xx JSON answer
 * is answered; anything else (a status, a timeout, a network failure, a body that is no JSON) failed. It
 * never throws and never puts the credentials into a message.
 */
import ky, { TimeoutError } from 'ky';
import type { FeedCall, FeedOutcome } from '../../schemas/departments.js';

/** The profile's authentication as headers (the same schemes as the forwarding client). */
function authHeaders(call: FeedCall): Record<string, string> {
  const { scheme, header } = call.auth;
  if (scheme === 'bearer') return { authorization: `Bearer ${call.credentials}` };
  if (scheme === 'basic')
    return { authorization: `Basic ${Buffer.from(call.credentials, 'utf8').toString('base64')}` };
  if (scheme === 'header' && header) return { [header.toLowerCase()]: call.credentials };
  return {};
}

export function createFeedClient(options: { timeoutMs: number }) {
  const http = ky.create({
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    headers: { accept: 'application/json' },
  });
  return {
    async read(call: FeedCall): Promise<FeedOutcome> {
      const url = `${call.baseUrl.replace(/\/+$/, '')}${call.path}`;
      try {
        const response = await http.get(url, { searchParams: call.query, headers: authHeaders(call) });
        if (!response.ok) {
          await response.arrayBuffer().catch(() => undefined);
          return { kind: 'failed', status: response.status, message: `feed answered ${response.status}` };
        }
        const answer: unknown = await response.json().catch(() => undefined);
        if (answer === undefined) return { kind: 'failed', message: 'feed answered no JSON body' };
        return { kind: 'answered', answer };
      } catch (error) {
        const message =
          error instanceof TimeoutError
            ? `feed did not answer within ${options.timeoutMs} ms`
            : `feed unreachable: ${error instanceof Error ? error.message : String(error)}`;
        return { kind: 'failed', message };
      }
    },
  };
}
