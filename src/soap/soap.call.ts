/**
 * What every SOAP operation receives: the services, the authenticated caller, the request id and the
 * optional `MessageID` header; and the one way a SOAP body is validated (docs/soap.md).
 */
import type { ZodType } from 'zod';
import type { Principal } from '../clients/client.js';
import type { Services } from '../http/context.js';
import { fieldErrors } from '../http/problem.js';
import { type FieldError, Validation } from '../lib/errors.js';

export interface SoapCall {
  services: Services;
  principal: Principal;
  requestId: string;
  messageId: string | undefined;
}

/**
 * The field errors of `value` under `schema`, each path named as the SOAP element it came from, or the
 * parsed value when there are none.
 */
export function check<T>(
  schema: ZodType<T>,
  value: unknown,
  toSoapPath: (path: string) => string = (p) => p,
): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors = fieldErrors(parsed.error, undefined, value).map((e) => ({
    ...e,
    path: e.path === '(body)' ? e.path : toSoapPath(e.path),
  }));
  return { ok: false, errors };
}

/** The parsed value, or a Validation error listing every failing field. */
export function validate<T>(schema: ZodType<T>, value: unknown, toSoapPath?: (path: string) => string): T {
  const result = check(schema, value, toSoapPath);
  if (!result.ok) throw new Validation(result.errors);
  return result.value;
}

/** Runs a use case; a Validation error it throws names its fields by their SOAP elements too. */
export async function inSoapTerms<T>(
  toSoapPath: (path: string) => string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof Validation)) throw error;
    throw new Validation(
      error.errors.map((e) => ({ ...e, path: toSoapPath(e.path) })),
      undefined,
      { extra: error.extra },
    );
  }
}
