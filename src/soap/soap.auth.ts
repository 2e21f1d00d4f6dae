/**
 * Who is calling the SOAP service: a WS-Security UsernameToken (username = client id, password = API
 * key, PasswordText) or the usual `Authorization: Bearer` header (docs/soap.md). Roles are checked by
 * each operation, as REST does per route.
 */
import type { Role } from '../../schemas/client.js';
import type { Clients, Principal } from '../clients/client.js';
import { Forbidden, Unauthorized } from '../lib/errors.js';

const PASSWORD_DIGEST = /#PasswordDigest$/;

/** The text of a parsed element: a string, or `{ $value }` when it carried attributes. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && '$value' in value) {
    const inner = (value as { $value: unknown }).$value;
    return typeof inner === 'string' ? inner : undefined;
  }
  return undefined;
}

function passwordType(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const attributes = (value as { attributes?: Record<string, unknown> }).attributes;
  const type = attributes?.Type;
  return typeof type === 'string' ? type : undefined;
}

async function fromUsernameToken(clients: Clients, security: unknown): Promise<Principal> {
  const token = (security as { UsernameToken?: { Username?: unknown; Password?: unknown } } | undefined)
    ?.UsernameToken;
  const username = textOf(token?.Username);
  const password = textOf(token?.Password);
  if (!username || !password) {
    throw new Unauthorized('the WS-Security UsernameToken needs a Username and a Password');
  }
  if (PASSWORD_DIGEST.test(passwordType(token?.Password) ?? '')) {
    throw new Unauthorized('send the API key as PasswordText: PasswordDigest is not accepted');
  }
  const principal = await clients.authenticate(password);
  // The username must name the client the key belongs to: a key alone is not enough to pass as another.
  if (!principal || principal.id !== username) {
    throw new Unauthorized('the client id or the API key is unknown or revoked');
  }
  return principal;
}

/** The principal of the request's credentials; Unauthorized when there are none or they are wrong. */
export async function resolveCaller(
  clients: Clients,
  security: unknown,
  authorization: string | undefined,
): Promise<Principal> {
  if (security !== undefined && security !== null && security !== '') {
    return fromUsernameToken(clients, security);
  }
  if (authorization === undefined) {
    throw new Unauthorized(
      'no credentials: send a WS-Security UsernameToken or "Authorization: Bearer <api key>"',
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw new Unauthorized('the Authorization header must be "Bearer <api key>"');
  const principal = await clients.authenticate(match[1]);
  if (!principal) throw new Unauthorized('the API key is unknown or revoked');
  return principal;
}

/** Refuses a caller whose role may not use the operation. */
export function requireRole(principal: Principal, operation: string, ...roles: Role[]): void {
  if (!roles.includes(principal.role)) {
    throw new Forbidden(`role ${principal.role} may not call ${operation} (needs ${roles.join(' or ')})`);
  }
}
