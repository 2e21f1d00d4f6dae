/**
 * The call carrying one forwarded message to a departmental system, read from its profile
 * (docs/departments.md, Transports): the transport picks the adapter, the endpoint is a REST path or a
 * SOAP operation, the body is the profile's mapping. Pure: no I/O.
 */
import { type DepartmentProfile, dossierToSystem, eventToSystem } from '../../mappings/departments/index.js';
import type { DepartmentCall, ForwardedDossier, ForwardedEvent } from '../../schemas/departments.js';

/** Where the system is reached, and its credentials. */
export interface CallTarget {
  baseUrl: string;
  credentials: string;
}

function base(p: DepartmentProfile, target: CallTarget) {
  return { transport: p.transport, baseUrl: target.baseUrl, auth: p.auth, credentials: target.credentials };
}

/** A whole dossier, sent to the profile's `submit` endpoint. */
export function dossierCall(
  p: DepartmentProfile,
  target: CallTarget,
  dossier: ForwardedDossier,
): DepartmentCall {
  return {
    ...base(p, target),
    path: p.endpoints.submit,
    root: p.xml?.submit,
    body: dossierToSystem(p, dossier),
  };
}

/**
 * A status step for the system's record `recordId`. A REST path naming `{recordId}` carries it; otherwise
 * (a SOAP operation, a fixed path) the body carries it, in the element the answer named it with.
 */
export function eventCall(
  p: DepartmentProfile,
  target: CallTarget,
  step: { recordId: string; code: string; event: ForwardedEvent },
): DepartmentCall {
  const template = p.endpoints.event;
  const inPath = template.includes('{recordId}');
  const body = eventToSystem(p, step.code, step.event);
  return {
    ...base(p, target),
    path: inPath ? template.replace('{recordId}', encodeURIComponent(step.recordId)) : template,
    root: p.xml?.event,
    body: inPath ? body : { [p.recordId.field]: step.recordId, ...body },
  };
}
