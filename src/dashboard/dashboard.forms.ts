/**
 * What the dashboard's pages and forms accept (docs/dashboard.md): every query and form is checked
 * with a strict schema, so an unknown parameter or a bad value is refused like elsewhere in the API.
 */
import { z } from 'zod';
import { zToken } from '../../schemas/identifiers.js';

/** Outcomes a page can announce after an action (PRG), by code only. */
export const DONE_TEXT = {
  'signed-out': 'Đã đăng xuất.',
  replayed: 'Đã đưa lại vào hàng đợi gửi: {n} chuyển giao.',
  merged: 'Đã gộp hồ sơ.',
  'kept-apart': 'Đã giữ riêng hồ sơ; các chuyển giao của nó được gửi đi.',
  split: 'Đã tách hồ sơ.',
  verified: 'Đã kiểm tra nhật ký: toàn vẹn.',
  'verify-failed': 'Đã kiểm tra nhật ký: KHÔNG toàn vẹn — xem chi tiết bên dưới.',
} as const;
export type DoneCode = keyof typeof DONE_TEXT;

const done = z.enum(Object.keys(DONE_TEXT) as [DoneCode, ...DoneCode[]]).optional();
const n = z.coerce.number().int().min(0).max(1_000_000).optional();

/** The query of a page that takes only an announcement. */
export const PageQuery = z.object({ done, n }).strict();

export const DeadLettersQuery = z
  .object({
    done,
    n,
    destination: zToken('system_name_format', 50).optional(),
    dossier: zToken('id_format', 100).optional(),
  })
  .strict();

export const SignInForm = z.object({ key: z.string().min(1).max(200) }).strict();

export const CsrfOnlyForm = z.object({ csrf: z.string() }).strict();

export const ReplayForm = z
  .object({
    csrf: z.string(),
    id: z.coerce.number().int().positive().optional(),
    dossier: zToken('id_format', 100).optional(),
    destination: zToken('system_name_format', 50).optional(),
  })
  .strict()
  .refine((f) => (f.id === undefined) !== (f.destination === undefined), {
    message: 'give a transfer id or a destination',
    params: { rule: 'id_or_destination' },
  });

export const MergeForm = z.object({ csrf: z.string(), into: zToken('id_format', 100).optional() }).strict();

export const SplitForm = z
  .object({
    csrf: z.string(),
    dossierId: zToken('id_format', 100),
    system: zToken('system_name_format', 64),
    recordId: zToken('record_id_format', 200),
  })
  .strict();

export const ReviewParams = z.object({ id: zToken('id_format', 100) });

/** The announcement a page shows for `?done=…&n=…`. */
export function doneText(q: { done?: DoneCode | undefined; n?: number | undefined }): string | undefined {
  return q.done ? DONE_TEXT[q.done].replace('{n}', String(q.n ?? 0)) : undefined;
}
