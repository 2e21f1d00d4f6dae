/**
 * The shape of a departmental system's mapping profile (docs/departments.md, Profiles): its field
 * names, its code tables, its date format, its transport, paging and authentication. A profile is data;
 * `map.ts` reads it both ways. Code tables must be one-to-one so that a value maps back without loss.
 */
import { z } from 'zod';
import { APPLICANT_TYPES, CHANNELS, STATUSES } from '../../schemas/dossier.js';

export const TRANSPORTS = ['rest-json', 'rest-xml', 'soap'] as const;
export const DATE_FORMATS = ['dd/MM/yyyy HH:mm:ss', 'yyyyMMddHHmmss', 'iso'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** The canonical fields of a forwarded dossier a profile names (`ForwardedDossier`, flattened). */
export const DOSSIER_FIELDS = [
  'code',
  'agencyCode',
  'agencyName',
  'procedureCode',
  'procedureName',
  'applicantType',
  'applicantName',
  'applicantIdNumber',
  'applicantPhone',
  'applicantAddress',
  'summary',
  'channel',
  'receivedAt',
  'dueAt',
  'status',
] as const;
export type DossierField = (typeof DOSSIER_FIELDS)[number];

export const EVENT_FIELDS = ['code', 'status', 'at', 'note'] as const;
export type EventField = (typeof EVENT_FIELDS)[number];

const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a field or element name without diacritics');
const path = z.string().regex(/^\/[A-Za-z0-9/_.{}-]*$/);

/** A code table: canonical value → the system's code; every code used once. */
function codeTable<K extends string>(keys: readonly [K, ...K[]], complete: boolean) {
  const base = z.partialRecord(z.enum(keys), z.string().min(1));
  return base.superRefine((table, ctx) => {
    const codes = Object.values(table) as string[];
    if (new Set(codes).size !== codes.length)
      ctx.addIssue({ code: 'custom', message: 'a code is used for two values: it would not map back' });
    if (complete && Object.keys(table).length !== keys.length)
      ctx.addIssue({ code: 'custom', message: `every value needs a code: ${keys.join(', ')}` });
  });
}

/**
 * How the gateway pulls a system that cannot push (docs/departments.md, Pull): `GET {path}?{cursorParam}=
 * <cursor>&{sizeParam}=<n>` answers an object whose `itemsField` lists the changes after the cursor, oldest
 * first, and whose `nextCursorField` is the cursor after the page. Each change is flat: `kindField` says
 * whether it is a dossier (the profile's dossier fields) or a status step (its event fields),
 * `recordIdField` names the system's own record, `positionField` is the cursor right after that change.
 */
export const PollSchema = z.object({
  path,
  cursorParam: name,
  sizeParam: name,
  pageSize: z.number().int().min(1).max(500),
  itemsField: name,
  nextCursorField: name,
  positionField: name,
  kindField: name,
  kinds: z.object({ dossier: z.string().min(1), event: z.string().min(1) }),
  recordIdField: name,
  /** Seconds between rounds when the last round found nothing new. */
  intervalSeconds: z.number().int().min(1).max(86_400),
});
export type PollSection = z.infer<typeof PollSchema>;

export const DepartmentProfileSchema = z
  .object({
    /** The profile's name: the file name, and what a destination refers to. */
    profile: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    title: z.string().min(1),
    transport: z.enum(TRANSPORTS),
    auth: z.object({
      scheme: z.enum(['bearer', 'basic', 'header', 'ws-security']),
      /** The header carrying the credentials for scheme `header`. */
      header: z.string().optional(),
    }),
    paging: z.object({
      style: z.enum(['none', 'page', 'cursor']),
      pageParam: z.string().optional(),
      sizeParam: z.string().optional(),
      maxSize: z.number().int().positive().optional(),
    }),
    dateFormat: z.enum(DATE_FORMATS),
    /** Where each message goes: REST paths (`{recordId}` is the system's own id) or SOAP operations. */
    endpoints: z.object({ submit: z.union([path, name]), event: z.union([path, name]) }),
    /** REST + XML: the root element of a submitted dossier and of a status step. */
    xml: z.object({ submit: name, event: name }).optional(),
    /**
     * Whether the system takes a dossier submitted again with the same receipt number as an update of
     * its record: then field updates after the first forward are sent that way (docs/departments.md).
     */
    resubmitUpdates: z.boolean().default(false),
    /** Present when the gateway pulls the system's changes instead of waiting for its pushes. */
    poll: PollSchema.optional(),
    /** Where the system's answer to a submitted dossier carries its own record id, and its shape. */
    recordId: z.object({ field: name, pattern: z.string().min(1) }),
    dossierFields: z.partialRecord(z.enum(DOSSIER_FIELDS), name),
    eventFields: z.partialRecord(z.enum(EVENT_FIELDS), name),
    codes: z.object({
      statuses: codeTable(STATUSES, true),
      channels: codeTable(CHANNELS, true),
      applicantTypes: codeTable(APPLICANT_TYPES, true),
      /** National procedure code → the system's; a procedure not listed keeps its national code. */
      procedures: z.record(z.string(), z.string()),
    }),
  })
  .superRefine((p, ctx) => {
    if (p.transport === 'rest-xml' && !p.xml)
      ctx.addIssue({
        code: 'custom',
        path: ['xml'],
        message: 'a REST + XML profile names its root elements',
      });
    for (const f of ['code', 'agencyCode', 'procedureCode', 'applicantName', 'receivedAt', 'status'] as const)
      if (!p.dossierFields[f])
        ctx.addIssue({ code: 'custom', path: ['dossierFields', f], message: 'required' });
    for (const f of ['status', 'at'] as const)
      if (!p.eventFields[f]) ctx.addIssue({ code: 'custom', path: ['eventFields', f], message: 'required' });
    const dossierNames = Object.values(p.dossierFields);
    if (new Set(dossierNames).size !== dossierNames.length)
      ctx.addIssue({ code: 'custom', path: ['dossierFields'], message: 'a field name is used twice' });
    const national = Object.keys(p.codes.procedures);
    for (const [from, to] of Object.entries(p.codes.procedures))
      if (to !== from && national.includes(to))
        ctx.addIssue({
          code: 'custom',
          path: ['codes', 'procedures'],
          message: `${to} is also a national code`,
        });
    const own = Object.values(p.codes.procedures);
    if (new Set(own).size !== own.length)
      ctx.addIssue({
        code: 'custom',
        path: ['codes', 'procedures'],
        message: 'a procedure code is used twice',
      });
  });
export type DepartmentProfile = z.infer<typeof DepartmentProfileSchema>;
