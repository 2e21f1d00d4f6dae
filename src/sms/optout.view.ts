/** An opt-out row as the API and the CLI show it. */
import type { z } from '@hono/zod-openapi';
import type { SmsOptOutSchema } from '../../schemas/sms.js';
import { toVnIso } from '../lib/time.js';
import type { OptOutRow } from './optout.store.js';

export type OptOutView = z.infer<typeof SmsOptOutSchema>;

export function optOutView(row: OptOutRow): OptOutView {
  return {
    id: row.id,
    hint: row.hint,
    note: row.note,
    createdAt: toVnIso(row.created_at_ms),
    createdBy: row.created_by,
  };
}
