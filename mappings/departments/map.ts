/**
 * A forwarded dossier or status event ↔ a departmental system's wire object, read from its profile
 * (docs/departments.md). Pure: no I/O. Both directions are exact inverses for every field the profile
 * names, which the profile tests check on the fixtures and on generated values.
 */
import {
  type ForwardedDossier,
  ForwardedDossierSchema,
  type ForwardedEvent,
  ForwardedEventSchema,
} from '../../schemas/departments.js';
import { formatDate, parseDate } from './dates.js';
import type { DepartmentProfile, DossierField } from './profile.js';

type Flat = Partial<Record<DossierField, string>>;
type Wire = Record<string, string>;

function invert(table: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));
}

function codeOf(table: Record<string, string>, value: string, what: string): string {
  const code = table[value];
  if (code === undefined) throw new Error(`no ${what} code for ${value}`);
  return code;
}

function flatten(d: ForwardedDossier): Flat {
  return {
    code: d.code,
    agencyCode: d.agency.code,
    agencyName: d.agency.name,
    procedureCode: d.procedure.code,
    procedureName: d.procedure.name,
    applicantType: d.applicant.type,
    applicantName: d.applicant.fullName,
    applicantIdNumber: d.applicant.idNumber,
    applicantPhone: d.applicant.phone,
    applicantAddress: d.applicant.address,
    summary: d.summary,
    channel: d.channel,
    receivedAt: d.receivedAt,
    dueAt: d.dueAt,
    status: d.status,
  };
}

/** A canonical value of one field in the system's terms. */
function toSystemValue(p: DepartmentProfile, field: DossierField, value: string): string {
  const c = p.codes;
  switch (field) {
    case 'status':
      return codeOf(c.statuses, value, 'status');
    case 'channel':
      return codeOf(c.channels, value, 'channel');
    case 'applicantType':
      return codeOf(c.applicantTypes, value, 'applicant type');
    case 'procedureCode':
      return c.procedures[value] ?? value;
    case 'receivedAt':
    case 'dueAt':
      return formatDate(p.dateFormat, value);
    default:
      return value;
  }
}

/** A system's value of one field in canonical terms. */
function fromSystemValue(p: DepartmentProfile, field: DossierField, value: string): string {
  const c = p.codes;
  switch (field) {
    case 'status':
      return codeOf(invert(c.statuses), value, 'canonical status');
    case 'channel':
      return codeOf(invert(c.channels), value, 'canonical channel');
    case 'applicantType':
      return codeOf(invert(c.applicantTypes), value, 'canonical applicant type');
    case 'procedureCode':
      return invert(c.procedures)[value] ?? value;
    case 'receivedAt':
    case 'dueAt':
      return parseDate(p.dateFormat, value);
    default:
      return value;
  }
}

/** The dossier as the system's software receives it. */
export function dossierToSystem(p: DepartmentProfile, dossier: ForwardedDossier): Wire {
  const flat = flatten(ForwardedDossierSchema.parse(dossier));
  const wire: Wire = {};
  for (const [field, name] of Object.entries(p.dossierFields) as [DossierField, string][]) {
    const value = flat[field];
    if (value !== undefined) wire[name] = toSystemValue(p, field, value);
  }
  return wire;
}

/** A dossier in the system's terms back in canonical terms; throws when a value does not map. */
export function dossierFromSystem(p: DepartmentProfile, wire: Wire): ForwardedDossier {
  const f: Flat = {};
  for (const [field, name] of Object.entries(p.dossierFields) as [DossierField, string][]) {
    const value = wire[name];
    if (value !== undefined) f[field] = fromSystemValue(p, field, value);
  }
  return ForwardedDossierSchema.parse({
    code: f.code,
    agency: { code: f.agencyCode, name: f.agencyName ?? f.agencyCode },
    procedure: { code: f.procedureCode, name: f.procedureName ?? f.procedureCode },
    applicant: {
      type: f.applicantType ?? 'citizen',
      fullName: f.applicantName,
      idNumber: f.applicantIdNumber,
      phone: f.applicantPhone,
      address: f.applicantAddress,
    },
    summary: f.summary,
    channel: f.channel ?? 'counter',
    receivedAt: f.receivedAt,
    dueAt: f.dueAt,
    status: f.status,
  });
}

/** A status step as the system's software receives it. */
export function eventToSystem(p: DepartmentProfile, code: string, event: ForwardedEvent): Wire {
  const e = ForwardedEventSchema.parse(event);
  const f = p.eventFields;
  const wire: Wire = {};
  if (f.code) wire[f.code] = code;
  if (f.status) wire[f.status] = codeOf(p.codes.statuses, e.status, 'status');
  if (f.at) wire[f.at] = formatDate(p.dateFormat, e.at);
  if (f.note && e.note !== undefined) wire[f.note] = e.note;
  return wire;
}

/** A status step in the system's terms back in canonical terms. */
export function eventFromSystem(p: DepartmentProfile, wire: Wire): { code?: string; event: ForwardedEvent } {
  const f = p.eventFields;
  const status = f.status ? wire[f.status] : undefined;
  const at = f.at ? wire[f.at] : undefined;
  if (status === undefined || at === undefined) throw new Error('a status step needs its status and time');
  const event = ForwardedEventSchema.parse({
    status: codeOf(invert(p.codes.statuses), status, 'canonical status'),
    at: parseDate(p.dateFormat, at),
    note: f.note ? wire[f.note] : undefined,
  });
  const code = f.code ? wire[f.code] : undefined;
  return code === undefined ? { event } : { code, event };
}

/** The system's own record id in its answer to a submitted dossier; throws when absent or malformed. */
export function recordIdFromAnswer(p: DepartmentProfile, answer: unknown): string {
  const value =
    answer !== null && typeof answer === 'object'
      ? (answer as Record<string, unknown>)[p.recordId.field]
      : undefined;
  if (typeof value !== 'string' || !new RegExp(p.recordId.pattern).test(value))
    throw new Error(`the answer carries no record id in ${p.recordId.field}`);
  return value;
}
