/**
 * The operators' transfer filter as the API states it (schemas/ops.ts: ISO instants) turned into the
 * store's filter (epoch milliseconds). The list and the replay both filter through here.
 */
import type { z } from '@hono/zod-openapi';
import type { TransferFilterSchema } from '../../schemas/ops.js';
import { parseInstant } from '../lib/time.js';
import type { TransferFilter } from './transfer.store.js';

export type TransferFilterInput = z.infer<typeof TransferFilterSchema>;

/** Keeps the given parts of the filter; `from` and `to` become milliseconds. */
export function toTransferFilter(f: TransferFilterInput): TransferFilter {
  return {
    destination: f.destination,
    agency: f.agency,
    dossierId: f.dossierId,
    fromMs: f.from ? parseInstant(f.from) : undefined,
    toMs: f.to ? parseInstant(f.to) : undefined,
  };
}
