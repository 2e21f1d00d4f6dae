/**
 * Use case: the operators read the reconciliation log (docs/reconciliation.md), entries as stored (they
 * hold no personal data, docs/privacy.md), in id pages. `since` is an entry id (the entries after it)
 * or an instant (the entries at or after it).
 */
import type { z } from '@hono/zod-openapi';
import type { LogPageSchema, LogQuerySchema } from '../../schemas/reconciliation.js';
import { toVnIso } from '../lib/time.js';
import type { Db } from '../store/store.js';
import { selectLogPage } from './log.store.js';

export type LogQuery = z.output<typeof LogQuerySchema>;
export type LogPage = z.infer<typeof LogPageSchema>;

function parseData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function listLog(db: Db, q: LogQuery): Promise<LogPage> {
  const sinceId = q.since !== undefined && /^\d+$/.test(q.since) ? Number(q.since) : undefined;
  const sinceMs = q.since !== undefined && sinceId === undefined ? Date.parse(q.since) : undefined;
  const afterId = Math.max(q.after ?? 0, sinceId ?? 0);
  const rows = await selectLogPage(db, {
    afterId,
    sinceMs,
    kind: q.kind,
    dossierId: q.dossier,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      at: toVnIso(r.at_ms),
      kind: r.kind,
      actor: r.actor,
      dossierId: r.dossier_id,
      transferId: r.transfer_id,
      data: parseData(r.data),
      prevHash: r.prev_hash,
      hash: r.hash,
    })),
    nextAfter: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
